import { describe, expect, it } from 'vitest';
import { RestartHistory } from '../../src/engine/restart-history.js';
import { diagnose, type Fact, type TriageHistory } from '../../src/engine/triage.js';
import type { ContainerDetails, EngineEvent } from '../../src/engine/types.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const MINUTE = 60_000;
const MIB = 1024 * 1024;
const QUIET: TriageHistory = { dies: 0, restartLooping: false };
/** What the engine reports for a time that never happened. */
const NEVER = '0001-01-01T00:00:00Z';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A running container without health check, started 5 minutes ago; override what the case is about. */
function details(partial: Partial<ContainerDetails> = {}): ContainerDetails {
  return {
    id: 'c0ffee', name: 'web', image: 'busybox', imageId: 'sha256:1', command: 'sleep 3600', entrypoint: '',
    created: iso(NOW - 10 * MINUTE), state: 'running', exitCode: 0, error: '', oomKilled: false, health: undefined,
    startedAt: iso(NOW - 5 * MINUTE), finishedAt: NEVER, restartCount: 0, restartPolicy: 'no', ports: [], mounts: [],
    labels: {}, tty: false, openStdin: false, env: [], healthFailingStreak: 0, healthLog: [], networks: [],
    limits: { memory: 0, cpus: 0, cpuShares: 0, pidsLimit: 0 }, raw: {},
    ...partial,
  };
}

/** An exited container that ran for 2 minutes and stopped 1 minute ago. */
function exited(exitCode: number, partial: Partial<ContainerDetails> = {}): ContainerDetails {
  return details({ state: 'exited', exitCode, startedAt: iso(NOW - 3 * MINUTE), finishedAt: iso(NOW - MINUTE), ...partial });
}

function fact(facts: Fact[], label: string): Fact | undefined {
  return facts.find((f) => f.label === label);
}

