import { describe, expect, it } from 'vitest';
import { findProblems, newProblems, nextProblem, problemKeys, problemNotice, type Problem } from '../../src/engine/problems.js';
import { RestartHistory } from '../../src/engine/restart-history.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { makeContainer } from '../support/fake-engine.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const MINUTE = 60_000;

function die(id: string, atMs: number): EngineEvent {
  return { type: 'container', action: 'die', id, attributes: { exitCode: '1' }, time: Math.floor(atMs / 1000), timeNano: `${BigInt(atMs) * 1_000_000n}` };
}

const quiet = new RestartHistory();

describe('findProblems', () => {
  it('finds the unhealthy, the OOM-killed and the restart-looping, with a reason each', () => {
    const history = new RestartHistory();
    const loop = makeContainer({ name: 'loop', state: 'restarting' });
    for (const minutesAgo of [8, 5, 1]) history.record(die(loop.id, NOW - minutesAgo * MINUTE));
    const rows = [
      makeContainer({ name: 'fine', health: 'healthy' }),
      makeContainer({ name: 'sick', health: 'unhealthy' }),
      { ...makeContainer({ name: 'oom', state: 'exited', exitCode: 137 }), oomKilled: true },
      makeContainer({ name: 'killed', state: 'exited', exitCode: 137 }),
      loop,
    ];
    expect(findProblems(rows, history, NOW).map(({ name, kinds, reason, severity }) => ({ name, kinds, reason, severity }))).toEqual([
      { name: 'sick', kinds: ['unhealthy'], reason: 'unhealthy: its health check fails', severity: 'warning' },
      { name: 'oom', kinds: ['oom'], reason: 'killed by the out-of-memory killer (exit 137)', severity: 'error' },
      { name: 'loop', kinds: ['restartLoop'], reason: 'restart loop: died 3 times in 10 minutes', severity: 'error' },
    ]);
  });

  it('lists a container once with all of its problems, the loop first', () => {
    const history = new RestartHistory();
    const row = { ...makeContainer({ name: 'web', health: 'unhealthy' }), host: 'h1' };
    for (const minutesAgo of [3, 2, 1]) history.record(die(row.id, NOW - minutesAgo * MINUTE));
    expect(findProblems([row], history, NOW)).toEqual([{
      id: row.id, name: 'web', host: 'h1', kinds: ['restartLoop', 'unhealthy'],
      reason: 'restart loop: died 3 times in 10 minutes; unhealthy: its health check fails', severity: 'error',
    }]);
  });

  it('forgets a restart loop once its deaths are older than the window', () => {
    const history = new RestartHistory();
    const row = makeContainer({ name: 'web' });
    for (const minutesAgo of [3, 2, 1]) history.record(die(row.id, NOW - minutesAgo * MINUTE));
    expect(findProblems([row], history, NOW + 8 * MINUTE)).toEqual([]);
  });

  it('does not count an OOM kill of a container that runs again', () => {
    expect(findProblems([{ ...makeContainer({ name: 'back' }), oomKilled: true }], quiet, NOW)).toEqual([]);
  });
});

describe('new problems', () => {
  const sick = makeContainer({ name: 'sick', health: 'unhealthy' });
  const oom = { ...makeContainer({ name: 'oom', state: 'exited', exitCode: 137 }), oomKilled: true };

  it('are the container and kind pairs not known before', () => {
    const before = problemKeys(findProblems([sick], quiet, NOW));
    const now = findProblems([sick, oom], quiet, NOW);
    expect(newProblems(now, before).map((p) => p.name)).toEqual(['oom']);
    expect(newProblems(now, problemKeys(now))).toEqual([]);
  });

  it('are announced in a few words', () => {
    const [one, two] = findProblems([sick, oom], quiet, NOW) as [Problem, Problem];
    expect(problemNotice([one])).toBe('sick turned unhealthy');
    expect(problemNotice([two])).toBe('oom was killed by the out-of-memory killer');
    expect(problemNotice([{ ...one, kinds: ['restartLoop', 'unhealthy'] }])).toBe('sick is restart-looping and turned unhealthy');
    expect(problemNotice([one, two])).toBe('2 new problems: sick, oom');
  });
});

describe('nextProblem', () => {
  const problem = (id: string): Problem => ({ id, name: id, kinds: ['unhealthy'], reason: '', severity: 'warning' });
  const problems = [problem('c'), problem('a')];
  const order = ['a', 'b', 'c', 'd'];

  it('is the first problem below the current container, in list order, wrapping around', () => {
    expect(nextProblem(problems, order, undefined)?.id).toBe('a');
    expect(nextProblem(problems, order, 'a')?.id).toBe('c');
    expect(nextProblem(problems, order, 'b')?.id).toBe('c');
    expect(nextProblem(problems, order, 'c')?.id).toBe('a');
    expect(nextProblem(problems, order, 'd')?.id).toBe('a');
  });

  it('is undefined without problems', () => {
    expect(nextProblem([], order, 'a')).toBeUndefined();
  });
});
