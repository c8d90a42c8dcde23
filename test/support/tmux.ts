// Drives a program in a real terminal for end-to-end tests: each TmuxSession runs one command in
// a detached tmux session on its own private tmux server (socket in the temp dir), so sessions
// never see each other, the user's tmux or ~/.tmux.conf.
//
// Always clean up, or the tmux server (a daemon) and the program outlive the test run:
//   afterEach(() => TmuxSession.killAll());   // or: await session.kill() for each session
// As a last resort this module kills what is left after each test file (afterAll).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

const execFileAsync = promisify(execFile);

const POLL_MS = 50;
const DEFAULT_TIMEOUT_MS = 5000;
/** A matching screen is captured again this soon, up to this many times, until two agree. */
const SETTLE_MS = 10;
const SETTLE_CAPTURES = 3;

// Stripped from the inherited environment so the program behaves as in a user's terminal:
// CI=true puts Ink in CI mode (nothing is drawn until exit), vitest exports NODE_ENV=test and
// Vite's MODE/DEV/PROD/SSR/BASE_URL/TEST, and COLUMNS/LINES would override the real pane size.
const STRIPPED_ENV =
  /^(CI|CONTINUOUS_INTEGRATION|NODE_ENV|TEST|VITEST(_.*)?|MODE|DEV|PROD|SSR|BASE_URL|FORCE_TTY|TMUX|TMUX_PANE|COLUMNS|LINES)$/;

export interface TmuxStartOptions {
  /** The program and its arguments (argv, not a shell string). */
  command: string[];
  /** Default 80. */
  cols?: number;
  /** Default 24. */
  rows?: number;
  /** Set on top of the inherited environment; TERM defaults to xterm-256color. */
  env?: Record<string, string>;
  /** Default: process.cwd(). */
  cwd?: string;
}

export interface TmuxWaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}

const liveSessions = new Set<TmuxSession>();

// Registered on the importing test file. A process 'exit' hook would not do: vitest ends its
// workers with SIGTERM, which runs no exit handlers.
afterAll(() => TmuxSession.killAll());

/** Quotes one argument for the POSIX sh that tmux runs the command with. */
function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * The pane's shell command. tmux (3.3 at least) loses a program's last output ~8% of the time
 * when the program exits right after writing: it handles SIGCHLD before reading the pty and then
 * closes it. So the shell stays a moment after the program, then exits with its status (128 + n
 * when killed by signal n). `trap :` keeps the shell alive on Ctrl-C/Ctrl-\ until the program
 * has finished, while the program itself still gets the default handlers (traps reset on exec).
 */
function wrapped(command: string[]): string {
  return `trap : INT QUIT; ${command.map(shellQuote).join(' ')}; status=$?; sleep 0.2; exit $status`;
}

function paneEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!STRIPPED_ENV.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function matches(screen: string, expected: string | RegExp): boolean {
  // search() ignores lastIndex, so a /g regex behaves the same on every poll.
  return typeof expected === 'string' ? screen.includes(expected) : screen.search(expected) !== -1;
}

function describeExpected(expected: string | RegExp): string {
  return typeof expected === 'string' ? JSON.stringify(expected) : String(expected);
}

function framed(screen: string): string {
  return `--- screen ---\n${screen}\n--------------`;
}

export class TmuxSession {
  private killed = false;

  private constructor(
    /** Path of this session's private tmux server socket (`tmux -S <socket>` to inspect by hand). */
    readonly socket: string,
    readonly name: string,
  ) {}

  /** Starts `command` in a new cols x rows terminal; it keeps its final screen after exiting. */
  static async start(opts: TmuxStartOptions): Promise<TmuxSession> {
    const { command, cols = 80, rows = 24, env = {}, cwd = process.cwd() } = opts;
    if (command.length === 0) throw new Error('TmuxSession.start: command is empty');
    const { TERM: term = 'xterm-256color', ...extraEnv } = env;
    const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const session = new TmuxSession(join(tmpdir(), `dockhand-tmux-${id}.sock`), `dh-${id}`);
    liveSessions.add(session);
    // One client invocation starts the server (which takes this client's environment as its
    // global environment, hence the pane's), sets options, then spawns the pane: the options must
    // be in place before a fast command can exit. tmux sets the pane's TERM from default-terminal.
    const setup = [
      ['start-server'],
      ['set-option', '-g', 'status', 'off'], // no status line: the pane gets all the rows
      ['set-option', '-g', 'remain-on-exit', 'on'], // keep the exit status and final screen
      ['set-option', '-gq', 'remain-on-exit-format', ''], // tmux >= 3.3 would print "Pane is dead" over the last row
      ['set-option', '-g', 'default-terminal', term],
      ['set-option', '-g', 'default-shell', '/bin/sh'], // the quoting below is for sh
      [
        'new-session',
        '-d',
        '-s',
        session.name,
        '-x',
        String(cols),
        '-y',
        String(rows),
        '-c',
        cwd,
        wrapped(command),
      ],
    ];
    try {
      await session.tmux(setup.flatMap((cmd, i) => (i === 0 ? cmd : [';', ...cmd])), paneEnvironment(extraEnv));
    } catch (error) {
      await session.kill();
      throw error;
    }
    return session;
  }

