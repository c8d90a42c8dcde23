// The real binary, in a real terminal (tmux), against the real engine: what a person would see.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENGINE_SOCKET, ENGINE_URL, inspect, runContainer, waitFor } from '../support/docker.js';
import { BIN, expectPauseAndResume, expectWithin, filterTo, startDockhand, startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import { useTlsEngineWithContainer } from '../support/tls-engine.js';
import { TmuxSession } from '../support/tmux.js';

const run = promisify(execFile);
useRealEngineAndTerminal();

/** A container that stops at once on SIGTERM (sleep as PID 1 would wait out the stop timeout). */
const STOPPABLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

describe('dockhand in a terminal', () => {
  // How fast is the benchmark's figure (npm run bench, event latency); here: that it comes by itself.
  it('shows a container started from outside without a key press', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    const name = uniqueName('new');
    await runContainer({ name });
    await session.waitForText(name);
  });

  it('pauses and resumes the selected container with p', async () => {
    const { id, name } = await runContainer({ name: uniqueName('pause') });
    await expectPauseAndResume(await startOn(name), id);
  });

  it('stops the selected container with s then y, and does nothing on Enter', async () => {
    const { id, name } = await runContainer({ name: uniqueName('stop'), cmd: STOPPABLE });
    const session = await startOn(name);
    await session.type('s');
    await session.waitForText(`Stop container ${name}?`);
    await session.sendKeys('Enter');
    await waitFor(async () => !(await session.capture()).includes('Stop container'), { message: 'dialog did not close' });
    expect((await inspect(id)).State.Running).toBe(true);
    await session.type('s');
    await session.waitForText(`Stop container ${name}?`);
    await session.type('y');
    await session.waitForText('exited (0)', { timeoutMs: 10_000 });
    expect((await inspect(id)).State.Running).toBe(false);
  });

  it('filters with / and clears the filter with / then Esc', async () => {
    const keep = await runContainer({ name: uniqueName('keep') });
    const other = await runContainer({ name: uniqueName('other') });
    const session = await startDockhand({ cols: 120, rows: 30 });
    await session.waitForText(other.name);
    await filterTo(session, keep.name);
    const filtered = await session.capture();
    expect(filtered).toContain(keep.name);
    expect(filtered).not.toContain(other.name);
    await session.type('/');
    await session.sendKeys('Escape');
    await session.waitForText(other.name);
  });

  it('shows the help overlay with ? and closes it with Esc', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('?');
    const help = await session.waitForText('Keys  (Esc or ? closes)');
    expect(help).toContain('stop (asks first)');
    expect(help).toContain('kill (choose a signal)');
    await session.sendKeys('Escape');
    await session.waitForText('NAME');
  });

  it('kills with the chosen signal and removes with force', async () => {
    const { id, name } = await runContainer({ name: uniqueName('kill') });
    const session = await startOn(name);
    await session.type('K');
    await session.waitForText('SIGKILL');
    await session.type('y');
    await session.waitForText('exited (137)', { timeoutMs: 5000 });
    await session.type('S');
    await waitFor(async () => (await inspect(id)).State.Running === true, { message: 'S did not start it again' });
    await session.type('d');
    await session.waitForText('It is running');
    await session.type('f');
    await session.type('y');
    await waitFor(async () => {
      try {
        await inspect(id);
        return false;
      } catch {
        return true;
      }
    }, { message: 'container was not removed' });
    await session.waitForText(`${name} removed`);
  });

  it('draws within the terminal at 80x24 and 200x60 and redraws on resize', async () => {
    await runContainer({ name: `dh-e2e-size-${'x'.repeat(60)}` });
    const session = await startDockhand();
    const small = await session.waitForText('● live');
    expect(small.split('\n').length).toBeLessThanOrEqual(24);
    expectWithin(small, 80);
    await session.resize(200, 60);
    const large = await session.waitForText(/IMAGE.*PORTS/);
    expectWithin(large, 200);
    expect(large).toContain('● live');
    await session.resize(80, 24);
    await waitFor(async () => !(await session.capture()).includes('PORTS'), { message: 'did not redraw at 80 columns' });
    expectWithin(await session.capture(), 80);
  });

  it('quits with q, leaving the terminal as it was', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('q');
    expect(await session.waitForExit({ timeoutMs: 5000 })).toBe(0);
    expect(await session.capture()).not.toContain('● live');
  });
});

