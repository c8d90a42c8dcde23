// The events list (8) and the problems alert on the real engine, read off the screen: deaths with
// their exit codes in words, and the header's count rising when a container turns unhealthy.
import { describe, expect, it } from 'vitest';
import { docker, ON_PODMAN, runContainer, runHealthProbe, waitFor } from '../support/docker.js';
import { escapeRegExp, expectWithin, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

/** What the header's alert counts, 0 when it shows none. */
async function problemCount(session: TmuxSession): Promise<number> {
  const [header = ''] = await session.captureLines();
  return Number(/⚠ (\d+) problems?/.exec(header)?.[1] ?? 0);
}

describe('events and problems in the terminal', () => {
  it('lists a container exiting 3 and a docker stop, with their exit codes in words', async () => {
    const session = await startDockhand({ cols: 120, rows: 30 });
    await session.waitForText('● live');
    // Both happen while the list is not open: the log keeps events from the start.
    const crash = await runContainer({ name: uniqueName('exit3'), cmd: ['sh', '-c', 'exit 3'], detach: false });
    const stopped = await runContainer({ name: uniqueName('stop') });
    // sleep as PID 1 ignores SIGTERM: the stop ends in SIGKILL after its timeout.
    await docker('stop', '--time', '1', stopped.name);
    await session.type('8');
    await session.waitForText(`${crash.name} died (exit 3, application-defined)`);
    await session.waitForText(`${stopped.name} died (exit 137, killed: SIGKILL)`);
    // Podman 4.3 sends no stop event when the container's cleanup process got to it first (libpod's
    // stop() then gives up, "another process interfered"); the cleanup after every death always comes.
    await session.waitForText(ON_PODMAN ? new RegExp(`cleanup events? folded \\(${escapeRegExp(stopped.name)}\\)`) : `${stopped.name} stopped`);
    await session.type(`/${crash.name}`);
    await session.sendKeys('Enter');
    // The newest is selected (Docker: leaving the network; Podman: its cleanup, folded); k selects
    // the death, its attributes beside the list.
    await session.waitForText(ON_PODMAN ? /cleanup +1 event/ : /Action +disconnect/);
    await session.type('k');
    const screen = await session.waitForText('exitCode=3');
    expect(screen).toContain(`${crash.name} started`);
    expect(screen).not.toContain(stopped.name);
  });

  it('counts a container that turns unhealthy in the header at 80 columns, and ! selects it', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    const before = await problemCount(session);
    const { name } = await runContainer({
      name: uniqueName('sick'),
      args: ['--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1'],
    });
    // Podman runs health checks from systemd timers, and there is none here: the test runs the probes.
    if (ON_PODMAN) {
      await waitFor(async () => {
        await runHealthProbe(name);
        return (await session.capture()).includes(`${name} turned unhealthy`);
      }, { timeoutMs: 15_000, intervalMs: 1000, message: `${name} turned unhealthy` });
    }
    await session.waitForText(`${name} turned unhealthy`, { timeoutMs: 15_000 });
    const screen = await session.capture();
    expect(await problemCount(session)).toBe(before + 1);
    expect(screen.split('\n')[0]).toMatch(/⚠ \d+ problems? {2}● live$/);
    expectWithin(screen, 80, 24);
    // Other containers on the engine may be in trouble too: ! goes through them in turn.
    await waitFor(async () => {
      await session.type('!');
      const status = (await session.captureLines()).at(-2) ?? '';
      return status.includes(`⚠ ${name}: unhealthy`);
    }, { timeoutMs: 10_000, intervalMs: 300, message: `! selecting ${name}` });
    // Selected: the Overview beside the list is of it.
    await session.waitForText(new RegExp(`Name +${name}`));
  });
});
