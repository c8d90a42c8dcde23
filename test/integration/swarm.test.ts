// Swarm on a real engine of the test's own (a swarm changes the whole engine: never the shared one):
// first standalone, then after `docker swarm init`, with a 2-replica service of the test image.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect.js';
import type { Engine } from '../../src/engine/engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { toEngineError } from '../../src/engine/errors.js';
import type { LogLine } from '../../src/engine/log-stream.js';
import { isOutOfSequence } from '../../src/engine/swarm.js';
import { docker, TEST_IMAGE, waitFor } from '../support/docker.js';
import type { PrivateEngine } from '../support/private-engine.js';
import { createService, initSwarm, replicasOf, usePrivateEngine } from '../support/swarm.js';

const WEB = `dh-web-${randomBytes(2).toString('hex')}`;
const TALKER = `dh-talk-${randomBytes(2).toString('hex')}`;
/** Tasks start within seconds here; the margin is for a loaded machine. */
const CONVERGE_MS = 20_000;

const privateEngineOf = usePrivateEngine();
let privateEngine: PrivateEngine;
let engine: Engine;

beforeAll(async () => {
  privateEngine = privateEngineOf();
  engine = await connect(resolveEndpoint({ host: privateEngine.host, env: {}, homeDir: '/nonexistent' }));
});

async function service(name: string) {
  return (await engine.listServices()).find((s) => s.name === name);
}

async function runningTasks(serviceId: string): Promise<number> {
  return (await engine.listTasks(serviceId)).filter((t) => t.state === 'running' && t.desiredState === 'running').length;
}

describe('an engine outside a swarm', () => {
  it('is no manager, and refuses to list services', async () => {
    expect(await engine.swarmStatus()).toEqual({ state: 'inactive', manager: false, nodeId: '' });
    const refusal = await engine.listServices().then(() => undefined, (err: unknown) => toEngineError(err));
    expect(refusal?.statusCode).toBe(503);
    expect(refusal?.message).toContain('not a swarm manager');
  });
});

describe('a single-node swarm', () => {
  beforeAll(async () => {
    await initSwarm(privateEngine);
    await createService(privateEngine, WEB, 2);
  }, 60_000);

  it('says this engine is the manager', async () => {
    const status = await engine.swarmStatus();
    expect(status).toMatchObject({ state: 'active', manager: true });
    expect(status.nodeId).not.toBe('');
  });

  it('lists the 2-replica service as 2/2 once its tasks run', async () => {
    const web = await waitFor(async () => {
      const row = await service(WEB);
      return row?.running === 2 ? row : undefined;
    }, { timeoutMs: CONVERGE_MS, intervalMs: 250, message: `${WEB} at 2/2` });
    expect(web).toMatchObject({ mode: 'replicated', replicas: 2, desired: 2, image: expect.stringContaining('dockhand-test/busybox') });
  }, 30_000);

  it('scales to 3 with the version shown: the engine reports 3 replicas and 3 running tasks', async () => {
    const web = await service(WEB);
    if (!web) throw new Error(`${WEB} is not listed`);
    await engine.scaleService(web.id, 3, web.version);
    expect(await replicasOf(privateEngine, WEB)).toBe(3);
    await waitFor(async () => (await runningTasks(web.id)) === 3, { timeoutMs: CONVERGE_MS, intervalMs: 250, message: '3 running tasks' });
    const tasks = (await engine.listTasks(web.id)).filter((t) => t.desiredState === 'running');
    expect(tasks.map((t) => t.slot).sort()).toEqual([1, 2, 3]);
    expect(tasks.every((t) => t.node !== '' && t.containerId !== '')).toBe(true);
    expect(await service(WEB)).toMatchObject({ running: 3, desired: 3, replicas: 3 });
  }, 30_000);

  it('refuses an update made against a version that moved on, and changes nothing', async () => {
    const web = await service(WEB);
    if (!web) throw new Error(`${WEB} is not listed`);
    await engine.scaleService(web.id, 3, web.version);
    const refusal = await engine.scaleService(web.id, 5, web.version).then(() => undefined, (err: unknown) => err);
    expect(isOutOfSequence(refusal)).toBe(true);
    expect(await replicasOf(privateEngine, WEB)).toBe(3);
  });

  it('never scales a global service (that would make it a replicated one)', async () => {
    const id = await docker('-H', privateEngine.host, 'service', 'create', '--detach', '--no-resolve-image', '--mode', 'global',
      '--name', `${WEB}-global`, TEST_IMAGE, 'sleep', '3600');
    const global = (await engine.listServices()).find((s) => s.id === id);
    if (!global) throw new Error('the global service is not listed');
    expect(global).toMatchObject({ mode: 'global', replicas: undefined });
    await expect(engine.scaleService(id, 3, global.version)).rejects.toThrow('is not a replicated service');
    expect(await docker('-H', privateEngine.host, 'service', 'inspect', '--format', '{{if .Spec.Mode.Global}}global{{end}}', id)).toBe('global');
    await engine.removeService(id);
  });

  it('lists the one node as manager and leader, and sets its availability by version', async () => {
    const [node, ...others] = await engine.listNodes();
    expect(others).toEqual([]);
    expect(node).toMatchObject({ role: 'manager', leader: true, status: 'ready', availability: 'active', reachability: 'reachable' });
    expect(node?.engineVersion).not.toBe('');
    if (!node) return;
    await engine.setNodeAvailability(node.id, 'pause', node.version);
    expect((await engine.listNodes())[0]?.availability).toBe('pause');
    const stale = await engine.setNodeAvailability(node.id, 'drain', node.version).then(() => undefined, (err: unknown) => err);
    expect(isOutOfSequence(stale)).toBe(true);
    const paused = (await engine.listNodes())[0];
    if (paused) await engine.setNodeAvailability(paused.id, 'active', paused.version);
    expect((await engine.listNodes())[0]?.availability).toBe('active');
  });

  it('reads a service log with each line labelled by its task', async () => {
    const id = await createService(privateEngine, TALKER, 2, ['sh', '-c', 'echo "hello from $(hostname)"; sleep 3600']);
    const read = async () => {
      const lines: LogLine[] = [];
      const controller = new AbortController();
      for await (const line of await engine.serviceLogs(id, { tail: 10, follow: false, timestamps: true, tty: false }, controller.signal)) lines.push(line);
      return lines;
    };
    const lines = await waitFor(async () => {
      const got = await read();
      return got.length >= 2 ? got : undefined;
    }, { timeoutMs: CONVERGE_MS, intervalMs: 500, message: 'a line from each task' });
    expect(lines.map((l) => l.text).sort()).toEqual([
      expect.stringMatching(/^#1@\S+ │ hello from [0-9a-f]{12}$/),
      expect.stringMatching(/^#2@\S+ │ hello from [0-9a-f]{12}$/),
    ]);
    expect(lines.every((l) => l.stream === 'stdout' && l.time !== undefined)).toBe(true);
  }, 30_000);

  it('removes a service', async () => {
    const talker = await service(TALKER);
    if (!talker) throw new Error(`${TALKER} is not listed`);
    await engine.removeService(talker.id);
    expect(await service(TALKER)).toBeUndefined();
  });
});
