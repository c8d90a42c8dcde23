import { describe, expect, it } from 'vitest';
import { explainExitCode, refusedStartExitCode, signalName } from '../../src/engine/exit-codes.js';

describe('signalName', () => {
  it('names the Linux signals by number', () => {
    expect([1, 2, 3, 6, 9, 11, 13, 15].map(signalName)).toEqual([
      'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGKILL', 'SIGSEGV', 'SIGPIPE', 'SIGTERM',
    ]);
    expect(signalName(10)).toBe('SIGUSR1');
    expect(signalName(12)).toBe('SIGUSR2');
    expect(signalName(31)).toBe('SIGSYS');
  });

  it('has no name for 0, real-time signals, negatives and fractions', () => {
    expect([0, 32, 64, -9, 9.5].map(signalName)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('explainExitCode', () => {
  it.each([
    [0, 'finished successfully', /success/],
    [1, 'application error', /general error/],
    [2, 'usage error', /wrong arguments/],
    [125, 'Docker could not run it', /daemon/],
    [126, 'command cannot be invoked', /not executable|permission/],
    [127, 'command not found', /does not exist.*bind mount/s],
    [128, 'invalid exit argument', /invalid value/],
    [255, 'exit status out of range', /-1 or a value above 255/],
  ])('explains %i in plain words', (code, summary, detail) => {
    const explanation = explainExitCode(code);
    expect(explanation.summary).toBe(summary);
    expect(explanation.detail).toMatch(detail);
    expect(explanation.signal).toBeUndefined();
  });

  it.each([
    [129, 'SIGHUP', 'hung up'],
    [130, 'SIGINT', 'interrupted'],
    [134, 'SIGABRT', 'aborted'],
    [137, 'SIGKILL', 'killed'],
    [139, 'SIGSEGV', 'segmentation fault'],
    [141, 'SIGPIPE', 'broken pipe'],
    [143, 'SIGTERM', 'terminated'],
  ])('reads %i as death by %s', (code, signal, short) => {
    const explanation = explainExitCode(code);
    expect(explanation).toMatchObject({ summary: `${short} (${signal})`, signal });
    expect(explanation.detail).toContain(`${code} = 128 + ${code - 128}`);
  });

  it('names where a SIGKILL comes from, OOM killer included', () => {
    expect(explainExitCode(137).detail).toMatch(/docker kill.*stop.*out-of-memory killer/);
    expect(explainExitCode(143).detail).toMatch(/docker stop/);
    expect(explainExitCode(130).detail).toMatch(/Ctrl-C/);
  });

  it('falls back to the signal name for signals without a usual meaning', () => {
    expect(explainExitCode(128 + 17)).toMatchObject({ summary: 'killed by a signal (SIGCHLD)', signal: 'SIGCHLD' });
  });

  it('calls other codes application-defined, beyond the signals too', () => {
    for (const code of [3, 42, 124, 160, 254, 300]) {
      const explanation = explainExitCode(code);
      expect(explanation.summary).toBe('application-defined');
      expect(explanation.detail).toContain(`Exited with code ${code} (application-defined)`);
      expect(explanation.signal).toBeUndefined();
    }
  });

  it('explains -1 as no exit status (a probe that timed out)', () => {
    expect(explainExitCode(-1)).toMatchObject({ summary: 'no exit status', detail: expect.stringMatching(/timed out/) });
  });
});

describe('refusedStartExitCode', () => {
  it('reads a missing command as 127 in Docker\'s and Podman\'s words', () => {
    const docker = 'failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: '
      + 'unable to start container process: exec: "no-such-command": executable file not found in $PATH: unknown';
    const podman = 'runc: runc create failed: unable to start container process: exec: "no-such-command": executable file '
      + 'not found in $PATH: OCI runtime attempted to invoke a command that was not found';
    expect(refusedStartExitCode(docker)).toBe(127);
    expect(refusedStartExitCode(podman)).toBe(127);
    expect(refusedStartExitCode('exec: "/app/run": stat /app/run: no such file or directory: unknown')).toBe(127);
  });

  it('reads a command that cannot be invoked as 126', () => {
    expect(refusedStartExitCode('exec: "/etc": is a directory: unknown')).toBe(126);
    expect(refusedStartExitCode('exec: "/app/run.sh": permission denied: unknown')).toBe(126);
  });

  it('has no code for refusals that are not about the command', () => {
    expect(refusedStartExitCode('driver failed programming external connectivity: Bind for 0.0.0.0:80 failed: port is already allocated')).toBeUndefined();
  });
});
