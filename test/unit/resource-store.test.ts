import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { EngineRequestError } from '../../src/engine/errors.js';
import { ResourceStore, type ResourceKind } from '../../src/engine/resource-store.js';
import { waitFor } from '../support/docker.js';
import { containerEvent, FakeEngine, makeContainer, makeImage, makeNetwork, makeVolume } from '../support/fake-engine.js';

const THROTTLE_MS = 30;
/** Long enough for a throttled re-list to have happened, were one scheduled. */
const SETTLE_MS = THROTTLE_MS * 4;

const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function setup<K extends ResourceKind>(kind: K, engine = new FakeEngine()) {
  const containers = new ContainerStore(engine, { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  containers.start();
  stops.push(() => containers.stop());
  // The resource store hears events through the container store: let it subscribe first.
  await waitFor(() => engine.subscriberCount === 1, { message: 'the event subscription' });
  const store = new ResourceStore(engine, containers, kind, { refreshThrottleMs: THROTTLE_MS });
  stops.push(() => store.stop());
  return { engine, containers, store };
}

/** A started store whose first list has arrived. */
async function ready<K extends ResourceKind>(kind: K, engine = new FakeEngine()) {
  const parts = await setup(kind, engine);
  parts.store.start();
  await waitFor(() => parts.store.getSnapshot().status === 'ready', { message: 'the first list' });
  return parts;
}

function names(store: ResourceStore<'volumes'>): string[] {
  return store.getSnapshot().rows.map((v) => v.name).sort();
}

describe('ResourceStore', () => {
  it('lists nothing until started, then lists once', async () => {
    const engine = new FakeEngine();
    engine.volumes = [makeVolume({ name: 'data' })];
    const list = vi.spyOn(engine, 'listVolumes');
    const { store } = await setup('volumes', engine);
    await sleep(SETTLE_MS);
    expect(list).not.toHaveBeenCalled();
    expect(store.getSnapshot()).toEqual({ status: 'loading', rows: [] });

    store.start();
    await waitFor(() => store.getSnapshot().status === 'ready', { message: 'the first list' });
    expect(names(store)).toEqual(['data']);
    expect(store.getSnapshot().loadedAt).toBeGreaterThan(0);
    await sleep(SETTLE_MS);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('answers a burst of relevant events with one list, and ignores other events', async () => {
    const { engine, store } = await ready('volumes');
    const list = vi.spyOn(engine, 'listVolumes');
    engine.addVolume(makeVolume({ name: 'a' }));
    engine.addVolume(makeVolume({ name: 'b' }));
    engine.emit(containerEvent('create', makeContainer()));
    engine.addVolume(makeVolume({ name: 'c' }));
    await waitFor(() => names(store).length === 3, { message: 'the three volumes' });
    await sleep(SETTLE_MS);
    expect(names(store)).toEqual(['a', 'b', 'c']);
    expect(list).toHaveBeenCalledTimes(1);

    // Health probes (exec), a started container and an image pull change no volume list.
    const row = makeContainer();
    engine.emit(containerEvent('exec_start: sh -c true', row));
    engine.emit(containerEvent('start', row));
    engine.addImage(makeImage());
    await sleep(SETTLE_MS);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('does no work while stopped, and lists afresh when started again', async () => {
    const { engine, store } = await ready('volumes');
    const list = vi.spyOn(engine, 'listVolumes');
    store.stop();

    engine.addVolume(makeVolume({ name: 'unseen' }));
    await store.refresh();
    await sleep(SETTLE_MS);
    expect(list).not.toHaveBeenCalled();
    expect(names(store)).toEqual([]);

    store.start();
    await waitFor(() => names(store).includes('unseen'), { message: 'the fresh list' });
  });

  it('drops the answer of a list that was in flight when stopped', async () => {
    const { engine, store } = await setup('volumes');
    engine.volumes = [makeVolume({ name: 'late' })];
    let answer: () => void = () => undefined;
    vi.spyOn(engine, 'listVolumes').mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => { answer = resolve; });
      return [];
    });
    store.start();
    store.stop();
    answer();
    await sleep(SETTLE_MS);
    expect(store.getSnapshot().status).toBe('loading');
  });

  it('keeps the last rows when a list fails, says why, and recovers on the next list', async () => {
    const engine = new FakeEngine();
    engine.volumes = [makeVolume({ name: 'kept' })];
    const { store } = await ready('volumes', engine);
    const list = vi.spyOn(engine, 'listVolumes');
    const { loadedAt } = store.getSnapshot();

    list.mockRejectedValueOnce(new EngineRequestError('the daemon is busy', 500));
    await store.refresh();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'the daemon is busy', loadedAt });
    expect(names(store)).toEqual(['kept']);

    await store.refresh();
    expect(store.getSnapshot().status).toBe('ready');
    expect(store.getSnapshot().error).toBeUndefined();
  });

  it('lists afresh when the engine is back after a disconnection', async () => {
    const { engine, containers, store } = await ready('volumes');
    engine.disconnect();
    await waitFor(() => containers.getSnapshot().connection.status === 'reconnecting', { message: 'the reconnecting state' });
    // Made while the engine was away: no event will ever tell of it.
    engine.volumes.push(makeVolume({ name: 'while-away' }));
    engine.reconnect();
    await waitFor(() => names(store).includes('while-away'), { message: 'the list after the reconnection' });
  });

  it('keeps images current through image events and the containers created from them', async () => {
    const { engine, store } = await ready('images');
    engine.addImage(makeImage({ tags: ['web:latest'] }));
    await waitFor(() => store.getSnapshot().rows.length === 1, { message: 'the pulled image' });
    engine.addContainer(makeContainer({ name: 'web-1', image: 'web:latest', state: 'created' }));
    await waitFor(() => store.getSnapshot().rows[0]?.containers.length === 1, { message: 'the image in use' });
    engine.removeContainer('web-1');
    await engine.removeImage('web:latest');
    await waitFor(() => store.getSnapshot().rows.length === 0, { message: 'the removed image' });
  });

  it('lists an image Podman built, which it tells of by a build event only', async () => {
    const { engine, store } = await ready('images');
    engine.images.push(makeImage({ tags: ['built:1'] }));
    engine.emit({ type: 'image', action: 'build', id: 'b'.repeat(64), attributes: { name: 'b'.repeat(64) }, time: 0, timeNano: '0' });
    await waitFor(() => store.getSnapshot().rows.length === 1, { message: 'the built image' });
  });

  it('keeps networks current through network events and containers starting and dying', async () => {
    const row = makeContainer({ name: 'web', state: 'created' });
    const { engine, store } = await ready('networks', new FakeEngine([row]));
    engine.addNetwork(makeNetwork({ name: 'shop', attached: [{ id: row.id, ipv4: '172.20.0.2' }] }));
    await waitFor(() => store.getSnapshot().rows.some((n) => n.name === 'shop'), { message: 'the new network' });
    const shop = () => store.getSnapshot().rows.find((n) => n.name === 'shop');
    expect(shop()?.containers).toEqual([]);
    await engine.containerAction(row.id, 'start');
    await waitFor(() => shop()?.containers.length === 1, { message: 'the endpoint of the started container' });
    await engine.containerAction(row.id, 'stop');
    await waitFor(() => shop()?.containers.length === 0, { message: 'no endpoint once it died' });
    await engine.removeNetwork('shop');
    await waitFor(() => shop() === undefined, { message: 'the removed network' });
  });
});
