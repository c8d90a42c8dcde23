// Following a Swarm service's log with the LogFollower: the service's log, not a container's, and
// its end when the service is removed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { LogBuffer } from '../../src/engine/log-buffer.js';
import { LogFollower } from '../../src/engine/log-follow.js';
import { waitFor } from '../support/docker.js';
import { FakeEngine } from '../support/fake-engine.js';

const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function texts(buffer: LogBuffer): string[] {
  return Array.from({ length: buffer.length }, (_, i) => buffer.at(i)?.plain ?? '');
}

describe('LogFollower on a Swarm service', () => {
  it('reads the service log, never inspects a container, and ends when the service is removed', async () => {
    const engine = new FakeEngine();
    engine.swarm.init();
    const web = engine.swarm.addService({ name: 'web', replicas: 2 });
    engine.swarm.logs.set(web.id, [
      { stream: 'stdout', text: '#1@fake-node │ hello', time: '2026-11-26T00:00:01.000000001Z' },
      { stream: 'stderr', text: '#2@fake-node │ oops', time: '2026-11-26T00:00:01.000000002Z' },
    ]);
    const store = new ContainerStore(engine, { refreshThrottleMs: 1 });
    store.start();
    stops.push(() => store.stop());
    await waitFor(() => engine.subscriberCount === 1, { message: 'the event subscription' });
    const inspect = vi.spyOn(engine, 'inspectContainer');
    const buffer = new LogBuffer();
    const follower = new LogFollower(engine, {
      id: web.id, subject: 'service', tty: false, tail: 100, buffer, subscribeEvents: (listener) => store.onEvent(listener),
    });
    follower.start();
    stops.push(() => follower.stop());

    await waitFor(() => buffer.length === 2, { message: 'the service log' });
    expect(texts(buffer)).toEqual(['#1@fake-node │ hello', '#2@fake-node │ oops']);

    await engine.removeService(web.id);
    await waitFor(() => texts(buffer).includes('The service was removed.'), { message: 'the end of the service' });
    expect(inspect).not.toHaveBeenCalled();
  });
});
