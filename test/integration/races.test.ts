// Containers removed, renamed and recreated from outside while dockhand reads them, on the real
// engine: a log follower and a stats stream of a container that goes end cleanly and say so,
// actions by id never reach the container that took an old one's name, and the successor of a
// selected container is the one a person would point at (its name, or its Compose identity).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { isNotFound } from '../../src/engine/errors.js';
import { LogBuffer } from '../../src/engine/log-buffer.js';
import { LogFollower } from '../../src/engine/log-follow.js';
import { StatsSampler } from '../../src/engine/stats-sampler.js';
import type { ContainerRow } from '../../src/engine/types.js';
import { actionRefusal } from '../../src/hooks/useContainerActions.js';
import { successorOf } from '../../src/views/selection.js';
import { docker, inspect, removeTestContainers, runContainer, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';
import { uniqueName } from '../support/dockhand.js';

let engine: Engine;
let store: ContainerStore;

beforeAll(async () => {
  engine = await connectTestEngine();
  store = new ContainerStore(engine);
  store.start();
  await waitFor(() => store.getSnapshot().loaded, { message: 'the container store to load', timeoutMs: 10_000 });
});

afterAll(async () => {
  store?.stop();
  await removeTestContainers();
});

const TICKING = ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done'];
const listed = (id: string) => store.getSnapshot().containers.find((c) => c.id === id);

async function rowOf(id: string): Promise<ContainerRow> {
  const row = (await engine.listContainers()).find((c) => c.id === id);
  if (!row) throw new Error(`${id} is not listed`);
  return row;
}

describe('a container removed while it is read', () => {
  it('its followed log ends with "The container was removed." and the follower asks nothing more', async () => {
    const { id } = await runContainer({ cmd: TICKING, args: ['--stop-timeout', '1'] });
    const buffer = new LogBuffer();
    let requests = 0;
    const counting: Pick<Engine, 'logs' | 'inspectContainer'> = {
      logs: (...args) => { requests += 1; return engine.logs(...args); },
      inspectContainer: (...args) => { requests += 1; return engine.inspectContainer(...args); },
    };
    const follower = new LogFollower(counting, { id, tty: false, tail: 10, buffer, subscribeEvents: (listener) => store.onEvent(listener) });
    follower.start();
    try {
      await waitFor(() => buffer.slice().some((e) => e.kind === 'line' && e.plain.startsWith('tick')), { message: 'the log streaming' });
      await docker('rm', '--force', id);
      await waitFor(() => buffer.slice().at(-1)?.plain === 'The container was removed.', { message: 'the removal said' });
      // How it ended before that: killed by the removal. Never the daemon's "No such container".
      expect(buffer.slice().filter((e) => e.kind === 'notice').map((e) => e.plain)).toEqual(['The container was removed.']);
      const asked = requests;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(requests).toBe(asked);
    } finally {
      follower.stop();
    }
  });

  it('its stats stream ends, opening it again says not found (the Stats tab stops quietly), and the sampler goes on with the rest', async () => {
    const gone = await runContainer({ args: ['--stop-timeout', '1'] });
    const stays = await runContainer();
    const controller = new AbortController();
    const samples = await engine.streamStats(gone.id, controller.signal);
    const reading = (async () => {
      let count = 0;
      try {
        for await (const _ of samples) count += 1;
        return { count, ended: 'closed' as const };
      } catch (err) {
        return { count, ended: 'failed' as const, err };
      }
    })();
    const sampler = new StatsSampler(engine, { pauseMs: 200 });
    sampler.setTargets([gone.id, stays.id]);
    try {
      await waitFor(() => sampler.getSnapshot().has(gone.id) && sampler.getSnapshot().has(stays.id), { timeoutMs: 10_000, message: 'figures for both' });
      await docker('rm', '--force', gone.id);
      // The daemon ends a removed container's stream; either way the reader is not left hanging.
      const outcome = await Promise.race([
        reading,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000)),
      ]);
      expect(outcome, 'the stream of a removed container did not end').toBeDefined();
      const reopened = await engine.streamStats(gone.id, new AbortController().signal).then(() => undefined, (err: unknown) => err);
      expect(isNotFound(reopened)).toBe(true);
      // A round without it: the other container keeps its figures, the removed one has none.
      await waitFor(() => !sampler.getSnapshot().has(gone.id) && sampler.getSnapshot().has(stays.id), {
        timeoutMs: 10_000, message: 'a round after the removal',
      });
    } finally {
      controller.abort();
      sampler.stop();
    }
  });
});

describe('a container recreated under its name', () => {
  it('an action by the old id is refused as not found and leaves the new container alone', async () => {
    const name = uniqueName('rec');
    const old = await runContainer({ name, args: ['--stop-timeout', '1'] });
    await waitFor(() => listed(old.id), { message: 'the old container listed' });
    const oldRow = listed(old.id);
    await docker('rm', '--force', old.id);
    const fresh = await runContainer({ name });
    await waitFor(() => listed(fresh.id) && !listed(old.id), { message: 'the new container listed in its stead' });

    // The dialog's `y` goes through here: the list says the old one went, before the engine is asked.
    expect(actionRefusal(store.getSnapshot(), { id: old.id, name })).toBe(`${name} no longer exists: nothing was done`);
    // And should the list lag, the engine answers by id: not found, nothing done to the namesake.
    const refused = await engine.containerAction(old.id, 'stop').then(() => undefined, (err: unknown) => err);
    expect(isNotFound(refused)).toBe(true);
    expect((await inspect(fresh.id)).State.Running).toBe(true);
    // The selection's successor: the container that took its name.
    expect(successorOf(oldRow as ContainerRow, store.getSnapshot().containers)?.id).toBe(fresh.id);
  });

  it('renamed, it is the same container: listed under the new name, with its id', async () => {
    const { id, name } = await runContainer({ name: uniqueName('ren') });
    await waitFor(() => listed(id)?.name === name, { message: 'listed' });
    await docker('rename', name, `${name}-2`);
    await waitFor(() => listed(id)?.name === `${name}-2`, { message: 'listed under its new name' });
  });

  it('recreated the way Compose does it, the successor is the new container at every step', async () => {
    const project = uniqueName('cmp');
    const labels = {
      'com.docker.compose.project': project, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1',
    };
    const name = `${project}-web-1`;
    const old = await runContainer({ name, labels, args: ['--stop-timeout', '1'] });
    const oldRow = await rowOf(old.id);

    // Compose v2: the new container under a temporary name, the old one removed, the new one renamed.
    const labelArgs = Object.entries({ ...labels, [TEST_LABEL]: '1' }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const fresh = await docker('create', '--name', `${old.id.slice(0, 12)}_${name}`, ...labelArgs, TEST_IMAGE, 'sleep', '3600');
    await docker('rm', '--force', old.id);
    expect(successorOf(oldRow, await engine.listContainers())?.id).toBe(fresh);
    await docker('rename', fresh, name);
    await docker('start', fresh);
    expect(successorOf(oldRow, await engine.listContainers())?.id).toBe(fresh);

    // Compose v1: the old one renamed first (the selection follows it by id), then removed.
    const renamedRow = await (async () => {
      await docker('rename', fresh, `${fresh.slice(0, 12)}_${name}`);
      return rowOf(fresh);
    })();
    const newer = await docker('run', '-d', '--name', name, ...labelArgs, TEST_IMAGE, 'sleep', '3600');
    await docker('rm', '--force', fresh);
    expect(successorOf(renamedRow, await engine.listContainers())?.id).toBe(newer);
  });
});
