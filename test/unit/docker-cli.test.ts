import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attachArgs, cliSessionOutcome, DEFAULT_SHELLS, dockerCliArgs, dockerCliMissing, execShellArgs, findDockerCli, findExecutable, SHELL_SCRIPT,
} from '../../src/engine/docker-cli.js';
import { parseHostUrl, resolveEndpoint } from '../../src/engine/endpoint.js';
import type { Endpoint } from '../../src/engine/types.js';

const run = promisify(execFile);

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockhand-docker-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function executable(path: string, body = '#!/bin/sh\nexit 0\n'): string {
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

const UNIX: Endpoint = {
  url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', contextName: 'default', source: 'default',
};

/** An environment that would send the CLI elsewhere if any of it got through. */
const DECOYS = {
  DOCKER_HOST: 'tcp://decoy.invalid:2375',
  DOCKER_CONTEXT: 'decoy',
  DOCKER_TLS_VERIFY: '1',
  DOCKER_TLS: '1',
};

describe('dockerCliArgs', () => {
  it('names the default unix socket with -H', () => {
    expect(dockerCliArgs(UNIX, {}).args).toEqual(['-H', 'unix:///var/run/docker.sock']);
  });

  it('passes a named context by name, whatever DOCKER_HOST or DOCKER_CONTEXT say', () => {
    const endpoint: Endpoint = { ...UNIX, url: 'unix:///srv/other.sock', contextName: 'prod', source: '--context' };
    const { args, env } = dockerCliArgs(endpoint, { ...DECOYS, DOCKER_CONFIG: '/cfg', PATH: '/usr/bin' });
    expect(args).toEqual(['--context', 'prod']);
    expect(env).toEqual({ DOCKER_CONFIG: '/cfg', PATH: '/usr/bin' });
  });

  it('spells out a context picked by DOCKER_CONTEXT or config.json with --context too', () => {
    for (const source of ['DOCKER_CONTEXT', 'config.json'] as const) {
      expect(dockerCliArgs({ ...UNIX, contextName: 'staging', source }, {}).args).toEqual(['--context', 'staging']);
    }
  });

  it('uses -H for the default context even when it was named with --context default', () => {
    const endpoint: Endpoint = { ...UNIX, url: 'unix:///run/user.sock', socketPath: '/run/user.sock', source: '--context' };
    expect(dockerCliArgs(endpoint, {}).args).toEqual(['-H', 'unix:///run/user.sock']);
  });

  // The docker CLI runs the system ssh itself (`ssh -l USER -p PORT -- HOST docker system dial-stdio`).
  it('hands an ssh:// URL to the CLI as it was written, with nothing that could override it', () => {
    const endpoint = { ...parseHostUrl('ssh://deploy@build.example.com:2222'), contextName: 'default', source: 'DOCKER_HOST' } as const;
    const { args, env } = dockerCliArgs(endpoint, { ...DECOYS, PATH: '/usr/bin', DOCKHAND_SSH: '/opt/ssh' });
    expect(args).toEqual(['-H', 'ssh://deploy@build.example.com:2222']);
    expect(env).toEqual({ PATH: '/usr/bin', DOCKHAND_SSH: '/opt/ssh' });
  });

  it('verifies TLS with every file the endpoint names', () => {
    const endpoint: Endpoint = {
      url: 'tcp://10.0.0.5:2376', kind: 'tcp', hostname: '10.0.0.5', port: 2376, contextName: 'default', source: 'DOCKER_HOST',
      tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true },
    };
    expect(dockerCliArgs(endpoint, {}).args).toEqual([
      '-H', 'tcp://10.0.0.5:2376', '--tlsverify', '--tlscacert=/certs/ca.pem', '--tlscert=/certs/cert.pem', '--tlskey=/certs/key.pem',
    ]);
  });

  // The CLI would otherwise look for DOCKER_CERT_PATH/ca.pem and refuse to start without it.
  it('uses --tls (no verification) when the endpoint does not verify, and names a missing file as none', () => {
    const endpoint: Endpoint = {
      url: 'tcp://h:2376', kind: 'tcp', hostname: 'h', port: 2376, contextName: 'default', source: '--host',
      tls: { cert: '/c/cert.pem', key: '/c/key.pem', verify: false },
    };
    expect(dockerCliArgs(endpoint, {}).args).toEqual(['-H', 'tcp://h:2376', '--tls', '--tlscacert=""', '--tlscert=/c/cert.pem', '--tlskey=/c/key.pem']);
  });

  it('passes no TLS flag for plain tcp, and drops DOCKER_TLS_VERIFY so the CLI cannot turn TLS on', () => {
    const endpoint: Endpoint = { url: 'tcp://h:2375', kind: 'tcp', hostname: 'h', port: 2375, contextName: 'default', source: '--host' };
    const { args, env } = dockerCliArgs(endpoint, { DOCKER_TLS_VERIFY: '1', DOCKER_TLS: '1' });
    expect(args).toEqual(['-H', 'tcp://h:2375']);
    expect(env).toEqual({});
  });

  it('keeps the rest of the environment (PATH, HOME, DOCKER_CONFIG, DOCKER_CERT_PATH) and leaves the input alone', () => {
    const base = { ...DECOYS, PATH: '/bin', HOME: '/root', DOCKER_CONFIG: '/cfg', DOCKER_CERT_PATH: '/certs', UNSET: undefined };
    const copy = { ...base };
    const { env } = dockerCliArgs(UNIX, base);
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', DOCKER_CONFIG: '/cfg', DOCKER_CERT_PATH: '/certs' });
    expect(base).toEqual(copy);
  });

  it('reproduces what resolveEndpoint found from DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    for (const file of ['ca', 'cert', 'key']) writeFileSync(join(certs, `${file}.pem`), 'PEM');
    const env = { DOCKER_HOST: 'tcp://build.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs };
    const endpoint = resolveEndpoint({ env, homeDir: dir });
    const { args, env: childEnv } = dockerCliArgs(endpoint, env);
    expect(args).toEqual([
      '-H', 'tcp://build.example:2376', '--tlsverify',
      `--tlscacert=${join(certs, 'ca.pem')}`, `--tlscert=${join(certs, 'cert.pem')}`, `--tlskey=${join(certs, 'key.pem')}`,
    ]);
    expect(childEnv).toEqual({ DOCKER_CERT_PATH: certs });
  });

  it('reproduces a context found in config.json', () => {
    const configDir = join(dir, 'cfg');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    // The context store keys each context by the SHA-256 of its name, as the CLI does.
    const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update('remote').digest('hex'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: 'remote', Metadata: {}, Endpoints: { docker: { Host: 'unix:///srv/remote.sock' } } }));
    const env = { DOCKER_CONFIG: configDir };
    const endpoint = resolveEndpoint({ env, homeDir: dir });
    expect(dockerCliArgs(endpoint, env)).toEqual({ args: ['--context', 'remote'], env: { DOCKER_CONFIG: configDir } });
  });
});

