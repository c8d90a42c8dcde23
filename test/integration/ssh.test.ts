// dockhand against an engine reached over ssh://, through an sshd of the test's own on 127.0.0.1
// (test/support/sshd.ts) that forwards to the shared engine's socket: one SSH connection for
// everything, a clear message for each way ssh can refuse, and the link back after sshd restarts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, ConnectError } from '../../src/engine/connect.js';
import { ContainerStore } from '../../src/engine/container-store.js';
import { dockerCliArgs } from '../../src/engine/docker-cli.js';
import { DockerEngine } from '../../src/engine/docker-engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { inspect, removeTestContainers, requireEngine, runContainer, waitFor } from '../support/docker.js';
import { TestSshd } from '../support/sshd.js';

const run = promisify(execFile);
const HOME = '/nonexistent';
/** The promise made to users: a failure explained within 5 s. */
const EXPLAINED_WITHIN_MS = 5000;

let sshd: TestSshd;
const engines: Engine[] = [];

beforeAll(async () => {
  await requireEngine();
  // Two sessions per connection and two unauthenticated connections at once: a client that
  // opened a session (or a connection) per request would be refused long before 20 requests.
  sshd = await TestSshd.start({ maxSessions: 2, maxStartups: '2' });
}, 60_000);

afterEach(() => {
  vi.unstubAllEnvs();
  for (const engine of engines.splice(0)) if (engine instanceof DockerEngine) engine.close();
});

afterAll(async () => {
  await sshd?.destroy();
  await removeTestContainers();
});

/** Connects to the test sshd's engine with `wrapper` as the ssh program (DOCKHAND_SSH). */
async function connectOverSsh(wrapper = sshd.wrapper, url = sshd.url): Promise<Engine> {
  vi.stubEnv('DOCKHAND_SSH', wrapper);
  const engine = await connect(resolveEndpoint({ host: url, env: {}, homeDir: HOME }));
  engines.push(engine);
  return engine;
}

