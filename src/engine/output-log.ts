// The output of something that runs for a while (a compose command, a build): its newest lines in
// a bounded buffer as a terminal would show them, how many older ones went, and how it ended.
import { cleanTerminalText, stripSgr } from './ansi.js';

export interface RunOutput<Outcome> {
  /** The newest lines, in the order they arrived */
  lines: readonly string[];
  /** Older lines the buffer let go */
  dropped: number;
  /** undefined while it runs */
  outcome: Outcome | undefined;
  /** Moves with every line and with the end: redraw only when it moved */
  version: number;
}

/** What a view needs of a running thing with output: a compose command, a build. */
export interface OutputRun<Outcome> {
  readonly done: Promise<Outcome>;
  output(): RunOutput<Outcome>;
  /** Asks it to stop; it ends with an outcome all the same. */
  cancel(): void;
}

export const DEFAULT_MAX_OUTPUT_LINES = 2_000;

export class OutputLog<Outcome> {
  private buffer: string[] = [];
  private trimmed = 0;
  private outcome: Outcome | undefined;
  private version = 0;

  constructor(private readonly maxLines = DEFAULT_MAX_OUTPUT_LINES) {}

  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    // Progress redraws (\r) and colours are for terminals; what is kept is the text a terminal would show.
    for (const line of lines) this.buffer.push(stripSgr(cleanTerminalText(line)));
    // Trimmed in batches: one slice per maxLines lines rather than a shift per line.
    if (this.buffer.length >= 2 * this.maxLines) {
      this.trimmed += this.buffer.length - this.maxLines;
      this.buffer = this.buffer.slice(-this.maxLines);
    }
    this.version += 1;
  }

  /** The first outcome stays: a late second one (a kill timer after the exit) changes nothing. */
  finish(outcome: Outcome): Outcome {
    this.outcome ??= outcome;
    this.version += 1;
    return this.outcome;
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  output(): RunOutput<Outcome> {
    const excess = Math.max(0, this.buffer.length - this.maxLines);
    return { lines: this.buffer.slice(excess), dropped: this.trimmed + excess, outcome: this.outcome, version: this.version };
  }
}