describe('execShellArgs', () => {
  const id = 'f00dfeed1234';

  it('runs the constant script in an interactive tty, with the id and the shells as argv elements', () => {
    expect(execShellArgs(id)).toEqual(['exec', '-i', '-t', '--', id, 'sh', '-c', SHELL_SCRIPT, 'dockhand-shell', ...DEFAULT_SHELLS]);
    expect(execShellArgs(id, ['zsh', '/bin/ash'])).toEqual(['exec', '-i', '-t', '--', id, 'sh', '-c', SHELL_SCRIPT, 'dockhand-shell', 'zsh', '/bin/ash']);
  });

  it('never builds the script from its inputs', () => {
    const a = execShellArgs('web-1', ['bash']);
    const b = execShellArgs('db_2.primary', ['fish']);
    expect(a[7]).toBe(b[7]);
    expect(SHELL_SCRIPT).not.toContain('web-1');
  });

  it('prefers a login shell and falls back to sh', () => {
    expect(DEFAULT_SHELLS[0]).toBe('bash');
    expect(DEFAULT_SHELLS.at(-1)).toBe('sh');
    expect(SHELL_SCRIPT).toContain('exec "$s" -l');
    expect(SHELL_SCRIPT.trim().split('\n').at(-1)).toBe('exec sh -l');
  });

  it('refuses ids and shells that are not plain names', () => {
    for (const bad of ['', '-it', '--privileged', 'web; rm -rf /', '$(reboot)', 'a b', 'x\ny', '../etc']) {
      expect(() => execShellArgs(bad), bad).toThrow(/not a container id or name/);
      expect(() => attachArgs(bad), bad).toThrow(/not a container id or name/);
    }
    for (const bad of ['-c', 'bash -c id', 'sh;id', '$SHELL', '', 'relative/path']) {
      expect(() => execShellArgs(id, [bad]), bad).toThrow(/not a shell name/);
    }
  });

  it('is a script sh can parse', async () => {
    await expect(run('/bin/sh', ['-n', '-c', SHELL_SCRIPT])).resolves.toBeDefined();
  });

  describe('the script, run by a local sh with stub commands', () => {
    /** Runs SHELL_SCRIPT with only `bin` on PATH; `id` answers a uid that /etc/passwd does not have. */
    async function runScript(bin: string, shells: string[]): Promise<{ stdout: string; code: number }> {
      executable(join(bin, 'id'), '#!/bin/sh\necho 987654\n');
      try {
        const { stdout } = await run('/bin/sh', ['-c', SHELL_SCRIPT, 'dockhand-shell', ...shells], { env: { PATH: bin } });
        return { stdout, code: 0 };
      } catch (error) {
        const { stdout = '', code } = error as { stdout?: string; code?: number };
        return { stdout, code: code ?? -1 };
      }
    }

    it('execs the first shell that exists, as a login shell', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      executable(join(bin, 'ash'), '#!/bin/sh\necho "ash $*"\n');
      executable(join(bin, 'sh'), '#!/bin/sh\necho "sh $*"\n');
      expect((await runScript(bin, ['bash', 'zsh', 'ash', 'sh'])).stdout).toBe('ash -l\n');
    });

    it('falls back to sh when no listed shell exists', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      executable(join(bin, 'sh'), '#!/bin/sh\necho "sh $*"\n');
      expect((await runScript(bin, ['bash', 'zsh'])).stdout).toBe('sh -l\n');
    });

    it('passes shell names as data: a name with shell syntax is only looked up, never run', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      executable(join(bin, 'sh'), '#!/bin/sh\necho "sh $*"\n');
      // Not reachable through execShellArgs (it refuses such names); the script must be safe anyway.
      expect((await runScript(bin, ['$(echo pwned)', 'x;echo pwned'])).stdout).toBe('sh -l\n');
    });
  });
});

