// Triage on the real engine, read off the screen: why a container died, and its secrets kept.
import { describe, expect, it } from 'vitest';
import { inspect, runContainer, waitFor } from '../support/docker.js';
import { startOn as startOnAt, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';

/** Wide, so the diagnosis reads on one line beside the list. */
const startOn = (name: string) => startOnAt(name, { cols: 200, rows: 40 });

useRealEngineAndTerminal();

describe('triage in the terminal', () => {
  it('explains an OOM kill in the list and the Overview, with the limit and the last log lines', async () => {
    const name = uniqueName('oom');
    await runContainer({
      name,
      args: ['--memory', '16m'],
      cmd: ['sh', '-c', 'echo before-the-end; x=a; while :; do x=$x$x; done'],
      detach: false,
    });
    expect((await inspect(name)).State.OOMKilled).toBe(true);
    const session = await startOn(name);
    const screen = await session.waitForText('killed by the out-of-memory killer');
    expect(screen).toContain('exited (137) OOM');
    expect(screen).toMatch(/Memory limit +16MiB/);
    await session.waitForText('before-the-end');
  });

  it('tells a plain SIGKILL from an OOM kill', async () => {
    const { name } = await runContainer({ name: uniqueName('kill') });
    const session = await startOn(name);
    await session.waitForText('running');
    await session.type('K');
    await session.waitForText('SIGKILL');
    await session.type('y');
    const screen = await session.waitForText('not by the out-of-memory killer', { timeoutMs: 8000 });
    expect(screen).toMatch(/exited \(137\)(?! OOM)/);
  });

  it('shows the failing health probe output of an unhealthy container', async () => {
    const { name } = await runContainer({
      name: uniqueName('sick'),
      args: ['--health-cmd', 'echo probe-says-no; exit 1', '--health-interval', '1s', '--health-retries', '1'],
    });
    await waitFor(async () => (await inspect(name)).State.Health?.Status === 'unhealthy', { timeoutMs: 15_000, message: 'never unhealthy' });
    const session = await startOn(name);
    const screen = await session.waitForText('probe-says-no', { timeoutMs: 8000 });
    expect(screen).toContain('unhealthy');
    expect(screen).toMatch(/exit 1 +probe-says-no/);
  });

  it('says a missing command is exit 127, not found, with the daemon\'s own error', async () => {
    const name = uniqueName('nocmd');
    // docker run fails (exit 127) but leaves the container behind, as it does for users.
    await runContainer({ name, cmd: ['no-such-command'] }).catch(() => undefined);
    await waitFor(async () => (await inspect(name)).State.ExitCode === 127, { message: 'no exit 127' });
    const session = await startOn(name);
    const screen = await session.waitForText('command not found');
    expect(screen).toContain('exit code 127');
    expect(screen).toContain('executable file not found');
  });

  it('shows docker stats figures and graphs in the Stats tab', async () => {
    const { name } = await runContainer({ name: uniqueName('busy'), cmd: ['sh', '-c', 'while :; do :; done'] });
    const session = await startOn(name);
    await session.type(']]');
    const screen = await session.waitForText(/CPU %\s+\d+\.\d\d%/, { timeoutMs: 10_000 });
    expect(screen).toMatch(/MEM USAGE\s+\S+ \/ \S+/);
    expect(screen).toMatch(/PIDS\s+\d+/);
  });

  it('keeps a DB_PASSWORD off the screen in Env until m reveals it', async () => {
    const { name } = await runContainer({ name: uniqueName('env'), args: ['-e', 'DB_PASSWORD=hunter2-secret', '-e', 'PLAIN=visible'] });
    const session = await startOn(name);
    await session.type(']]]]');
    const masked = await session.waitForText('DB_PASSWORD');
    expect(masked).toContain('PLAIN');
    expect(masked).not.toContain('hunter2-secret');
    await session.type('m');
    await session.waitForText('hunter2-secret');
    await session.type('m');
    await waitFor(async () => !(await session.capture()).includes('hunter2-secret'), { message: 'the value was not masked again' });
  });
});
