// Lends the whole terminal to a child process (a shell in a container, `docker attach`) and takes
// it back with the dashboard redrawn, the way an editor spawned from a shell works; and to the
// shell dockhand runs in, on Ctrl-Z, until the shell continues it (`fg`).
//
// What Ink needs while it is away (node_modules/ink/build/components/App.js, ink.js):
// - Input: Ink reads stdin through a 'readable' listener it adds when raw mode goes on. That
//   listener goes, and so must Node's own reading of the tty: a tty stream with no consumer keeps
//   reading into its buffer, so keys meant for the shell would be stolen and replayed to dockhand
//   afterwards. process.stdin stops reading (readStop) on a 'pause' event, and pause() only emits
//   one once the stream has left paused-by-'readable' mode, one tick after the last listener went.
// - Output: Ink keeps rendering (the container list changes under the shell), and each frame would
//   land on top of the shell. Its writes are swallowed until the terminal comes back.
// - Redraw: dockhand's frame fills the screen, and Ink repaints a full-screen frame from scratch
//   (clear + frame) on every render; a 'resize' makes it render at once (also at a size that
//   changed while the shell ran).
// - Job control: in raw mode the tty sends no SIGTSTP, Ctrl-Z reaches Ink as a key. dockhand then
//   stops itself as the tty would have stopped it, once the terminal is as the shell left it. A
//   stopped process is outside the tty's foreground process group, so no SIGWINCH tells it about
//   a resize meanwhile: the size is read again when it continues. Raw mode comes back before
//   anything is drawn: continued in the background (`bg`), setting it stops dockhand again
//   (SIGTTOU) until `fg`, and the shell's screen stays the shell's.

import { spawn } from 'node:child_process';
import { findExecutable } from '../engine/docker-cli.js';
import { sanitize } from './format.js';

export interface HandOverOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Ink's useStdin().setRawMode, so Ink's own count of raw-mode users stays right. */
  setRawMode: (on: boolean) => void;
  /** One line shown above the child's output, e.g. "dockhand: shell in web-1 — exit to come back". */
  banner?: string;
  /** The error when `command` cannot be found; default "<command> is not installed". */
  missingCommand?: string;
  /** Where the child's stderr is copied to while it runs; default process.stderr. */
  stderr?: NodeJS.WritableStream;
  /** Repaints the dashboard afterwards; default: emit 'resize' on stdout (see above). */
  redraw?: () => void;
}

export interface HandOverResult {
  /** The child's exit status; null when it did not start or was killed by a signal. */
  exitCode: number | null;
  /** Set when the child was killed by a signal. */
  signal?: NodeJS.Signals;
  /** Why the child could not run at all (not found, spawn failed). */
  error?: string;
  /**
   * The last line the child wrote to stderr, sanitised: what the docker CLI said when it failed
   * ("Error response from daemon: …"), which the user would otherwise lose with the main screen.
   */
  stderrTail?: string;
}

