// What an engine that cannot be reached, and containers that go under the user's choice, come to
// in words and in the live list, without a real engine (test/integration/engine-faults.test.ts
// and races.test.ts have the real one).
import { describe, expect, it } from 'vitest';
import { ContainerStore, onReconnected, type ContainerSnapshot } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { describeEngineError, EngineRequestError, toEngineError, unreachableReason } from '../../src/engine/errors.js';
import type { ContainerRow, EngineEvent } from '../../src/engine/types.js';
import { actionRefusal, noLongerExists } from '../../src/hooks/useContainerActions.js';
import { waitFor } from '../support/docker.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

/** What Node rejects a request with when the socket file is gone, as DockerEngine passes it on. */
const noSocket = () => toEngineError(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {
  code: 'ENOENT', errno: -2, syscall: 'connect', address: '/var/run/docker.sock',
}));

describe('unreachableReason and describeEngineError', () => {
  it('put a failed connection in words, by its code', () => {
    expect(unreachableReason(noSocket())).toBe('the engine\'s socket does not exist');
    expect(unreachableReason(Object.assign(new Error('connect ECONNREFUSED /x.sock'), { code: 'ECONNREFUSED' })))
      .toBe('nothing listens at the engine\'s address');
    expect(unreachableReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('the connection to the engine was lost');
    expect(describeEngineError(noSocket())).toBe('the engine\'s socket does not exist');
  });

  it('leave the daemon\'s answers, cancellations and unknown codes to the daemon\'s words', () => {
    const answered = new EngineRequestError('No such container: abc', 404, 'ENOENT');
    expect(unreachableReason(answered)).toBeUndefined();
    expect(describeEngineError(answered)).toBe('No such container: abc');
    expect(unreachableReason(Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }))).toBeUndefined();
    expect(unreachableReason(Object.assign(new Error('odd'), { code: 'constructor' }))).toBeUndefined();
    expect(unreachableReason(new Error('no code'))).toBeUndefined();
  });
});

describe('actionRefusal', () => {
  const row = makeContainer({ name: 'web' });
  const snapshot = (patch: Partial<ContainerSnapshot>): ContainerSnapshot => ({
    containers: [row], connection: { status: 'connected' }, loaded: true, ...patch,
  });

  it('lets an action on a listed container of a connected engine go', () => {
    expect(actionRefusal(snapshot({}), row)).toBeUndefined();
  });

  it('refuses while the engine is away: the list is only the last one seen', () => {
    const away = snapshot({ connection: { status: 'reconnecting', reason: 'gone', attempt: 2, nextRetryMs: 500 } });
    expect(actionRefusal(away, row)).toBe('web: nothing done, the engine cannot be reached (reconnecting)');
  });

  it('refuses a container that left the list since it was chosen', () => {
    expect(actionRefusal(snapshot({ containers: [] }), row)).toBe(noLongerExists('web'));
    expect(noLongerExists('web')).toBe('web no longer exists: nothing was done');
  });

  it('in a fleet, asks about the container\'s own host', () => {
    const onEdge = { ...row, id: `edge/${row.id}`, host: 'edge' };
    const hosts = [
      { name: 'here', url: 'unix:///var/run/docker.sock', state: { status: 'connected' as const } },
      { name: 'edge', url: 'ssh://edge', state: { status: 'reconnecting' as const, reason: 'gone' } },
    ];
    const fleet = snapshot({ containers: [onEdge], hosts });
    expect(actionRefusal(fleet, onEdge)).toMatch(/the engine cannot be reached/);
    const back = snapshot({ containers: [onEdge], hosts: hosts.map((h) => ({ ...h, state: { status: 'connected' as const } })) });
    expect(actionRefusal(back, onEdge)).toBeUndefined();
  });
});

/** An engine whose event stream stays open while every list fails (its socket was removed). */
class SocketGoneEngine {
  readonly info = new FakeEngine().info;
  listFails = false;
  lists = 0;
  private push: ((event: EngineEvent) => void) | undefined;

  async ping(): Promise<void> {}
  async listContainers(): Promise<ContainerRow[]> {
    this.lists += 1;
    if (this.listFails) throw noSocket();
    return [makeContainer({ name: 'web' })];
  }
  async inspectContainer(): Promise<never> {
    throw new EngineRequestError('not here', 404);
  }
  async openEvents(signal: AbortSignal): Promise<AsyncIterable<EngineEvent>> {
    if (this.listFails) throw noSocket();
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    this.push = (event) => { queue.push(event); wake?.(); };
    signal.addEventListener('abort', () => wake?.());
    return (async function* () {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else await new Promise<void>((resolve) => { wake = resolve; });
      }
    })();
  }
  emit(event: EngineEvent): void {
    this.push?.(event);
  }
}

describe('ContainerStore when its engine cannot be reached', () => {
  it('a list that cannot reach the engine ends the live view though the event stream still flows', async () => {
    const engine = new SocketGoneEngine();
    // No ping within the test: the failed list is what tells.
    const store = new ContainerStore(engine as unknown as Engine, { pingIntervalMs: 3_600_000, minBackoffMs: 10_000 });
    store.start();
    try {
      await waitFor(() => store.getSnapshot().loaded, { message: 'the first list' });
      engine.listFails = true;
      engine.emit({ type: 'container', action: 'create', id: 'x', attributes: {}, time: 0, timeNano: '0' } as EngineEvent);
      await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', { message: 'reconnecting' });
      const { connection, containers } = store.getSnapshot();
      expect(connection.status === 'reconnecting' && connection.reason).toBe('the engine\'s socket does not exist');
      // The last list stays on screen.
      expect(containers.map((c) => c.name)).toEqual(['web']);
    } finally {
      store.stop();
    }
  });

  it('a long outage leaves no listener behind per retry (Node would warn on stderr, over the dashboard)', async () => {
    const engine = new SocketGoneEngine();
    engine.listFails = true;
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const store = new ContainerStore(engine as unknown as Engine, { minBackoffMs: 1, maxBackoffMs: 1 });
    store.start();
    try {
      await waitFor(() => {
        const { connection } = store.getSnapshot();
        return connection.status === 'reconnecting' && connection.attempt > 50;
      }, { message: 'fifty retries' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      store.stop();
      process.off('warning', onWarning);
    }
  });

  it('onReconnected calls back once the engine answers again, not while it stays up or down', async () => {
    const engine = new FakeEngine([makeContainer({ name: 'web' })]);
    const store = new ContainerStore(engine, { minBackoffMs: 5, maxBackoffMs: 5 });
    let calls = 0;
    const unsubscribe = onReconnected(store, () => { calls += 1; });
    store.start();
    try {
      await waitFor(() => store.getSnapshot().loaded, { message: 'the first list' });
      engine.addContainer(makeContainer({ name: 'api' }));
      await waitFor(() => store.getSnapshot().containers.length === 2, { message: 'a second list' });
      expect(calls).toBe(0);
      engine.disconnect();
      await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', { message: 'reconnecting' });
      expect(calls).toBe(0);
      engine.reconnect();
      await waitFor(() => calls === 1, { message: 'called once back' });
    } finally {
      unsubscribe();
      store.stop();
    }
  });
});
