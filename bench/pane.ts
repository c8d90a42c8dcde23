// Watches a TmuxSession's screen closely enough to time frames: one control-mode client (tmux -C)
// carries every key and capture, where a `tmux` process per command costs ~14 ms on a busy 2-core
// machine (most of a 50 ms latency budget), and tmux reports each output of the program as it
// reads it, so a changed frame is captured when it arrives instead of at the next poll.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TmuxSession } from '../test/support/tmux.js';

interface PendingCommand {
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
}

export interface Seen {
  screen: string;
  /** performance.now() when the screen was read. */
  at: number;
}

export interface WaitOptions {
  /** What is awaited, for the timeout error. */
  what: string;
  timeoutMs?: number;
  /** Capture with colours and attributes (SGR sequences), as the selection is only an inverse row. */
  escapes?: boolean;
}

/** Single quotes for tmux's command parser; the keys and text sent here never contain one. */
function quote(arg: string): string {
  if (arg.includes("'")) throw new Error(`cannot quote ${JSON.stringify(arg)} for tmux`);
  return `'${arg}'`;
}

export const stripEscapes = (text: string) => text.replace(/\u001B\[[\d;]*m/g, '');

export class PaneControl {
  private readonly pending: PendingCommand[] = [];
  private block: string[] | undefined;
  private outputs = 0;
  private outputWaiters: Array<() => void> = [];

  private constructor(private readonly client: ChildProcessWithoutNullStreams, private readonly target: string) {
    createInterface({ input: client.stdout }).on('line', (line) => this.onLine(line));
    client.on('exit', () => this.failPending(new Error(`the tmux control client for ${target} exited`)));
  }

  static async attach(session: TmuxSession): Promise<PaneControl> {
    const client = spawn('tmux', ['-S', session.socket, '-f', '/dev/null', '-C', 'attach-session', '-t', session.name]);
    const control = new PaneControl(client, session.name);
    // tmux answers the attach itself with an empty %begin/%end block before any command.
    await new Promise<string[]>((resolve, reject) => control.pending.push({ resolve, reject }));
    return control;
  }

  /** tmux key names ('Enter', 'Escape') or single characters, as `tmux send-keys` takes them. */
  async press(...keys: string[]): Promise<void> {
    await this.command(`send-keys -t ${quote(this.target)} -- ${keys.map(quote).join(' ')}`);
  }

  /** Text typed literally. */
  async type(text: string): Promise<void> {
    await this.command(`send-keys -t ${quote(this.target)} -l -- ${quote(text)}`);
  }

  async capture(escapes = false): Promise<string> {
    return (await this.command(`capture-pane -p ${escapes ? '-e ' : ''}-t ${quote(this.target)}`)).join('\n');
  }

  /** The pid of the pane's shell, which runs the program. */
  async panePid(): Promise<number> {
    return Number((await this.command(`display-message -p -t ${quote(this.target)} '#{pane_pid}'`))[0]);
  }

  /** Resolves with the first screen for which `done` is true, read again on each output of the program. */
  async waitFor(done: (screen: string) => boolean, opts: WaitOptions): Promise<Seen> {
    const { timeoutMs = 10_000, escapes = false } = opts;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const outputsBefore = this.outputs;
      const screen = await this.capture(escapes);
      const at = performance.now();
      if (done(screen)) return { screen, at };
      if (at >= deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${opts.what}\n--- screen ---\n${stripEscapes(screen)}\n--------------`);
      }
      // Output that arrived during the capture may not be in it: read again at once then.
      if (this.outputs === outputsBefore) await this.nextOutput(deadline - at);
    }
  }

  detach(): void {
    this.client.stdin.end();
  }

  private nextOutput(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.outputWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private command(line: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.client.stdin.write(`${line}\n`);
    });
  }

  // Control mode: each command's answer is a %begin … %end (or %error) block, in order;
  // notifications such as %output come between blocks.
  private onLine(line: string): void {
    if (this.block) {
      if (line.startsWith('%end ') || line.startsWith('%error ')) {
        const block = this.block;
        this.block = undefined;
        const command = this.pending.shift();
        if (line.startsWith('%end ')) command?.resolve(block);
        else command?.reject(new Error(`tmux: ${block.join(' ')}`));
      } else {
        this.block.push(line);
      }
    } else if (line.startsWith('%begin ')) {
      this.block = [];
    } else if (line.startsWith('%output ')) {
      this.outputs += 1;
      const waiters = this.outputWaiters;
      this.outputWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private failPending(error: Error): void {
    for (const command of this.pending.splice(0)) command.reject(error);
  }
}