// Autowrap (DECAWM, ?7) is off on dockhand's screen and on again for whoever gets the terminal.
const LEAVE_ALT_SCREEN = '\u001B[?7h\u001B[?1049l';
// 1049h switches to a cleared alternate screen; the cursor goes home and hides again (Ink hides
// it only once per run, so it would otherwise stay visible over the dashboard).
const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[?7l\u001B[2J\u001B[H\u001B[?25l';
const SHOW_CURSOR = '\u001B[?25h';
/** How much of the child's stderr is kept for stderrTail. */
const STDERR_TAIL_BYTES = 4096;
/** How long stderr may stay open after the child has exited. */
const STDERR_GRACE_MS = 250;
/** Keys that make the tty signal its foreground process group, which dockhand shares with the child. */
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];

/** Who has the terminal instead of the dashboard, one at a time: a child, or the shell (Ctrl-Z). */
let lentTo: 'child' | 'shell' | undefined;

/**
 * Who has the terminal now, if not the dashboard. A child shares dockhand's process group: the
 * signals its tty sends (Ctrl-C typed in cooked mode) reach dockhand too, and are the child's.
 * Suspended, dockhand is in the background and the terminal is as the shell wants it.
 */
export function terminalLentTo(): 'child' | 'shell' | undefined {
  return lentTo;
}

type Write = NodeJS.WriteStream['write'];

/** Runs a restoring step; one that throws must not keep the next ones from running. */
function quietly(step: () => unknown): void {
  try {
    step();
  } catch {
    // Best effort: the rest of the terminal still comes back.
  }
}

/** Lets the event loop run once: pending input handlers finish, nextTick work settles. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `command args` with the terminal handed over and resolves when it has exited and the
 * dashboard is back. Never rejects: a command that is missing or fails to start gives `error`,
 * and the terminal is restored whatever happens.
 */
export async function handOverTerminal(opts: HandOverOptions): Promise<HandOverResult> {
  const { command, args, env } = opts;
  const resolved = findExecutable(command, env);
  if (!resolved) return { exitCode: null, error: opts.missingCommand ?? `${command} is not installed` };
  lentTo = 'child';
  let terminal: Borrowed | undefined;
  try {
    terminal = await borrowTerminal(opts, opts.banner ? `${sanitize(opts.banner)}\r\n` : '');
    return await runChild(resolved, args, env, opts.stderr ?? process.stderr);
  } catch (err) {
    return { exitCode: null, error: (err as Error).message };
  } finally {
    terminal?.giveBack();
    lentTo = undefined;
  }
}

export interface SuspendOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Ink's useStdin().setRawMode, as for handOverTerminal. */
  setRawMode: (on: boolean) => void;
  /** Stops the process; default: SIGTSTP to itself, as the tty sends on Ctrl-Z in cooked mode. */
  stop?: () => void;
  /** Repaints the dashboard afterwards; default: emit 'resize' on stdout. */
  redraw?: () => void;
}

/**
 * Ctrl-Z: the terminal back to the shell as it was (main screen, cursor shown, raw mode off), the
 * process stopped, and once the shell continues it (SIGCONT), raw mode, the alternate screen and
 * a full repaint at the terminal's size of now. Resolves when the dashboard is back, and never
 * rejects: when the terminal cannot be taken from Ink, dockhand does not stop. Does nothing
 * while the terminal is lent already.
 */
export async function suspendToShell(opts: SuspendOptions): Promise<void> {
  if (lentTo) return;
  lentTo = 'shell';
  let terminal: Borrowed | undefined;
  try {
    terminal = await borrowTerminal(opts, '');
    const continued = new Promise<void>((resolve) => process.once('SIGCONT', () => resolve()));
    (opts.stop ?? stopSelf)();
    await continued;
    await refreshSize(opts.stdout);
  } catch {
    // borrowTerminal has put back what it took; the dashboard simply stays.
  } finally {
    terminal?.giveBack();
    lentTo = undefined;
  }
}

/**
 * Stops this process with SIGTSTP, so that the shell reports it as after a Ctrl-Z. A SIGTSTP
 * listener (dockhand suspends through here on a SIGTSTP sent from elsewhere too) would make the
 * signal a mere event: the listeners step aside until the process continues.
 */
function stopSelf(): void {
  const listeners = process.listeners('SIGTSTP');
  for (const listener of listeners) process.off('SIGTSTP', listener);
  process.once('SIGCONT', () => {
    for (const listener of listeners) process.on('SIGTSTP', listener);
  });
  process.kill(process.pid, 'SIGTSTP');
}

/**
 * The terminal's size as it is now, read by Node on SIGWINCH (its own listener, first in line,
 * updates stdout.columns and rows and emits 'resize' when they changed), and the dashboard
 * re-rendered at it: React commits that 'resize' later, and until then Ink would repaint the
 * frame of the old size.
 */
async function refreshSize(stdout: NodeJS.WriteStream): Promise<void> {
  if (!stdout.isTTY) return;
  const read = new Promise<void>((resolve) => process.once('SIGWINCH', () => resolve()));
  process.kill(process.pid, 'SIGWINCH');
  await read;
  await nextTurn();
}

interface Borrowed {
  /** Input, the alternate screen and Ink's output back, then a full repaint; every step runs. */
  giveBack: () => void;
}

/**
 * Takes the terminal from Ink (its frames swallowed, its input detached, raw mode off) and leaves
 * the alternate screen with the cursor shown, then writes `banner` there.
 */
async function borrowTerminal(
  opts: Pick<HandOverOptions, 'stdin' | 'stdout' | 'setRawMode' | 'redraw'>,
  banner: string,
): Promise<Borrowed> {
  const { stdin, stdout } = opts;
  const mute = muteWrites(stdout);
  let input: ReturnType<typeof suspendInput> | undefined;
  let leftScreen = false;
  const giveBack = () => {
    // Each step on its own: one that throws must not keep the others from putting things back.
    // Raw mode first (see Job control above), then the screen.
    quietly(() => input?.resume());
    if (leftScreen) quietly(() => mute.write(ENTER_ALT_SCREEN));
    quietly(() => mute.restore());
    quietly(opts.redraw ?? (() => stdout.emit('resize')));
  };
  try {
    input = suspendInput(stdin, opts.setRawMode);
    await input.stopped;
    mute.write(LEAVE_ALT_SCREEN + SHOW_CURSOR + banner);
    leftScreen = true;
  } catch (err) {
    giveBack();
    throw err;
  }
  return { giveBack };
}

/** Swallows every write to `stream` (Ink's frames) until restore(); `write` still gets through. */
function muteWrites(stream: NodeJS.WriteStream): { write: (text: string) => void; restore: () => void } {
  const ownWrite = Object.prototype.hasOwnProperty.call(stream, 'write');
  const original = stream.write;
  const swallow = ((...writeArgs: unknown[]) => {
    // Keep write()'s contract: a callback passed in is called (Ink awaits one on unmount).
    const callback = writeArgs.find((arg) => typeof arg === 'function') as ((err?: Error | null) => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }) as Write;
  stream.write = swallow;
  return {
    write: (text) => {
      original.call(stream, text);
    },
    restore: () => {
      if (stream.write !== swallow) return;
      if (ownWrite) stream.write = original;
      else delete (stream as { write?: Write }).write;
    },
  };
}

/**
 * Takes stdin away from Ink: raw mode off, 'readable' listeners off, the tty no longer read.
 * resume() gives it all back in the state it was in.
 */
function suspendInput(stdin: NodeJS.ReadStream, setRawMode: (on: boolean) => void): { stopped: Promise<void>; resume: () => void } {
  // When dockhand is Ink's only raw-mode user this removes Ink's listener and turns raw mode off;
  // with more users it only counts down, and the lines below do the rest. (Ink throws when stdin
  // is no tty: then there is no raw mode to leave.)
  quietly(() => setRawMode(false));
  if (stdin.isTTY) stdin.setRawMode(false);
  const listeners = stdin.listeners('readable') as Array<(...a: unknown[]) => void>;
  for (const listener of listeners) stdin.removeListener('readable', listener);
  const stopped = (async () => {
    // The stream leaves 'readable' mode on the next tick; only then does pause() emit 'pause',
    // on which Node stops reading process.stdin's tty.
    await nextTurn();
    stdin.pause();
    await nextTurn();
  })();
  return {
    stopped,
    resume: () => {
      if (stdin.isTTY) quietly(() => stdin.setRawMode(true));
      // Ink's listener comes back through Ink when it removed it, else with the others. Adding a
      // 'readable' listener restarts reading; resume() would switch to flowing mode and drop keys.
      quietly(() => setRawMode(true));
      for (const listener of listeners) {
        if (!stdin.listeners('readable').includes(listener)) stdin.addListener('readable', listener);
      }
    },
  };
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Promise<HandOverResult> {
  return new Promise((resolve) => {
    // stderr goes through dockhand only so that the CLI's last complaint survives the switch back
    // to the alternate screen; stdin and stdout are the terminal itself (the CLI needs both to be
    // a tty for -t). Never spawnSync: the event stream and everything else must keep running.
    const child = spawn(command, args, { env, stdio: ['inherit', 'inherit', 'pipe'] });
    let tail = Buffer.alloc(0);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.write(chunk);
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > STDERR_TAIL_BYTES) tail = tail.subarray(tail.length - STDERR_TAIL_BYTES);
    });
    // The tty sends ^C, ^\ and ^Z to dockhand too while the CLI has cooked mode (as it starts
    // and as it ends): dockhand must outlive them; the child handles its own.
    const ignore = () => undefined;
    for (const signal of TERMINAL_SIGNALS) process.on(signal, ignore);
    // If dockhand goes (SIGTERM, SIGHUP), the CLI must not stay behind holding the terminal.
    const killChild = () => child.kill('SIGHUP');
    process.on('exit', killChild);

    let settled = false;
    const finish = (result: HandOverResult) => {
      if (settled) return;
      settled = true;
      for (const signal of TERMINAL_SIGNALS) process.off(signal, ignore);
      process.off('exit', killChild);
      const last = lastLine(tail);
      resolve(last ? { ...result, stderrTail: last } : result);
    };
    const ended = (code: number | null, signal: NodeJS.Signals | null) => finish(signal ? { exitCode: null, signal } : { exitCode: code });
    child.once('error', (err) => finish({ exitCode: null, error: `cannot run ${command}: ${err.message}` }));
    // 'close' comes once stderr has been read to the end. A helper the CLI started (ssh for an
    // ssh context) could hold the pipe open after the CLI is gone, so 'exit' ends it soon anyway.
    child.once('close', ended);
    child.once('exit', (code, signal) => {
      setTimeout(() => {
        child.stderr?.destroy();
        ended(code, signal);
      }, STDERR_GRACE_MS);
    });
  });
}

function lastLine(bytes: Buffer): string | undefined {
  const lines = bytes.toString('utf8').split(/\r?\n|\r/).map((line) => sanitize(line).trim()).filter(Boolean);
  return lines.at(-1);
}
