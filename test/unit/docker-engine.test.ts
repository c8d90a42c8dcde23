import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  apiAtLeast,
  exitCodeFromStatus,
  healthFromStatus,
  lowerVersion,
  toContainerDetails,
  toContainerRow,
  withRefusedStart,
} from '../../src/engine/docker-engine.js';
import { EngineRequestError, isNotFound, toEngineError } from '../../src/engine/errors.js';

const ID = '8dfafdbc3a40f5c43b9b8e7d4a2e1c0b9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** One entry of GET /containers/json?all=1 from Engine 20.10, for a Compose service. */
const LIST_ENTRY = JSON.parse(`{
  "Id": "${ID}",
  "Names": ["/shop-web-1"],
  "Image": "nginx:1.25",
  "ImageID": "sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6",
  "Command": "/docker-entrypoint.sh nginx -g 'daemon off;'",
  "Created": 1718000000,
  "Ports": [
    {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
    {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
    {"PrivatePort": 443, "Type": "tcp"}
  ],
  "Labels": {
    "com.docker.compose.config-hash": "3f1c",
    "com.docker.compose.container-number": "1",
    "com.docker.compose.oneoff": "False",
    "com.docker.compose.project": "shop",
    "com.docker.compose.project.working_dir": "/srv/shop",
    "com.docker.compose.service": "web",
    "com.docker.compose.version": "2.27.0"
  },
  "State": "running",
  "Status": "Up 3 minutes (healthy)",
  "HostConfig": {"NetworkMode": "shop_default"},
  "NetworkSettings": {"Networks": {"shop_default": {"IPAMConfig": null, "Links": null, "Aliases": null,
    "NetworkID": "5e2a", "EndpointID": "77c1", "Gateway": "172.18.0.1", "IPAddress": "172.18.0.3",
    "IPPrefixLen": 16, "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
    "MacAddress": "02:42:ac:12:00:03", "DriverOpts": null}}},
  "Mounts": [{"Type": "volume", "Name": "shop_static", "Source": "", "Destination": "/usr/share/nginx/html",
    "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""}]
}`) as Docker.ContainerInfo;

function listEntry(overrides: Partial<Docker.ContainerInfo>): Docker.ContainerInfo {
  return { ...LIST_ENTRY, ...overrides };
}

/** GET /containers/ID/json from Engine 20.10 for a container that was OOM-killed. */
const INSPECT = JSON.parse(`{
  "Id": "${ID}",
  "Created": "2024-06-10T09:58:00.123456789Z",
  "Path": "/docker-entrypoint.sh",
  "Args": ["nginx", "-g", "daemon off;"],
  "State": {
    "Status": "exited", "Running": false, "Paused": false, "Restarting": false, "OOMKilled": true,
    "Dead": false, "Pid": 0, "ExitCode": 137, "Error": "",
    "StartedAt": "2024-06-10T09:58:01.5Z", "FinishedAt": "2024-06-10T10:01:02.25Z",
    "Health": {"Status": "unhealthy", "FailingStreak": 3, "Log": [
      {"Start": "2024-06-10T10:00:00Z", "End": "2024-06-10T10:00:01Z", "ExitCode": 1, "Output": "wget: can't connect\\n"}
    ]}
  },
  "Image": "sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6",
  "ResolvConfPath": "/var/lib/docker/containers/${ID}/resolv.conf",
  "HostnamePath": "/var/lib/docker/containers/${ID}/hostname",
  "HostsPath": "/var/lib/docker/containers/${ID}/hosts",
  "LogPath": "/var/lib/docker/containers/${ID}/${ID}-json.log",
  "Name": "/shop-web-1",
  "RestartCount": 2,
  "Driver": "overlay2",
  "Platform": "linux",
  "MountLabel": "",
  "ProcessLabel": "",
  "AppArmorProfile": "docker-default",
  "ExecIDs": null,
  "HostConfig": {
    "Binds": ["/srv/shop/conf:/etc/nginx/conf.d:ro"],
    "NetworkMode": "shop_default",
    "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
    "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
    "Memory": 16777216
  },
  "GraphDriver": {"Name": "overlay2", "Data": {}},
  "Mounts": [
    {"Type": "bind", "Source": "/srv/shop/conf", "Destination": "/etc/nginx/conf.d", "Mode": "ro", "RW": false, "Propagation": "rprivate"},
    {"Type": "volume", "Name": "shop_static", "Source": "/var/lib/docker/volumes/shop_static/_data",
      "Destination": "/usr/share/nginx/html", "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""}
  ],
  "Config": {
    "Hostname": "8dfafdbc3a40", "Domainname": "", "User": "", "AttachStdin": false, "AttachStdout": true,
    "AttachStderr": true, "ExposedPorts": {"443/tcp": {}, "80/tcp": {}}, "Tty": false, "OpenStdin": false,
    "StdinOnce": false, "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "Cmd": ["nginx", "-g", "daemon off;"], "Image": "nginx:1.25", "Volumes": null, "WorkingDir": "",
    "Entrypoint": ["/docker-entrypoint.sh"], "OnBuild": null,
    "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web"},
    "Healthcheck": {"Test": ["CMD-SHELL", "wget -qO- http://localhost/ || exit 1"], "Interval": 5000000000}
  },
  "NetworkSettings": {
    "SandboxID": "c0ffee", "SandboxKey": "/var/run/docker/netns/c0ffee",
    "Ports": {
      "443/tcp": null,
      "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}],
      "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}]
    },
    "Networks": {}
  }
}`) as Docker.ContainerInspectInfo;