/** Connects and expects a ConnectError, within the time promised; returns it. */
async function failure(wrapper: string, url = sshd.url): Promise<ConnectError> {
  const started = Date.now();
  const error = await connectOverSsh(wrapper, url).then(() => undefined, (e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(EXPLAINED_WITHIN_MS);
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

/** Logins sshd accepted so far: one per SSH connection. */
function acceptedLogins(): number {
  return (sshd.log().match(/Accepted publickey for root/g) ?? []).length;
}

describe('an engine over ssh://', () => {
  it('lists, pauses and resumes a container, and still names the ssh:// URL', async () => {
    const container = await runContainer();
    const engine = await connectOverSsh();
    expect(engine.info.endpoint).toMatchObject({ kind: 'ssh', url: sshd.url });
    expect(engine.info.serverApiVersion).toMatch(/^1\.\d+$/);

    const rows = await engine.listContainers();
    expect(rows.find((row) => row.id === container.id)).toMatchObject({ name: container.name, state: 'running' });

    await engine.containerAction(container.id, 'pause');
    expect((await inspect(container.id)).State.Paused).toBe(true);
    expect((await engine.inspectContainer(container.id)).state).toBe('paused');
    await engine.containerAction(container.id, 'unpause');
    expect((await inspect(container.id)).State.Paused).toBe(false);
  });

  it('carries 20 concurrent requests and an event stream over one SSH connection', async () => {
    const container = await runContainer();
    const loginsBefore = acceptedLogins();
    const engine = await connectOverSsh();
    const events = new AbortController();
    try {
      const stream = await engine.openEvents(events.signal);
      const seen: EngineEvent[] = [];
      const reading = (async () => {
        for await (const event of stream) seen.push(event);
      })();
      const inspected = await Promise.all(Array.from({ length: 20 }, () => engine.inspectContainer(container.id)));
      expect(inspected.every((details) => details.id === container.id)).toBe(true);
      await engine.containerAction(container.id, 'pause');
      await waitFor(() => seen.some((event) => event.id === container.id && event.action === 'pause'), {
        message: 'the pause event through the tunnel',
      });
      await engine.containerAction(container.id, 'unpause');
      events.abort();
      await reading;
    } finally {
      events.abort();
    }
    // MaxSessions=2, MaxStartups=2: only channels of one connection get this far.
    expect(acceptedLogins() - loginsBefore).toBe(1);
  });

  it('is reached by the docker CLI with the arguments dockhand gives it for exec and attach', async () => {
    const container = await runContainer();
    const endpoint = resolveEndpoint({ host: sshd.url, env: {}, homeDir: HOME });
    const { args, env } = dockerCliArgs(endpoint, process.env);
    expect(args).toEqual(['-H', sshd.url]);
    // The docker CLI runs `ssh` from PATH (it has no DOCKHAND_SSH): put the test's wrapper there.
    const bin = mkdtempSync(join(tmpdir(), 'dh-ssh-bin-'));
    try {
      symlinkSync(sshd.wrapper, join(bin, 'ssh'));
      const { stdout } = await run('docker', [...args, 'inspect', '--format', '{{.Name}}', container.id], {
        env: { ...env, PATH: `${bin}:${env['PATH'] ?? ''}` },
        timeout: 15_000,
      });
      expect(stdout.trim()).toBe(`/${container.name}`);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('works again after sshd was stopped and started, through the store\'s reconnecting', async () => {
    const container = await runContainer();
    const engine = await connectOverSsh();
    const store = new ContainerStore(engine, { pingIntervalMs: 1000 });
    store.start();
    try {
      await waitFor(() => store.getSnapshot().containers.some((c) => c.id === container.id), { message: 'the container listed' });

      await sshd.stop();
      await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', {
        timeoutMs: 5000, message: 'reconnecting after sshd was stopped',
      });
      // While sshd is down each retry starts ssh again, and says why it fails. The first answer may
      // still be the old connection's end ("was lost"); a retry after it must find nobody there.
      const refused = `connection refused by 127.0.0.1:${sshd.port}: no ssh server listens there`;
      const seen: string[] = [];
      await waitFor(async () => {
        const failed = await engine.ping().then(() => undefined, (e: Error) => e);
        seen.push(failed?.message ?? 'answered');
        return failed?.message === refused;
      }, { timeoutMs: 5000, message: `no retry said "${refused}" (${seen.join(' | ')})` });
      expect(seen.every((m) => m === refused || m.startsWith(`the ssh connection to 127.0.0.1:${sshd.port} was lost`))).toBe(true);

      await sshd.start();
      const later = await runContainer();
      await waitFor(() => {
        const snapshot = store.getSnapshot();
        return snapshot.connection.status === 'connected' && snapshot.containers.some((c) => c.id === later.id);
      }, { timeoutMs: 10_000, message: 'connected again with a fresh list once sshd was back' });
      expect((await engine.inspectContainer(later.id)).state).toBe('running');
    } finally {
      store.stop();
      // The tests after this one need the sshd, whatever happened here.
      await sshd.start().catch(() => undefined);
    }
  }, 30_000);
});

describe('ssh:// failures, each explained within 5 s', () => {
  it('refuses a host whose key is not the one in known_hosts', async () => {
    const error = await failure(sshd.wrapperWith({ knownHosts: sshd.knownHostsWithAnotherKey() }));
    expect(error.reason).toMatch(new RegExp(`^the host key of 127\\.0\\.0\\.1:${sshd.port} has changed: it is not the one in \\S+:1$`));
    expect(error.fix).toContain('ssh-keygen');
    expect(error.fix).toContain('dockhand never accepts a host key by itself');
    expect(error.message).toBe(`Cannot connect to the Docker engine at ${sshd.url}: ${error.reason}`);
  });

  it('refuses a host that is not in known_hosts, and says how to add it', async () => {
    const error = await failure(sshd.wrapperWith({ knownHosts: '/dev/null' }));
    expect(error.reason).toBe(`127.0.0.1:${sshd.port} is not in known_hosts, and dockhand never accepts a host key by itself`);
    expect(error.fix).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ~/.ssh/known_hosts`);
  });

  it('says the login was refused for a key the host does not accept', async () => {
    const error = await failure(sshd.wrapperWith({ identityFile: sshd.unauthorisedKey() }));
    expect(error.reason).toBe(`127.0.0.1:${sshd.port} refused the login of root (it accepts: publickey)`);
    expect(error.fix).toContain('ssh-add');
    expect(error.fix).toContain('~root/.ssh/authorized_keys');
  });

  it('says no engine listens at the socket the URL names on the remote host', async () => {
    const error = await failure(sshd.wrapper, `${sshd.url}/run/nothing-here.sock`);
    expect(error.reason).toBe(
      'no Docker engine at /run/nothing-here.sock on 127.0.0.1 (is Docker installed and running? is root in the docker group?)',
    );
    expect(error.fix).toContain('sudo usermod -aG docker root');
  });

  it('says nothing listens when no sshd does', async () => {
    const stopped = await TestSshd.start();
    const url = stopped.url;
    const wrapper = stopped.wrapper;
    await stopped.stop();
    try {
      const error = await failure(wrapper, url);
      expect(error.reason).toBe(`connection refused by 127.0.0.1:${stopped.port}: no ssh server listens there`);
    } finally {
      await stopped.destroy();
    }
  });

  it('names the ssh program that cannot be run', async () => {
    const error = await failure('/nonexistent/ssh');
    expect(error.reason).toBe('the ssh program "/nonexistent/ssh" cannot be run (ENOENT)');
    expect(error.fix).toContain('DOCKHAND_SSH');
  });
});