describe('diagnose: containers that stopped', () => {
  it('reads 137 with OOMKilled as the out-of-memory killer, with the memory limit as bytes', () => {
    const d = diagnose(exited(137, { oomKilled: true, limits: { memory: 16 * MIB, cpus: 0, cpuShares: 0, pidsLimit: 0 } }), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Exited with code 137: killed by the out-of-memory killer');
    expect(d.lines[0]).toMatch(/memory limit/);
    expect(fact(d.facts, 'Memory limit')).toEqual({ label: 'Memory limit', kind: 'bytes', value: 16 * MIB });
    expect(fact(d.facts, 'Exit code')).toEqual({ label: 'Exit code', kind: 'number', value: 137 });
    expect(fact(d.facts, 'Signal')).toBeUndefined();
  });

  it('blames the host when an OOM-killed container had no memory limit', () => {
    const d = diagnose(exited(137, { oomKilled: true }), QUIET, NOW);
    expect(d.lines[0]).toMatch(/no memory limit: the host ran out of memory/);
    expect(fact(d.facts, 'Memory limit')).toEqual({ label: 'Memory limit', kind: 'text', value: 'none' });
  });

  it('reads 137 without OOMKilled as a plain SIGKILL', () => {
    const d = diagnose(exited(137), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Exited with code 137: killed (SIGKILL)');
    expect(d.lines[0]).toMatch(/not by the out-of-memory killer: docker kill, or docker stop/);
    expect(fact(d.facts, 'Signal')).toMatchObject({ kind: 'text', value: 'SIGKILL' });
    expect(fact(d.facts, 'Memory limit')).toBeUndefined();
  });

  it('on Podman, reads 137 without OOMKilled as SIGKILL that may be the out-of-memory killer, with the limit', () => {
    // Podman 4.3 on cgroup v1, after `--memory 16m` was exceeded: State {ExitCode: 137, OOMKilled: false}, and no oom event.
    const d = diagnose(exited(137, { limits: { memory: 16 * MIB, cpus: 0, cpuShares: 0, pidsLimit: 0 } }), QUIET, NOW, 'podman');
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Exited with code 137: killed (SIGKILL)');
    expect(d.lines[0]).toBe('It was sent SIGKILL: by a kill, by a stop that timed out, or by the out-of-memory killer, which Podman does not always record.');
    expect(fact(d.facts, 'Memory limit')).toEqual({ label: 'Memory limit', kind: 'bytes', value: 16 * MIB });
    expect(fact(d.facts, 'Signal')).toMatchObject({ kind: 'text', value: 'SIGKILL' });
  });

  it('on Podman, still reads 137 with OOMKilled as the out-of-memory killer', () => {
    const d = diagnose(exited(137, { oomKilled: true }), QUIET, NOW, 'podman');
    expect(d.headline).toBe('Exited with code 137: killed by the out-of-memory killer');
  });

  it('says when it finished and how long it ran', () => {
    const d = diagnose(exited(1), QUIET, NOW);
    expect(d.headline).toBe('Exited with code 1: application error');
    expect(d.severity).toBe('error');
    expect(fact(d.facts, 'Finished')).toEqual({ label: 'Finished', kind: 'time', value: NOW - MINUTE });
    expect(fact(d.facts, 'Ran for')).toEqual({ label: 'Ran for', kind: 'duration', value: 2 * MINUTE });
  });

  it('is calm about a clean exit and only warns about a stop by SIGTERM or SIGINT', () => {
    expect(diagnose(exited(0), QUIET, NOW)).toMatchObject({ severity: 'ok', headline: 'Exited with code 0: finished successfully' });
    expect(diagnose(exited(143), QUIET, NOW)).toMatchObject({ severity: 'warning', headline: 'Exited with code 143: terminated (SIGTERM)' });
    expect(diagnose(exited(130), QUIET, NOW).severity).toBe('warning');
    expect(diagnose(exited(139), QUIET, NOW).severity).toBe('error');
  });

  it('shows a command that was not found with the engine\'s error verbatim', () => {
    const error = 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: '
      + 'exec: "nosuch": executable file not found in $PATH: unknown';
    const d = diagnose(details({ state: 'created', exitCode: 127, error, startedAt: NEVER }), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Could not start (exit code 127): command not found');
    expect(d.engineError).toBe(error);
    expect(d.lines[0]).toMatch(/does not exist/);
    expect(fact(d.facts, 'Finished')).toBeUndefined();
    expect(fact(d.facts, 'Ran for')).toBeUndefined();
  });

  it('says an exited container that never started could not start', () => {
    const d = diagnose(exited(126, { startedAt: NEVER, finishedAt: NEVER, error: 'permission denied' }), QUIET, NOW);
    expect(d.headline).toBe('Could not start (exit code 126): command cannot be invoked');
  });

  it('leaves out a finish time older than the start (the previous run\'s)', () => {
    const d = diagnose(exited(1, { finishedAt: iso(NOW - 4 * MINUTE) }), QUIET, NOW);
    expect(fact(d.facts, 'Finished')).toBeUndefined();
    expect(fact(d.facts, 'Ran for')).toBeUndefined();
  });

  it('has no engine error when the engine gave none', () => {
    expect(diagnose(exited(1), QUIET, NOW)).not.toHaveProperty('engineError');
  });
});

describe('diagnose: other states', () => {
  it('calls a created container without an error never started', () => {
    const d = diagnose(details({ state: 'created', startedAt: NEVER }), QUIET, NOW);
    expect(d).toMatchObject({ severity: 'ok', headline: 'Created, never started', lines: [] });
    expect(fact(d.facts, 'Exit code')).toBeUndefined();
  });

  it('explains the exit a restarting container is restarting after', () => {
    const d = diagnose(details({ state: 'restarting', exitCode: 1, restartPolicy: 'always', restartCount: 2, finishedAt: iso(NOW) }), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Restarting after exit code 1: application error');
    expect(fact(d.facts, 'Restart policy')).toEqual({ label: 'Restart policy', kind: 'text', value: 'always' });
    expect(fact(d.facts, 'Restart count')).toEqual({ label: 'Restart count', kind: 'number', value: 2 });
  });

  it('warns about a restarting container even after a clean exit', () => {
    const d = diagnose(details({ state: 'restarting', exitCode: 0, restartPolicy: 'always' }), QUIET, NOW);
    expect(d).toMatchObject({ severity: 'warning', headline: 'Restarting after exit code 0: finished successfully' });
  });

  it('calls a dead container an error that only removal fixes', () => {
    const d = diagnose(details({ state: 'dead', exitCode: 137, error: 'driver failed to remove root filesystem' }), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Dead after exit code 137: killed (SIGKILL)');
    expect(d.lines).toContain('The engine failed to stop or remove it; it can only be removed.');
    expect(d.engineError).toBe('driver failed to remove root filesystem');
  });

  it('warns that a paused container is frozen and says how long it has been up', () => {
    const d = diagnose(details({ state: 'paused' }), QUIET, NOW);
    expect(d).toMatchObject({ severity: 'warning', headline: 'Paused', lines: ['Its processes are frozen until it is unpaused.'] });
    expect(fact(d.facts, 'Up for')).toEqual({ label: 'Up for', kind: 'duration', value: 5 * MINUTE });
  });

  it('says a container is being removed', () => {
    expect(diagnose(details({ state: 'removing' }), QUIET, NOW)).toMatchObject({ severity: 'ok', headline: 'Being removed' });
  });
});

describe('diagnose: running containers', () => {
  it('gives a healthy running container a short headline, its start and uptime', () => {
    const d = diagnose(details(), QUIET, NOW);
    expect(d).toMatchObject({ severity: 'ok', headline: 'Running', lines: [], probes: [] });
    expect(fact(d.facts, 'Started')).toEqual({ label: 'Started', kind: 'time', value: NOW - 5 * MINUTE });
    expect(fact(d.facts, 'Up for')).toEqual({ label: 'Up for', kind: 'duration', value: 5 * MINUTE });
    expect(fact(d.facts, 'Exit code')).toBeUndefined();
    expect(fact(d.facts, 'Deaths (10 min)')).toBeUndefined();
    expect(diagnose(details({ health: 'healthy' }), QUIET, NOW)).toMatchObject({ severity: 'ok', headline: 'Running and healthy' });
    expect(diagnose(details({ health: 'starting' }), QUIET, NOW))
      .toMatchObject({ severity: 'ok', headline: 'Running, waiting for the first health check' });
  });

  it('puts a restart loop first, with the last exit code from the events', () => {
    const history: TriageHistory = { dies: 4, restartLooping: true, lastExitCode: 1 };
    const d = diagnose(details({ restartPolicy: 'always', restartCount: 4 }), history, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Restart loop: it died 4 times in the last 10 minutes');
    expect(d.lines).toEqual(['It last died with exit code 1: application error.']);
    expect(fact(d.facts, 'Deaths (10 min)')).toEqual({ label: 'Deaths (10 min)', kind: 'number', value: 4 });
  });

  it('counts recent deaths without calling two of them a loop', () => {
    const d = diagnose(details(), { dies: 2, restartLooping: false, lastExitCode: 0 }, NOW);
    expect(d).toMatchObject({ severity: 'ok', headline: 'Running', lines: ['It last died with exit code 0: finished successfully.'] });
  });

  it('keeps a restart loop as a line when the headline is the exit', () => {
    const d = diagnose(exited(1), { dies: 3, restartLooping: true }, NOW);
    expect(d.headline).toBe('Exited with code 1: application error');
    expect(d.lines).toContain('Restart loop: it died 3 times in the last 10 minutes.');
  });

  it('shows an unhealthy container\'s failing streak and probe outputs with their exit codes', () => {
    const start = NOW - 2000;
    const d = diagnose(details({
      health: 'unhealthy',
      healthFailingStreak: 3,
      healthLog: [
        { start: iso(start), end: iso(start + 40), exitCode: 1, output: 'probe-out\n' },
        { start: iso(start + 1000), end: iso(start + 2000), exitCode: -1, output: 'Health check exceeded timeout (1s)' },
      ],
    }), QUIET, NOW);
    expect(d.severity).toBe('error');
    expect(d.headline).toBe('Unhealthy: its health check failed 3 times in a row');
    expect(fact(d.facts, 'Health')).toEqual({ label: 'Health', kind: 'text', value: 'unhealthy' });
    expect(fact(d.facts, 'Failing checks')).toMatchObject({ kind: 'number', value: 3 });
    expect(d.probes).toEqual([
      { at: start, exitCode: 1, timedOut: false, output: 'probe-out' },
      { at: start + 1000, exitCode: -1, timedOut: true, output: 'Health check exceeded timeout (1s)' },
    ]);
  });

  it('leaves a probe\'s time out when the engine gave none it can read', () => {
    const d = diagnose(details({ health: 'starting', healthLog: [{ start: '', end: '', exitCode: 0, output: '' }] }), QUIET, NOW);
    expect(d.probes).toEqual([{ at: undefined, exitCode: 0, timedOut: false, output: '' }]);
  });

  it('warns about failing probes before the container turns unhealthy', () => {
    const d = diagnose(details({ health: 'healthy', healthFailingStreak: 2 }), QUIET, NOW);
    expect(d).toMatchObject({ severity: 'warning', headline: 'Its last 2 health checks failed; more failures will make it unhealthy' });
  });

  it('reports a stopped container\'s last health without judging it', () => {
    const d = diagnose(exited(0, { health: 'unhealthy', healthFailingStreak: 5 }), QUIET, NOW);
    expect(d.severity).toBe('ok');
    expect(fact(d.facts, 'Health')).toMatchObject({ value: 'unhealthy' });
    expect(d.lines.some((line) => /health/i.test(line))).toBe(false);
  });

  it('keeps an OOM kill from before the last start, which State.OOMKilled has forgotten', () => {
    const oomAt = NOW - 6 * MINUTE;
    const d = diagnose(details({ restartPolicy: 'on-failure', restartCount: 1 }), { dies: 1, restartLooping: false, oomAt, lastExitCode: 137 }, NOW);
    expect(d.severity).toBe('warning');
    expect(d.headline).toBe('The out-of-memory killer stopped it before its last start');
    expect(d.lines).toEqual(['It last died with exit code 137: killed (SIGKILL).']);
    expect(fact(d.facts, 'Last OOM kill')).toEqual({ label: 'Last OOM kill', kind: 'time', value: oomAt });
  });

  it('tells an OOM kill of a process in a running container', () => {
    const d = diagnose(details(), { dies: 0, restartLooping: false, oomAt: NOW - MINUTE }, NOW);
    expect(d).toMatchObject({ severity: 'warning', headline: 'The out-of-memory killer killed a process in it during this run' });
  });

  it('does not repeat an OOM kill the exit already explains', () => {
    const d = diagnose(exited(137, { oomKilled: true }), { dies: 1, restartLooping: false, oomAt: NOW - MINUTE }, NOW);
    expect(fact(d.facts, 'Last OOM kill')).toBeUndefined();
  });

  it('puts the worst finding in the headline and keeps the others as lines', () => {
    const d = diagnose(details({ health: 'unhealthy', healthFailingStreak: 2 }), { dies: 0, restartLooping: false, oomAt: NOW - MINUTE }, NOW);
    expect(d.headline).toBe('Unhealthy: its health check failed 2 times in a row');
    expect(d.lines).toEqual(['The out-of-memory killer killed a process in it during this run.']);
  });
});

/** A container event as parseEventLine produces it; the labels come first, as the engine copies them. */
function event(action: string, id: string, timeMs: number, attributes: Record<string, string> = {}): EngineEvent {
  return {
    type: 'container', action, id, attributes: { ...attributes, name: id, image: 'busybox' },
    time: Math.floor(timeMs / 1000), timeNano: `${BigInt(timeMs) * 1_000_000n + 123n}`,
  };
}

describe('RestartHistory', () => {
  it('counts die events in a window and calls 3 in 10 minutes a restart loop', () => {
    const history = new RestartHistory();
    history.record(event('die', 'a', NOW - 11 * MINUTE, { exitCode: '1' }));
    history.record(event('die', 'a', NOW - 9 * MINUTE, { exitCode: '1' }));
    history.record(event('die', 'a', NOW - 5 * MINUTE, { exitCode: '2' }));
    expect(history.diesWithin('a', 10 * MINUTE, NOW)).toBe(2);
    expect(history.isRestartLooping('a', NOW)).toBe(false);
    history.record(event('die', 'a', NOW - MINUTE, { exitCode: '137' }));
    expect(history.isRestartLooping('a', NOW)).toBe(true);
    expect(history.isRestartLooping('a', NOW + 5 * MINUTE)).toBe(false);
    expect(history.lastDies('a')).toEqual([
      { time: NOW - 11 * MINUTE, exitCode: 1 },
      { time: NOW - 9 * MINUTE, exitCode: 1 },
      { time: NOW - 5 * MINUTE, exitCode: 2 },
      { time: NOW - MINUTE, exitCode: 137 },
    ]);
    expect(history.forTriage('a', NOW)).toEqual({ dies: 3, restartLooping: true, lastExitCode: 137 });
  });

  it('knows nothing of containers without events, and ignores other objects and actions', () => {
    const history = new RestartHistory();
    history.record({ ...event('die', 'n', NOW), type: 'network' });
    history.record(event('start', 'a', NOW));
    history.record(event('exec_die', 'a', NOW, { exitCode: '1', execID: 'e1' }));
    expect(history.lastDies('a')).toEqual([]);
    expect(history.lastDies('n')).toEqual([]);
    expect(history.lastOom('a')).toBeUndefined();
    expect(history.forTriage('a', NOW)).toEqual({ dies: 0, restartLooping: false });
  });

  it('remembers the last oom event, which State.OOMKilled forgets on restart', () => {
    const history = new RestartHistory();
    history.record(event('oom', 'a', NOW - 2 * MINUTE));
    history.record(event('die', 'a', NOW - 2 * MINUTE, { exitCode: '137' }));
    history.record(event('start', 'a', NOW - MINUTE));
    expect(history.lastOom('a')).toBe(NOW - 2 * MINUTE);
    expect(history.forTriage('a', NOW)).toEqual({ dies: 1, restartLooping: false, oomAt: NOW - 2 * MINUTE, lastExitCode: 137 });
  });

  it('reads the event time to the millisecond from timeNano, and from time without it', () => {
    const history = new RestartHistory();
    history.record(event('die', 'a', NOW + 456, { exitCode: '0' }));
    history.record({ ...event('die', 'b', NOW + 456, { exitCode: '0' }), timeNano: '' });
    expect(history.lastDies('a')[0]?.time).toBe(NOW + 456);
    expect(history.lastDies('b')[0]?.time).toBe(NOW);
  });

  it('drops the exit code once a container\'s start shows a label named exitCode', () => {
    const history = new RestartHistory();
    history.record(event('die', 'a', NOW - 3 * MINUTE, { exitCode: 'banana' }));
    history.record(event('die', 'b', NOW - 3 * MINUTE, { exitCode: '7' }));
    history.record(event('start', 'b', NOW - 2 * MINUTE, { exitCode: '7' }));
    history.record(event('die', 'b', NOW - MINUTE, { exitCode: '7' }));
    expect(history.lastDies('a')).toEqual([{ time: NOW - 3 * MINUTE, exitCode: undefined }]);
    // The first death came before any proof of the label; the count stays right either way.
    expect(history.lastDies('b')).toEqual([{ time: NOW - 3 * MINUTE, exitCode: 7 }, { time: NOW - MINUTE, exitCode: undefined }]);
    expect(history.forTriage('b', NOW)).toEqual({ dies: 2, restartLooping: false });
  });

  it('does not take the exit code of a health probe (exec_die) for a label', () => {
    const history = new RestartHistory();
    history.record(event('exec_die', 'a', NOW - 2 * MINUTE, { execID: 'e1', exitCode: '1' }));
    history.record(event('die', 'a', NOW - MINUTE, { exitCode: '143' }));
    expect(history.lastDies('a')).toEqual([{ time: NOW - MINUTE, exitCode: 143 }]);
  });

  it('keeps at most maxDies deaths per container, the newest', () => {
    const history = new RestartHistory(3);
    for (let i = 0; i < 5; i++) history.record(event('die', 'a', NOW + i, { exitCode: String(i) }));
    expect(history.lastDies('a').map((death) => death.exitCode)).toEqual([2, 3, 4]);
  });

  it('keeps at most maxContainers containers, forgetting the least recently active', () => {
    const history = new RestartHistory(3, 2);
    history.record(event('die', 'a', NOW));
    history.record(event('die', 'b', NOW));
    history.record(event('oom', 'a', NOW));
    history.record(event('die', 'c', NOW));
    expect(history.lastDies('a')).toHaveLength(1);
    expect(history.lastDies('b')).toEqual([]);
    expect(history.lastDies('c')).toHaveLength(1);
  });

  it('forgets a destroyed container', () => {
    const history = new RestartHistory();
    history.record(event('die', 'a', NOW));
    history.record(event('oom', 'a', NOW));
    history.record(event('destroy', 'a', NOW));
    expect(history.lastDies('a')).toEqual([]);
    expect(history.lastOom('a')).toBeUndefined();
  });

  it('hands out copies', () => {
    const history = new RestartHistory();
    history.record(event('die', 'a', NOW, { exitCode: '1' }));
    const dies = history.lastDies('a');
    dies[0]!.exitCode = 99;
    dies.push({ time: 0, exitCode: 0 });
    expect(history.lastDies('a')).toEqual([{ time: NOW, exitCode: 1 }]);
  });

  it('refuses a bound too small to see a restart loop', () => {
    expect(() => new RestartHistory(2)).toThrow(RangeError);
  });
});