describe('exitCodeFromStatus', () => {
  it.each([
    ['Exited (137) 5 minutes ago', 137],
    ['Exited (0) About a minute ago', 0],
    ['Exited (1) 2 hours ago', 1],
    ['Exited (-1) 3 seconds ago', -1],
    ['Up 3 minutes', undefined],
    ['Up 2 hours (Paused)', undefined],
    ['Restarting (1) 4 seconds ago', undefined],
    ['Created', undefined],
    ['', undefined],
  ])('%j -> %s', (status, code) => {
    expect(exitCodeFromStatus(status)).toBe(code);
  });
});

describe('healthFromStatus', () => {
  it.each([
    ['Up 3 minutes (healthy)', 'healthy'],
    ['Up 10 minutes (unhealthy)', 'unhealthy'],
    ['Up 4 seconds (health: starting)', 'starting'],
    ['Up 3 minutes', undefined],
    ['Up 2 hours (Paused)', undefined],
    ['Exited (0) 1 second ago', undefined],
  ])('%j -> %s', (status, health) => {
    expect(healthFromStatus(status)).toBe(health);
  });
});

describe('lowerVersion and apiAtLeast', () => {
  it('picks the lower API version', () => {
    expect(lowerVersion('1.41', '1.47')).toBe('1.41');
    expect(lowerVersion('1.47', '1.41')).toBe('1.41');
    expect(lowerVersion('1.51', '1.47')).toBe('1.47');
    expect(lowerVersion('1.41', '1.41')).toBe('1.41');
  });

  it('compares the parts as numbers, not text', () => {
    expect(lowerVersion('1.9', '1.10')).toBe('1.9');
    expect(lowerVersion('1.10', '1.9')).toBe('1.9');
    expect(lowerVersion('2.0', '1.47')).toBe('1.47');
  });

  it('tells whether a version reaches a minimum', () => {
    expect(apiAtLeast('1.47', '1.41')).toBe(true);
    expect(apiAtLeast('1.41', '1.41')).toBe(true);
    expect(apiAtLeast('1.40', '1.41')).toBe(false);
    expect(apiAtLeast('1.10', '1.9')).toBe(true);
    expect(apiAtLeast('1.9', '1.10')).toBe(false);
  });
});