describe('dockhand when it cannot run', () => {
  it('names the unreachable endpoint, the cause and the fix, and exits 1 within 5 s', async () => {
    const started = Date.now();
    // Wide, so the message lines are read whole rather than wrapped.
    const session = await startDockhand({ cols: 200, env: { DOCKER_HOST: 'unix:///tmp/dockhand-e2e-missing.sock' } });
    expect(await session.waitForExit({ timeoutMs: 5000 })).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    const screen = await session.capture();
    expect(screen).toContain('cannot connect to the Docker engine at unix:///tmp/dockhand-e2e-missing.sock');
    expect(screen).toMatch(/cause: .*does not exist/);
    expect(screen).toContain('fix:');
    expect(screen).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses to run without a terminal, with exit code 2', async () => {
    const failure = await run('node', [BIN], { env: { ...process.env, CI: '' } }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim()).toBe(
      'dockhand needs an interactive terminal: run it directly in a terminal, not through a pipe or a redirect.',
    );
  });

  it('says permission denied on the socket, with the fix, for a user outside the docker group', async () => {
    // nobody (65534) may not open the engine's socket (Docker's is root:docker 0660, Podman's
    // root-only); HOME moves off root's config, DOCKER_HOST stays.
    const session = await TmuxSession.start({
      command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'node', BIN],
      cols: 200,
      env: { HOME: '/tmp' },
    });
    expect(await session.waitForExit()).toBe(1);
    const screen = await session.capture();
    expect(screen).toContain(`cause: permission denied on ${ENGINE_SOCKET}`);
    expect(screen).toContain('fix: add your user to the docker group');
  });

  it('names an unknown context', async () => {
    const session = await startDockhand({ args: ['--context', 'no-such-context'] });
    expect(await session.waitForExit()).toBe(1);
    expect(await session.capture()).toContain('context "no-such-context"');
  });
});

describe('dockhand on a tcp engine with --tlsverify, through a context', () => {
  const fixture = useTlsEngineWithContainer();

  it('shows the TLS engine live, its container and its tcp address with --context secure', async () => {
    const tls = fixture.tls();
    const session = await startDockhand({ cols: 120, args: ['--context', 'secure'], env: { DOCKER_CONFIG: tls.configDir } });
    const screen = await session.waitForText(fixture.name());
    await session.waitForText('● live');
    const [header = ''] = screen.split('\n');
    expect(header).toContain(`secure · ${tls.tcpHost}`);
    expect(header).toMatch(/^dockhand {2}secure · tcp:\/\/127\.0\.0\.1:\d+ · Docker /);
  });
});

describe('hostile engine text on screen', () => {
  it('escape sequences, bidi overrides, CJK, emoji and 1,000-character values never break the layout', async () => {
    const ESC = '\u001B';
    const hostile = `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007\u202Eevil\u202C 日本語🐳 `;
    const name = uniqueName('evil');
    await runContainer({ name, labels: { note: hostile, long: 'x'.repeat(1000) }, cmd: ['sh', '-c', `# ${hostile}\nsleep 3600`] });
    const session = await startDockhand();
    await session.waitForText('● live');
    await filterTo(session, name);
    const screen = await session.waitForText(/Label +long=/);
    const lines = screen.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expectWithin(screen, 80);
    // The header is still the first line: the sequence that would clear the screen did not.
    expect(lines[0]).toContain(ENGINE_URL);
    // Shown, minus the escapes (the side pane may wrap it between the two words).
    expect(screen).toContain('evil');
    expect(screen).toContain('日本語');
    expect(screen).not.toContain('\u202E');
  });
});
