import { describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect.js';
import { ContainerStore } from '../../src/engine/container-store.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { waitFor } from '../support/docker.js';
import { usePrivateEngine, type PrivateEngine } from '../support/private-engine.js';

let privateEngine: PrivateEngine;

usePrivateEngine((started) => {
  privateEngine = started;
});

describe('ContainerStore across an engine restart', () => {
  it('shows reconnecting while the engine is down and a fresh list once it is back', async () => {
    const engine = await connect(resolveEndpoint({ host: privateEngine.host, env: {}, homeDir: '/nonexistent' }));
    const store = new ContainerStore(engine, { pingIntervalMs: 1000 });
    store.start();
    try {
      const before = await privateEngine.run();
      await waitFor(() => store.getSnapshot().containers.some((c) => c.id === before), { message: 'first container not listed' });

      await privateEngine.kill();
      await waitFor(() => store.getSnapshot().connection.status === 'reconnecting', {
        timeoutMs: 3000, message: 'no reconnecting state after dockerd was killed',
      });

      await privateEngine.launch();
      const after = await privateEngine.run();
      const backAt = Date.now();
      await waitFor(() => {
        const snapshot = store.getSnapshot();
        return snapshot.connection.status === 'connected' && snapshot.containers.some((c) => c.id === after);
      }, { timeoutMs: 5000, message: 'not reconnected with a fresh list within 5 s of the engine being back' });
      expect(Date.now() - backAt).toBeLessThan(5000);
    } finally {
      store.stop();
    }
  }, 90_000);
});