describe('toContainerRow', () => {
  it('maps a Compose service entry', () => {
    expect(toContainerRow(LIST_ENTRY)).toEqual({
      id: ID,
      name: 'shop-web-1',
      image: 'nginx:1.25',
      command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
      state: 'running',
      status: 'Up 3 minutes (healthy)',
      health: 'healthy',
      created: 1718000000,
      ports: [
        { privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' },
        { privatePort: 80, publicPort: 8080, ip: '::', type: 'tcp' },
        { privatePort: 443, type: 'tcp' },
      ],
      labels: LIST_ENTRY.Labels,
      project: 'shop',
      service: 'web',
    });
  });

  it('gives the exit code of an exited container', () => {
    const row = toContainerRow(listEntry({ State: 'exited', Status: 'Exited (137) 5 minutes ago' }));
    expect(row.state).toBe('exited');
    expect(row.exitCode).toBe(137);
    expect(row.health).toBeUndefined();
  });

  it('gives no exit code for a container that is not exited', () => {
    expect(toContainerRow(listEntry({ State: 'restarting', Status: 'Restarting (1) 2 seconds ago' }))).not.toHaveProperty('exitCode');
    expect(toContainerRow(LIST_ENTRY)).not.toHaveProperty('exitCode');
  });

  it('has no project or service without Compose labels', () => {
    const row = toContainerRow(listEntry({ Names: ['/web'], Labels: {} }));
    expect(row.name).toBe('web');
    expect(row).not.toHaveProperty('project');
    expect(row).not.toHaveProperty('service');
  });

  it('prefers the container name over a legacy link alias', () => {
    // The daemon lists names sorted; with `--link zeta` into "app", "/app/zeta" sorts first. docker ps shows "zeta".
    expect(toContainerRow(listEntry({ Names: ['/app/zeta', '/zeta'] })).name).toBe('zeta');
  });

  it('falls back to the short id when there are no names', () => {
    expect(toContainerRow(listEntry({ Names: [] })).name).toBe(ID.slice(0, 12));
  });

  it('maps an unknown state to dead', () => {
    expect(toContainerRow(listEntry({ State: 'exploded' })).state).toBe('dead');
  });
});

describe('toContainerDetails', () => {
  it('maps an inspect document', () => {
    expect(toContainerDetails(INSPECT)).toEqual({
      id: ID,
      name: 'shop-web-1',
      image: 'nginx:1.25',
      imageId: 'sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6',
      command: 'nginx -g daemon off;',
      entrypoint: '/docker-entrypoint.sh',
      created: '2024-06-10T09:58:00.123456789Z',
      state: 'exited',
      exitCode: 137,
      error: '',
      oomKilled: true,
      health: 'unhealthy',
      startedAt: '2024-06-10T09:58:01.5Z',
      finishedAt: '2024-06-10T10:01:02.25Z',
      restartCount: 2,
      restartPolicy: 'on-failure:3',
      ports: [
        { privatePort: 443, type: 'tcp' },
        { privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' },
        { privatePort: 80, publicPort: 8080, ip: '::', type: 'tcp' },
        { privatePort: 53, publicPort: 5353, ip: '127.0.0.1', type: 'udp' },
      ],
      mounts: [
        { type: 'bind', source: '/srv/shop/conf', destination: '/etc/nginx/conf.d', rw: false },
        { type: 'volume', source: '/var/lib/docker/volumes/shop_static/_data', destination: '/usr/share/nginx/html', rw: true },
      ],
      labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' },
      tty: false,
      openStdin: false,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      healthFailingStreak: 3,
      healthLog: [{ start: '2024-06-10T10:00:00Z', end: '2024-06-10T10:00:01Z', exitCode: 1, output: "wget: can't connect\n" }],
      networks: [],
      limits: { memory: 16777216, cpus: 0, cpuShares: 0, pidsLimit: 0 },
      raw: INSPECT,
    });
  });

  it.each([
    [{ Name: 'always', MaximumRetryCount: 0 }, 'always'],
    [{ Name: 'unless-stopped', MaximumRetryCount: 0 }, 'unless-stopped'],
    [{ Name: 'on-failure', MaximumRetryCount: 0 }, 'on-failure'],
    [{ Name: 'no', MaximumRetryCount: 0 }, 'no'],
    [{ Name: '', MaximumRetryCount: 0 }, 'no'],
  ])('shows restart policy %j as %s', (policy, text) => {
    const doc = { ...INSPECT, HostConfig: { ...INSPECT.HostConfig, RestartPolicy: policy } };
    expect(toContainerDetails(doc).restartPolicy).toBe(text);
  });

  it('has no health without a healthcheck', () => {
    const { Health: _health, ...state } = INSPECT.State;
    expect(toContainerDetails({ ...INSPECT, State: state }).health).toBeUndefined();
  });

  it('joins a string entrypoint and an empty command', () => {
    const doc = { ...INSPECT, Config: { ...INSPECT.Config, Entrypoint: '/bin/sh -c', Cmd: [] } };
    expect(toContainerDetails(doc)).toMatchObject({ entrypoint: '/bin/sh -c', command: '' });
  });
});

describe('withRefusedStart', () => {
  const created = { ...INSPECT, State: { ...INSPECT.State, Status: 'created', ExitCode: 0, Error: '' } };
  /** Podman 4.3's answer to starting a container whose command does not exist. */
  const NOT_FOUND = 'runc: runc create failed: unable to start container process: exec: "no-such-command": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found';

  it('gives a created container the refusal and the exit code docker run would give', () => {
    expect(withRefusedStart(toContainerDetails(created), NOT_FOUND)).toMatchObject({ state: 'created', error: NOT_FOUND, exitCode: 127 });
    expect(withRefusedStart(toContainerDetails(created), 'error mounting "/gone" to rootfs')).toMatchObject({ exitCode: 128 });
  });

  it('leaves what the engine recorded itself, and a container that has run since', () => {
    const recorded = { ...created, State: { ...created.State, ExitCode: 127, Error: 'recorded by Docker' } };
    expect(withRefusedStart(toContainerDetails(recorded), NOT_FOUND)).toMatchObject({ error: 'recorded by Docker', exitCode: 127 });
    expect(withRefusedStart(toContainerDetails(INSPECT), NOT_FOUND)).toEqual(toContainerDetails(INSPECT));
    expect(withRefusedStart(toContainerDetails(created), undefined)).toEqual(toContainerDetails(created));
  });
});

describe('toEngineError', () => {
  /** What docker-modem rejects with for a 404 from the daemon. */
  function modemError(statusCode: number, reason: string | undefined, json: unknown): Error {
    const message = (json as { message?: string } | null)?.message ?? String(json);
    return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason ?? 'unexpected'} - ${message} `), {
      reason, statusCode, json,
    });
  }

  it("keeps the daemon's message and status code", () => {
    const error = toEngineError(modemError(404, 'no such container', { message: `No such container: ${ID.slice(0, 12)}` }));
    expect(error).toBeInstanceOf(EngineRequestError);
    expect(error.message).toBe(`No such container: ${ID.slice(0, 12)}`);
    expect(error.statusCode).toBe(404);
  });

  it('keeps a 409 conflict message', () => {
    const message = `Container ${ID} is not paused`;
    expect(toEngineError(modemError(409, 'container not paused', { message }))).toMatchObject({ message, statusCode: 409 });
  });

  it('falls back to the reason when the body was not JSON', () => {
    const error = toEngineError(modemError(500, 'server error', Buffer.from('oops')));
    expect(error).toMatchObject({ message: 'server error', statusCode: 500 });
  });

  it('keeps the code of a system error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {
      code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '/var/run/docker.sock',
    });
    const error = toEngineError(refused);
    expect(error).toMatchObject({ message: 'connect ECONNREFUSED /var/run/docker.sock', code: 'ECONNREFUSED' });
    expect(error.statusCode).toBeUndefined();
  });

  it('returns an EngineRequestError unchanged', () => {
    const original = new EngineRequestError('gone', 404);
    expect(toEngineError(original)).toBe(original);
  });

  it('turns a thrown string into its message', () => {
    expect(toEngineError('boom').message).toBe('boom');
  });

  it('tells a 404 apart from other failures', () => {
    expect(isNotFound(modemError(404, 'no such container', { message: 'No such container: x' }))).toBe(true);
    expect(isNotFound(new EngineRequestError('gone', 404))).toBe(true);
    expect(isNotFound(modemError(409, 'conflict', { message: 'is not running' }))).toBe(false);
    expect(isNotFound(new Error('socket hang up'))).toBe(false);
  });
});

describe('toEngineError on stream requests', () => {
  it('keeps the daemon\'s words that docker-modem put after its own prefix (regression: "no such container" alone)', () => {
    const streamed = Object.assign(new Error('(HTTP code 404) no such container - No such container: abc123 '), {
      statusCode: 404, reason: 'no such container', json: null,
    });
    expect(toEngineError(streamed)).toMatchObject({ message: 'No such container: abc123', statusCode: 404 });
    const driver = Object.assign(new Error('(HTTP code 501) unexpected - configured logging driver does not support reading'), {
      statusCode: 501, reason: 'unexpected', json: null,
    });
    expect(toEngineError(driver).message).toBe('configured logging driver does not support reading');
  });
});

