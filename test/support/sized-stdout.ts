import { EventEmitter } from 'node:events';

/**
 * A terminal-sized stdout for Ink in view tests: ink-testing-library's is fixed at 100 columns and
 * has no rows. Every frame Ink writes is kept; `resize` behaves as a terminal window does.
 */
export class SizedStdout extends EventEmitter {
  readonly isTTY = true;
  readonly frames: string[] = [];

  constructor(public columns: number, public rows: number) {
    super();
  }

  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };

  lastFrame = (): string | undefined => this.frames.at(-1);

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}