  /** Kills every session not yet killed; use in afterEach. */
  static async killAll(): Promise<void> {
    await Promise.all([...liveSessions].map((session) => session.kill()));
  }

  /** Sends tmux key names ('Enter', 'Escape', 'C-c', 'Up', 'F5', ...); see `type` for text. */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, '--', ...keys]);
  }

  /** Types text literally (no key-name lookup). */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, '-l', '--', text]);
  }

  /** The visible screen as plain text (no colours), one line per row, trailing spaces trimmed. */
  async capture(): Promise<string> {
    return (await this.captureLines()).join('\n');
  }

  /** The visible screen with its attributes and colours as escape sequences (SGR), as tmux keeps them. */
  async captureStyled(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-e', '-t', this.name]);
  }

  async captureLines(): Promise<string[]> {
    const out = await this.tmux(['capture-pane', '-p', '-t', this.name]);
    return out.replace(/\n$/, '').split('\n');
  }

  /**
   * Resolves to the screen once it contains `expected`. Rejects on timeout, or as soon as the
   * program has exited without showing it, with the expected text and the last screen.
   */
  async waitForText(expected: string | RegExp, opts: TmuxWaitOptions = {}): Promise<string> {
    const { timeoutMs = DEFAULT_TIMEOUT_MS } = opts;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.capture();
      if (matches(screen, expected)) return this.settled(screen, expected);
      const exit = await this.exitStatus();
      if (exit !== undefined) {
        // Output written just before exiting may land after the capture above.
        const last = await this.capture();
        if (matches(last, expected)) return last;
        throw new Error(`Program exited (status ${exit}) without showing ${describeExpected(expected)}\n${framed(last)}`);
      }
      if (Date.now() >= deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${describeExpected(expected)}\n${framed(screen)}`);
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * `screen`, or a later capture of the same frame. A program writes a frame at once, but tmux may
   * read a large one in pieces, and a capture between two pieces shows the new frame's top and
   * nothing below it. Two captures in a row that agree are a whole frame; a later capture that no
   * longer shows `expected` (a message that has gone) leaves the one that did.
   */
  private async settled(screen: string, expected: string | RegExp): Promise<string> {
    let last = screen;
    for (let i = 0; i < SETTLE_CAPTURES; i++) {
      await sleep(SETTLE_MS);
      const next = await this.capture();
      if (next === last || !matches(next, expected)) return last;
      last = next;
    }
    return last;
  }

  /** Resolves to the program's exit status once it has exited (128 + n when killed by signal n). */
  async waitForExit(opts: TmuxWaitOptions = {}): Promise<number> {
    const { timeoutMs = DEFAULT_TIMEOUT_MS } = opts;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = await this.exitStatus();
      if (exit !== undefined) return exit;
      if (Date.now() >= deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for the program to exit\n${framed(await this.capture())}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Resizes the terminal; the program gets SIGWINCH. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows)]);
  }

  /** Kills the program, the session and its private server. Safe to call more than once. */
  async kill(): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    liveSessions.delete(this);
    await this.tmux(['kill-server']).catch(() => undefined); // already gone is fine
    rmSync(this.socket, { force: true });
  }

  /** The exit status once the program has exited and been reaped, else undefined. */
  private async exitStatus(): Promise<number | undefined> {
    const out = await this.tmux([
      'display-message',
      '-p',
      '-t',
      this.name,
      '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}:#{pid}',
    ]);
    const [dead, status = '', signal = '', serverPid = ''] = out.trim().split(':');
    if (dead !== '1') return undefined;
    if (status !== '') return Number(status);
    if (signal !== '') return 128 + Number(signal);
    // Dead (pty closed) but not reaped: either the SIGCHLD is on its way, or tmux lost it, which
    // happens in ~5% of runs (libutempter briefly replaces tmux's SIGCHLD handler when a pane
    // starts: tmux/tmux#311) and leaves the pane a zombie forever. A spare SIGCHLD makes the
    // server reap it; it is harmless otherwise.
    process.kill(Number(serverPid), 'SIGCHLD');
    return undefined;
  }

  private async tmux(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
    try {
      const { stdout } = await execFileAsync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { env });
      return stdout;
    } catch (error) {
      const { code, stderr } = error as Error & { code?: unknown; stderr?: string };
      const reason =
        code === 'ENOENT' ? 'tmux is not installed (run `bash scripts/engine.sh`)' : stderr?.trim() || String(error);
      throw new Error(`tmux ${args.join(' ')} failed: ${reason}`, { cause: error });
    }
  }
}
