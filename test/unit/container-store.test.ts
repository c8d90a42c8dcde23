// When the live list asks the engine again: what an event changes, and what it cannot.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { waitFor } from '../support/docker.js';
import { containerEvent, FakeEngine, makeContainer } from '../support/fake-engine.js';

const THROTTLE_MS = 5;
const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function listed(engine: FakeEngine): Promise<ContainerStore> {
  const store = new ContainerStore(engine, { refreshThrottleMs: THROTTLE_MS, minBackoffMs: 5, maxBackoffMs: 20 });
  store.start();
  stops.push(() => store.stop());
  await waitFor(() => store.getSnapshot().connection.status === 'connected', { message: 'the first list' });
  return store;
}

describe('ContainerStore re-listing on health events', () => {
  it('lists again when the health changes, not for each probe that finds it as listed (Podman reports every probe)', async () => {
    const engine = new FakeEngine();
    const row = makeContainer({ name: 'api', health: 'healthy' });
    engine.addContainer(row);
    await listed(engine);
    const lists = vi.spyOn(engine, 'listContainers');

    for (let i = 0; i < 3; i++) engine.emit(containerEvent('health_status: healthy', row));
    await sleep(THROTTLE_MS * 10);
    expect(lists).not.toHaveBeenCalled();

    engine.emit(containerEvent('health_status: unhealthy', row));
    await waitFor(() => lists.mock.calls.length === 1, { message: 'a list after the change' });
  });
});
