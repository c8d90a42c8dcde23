// The terminal dockhand leaves behind, and the terminals it draws on: the real binary in tmux.
// After every way out (q, Ctrl-C, SIGTERM, SIGHUP, SIGINT, a crash, the window closing) the shell it
// was run from gets its terminal back: raw mode off, cursor shown, main screen back, prompt usable.
// Ctrl-Z stops it and `fg` brings it back. Every size from 40x12 to 300x80, TERM=dumb, vt100,
// xterm and NO_COLOR draw within the terminal, also at the end of a storm of resizes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runContainer, waitFor } from '../support/docker.js';
import { BIN, expectWithin, filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import { TmuxSession } from '../support/tmux.js';

const run = promisify(execFile);
useRealEngineAndTerminal();

const dir = mkdtempSync(join(tmpdir(), 'dockhand-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = '\u001B';
/** An SGR sequence that turns inverse video on, as tmux writes it in capture-pane -e. */
const INVERSE = new RegExp(`${ESC}\\[(?:\\d+;)*7m`);
/** An SGR sequence that sets a foreground or background colour (39 and 49, the defaults, are none). */
const COLOUR = new RegExp(`${ESC}\\[(?:\\d+;)*(?:[349][0-7]|10[0-7]|[34]8;[0-9;]+)m`);

/** A tmux command on the session's own server; its output as printed. */
async function tmux(session: TmuxSession, ...args: string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-S', session.socket, '-f', '/dev/null', ...args]);
  return stdout;
}

async function paneFormat(session: TmuxSession, format: string): Promise<string> {
  return (await tmux(session, 'display-message', '-p', '-t', session.name, format)).trim();
}

/** What the pane's terminal shows: the alternate screen or the main one, and whether the cursor is. */
async function screenModes(session: TmuxSession): Promise<{ alternateScreen: boolean; cursorShown: boolean }> {
  const [alternate, cursor] = (await paneFormat(session, '#{alternate_on} #{cursor_flag}')).split(' ');
  return { alternateScreen: alternate === '1', cursorShown: cursor === '1' };
}

const PROMPT = 'dh-shell$ ';

/** An interactive shell in a terminal of its own: dockhand runs in it and the shell outlives it. */
async function startShell(opts: { cols?: number; rows?: number } = {}): Promise<TmuxSession> {
  const session = await TmuxSession.start({ command: ['sh', '-i'], ...opts, env: { PS1: PROMPT, ENV: '' } });
  // Captures end at the last character: the prompt's trailing space is not in them.
  await session.waitForText(PROMPT.trimEnd());
  return session;
}

/** Types a command line into the shell. */
async function typeLine(shell: TmuxSession, line: string): Promise<void> {
  await shell.type(line);
  await shell.sendKeys('Enter');
}

/** dockhand run from the shell, live; the shell prints its exit status afterwards. */
async function runDockhand(shell: TmuxSession, prefix = ''): Promise<void> {
  await typeLine(shell, `${prefix}node ${BIN}; echo "exit=$?"`);
  await shell.waitForText('● live', { timeoutMs: 10_000 });
}

/** dockhand's pid: below the pane's shells, the process meow names after the command. */
async function dockhandPid(session: TmuxSession): Promise<number> {
  const panePid = Number(await paneFormat(session, '#{pane_pid}'));
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=,args=']);
  const processes = stdout.trim().split('\n').map((line) => {
    const [pid = '', ppid = '', ...args] = line.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
  });
  const below = new Set([panePid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (below.has(p.ppid) && !below.has(p.pid)) {
        below.add(p.pid);
        grew = true;
      }
    }
  }
  const found = processes.filter((p) => below.has(p.pid) && p.args === 'dockhand');
  expect(found, 'one dockhand process in the pane').toHaveLength(1);
  return found[0]!.pid;
}

/** Whether the process runs (or is stopped), not ended: gone, or a zombie nobody has reaped yet. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The shell has its terminal back as it was: main screen, cursor shown, cooked mode with echo
 * (stty in that very terminal), and it runs what is typed; nothing of the dashboard is left on the
 * main screen. Returns that screen.
 */
async function expectShellBack(shell: TmuxSession): Promise<string> {
  expect(await screenModes(shell)).toEqual({ alternateScreen: false, cursorShown: true });
  // In raw mode Enter would never end the line: the answer itself shows the terminal is cooked.
  await typeLine(shell, 'echo "modes=$(stty -a | grep -ow -e -icanon -e icanon -e -echo -e echo | paste -sd, -)"');
  const screen = await shell.waitForText(/^modes=\S+$/m);
  expect(screen.match(/^modes=(\S+)$/m)?.[1]).toBe('icanon,echo');
  expect(screen).not.toContain('● live');
  return screen;
}

describe('the terminal after dockhand', () => {
  it('q: exit 0, the shell gets its terminal back', async () => {
    const shell = await startShell();
    await runDockhand(shell);
    await shell.type('q');
    await shell.waitForText(/^exit=0$/m);
    // The command line is still there: the dashboard drew on the alternate screen only.
    expect(await expectShellBack(shell)).toContain(`${PROMPT}node ${BIN}`);
  });

  it('Ctrl-C quits at once, even with confirmQuit and its question open', async () => {
    const configHome = join(dir, 'confirm');
    mkdirSync(join(configHome, 'dockhand'), { recursive: true });
    writeFileSync(join(configHome, 'dockhand', 'config.yml'), 'confirmQuit: true\n');
    const shell = await startShell();
    await runDockhand(shell, `XDG_CONFIG_HOME=${configHome} `);
    await shell.type('q');
    await shell.waitForText('Quit dockhand? y/n');
    await shell.sendKeys('C-c');
    await shell.waitForText(/^exit=0$/m);
    await expectShellBack(shell);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: exit %i (128 + the signal), the shell gets its terminal back', async (signal, status) => {
    const shell = await startShell();
    await runDockhand(shell);
    process.kill(await dockhandPid(shell), signal);
    await shell.waitForText(new RegExp(`^exit=${status}$`, 'm'));
    expect(await expectShellBack(shell)).toContain(`${PROMPT}node ${BIN}`);
  });

  it('a crash: the error stays readable on the main screen, and the shell gets its terminal back', async () => {
    // Loaded into dockhand with --import: on SIGUSR2 it throws from a timer, as a bug in dockhand would.
    const crash = join(dir, 'crash.mjs');
    writeFileSync(crash, "process.on('SIGUSR2', () => setTimeout(() => { throw new Error('boom from a timer'); }));\n");
    const shell = await startShell({ cols: 120 });
    await runDockhand(shell, `NODE_OPTIONS='--import ${crash}' `);
    process.kill(await dockhandPid(shell), 'SIGUSR2');
    await shell.waitForText(/^exit=1$/m);
    const screen = await expectShellBack(shell);
    expect(screen).toContain('dockhand stopped on an unexpected error: boom from a timer');
    expect(screen).toContain(`${PROMPT}NODE_OPTIONS=`);
  });

  it('the window closing (SIGHUP, no terminal left): dockhand exits 129 and writes nothing', async () => {
    const stderr = join(dir, 'hangup.err');
    const status = join(dir, 'hangup.status');
    const shell = await startShell();
    // A shell that outlives the hangup to tell how dockhand ended, with dockhand's stderr in a file.
    await typeLine(shell, `sh -c 'trap "" HUP; node ${BIN} 2>${stderr}; echo $? >${status}'`);
    await shell.waitForText('● live', { timeoutMs: 10_000 });
    const pid = await dockhandPid(shell);
    await tmux(shell, 'kill-pane', '-t', shell.name);
    const ended = await waitFor(() => existsSync(status) && readFileSync(status, 'utf8').trim(), { message: 'dockhand ended' });
    expect(ended).toBe('129');
    // Node 20 used to abort here, on an assertion, trying to reset a terminal that was gone.
    expect(readFileSync(stderr, 'utf8')).toBe('');
    expect(running(pid)).toBe(false);
  });
});

describe('Ctrl-Z and fg', () => {
  it('suspends to the shell, which has its terminal back, and fg brings the dashboard back at the size of now', async () => {
    const { name } = await runContainer({ name: uniqueName('fg') });
    const shell = await startShell();
    await typeLine(shell, `node ${BIN}`);
    await shell.waitForText('● live', { timeoutMs: 10_000 });
    await filterTo(shell, name);

    for (const [cols, rows] of [[100, 30], [60, 20]] as const) {
      await shell.sendKeys('C-z');
      await shell.waitForText(/Stopped/);
      await expectShellBack(shell);
      // A stopped dockhand is told nothing of this (SIGWINCH goes to the foreground job only).
      await shell.resize(cols, rows);
      await typeLine(shell, 'fg');
      const lines = await wholeFrame(shell, name);
      expect(await screenModes(shell)).toEqual({ alternateScreen: true, cursorShown: false });
      expect(lines).toHaveLength(rows);
      expectWithin(lines.join('\n'), cols, rows);
      expect(lines).toContain(`filter: ${name}  (/ to change, / then Esc to clear)`);
      // Nothing of the shell on the dashboard.
      expect(lines.join('\n')).not.toContain(PROMPT);
      expect(lines.join('\n')).not.toMatch(/Stopped/);
      // And the keys are the dashboard's again.
      await shell.type('?');
      await shell.waitForText('Keys  (Esc or ? closes)');
      await shell.sendKeys('Escape');
      await shell.waitForText(`filter: ${name}`);
    }

    await shell.type('q');
    await waitFor(async () => !(await screenModes(shell)).alternateScreen, { message: 'dockhand to leave the alternate screen' });
    await expectShellBack(shell);
  }, 60_000);

  it('killed while suspended (SIGTERM and SIGCONT, as `kill %1` sends them), it leaves the shell\'s terminal alone', async () => {
    const shell = await startShell();
    await typeLine(shell, `node ${BIN}`);
    await shell.waitForText('● live', { timeoutMs: 10_000 });
    const pid = await dockhandPid(shell);
    await shell.sendKeys('C-z');
    await shell.waitForText(/Stopped/);
    const before = await expectShellBack(shell);
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGCONT');
    await waitFor(() => !running(pid), { message: 'dockhand to end' });
    // Nothing moved the cursor or changed the modes: the shell goes on below what it had written,
    // from the prompt it was showing.
    const after = await expectShellBack(shell);
    const written = before.split('\n').filter(Boolean).slice(0, -1);
    expect(after.split('\n').slice(0, written.length)).toEqual(written);
  });

  it('the window closing while suspended: dockhand ends and writes nothing', async () => {
    const stderr = join(dir, 'suspended-hangup.err');
    const shell = await startShell();
    await typeLine(shell, `node ${BIN} 2>${stderr}`);
    await shell.waitForText('● live', { timeoutMs: 10_000 });
    const pid = await dockhandPid(shell);
    await shell.sendKeys('C-z');
    await shell.waitForText(/Stopped/);
    await tmux(shell, 'kill-pane', '-t', shell.name);
    await waitFor(() => !running(pid), { message: 'dockhand to end' });
    expect(readFileSync(stderr, 'utf8')).toBe('');
  });
});

/** Lines of a screen with the figures that move on their own (ages, CPU, memory, clocks) masked. */
function masked(screen: string): string {
  return screen.split('\n').map((line) => line.replace(/\s*\d+(?:[.:]\d+)*(?:[smhd](?![a-z]))?/g, ' #').trimEnd()).join('\n');
}

const stripSgr = (line: string) => line.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');

/** A whole frame: the header first, the key hints last, and a row starting with `name`. */
function isWholeFrame(lines: readonly string[], name: string): boolean {
  return (lines[0] ?? '').includes('● live') && /^\? help/.test(lines.at(-1) ?? '') && lines.some((line) => line.startsWith(name));
}

/**
 * The first capture that holds a whole frame. Ink draws each frame from a clear, so a capture can
 * fall in the middle of one, or on the frame it draws at a new size before React has laid it out
 * again. `styled` captures with SGR sequences; `-J` joins the lines tmux wrapped at the terminal's
 * edge, so that a wrapped line shows as one line too wide, and as one line fewer.
 */
async function wholeFrame(session: TmuxSession, name: string, styled = false): Promise<string[]> {
  let last: string[] = [];
  try {
    return await waitFor(async () => {
      const captured = await tmux(session, 'capture-pane', '-p', '-J', ...(styled ? ['-e'] : []), '-t', session.name);
      last = captured.replace(/\n$/, '').split('\n').map((line) => line.trimEnd());
      return isWholeFrame(last.map(stripSgr), name) ? last : undefined;
    });
  } catch {
    throw new Error(`no whole frame with ${name} on the screen:\n${last.map(stripSgr).join('\n')}`);
  }
}

/** The screen lies inside the terminal, no line wrapped at its edge, the selected row in inverse video. */
async function expectWellDrawn(session: TmuxSession, name: string): Promise<string> {
  const [cols, rows] = (await paneFormat(session, '#{pane_width} #{pane_height}')).split(' ').map(Number) as [number, number];
  const lines = await wholeFrame(session, name);
  expect(lines).toHaveLength(rows);
  expectWithin(lines.join('\n'), cols, rows);
  // The selected row is the one container the filter leaves.
  const styled = await wholeFrame(session, name, true);
  const row = styled.find((line) => stripSgr(line).startsWith(name)) ?? '';
  expect(row.slice(0, row.indexOf(name))).toMatch(INVERSE);
  return styled.join('\n');
}

describe('sizes and terminals', () => {
  const sizes = [[40, 12], [80, 24], [300, 80]] as const;
  const terminals: Array<[string, Record<string, string>, 'colour' | 'no colour']> = [
    ['TERM=xterm', { TERM: 'xterm' }, 'colour'],
    ['TERM=vt100', { TERM: 'vt100' }, 'colour'],
    ['TERM=dumb', { TERM: 'dumb' }, 'no colour'],
    ['NO_COLOR=1', { NO_COLOR: '1' }, 'no colour'],
  ];
  const cases = sizes.flatMap(([cols, rows]) => terminals.map(([label, env, colour]) => [cols, rows, label, env, colour] as const));

  it.each(cases)('%ix%i, %s: header and selected row shown, every line within the terminal', async (cols, rows, _label, env, colour) => {
    const { name } = await runContainer({ name: uniqueName('size') });
    const session = await startDockhand({ cols, rows, env });
    await session.waitForText('● live', { timeoutMs: 10_000 });
    await filterTo(session, name);
    const styled = await expectWellDrawn(session, name);
    if (colour === 'colour') expect(styled).toMatch(COLOUR);
    else expect(styled).not.toMatch(COLOUR);
  });

  it('says the terminal is too small below 20x5, and keeps what was on screen for when it grows', async () => {
    const { name } = await runContainer({ name: uniqueName('small') });
    const session = await startDockhand();
    await session.waitForText('● live', { timeoutMs: 10_000 });
    await filterTo(session, name);
    await session.resize(30, 4);
    const small = await session.waitForText('terminal too small: 30x4, need');
    expectWithin(small, 30, 4);
    await session.resize(40, 12);
    await session.waitForText(`filter: ${name}`);
    await expectWellDrawn(session, name);
  });

  it('after a storm of window and pane resizes, the screen is a fresh one at the final size', async () => {
    const { name } = await runContainer({ name: uniqueName('storm') });
    const session = await startDockhand({ cols: 120, rows: 40 });
    await session.waitForText('● live', { timeoutMs: 10_000 });
    await filterTo(session, name);
    // A second pane below dockhand's, so that resize-pane has something to give rows to.
    await tmux(session, 'split-window', '-d', '-v', '-t', session.name, 'sleep 600');
    const pane = `${session.name}.0`;
    const storm: string[][] = [];
    const sizes: Array<[number, number]> = [[40, 12], [300, 80], [41, 13], [10, 3], [200, 50], [80, 24], [299, 79], [45, 30], [120, 16], [60, 70]];
    for (const [i, [cols, rows]] of sizes.entries()) {
      storm.push(['resize-window', '-t', session.name, '-x', String(cols), '-y', String(rows + 8)]);
      storm.push(['resize-pane', '-t', pane, '-y', String(rows)]);
      if (i % 3 === 0) storm.push(['resize-pane', '-t', pane, '-y', String(Math.max(3, rows - 5))]);
    }
    storm.push(['resize-window', '-t', session.name, '-x', '100', '-y', '40'], ['resize-pane', '-t', pane, '-y', '30']);
    // Each command on its own, one right after the other: a SIGWINCH every few milliseconds.
    for (const command of storm) await tmux(session, ...command);
    expect(await paneFormat(session, '#{pane_width}x#{pane_height}')).toBe('100x30');

    const fresh = await startDockhand({ cols: 100, rows: 30 });
    await fresh.waitForText('● live', { timeoutMs: 10_000 });
    await filterTo(fresh, name);
    // The same screen, once both have sampled the container's figures; if never, the difference.
    let screens = ['', ''];
    await waitFor(async () => {
      screens = [masked((await wholeFrame(session, name)).join('\n')), masked((await wholeFrame(fresh, name)).join('\n'))];
      return screens[0] === screens[1];
    }, { timeoutMs: 15_000 }).catch(() => undefined);
    expect(screens[0]).toBe(screens[1]);
    await expectWellDrawn(session, name);
  }, 60_000);
});
