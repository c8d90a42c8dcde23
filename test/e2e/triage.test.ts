// Triage on the real engine, read off the screen: why a container died, and its secrets kept.
import { describe, expect, it } from 'vitest';
import { docker, inspect, ON_PODMAN, runContainer, runHealthProbe, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
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
    const { State } = await inspect(name);
    expect(State.ExitCode).toBe(137);
    const session = await startOn(name);
    if (ON_PODMAN) {
      // Podman records no OOM kill here (OOMKilled stays false, no oom event: conmon misses it on
      // cgroup v1): dockhand says it may be one and shows the limit to compare against.
      expect(State.OOMKilled).toBe(false);
      const screen = await session.waitForText('which Podman does not always record');
      expect(screen).toContain('It was sent SIGKILL: by a kill, by a stop that timed out, or by the');
      expect(screen).toMatch(/exited \(137\)(?! OOM)/);
      expect(screen).toMatch(/Memory limit +16MiB/);
    } else {
      expect(State.OOMKilled).toBe(true);
      const screen = await session.waitForText('killed by the out-of-memory killer');
      expect(screen).toContain('exited (137) OOM');
      expect(screen).toMatch(/Memory limit +16MiB/);
    }
    await session.waitForText('before-the-end');
  });

  it('tells a plain SIGKILL from an OOM kill', async () => {
    const { name } = await runContainer({ name: uniqueName('kill') });
    const session = await startOn(name);
    await session.waitForText('running');
    await session.type('K');
    await session.waitForText('SIGKILL');
    await session.type('y');
    // Podman's OOMKilled false does not rule the out-of-memory killer out (see the case above).
    const screen = await session.waitForText(ON_PODMAN ? 'which Podman does not always record' : 'not by the out-of-memory killer', { timeoutMs: 8000 });
    expect(screen).toMatch(/exited \(137\)(?! OOM)/);
  });

  it('shows the failing health probe output of an unhealthy container', async () => {
    const { name } = await runContainer({
      name: uniqueName('sick'),
      args: ['--health-cmd', 'echo probe-says-no; exit 1', '--health-interval', '1s', '--health-retries', '1'],
    });
    await waitFor(async () => {
      if (ON_PODMAN) await runHealthProbe(name);
      return (await inspect(name)).State.Health?.Status === 'unhealthy';
    }, { timeoutMs: 15_000, message: 'never unhealthy' });
    const session = await startOn(name);
    const screen = await session.waitForText('probe-says-no', { timeoutMs: 8000 });
    expect(screen).toContain('unhealthy');
    expect(screen).toMatch(/exit 1 +probe-says-no/);
  });

  it('S on a container whose command does not exist: exit 127, not found, the engine\'s words, in the status line and the Overview', async () => {
    const name = uniqueName('nocmd');
    await docker('create', '--name', name, '--label', `${TEST_LABEL}=1`, TEST_IMAGE, 'no-such-command');
    const session = await startOn(name);
    await session.waitForText(/State\s+created/);
    await session.type('S');
    // The status line first (Docker's words are cut at the terminal's edge there).
    await session.waitForText(/start dh-nocmd-\S+: command not found \(exit code 127\)/);
    // The Overview says so too, read again once the start was refused: Docker sends no event about
    // the container for it, and Podman records nothing on it (dockhand remembers the refusal).
    const overview = await session.waitForText(/Could not start \(exit code 127\): command\s+not found/);
    expect(overview).toContain('executable file not found');
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
