import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { SwarmStore, type SwarmKind } from '../../src/engine/swarm-store.js';
import { waitFor } from '../support/docker.js';
import { containerEvent, FakeEngine, makeContainer } from '../support/fake-engine.js';

const THROTTLE_MS = 30;
const SETTLE_INTERVAL_MS = 60;
/** Long enough for a throttled re-list to have happened, were one scheduled. */
const QUIET_MS = THROTTLE_MS * 4;

const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A started store on a swarm manager, its first list in. */
async function ready<K extends SwarmKind>(kind: K, engine = new FakeEngine()) {
  if (!engine.swarm.status.manager) engine.swarm.init();
  const containers = new ContainerStore(engine, { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  containers.start();
  stops.push(() => containers.stop());
  await waitFor(() => engine.subscriberCount === 1, { message: 'the event subscription' });
  const store = new SwarmStore(engine, containers, kind, { refreshThrottleMs: THROTTLE_MS, settleIntervalMs: SETTLE_INTERVAL_MS });
  stops.push(() => store.stop());
  store.start();
  await waitFor(() => store.getSnapshot().status === 'ready', { message: 'the first list' });
  return { engine, containers, store };
}

describe('SwarmStore', () => {
  it('lists services with their running and desired tasks, and follows service events', async () => {
    const engine = new FakeEngine();
    engine.swarm.init();
    const web = engine.swarm.addService({ name: 'web', replicas: 2 });
    const { store } = await ready('services', engine);
    expect(store.getSnapshot().rows.map((s) => [s.name, s.running, s.desired])).toEqual([['web', 2, 2]]);

    const list = vi.spyOn(engine, 'listServices');
    await engine.scaleService(web.id, 3, web.version);
    await waitFor(() => store.getSnapshot().rows[0]?.desired === 3, { message: 'the scaled service' });
    engine.swarm.addService({ name: 'api' });
    await waitFor(() => store.getSnapshot().rows.length === 2, { message: 'the new service' });
    await sleep(QUIET_MS);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('reads an unsettled list again until it settles: task changes have no events', async () => {
    const engine = new FakeEngine();
    engine.swarm.init();
    const web = engine.swarm.addService({ name: 'web', replicas: 2 });
    engine.swarm.setTaskState(web.id, 2, 'preparing');
    const { store } = await ready('services', engine);
    expect(store.getSnapshot().rows[0]).toMatchObject({ running: 1, desired: 2 });

    engine.swarm.setTaskState(web.id, 2, 'running');
    await waitFor(() => store.getSnapshot().rows[0]?.running === 2, { timeoutMs: SETTLE_INTERVAL_MS * 5, message: 'the task running, without an event' });
    const list = vi.spyOn(engine, 'listServices');
    await sleep(SETTLE_INTERVAL_MS * 3);
    expect(list).not.toHaveBeenCalled();
  });

  it('lists again when a task container of this node starts or dies, not for other containers', async () => {
    const { engine } = await ready('services');
    const list = vi.spyOn(engine, 'listServices');
    const plain = makeContainer({ name: 'plain' });
    engine.emit(containerEvent('die', plain));
    await sleep(QUIET_MS);
    expect(list).not.toHaveBeenCalled();
    engine.emit(containerEvent('die', makeContainer({ name: 'web.1.x', labels: { 'com.docker.swarm.service.id': 'svc' } })));
    await waitFor(() => list.mock.calls.length === 1, { message: 'a list after the task container died' });
  });

  it('follows node events, and keeps the last rows with the reason when a list fails', async () => {
    const { engine, store } = await ready('nodes');
    const [node] = store.getSnapshot().rows;
    if (!node) throw new Error('no node');
    expect(node).toMatchObject({ hostname: 'fake-node', leader: true, availability: 'active' });

    await engine.setNodeAvailability(node.id, 'drain', node.version);
    await waitFor(() => store.getSnapshot().rows[0]?.availability === 'drain', { message: 'the drained node' });

    engine.swarm.status = { state: 'inactive', manager: false, nodeId: '' };
    await store.refresh();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', rows: [{ hostname: 'fake-node' }] });
    expect(store.getSnapshot().error).toContain('not a swarm manager');
  });

  it('does nothing once stopped', async () => {
    const { engine, store } = await ready('services');
    store.stop();
    const list = vi.spyOn(engine, 'listServices');
    engine.swarm.addService({ name: 'late' });
    await store.refresh();
    await sleep(QUIET_MS);
    expect(list).not.toHaveBeenCalled();
  });
});
