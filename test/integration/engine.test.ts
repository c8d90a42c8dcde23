import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ConnectError } from '../../src/engine/connect.js';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { EngineRequestError } from '../../src/engine/errors.js';
import { StatsSampler } from '../../src/engine/stats-sampler.js';
import type { Endpoint } from '../../src/engine/types.js';
import { docker, inspect, removeTestContainers, runContainer, waitFor } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

let engine: Engine;

beforeAll(async () => {
  engine = await connectTestEngine();
});

afterAll(async () => {
  await removeTestContainers();
});

describe('DockerEngine on the real engine', () => {
  it('negotiates the API version down to what the engine speaks', async () => {
    const server = JSON.parse(await docker('version', '--format', '{{json .Server}}')) as { ApiVersion: string; Version: string };
    expect(engine.info.serverVersion).toBe(server.Version);
    expect(engine.info.serverApiVersion).toBe(server.ApiVersion);
    expect(engine.info.apiVersion).toBe(server.ApiVersion === '1.41' ? '1.41' : engine.info.apiVersion);
    expect(engine.info.product).toBe('Docker Engine');
  });

  it('lists a running container with its labels and an exited one with its exit code', async () => {
    const up = await runContainer({ labels: { 'com.docker.compose.project': 'itest', 'com.docker.compose.service': 'web' } });
    const down = await runContainer({ cmd: ['sh', '-c', 'exit 3'] });
    await waitFor(async () => (await inspect(down.id)).State.Status === 'exited', { message: 'container did not exit' });
    const rows = await engine.listContainers();
    const upRow = rows.find((r) => r.id === up.id);
    const downRow = rows.find((r) => r.id === down.id);
    expect(upRow).toMatchObject({ name: up.name, state: 'running', project: 'itest', service: 'web' });
    expect(downRow).toMatchObject({ name: down.name, state: 'exited', exitCode: 3 });
  });

  it('pauses, unpauses, stops, starts, kills and removes by id', async () => {
    const { id } = await runContainer();
    await engine.containerAction(id, 'pause');
    expect((await inspect(id)).State.Paused).toBe(true);
    await engine.containerAction(id, 'unpause');
    expect((await inspect(id)).State.Paused).toBe(false);
    await engine.containerAction(id, 'kill', { signal: 'SIGKILL' });
    expect((await inspect(id)).State).toMatchObject({ Running: false, ExitCode: 137 });
    await engine.containerAction(id, 'start');
    expect((await inspect(id)).State.Running).toBe(true);
    await engine.containerAction(id, 'remove', { remove: { force: true, removeVolumes: true } });
    await expect(engine.inspectContainer(id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('reports the daemon\'s own words when an action is refused', async () => {
    const { id } = await runContainer();
    const refusal = engine.containerAction(id, 'remove', { remove: { force: false, removeVolumes: false } });
    await expect(refusal).rejects.toBeInstanceOf(EngineRequestError);
    await expect(refusal).rejects.toThrow(/running container|stop the container/i);
    await expect(engine.containerAction('no-such-container-dockhand', 'start')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('inspects the details the side pane shows', async () => {
    const { id, name } = await runContainer({ args: ['--restart', 'on-failure:2', '-p', '127.0.0.1::80'] });
    const details = await engine.inspectContainer(id);
    expect(details).toMatchObject({ id, name, state: 'running', restartPolicy: 'on-failure:2', command: 'sleep 3600' });
    expect(details.ports).toEqual([expect.objectContaining({ privatePort: 80, ip: '127.0.0.1', type: 'tcp' })]);
  });
});

describe('ContainerStore on the real engine', () => {
  it('shows a container started, paused and removed from outside without polling', async () => {
    const store = new ContainerStore(engine);
    store.start();
    try {
      await waitFor(() => store.getSnapshot().loaded, { message: 'store never loaded' });
      const started = Date.now();
      const { id } = await runContainer();
      await waitFor(() => store.getSnapshot().containers.some((c) => c.id === id && c.state === 'running'), {
        timeoutMs: 1000, message: 'new container not listed within 1 s',
      });
      expect(Date.now() - started).toBeLessThan(2000);
      await docker('pause', id);
      await waitFor(() => store.getSnapshot().containers.find((c) => c.id === id)?.state === 'paused', {
        timeoutMs: 1000, message: 'pause not seen within 1 s',
      });
      await docker('rm', '-f', id);
      await waitFor(() => !store.getSnapshot().containers.some((c) => c.id === id), {
        timeoutMs: 1000, message: 'removal not seen within 1 s',
      });
      expect(store.getSnapshot().connection.status).toBe('connected');
    } finally {
      store.stop();
    }
  });
});

describe('StatsSampler on the real engine', () => {
  it('measures a busy container near its half-core limit and an idle one near zero, as docker stats does', async () => {
    // Capped at half a core, so the figure does not depend on how busy the machine is.
    const busy = await runContainer({ args: ['--cpus', '0.5'], cmd: ['sh', '-c', 'while :; do :; done'] });
    const idle = await runContainer();
    const sampler = new StatsSampler(engine, { pauseMs: 200 });
    sampler.setTargets([busy.id, idle.id]);
    try {
      const figures = await waitFor(() => {
        const snapshot = sampler.getSnapshot();
        return snapshot.has(busy.id) && snapshot.has(idle.id) ? snapshot : undefined;
      }, { timeoutMs: 10_000, message: 'no stats figures within 10 s' });
      // A loop held to half a core: about 50% on docker stats's scale (N cores = N×100%).
      expect(figures.get(busy.id)?.cpuPercent).toBeGreaterThan(30);
      expect(figures.get(busy.id)?.cpuPercent).toBeLessThan(70);
      expect(figures.get(idle.id)?.cpuPercent).toBeLessThan(5);
      const memory = figures.get(idle.id)?.memoryUsed ?? 0;
      expect(memory).toBeGreaterThan(0);
      expect(memory).toBeLessThan(64 * 1024 * 1024);
    } finally {
      sampler.stop();
    }
  });
});

describe('first contact failures', () => {
  const endpointAt = (url: string): Endpoint => ({ ...resolveEndpoint({ host: url, env: {}, homeDir: '/nonexistent' }) });

  it('names a missing socket and says the engine is not running, within 5 s', async () => {
    const started = Date.now();
    const error = await connect(endpointAt('unix:///tmp/dockhand-no-such.sock')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).reason).toMatch(/\/tmp\/dockhand-no-such\.sock does not exist/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names a refused tcp endpoint', async () => {
    const error = await connect(endpointAt('tcp://127.0.0.1:1')).catch((e: unknown) => e);
    expect((error as ConnectError).reason).toMatch(/refused by 127\.0\.0\.1:1/);
  });
});
