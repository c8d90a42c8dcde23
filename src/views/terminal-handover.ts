// Lends the whole terminal to a child process (a shell in a container, `docker attach`) and takes
// it back with the dashboard redrawn, the way an editor spawned from a shell works.
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

const LEAVE_ALT_SCREEN = '\u001B[?1049l';
// 1049h switches to a cleared alternate screen; the cursor goes home and hides again (Ink hides
// it only once per run, so it would otherwise stay visible over the dashboard).
const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H\u001B[?25l';
const SHOW_CURSOR = '\u001B[?25h';
/** How much of the child's stderr is kept for stderrTail. */
const STDERR_TAIL_BYTES = 4096;
/** How long stderr may stay open after the child has exited. */
const STDERR_GRACE_MS = 250;
/** Keys that make the tty signal its foreground process group, which dockhand shares with the child. */
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];

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
  const { command, args, env, stdin, stdout, setRawMode } = opts;
  const resolved = findExecutable(command, env);
  if (!resolved) return { exitCode: null, error: opts.missingCommand ?? `${command} is not installed` };

  let mute: ReturnType<typeof muteWrites> | undefined;
  let input: ReturnType<typeof suspendInput> | undefined;
  let leftScreen = false;
  let result: HandOverResult;
  try {
    mute = muteWrites(stdout);
    input = suspendInput(stdin, setRawMode);
    await input.stopped;
    mute.write(LEAVE_ALT_SCREEN + SHOW_CURSOR + (opts.banner ? `${sanitize(opts.banner)}\r\n` : ''));
    leftScreen = true;
    result = await runChild(resolved, args, env, opts.stderr ?? process.stderr);
  } catch (err) {
    result = { exitCode: null, error: (err as Error).message };
  } finally {
    // Each step on its own: one that throws must not keep the others from putting things back.
    if (leftScreen) quietly(() => mute?.write(ENTER_ALT_SCREEN));
    quietly(() => input?.resume());
    quietly(() => mute?.restore());
    quietly(opts.redraw ?? (() => stdout.emit('resize')));
  }
  return result;
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
