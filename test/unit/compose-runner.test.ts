// The runner compose commands go through: an argv list (no shell), stdout and stderr by lines into
// a bounded buffer, the exit status, and a cancel that asks first and kills later.
import { describe, expect, it, vi } from 'vitest';
import { CommandRun } from '../../src/engine/compose.js';

const sh = (script: string) => ['/bin/sh', '-c', script];

describe('CommandRun', () => {
  it('captures stdout and stderr lines in the order they came, and the exit code', async () => {
    const run = new CommandRun(sh('echo one; sleep 0.05; echo two >&2; sleep 0.05; printf three; exit 3'));
    expect(await run.done).toEqual({ status: 'exited', exitCode: 3 });
    expect(run.output()).toMatchObject({ lines: ['one', 'two', 'three'], dropped: 0, outcome: { status: 'exited', exitCode: 3 } });
  });

  it('runs no shell: arguments reach the program as they are', async () => {
    const run = new CommandRun(['/bin/echo', '$(id -u)', '; echo injected', '`whoami`']);
    await run.done;
    expect(run.output().lines).toEqual(['$(id -u) ; echo injected `whoami`']);
  });

  it('keeps the newest lines only, counting what it let go', async () => {
    const run = new CommandRun(sh('i=1; while [ $i -le 50 ]; do echo "line $i"; i=$((i+1)); done'), { maxLines: 10 });
    await run.done;
    const output = run.output();
    expect(output.lines).toHaveLength(10);
    expect(output.lines[0]).toBe('line 41');
    expect(output.lines.at(-1)).toBe('line 50');
    expect(output.dropped).toBe(40);
  });

  it('keeps what a terminal would show of progress redraws, without colours', async () => {
    const run = new CommandRun(['/usr/bin/printf', 'Pulling 10%%\\rPulling 100%%\\n\\033[32mdone\\033[0m\\n']);
    await run.done;
    expect(run.output().lines).toEqual(['Pulling 100%', 'done']);
  });

  it('moves its version with every line and with the end', async () => {
    const run = new CommandRun(sh('echo a'));
    const before = run.output().version;
    await run.done;
    expect(run.output().version).toBeGreaterThan(before + 1);
  });

  it('cancel asks as Ctrl-C does (SIGINT)', async () => {
    const run = new CommandRun(['sleep', '30']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    run.cancel();
    expect(await run.done).toEqual({ status: 'killed', signal: 'SIGINT' });
  });

  it('kills a command that ignores SIGINT once the grace period is over', async () => {
    const run = new CommandRun(sh('trap "" INT; echo ready; exec sleep 30'), { killAfterMs: 100 });
    // Only once the trap is set: a SIGINT before it would end the shell at once.
    await vi.waitFor(() => expect(run.output().lines).toEqual(['ready']));
    run.cancel();
    expect(await run.done).toEqual({ status: 'killed', signal: 'SIGKILL' });
  });

  it('reports a program that cannot start', async () => {
    const run = new CommandRun(['/nonexistent/docker-compose', 'up']);
    const outcome = await run.done;
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toContain('ENOENT');
  });

  it('runs in the given directory with exactly the given environment', async () => {
    const run = new CommandRun(sh('pwd; echo "${DOCKER_HOST:-unset} $ONLY"'), { cwd: '/tmp', env: { ONLY: 'this', PATH: '/usr/bin:/bin' } });
    await run.done;
    expect(run.output().lines).toEqual(['/tmp', 'unset this']);
  });
});
