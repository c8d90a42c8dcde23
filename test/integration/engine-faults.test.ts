// The engine room through the faults an engine has besides a crash (reconnect.test.ts): a graceful
// restart, its socket removed while dockerd runs on, and requests made while it is gone. Each on
// a private dockerd of this file's own, which may be stopped, killed and started at will.
import { renameSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect.js';
import { ContainerStore, onReconnected } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { describeEngineError, unreachableReason } from '../../src/engine/errors.js';
import { LogBuffer } from '../../src/engine/log-buffer.js';
import { LogFollower } from '../../src/engine/log-follow.js';
import { actionRefusal } from '../../src/hooks/useContainerActions.js';
import { docker, requireEngine, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { PrivateEngine } from '../support/private-engine.js';

let privateEngine: PrivateEngine;
const stores: ContainerStore[] = [];
const followers: LogFollower[] = [];

beforeAll(async () => {
  await requireEngine();
  privateEngine = await PrivateEngine.start();
}, 90_000);

afterEach(async () => {
  for (const store of stores.splice(0)) store.stop();
  for (const follower of followers.splice(0)) follower.stop();
  // The next test starts on an engine that answers, whatever this one left behind.
  await privateEngine.stop();
  rmSync(`${privateEngine.socketPath}.moved`, { force: true });
  await privateEngine.launch();
}, 90_000);

afterAll(async () => {
  await privateEngine?.destroy();
}, 60_000);

/**
 * A container on the private engine: busybox as PID 1 ignores SIGTERM, so a 1 s stop timeout
 * keeps a graceful engine stop short. Restarted by the engine when `always`.
 */
async function runOn(host: string, opts: { always?: boolean; cmd?: string[] } = {}): Promise<string> {
  return docker('-H', host, 'run', '-d', '--network', 'none', '--label', `${TEST_LABEL}=1`, '--stop-timeout', '1',
    ...(opts.always ? ['--restart', 'always'] : []), TEST_IMAGE, ...(opts.cmd ?? ['sleep', '3600']));
}

async function startStore(pingIntervalMs = 1000): Promise<{ engine: Engine; store: ContainerStore }> {
  const engine = await connect(resolveEndpoint({ host: privateEngine.host, env: {}, homeDir: '/nonexistent' }));
  const store = new ContainerStore(engine, { pingIntervalMs });
  stores.push(store);
  store.start();
  await waitFor(() => store.getSnapshot().loaded, { message: 'the first list' });
  return { engine, store };
}

const stateOf = (store: ContainerStore, id: string) => store.getSnapshot().containers.find((c) => c.id === id)?.state;

/** The store's state while the engine is away: reconnecting, for a reason put in words. */
function reconnectingReason(store: ContainerStore): string | undefined {
  const { connection } = store.getSnapshot();
  return connection.status === 'reconnecting' ? connection.reason : undefined;
}

describe('ContainerStore through engine faults', () => {
  it('a graceful restart (SIGTERM): reconnecting on the last list, then a fresh list with the states the restart left', async () => {
    const { store } = await startStore();
    const stopped = await runOn(privateEngine.host);
    await waitFor(() => stateOf(store, stopped) === 'running', { message: 'the container listed running' });

    await privateEngine.stop();
    // While it is away the list is the last one seen, and the header says why in words.
    const reason = await waitFor(() => {
      const why = reconnectingReason(store);
      return why === 'the engine\'s socket does not exist' ? why : undefined;
    }, { timeoutMs: 10_000, message: 'reconnecting because the engine\'s socket is gone' });
    expect(reason).not.toMatch(/ENOENT|ECONNREFUSED/);
    expect(store.getSnapshot().containers.map((c) => c.id)).toContain(stopped);

    await privateEngine.launch();
    // The engine stopped the container as it shut down: the fresh list says so.
    await waitFor(() => store.getSnapshot().connection.status === 'connected' && stateOf(store, stopped) === 'exited', {
      timeoutMs: 5000, message: 'connected with a fresh list within 5 s of the engine being back',
    });
    const later = await runOn(privateEngine.host);
    await waitFor(() => stateOf(store, later) === 'running', { message: 'a container made after the restart listed' });
  }, 120_000);

  it('its socket removed while dockerd runs on: the first list that fails ends the live view, without waiting for a ping', async () => {
    // A ping a minute: what notices here is the re-list an event asks for.
    const { store } = await startStore(60_000);
    const before = await runOn(privateEngine.host);
    await waitFor(() => stateOf(store, before) === 'running', { message: 'the container listed' });

    // The socket's name goes, dockerd and the store's open event stream stay: the test reaches
    // dockerd through the socket's new name, and what it does there arrives as an event. A
    // connection kept alive from before still reaches dockerd until it idles out (Node closes a
    // free one after 5 s): events further apart than that make lists that need a new one.
    const moved = `${privateEngine.socketPath}.moved`;
    renameSync(privateEngine.socketPath, moved);
    const during: string[] = [];
    await waitFor(async () => {
      if (reconnectingReason(store) === 'the engine\'s socket does not exist') return true;
      during.push(await runOn(`unix://${moved}`));
      return false;
    }, { timeoutMs: 30_000, intervalMs: 6000, message: 'reconnecting once a list could not reach the engine' });
    // The last list stays (it could not be read afresh), retried with a growing backoff.
    expect(store.getSnapshot().containers.map((c) => c.id)).toEqual(expect.arrayContaining([before]));
    await waitFor(() => {
      const { connection } = store.getSnapshot();
      return connection.status === 'reconnecting' && connection.attempt >= 3 && connection.nextRetryMs > 250;
    }, { timeoutMs: 5000, message: 'retries with a growing delay' });

    // dockerd restarted: its socket is back where it belongs.
    await privateEngine.stop();
    rmSync(moved, { force: true });
    await privateEngine.launch();
    await waitFor(() => store.getSnapshot().connection.status === 'connected'
      && [before, ...during].every((id) => stateOf(store, id) === 'exited'), {
      timeoutMs: 5000, message: 'a fresh list within 5 s of the engine being back, the container made meanwhile in it',
    });
  }, 120_000);

  it('its socket removed while requests keep a kept-alive connection busy: the ping, on a connection of its own, notices', async () => {
    const { engine, store } = await startStore();
    // What the stats sampler does on a real screen: a request every moment, so the connection
    // kept alive never idles out and every list and stats reading still gets through.
    const busy = new AbortController();
    const keepBusy = (async () => {
      while (!busy.signal.aborted) {
        await engine.listContainers().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      renameSync(privateEngine.socketPath, `${privateEngine.socketPath}.moved`);
      await waitFor(() => reconnectingReason(store) === 'the engine\'s socket does not exist', {
        timeoutMs: 5000, message: 'reconnecting, told by a ping a second',
      });
    } finally {
      busy.abort();
      await keepBusy;
    }
  }, 60_000);
});

describe('requests made while the engine is gone', () => {
  it('an action, an inspect and stats fail in words, and the action is refused before it is sent', async () => {
    const { engine, store } = await startStore();
    const id = await runOn(privateEngine.host);
    await waitFor(() => stateOf(store, id) === 'running', { message: 'the container listed' });
    const row = store.getSnapshot().containers.find((c) => c.id === id);
    expect(actionRefusal(store.getSnapshot(), { id, name: row?.name ?? '' })).toBeUndefined();

    await privateEngine.kill();
    const failures = await Promise.all([
      engine.containerAction(id, 'stop').then(() => undefined, (err: unknown) => err),
      engine.inspectContainer(id).then(() => undefined, (err: unknown) => err),
      engine.streamStats(id, new AbortController().signal).then(() => undefined, (err: unknown) => err),
      engine.logs(id, { tail: 10, follow: true, timestamps: true, tty: false }, new AbortController().signal)
        .then(() => undefined, (err: unknown) => err),
    ]);
    for (const failure of failures) {
      expect(failure).toBeDefined();
      // Nothing listens at the socket a killed dockerd left behind, or its file is gone.
      expect(unreachableReason(failure)).toMatch(/^(nothing listens at the engine's address|the engine's socket does not exist)$/);
      expect(describeEngineError(failure)).not.toMatch(/ECONNREFUSED|ENOENT|\n\s+at /);
    }

    await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', { message: 'reconnecting' });
    expect(actionRefusal(store.getSnapshot(), { id, name: row?.name ?? '' }))
      .toBe(`${row?.name}: nothing done, the engine cannot be reached (reconnecting)`);
  }, 120_000);

  it('a log opened while the engine is gone says so, and goes on as soon as the engine is back', async () => {
    const { engine, store } = await startStore();
    // Restarted by the engine when it comes back, saying so in its log.
    const id = await runOn(privateEngine.host, { always: true, cmd: ['sh', '-c', 'echo started; exec sleep 3600'] });
    await waitFor(() => stateOf(store, id) === 'running', { message: 'the container listed' });

    await privateEngine.kill();
    await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', { message: 'reconnecting' });
    const buffer = new LogBuffer();
    // Its own retries a minute apart: only the store's reconnect can bring it back in time.
    const follower = new LogFollower(engine, {
      id, tty: false, tail: 100, buffer, retryDelayMs: 60_000,
      subscribeEvents: (listener) => store.onEvent(listener),
      subscribeReconnected: (listener) => onReconnected(store, listener),
    });
    followers.push(follower);
    follower.start();
    const notice = await waitFor(() => buffer.slice().find((e) => e.kind === 'notice'), { message: 'a notice' });
    expect(notice.plain).toMatch(/^(Nothing listens at the engine's address|The engine's socket does not exist): the log goes on once the engine is back\.$/);

    await privateEngine.launch();
    await waitFor(() => buffer.slice().filter((e) => e.kind === 'line' && e.plain === 'started').length === 2, {
      timeoutMs: 5000, message: 'the log, the line of the restart included, within 5 s of the engine being back',
    });
    expect(buffer.slice().filter((e) => e.kind === 'notice')).toHaveLength(1);
  }, 120_000);
});
