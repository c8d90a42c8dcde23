// Actions on every container of a project or service: which containers, a few at a time, and
// every failure in the daemon's words.
import { describe, expect, it } from 'vitest';
import { EngineRequestError } from '../../src/engine/errors.js';
import { actOnContainers, actionTargets, pauseToggleAction } from '../../src/engine/project-actions.js';
import type { ContainerAction, ContainerRow } from '../../src/engine/types.js';

const row = (name: string, state: ContainerRow['state']) => ({ id: `id-${name}`, name, state });
const containers = [row('up', 'running'), row('held', 'paused'), row('down', 'exited'), row('new', 'created'), row('looping', 'restarting')];
const names = (list: ReadonlyArray<{ name: string }>) => list.map((c) => c.name);

describe('actionTargets', () => {
  it.each([
    ['start', ['down', 'new']],
    ['stop', ['up', 'held', 'looping']],
    ['pause', ['up']],
    ['unpause', ['held']],
    ['restart', ['up', 'held', 'down', 'new', 'looping']],
    ['remove', ['up', 'held', 'down', 'new', 'looping']],
  ] as const)('%s', (action, expected) => {
    expect(names(actionTargets(containers, action))).toEqual(expected);
  });

  it('p pauses while anything runs, else unpauses', () => {
    expect(pauseToggleAction(containers)).toBe('pause');
    expect(pauseToggleAction([row('held', 'paused'), row('down', 'exited')])).toBe('unpause');
  });
});

describe('actOnContainers', () => {
  const targets = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `shop-web-${i}` }));

  it('acts on every target by id, in parallel but never more than the bound at once', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: Array<[string, ContainerAction]> = [];
    const engine = {
      containerAction: async (id: string, action: ContainerAction) => {
        seen.push([id, action]);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5 + (Number(id.slice(1)) % 3) * 5));
        inFlight -= 1;
      },
    };
    const report = await actOnContainers(engine, targets, 'stop', { concurrency: 3 });
    expect(most).toBe(3);
    expect(seen.map(([id]) => id).sort()).toEqual(targets.map((t) => t.id).sort());
    expect(seen.every(([, action]) => action === 'stop')).toBe(true);
    // Reported in the order given, whatever order the engine answered in.
    expect(report.done).toEqual(targets);
    expect(report.failed).toEqual([]);
  });

  it('keeps going past a refusal and reports each in the daemon’s words; 304 is done, 404 is gone', async () => {
    const engine = {
      containerAction: async (id: string) => {
        if (id === 'c1') throw new EngineRequestError('You cannot remove a running container c1. Stop the container before attempting removal or force remove', 409);
        if (id === 'c2') throw new EngineRequestError('container already stopped', 304);
        if (id === 'c3') throw new EngineRequestError('No such container: c3', 404);
      },
    };
    const report = await actOnContainers(engine, targets.slice(0, 5), 'remove', { action: { remove: { force: false, removeVolumes: true } } });
    expect(names(report.done)).toEqual(['shop-web-0', 'shop-web-2', 'shop-web-4']);
    expect(names(report.gone)).toEqual(['shop-web-3']);
    expect(report.failed).toEqual([{
      id: 'c1', name: 'shop-web-1',
      message: 'You cannot remove a running container c1. Stop the container before attempting removal or force remove',
    }]);
  });

  it('passes the options on to every call', async () => {
    const options: unknown[] = [];
    await actOnContainers({ containerAction: async (_id, _action, o) => { options.push(o); } }, targets.slice(0, 2), 'remove', {
      action: { remove: { force: true, removeVolumes: true } },
    });
    expect(options).toEqual([{ remove: { force: true, removeVolumes: true } }, { remove: { force: true, removeVolumes: true } }]);
  });

  it('with nothing to do, does nothing', async () => {
    expect(await actOnContainers({ containerAction: async () => { throw new Error('not called'); } }, [], 'start'))
      .toEqual({ action: 'start', done: [], gone: [], failed: [] });
  });
});