describe('attachArgs', () => {
  it('attaches without proxying signals, with ctrl-p ctrl-q to detach', () => {
    expect(attachArgs('abc123')).toEqual(['attach', '--sig-proxy=false', '--detach-keys', 'ctrl-p,ctrl-q', '--', 'abc123']);
  });
});

describe('findExecutable / findDockerCli', () => {
  it('finds the first executable docker on PATH', () => {
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    mkdirSync(first);
    mkdirSync(second);
    const docker = executable(join(second, 'docker'));
    writeFileSync(join(first, 'docker'), 'not executable');
    expect(findDockerCli({ PATH: [first, second].join(delimiter) })).toBe(docker);
  });

  it('skips directories named docker, relative and empty PATH entries', () => {
    const bin = join(dir, 'bin');
    mkdirSync(join(bin, 'docker'), { recursive: true });
    expect(findDockerCli({ PATH: ['', '.', 'bin', bin].join(delimiter) })).toBeUndefined();
  });

  it('says undefined without a PATH, and accepts an explicit path', () => {
    expect(findDockerCli({})).toBeUndefined();
    const docker = executable(join(dir, 'docker'));
    expect(findExecutable(docker, {})).toBe(docker);
    expect(findExecutable(join(dir, 'nope'), {})).toBeUndefined();
  });

  it('names what to install when it is missing', () => {
    expect(dockerCliMissing('shell')).toBe('the docker CLI is needed for a shell: install docker.io / docker-ce-cli');
    expect(dockerCliMissing('attach')).toBe('the docker CLI is needed to attach: install docker.io / docker-ce-cli');
  });
});

describe('cliSessionOutcome', () => {
  it('reads a detach by ctrl-p ctrl-q, which the CLI reports as exit 1 and "read escape sequence"', () => {
    expect(cliSessionOutcome({ exitCode: 1, stderrTail: 'read escape sequence' })).toEqual({ outcome: 'detached' });
  });

  it('reads a normal end, a failure the CLI explained, and a bare exit status', () => {
    expect(cliSessionOutcome({ exitCode: 0 })).toEqual({ outcome: 'ended', exitCode: 0 });
    expect(cliSessionOutcome({ exitCode: 1, stderrTail: 'Error response from daemon: Container abc is not running' }))
      .toEqual({ outcome: 'failed', reason: 'Error response from daemon: Container abc is not running' });
    expect(cliSessionOutcome({ exitCode: 130 })).toEqual({ outcome: 'ended', exitCode: 130 });
  });

  it('reads a child that never ran, or was killed', () => {
    expect(cliSessionOutcome({ exitCode: null, error: 'cannot run docker: EACCES' })).toEqual({ outcome: 'failed', reason: 'cannot run docker: EACCES' });
    expect(cliSessionOutcome({ exitCode: null, signal: 'SIGKILL' })).toEqual({ outcome: 'killed', signal: 'SIGKILL' });
  });
});
