// The lines of one followed log, bounded. A container can write tens of thousands of lines a
// second for as long as it likes; dockhand keeps the newest ones within a line count and a byte
// budget, says how many it let go, and never holds the lines in React state (the view reads
// slices of the buffer at its own rate, watching `version`).

export interface LogEntry {
  /** Increases by one per push, across drops and clear(): a stable key for a line. */
  seq: number;
  /** A log line, a lifecycle separator (exit / restart), or dockhand's own notice (e.g. an unreadable log driver). */
  kind: 'line' | 'restart' | 'notice';
  stream: 'stdout' | 'stderr' | 'daemon';
  /** Cleaned for display (cleanTerminalText): SGR colours kept, other controls gone. */
  text: string;
  /** `text` without SGR: for search, filters and width. */
  plain: string;
  /** RFC 3339 with nanoseconds, as the engine sent it. */
  time?: string;
  /** `time` in ms since the epoch. */
  timeMs?: number;
  /** On restart separators: the exit code of the run that ended. */
  exitCode?: number;
}

export interface LogBufferOptions {
  /** Default 50,000. */
  maxLines?: number;
  /** Budget for text + plain, counted in string length (approximate bytes). Default 32 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_LINES = 50_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** What one entry costs against maxBytes. String length is what V8 stores for one-byte text; close enough for a cap. */
function costOf(entry: Pick<LogEntry, 'text' | 'plain'>): number {
  return entry.text.length + entry.plain.length;
}

/**
 * A ring of log entries bounded by a line count and a byte budget, oldest dropped first. A
 * circular array: push is O(1) and dropping the oldest of 50,000 lines moves nothing.
 */
export class LogBuffer {
  readonly maxLines: number;
  readonly maxBytes: number;
  /** Slots grow up to maxLines as lines come, then are reused. */
  private readonly slots: Array<LogEntry | undefined> = [];
  /** Index in slots of the oldest kept entry. */
  private head = 0;
  private count = 0;
  private byteCount = 0;
  private nextSeq = 0;
  private droppedCount = 0;
  private changes = 0;

  constructor(options: LogBufferOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(options.maxLines ?? DEFAULT_MAX_LINES));
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
  }

  /** Entries kept. */
  get length(): number {
    return this.count;
  }

  /** Entries dropped so far to stay within the bounds (clear() starts it again). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Approximate bytes held (text + plain). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Changes on every push and clear: a renderer compares it to know whether to draw again. */
  get version(): number {
    return this.changes;
  }

  /** Adds an entry at the end and returns it with its seq; drops the oldest while over either bound (never the entry just pushed). */
  push(entry: Omit<LogEntry, 'seq'>): LogEntry {
    // Built field by field: an object spread costs ~25 times more, at tens of thousands of lines a
    // second. An entry passed back in with an old seq gets a new one.
    const stored: LogEntry = { seq: this.nextSeq++, kind: entry.kind, stream: entry.stream, text: entry.text, plain: entry.plain };
    if (entry.time !== undefined) stored.time = entry.time;
    if (entry.timeMs !== undefined) stored.timeMs = entry.timeMs;
    if (entry.exitCode !== undefined) stored.exitCode = entry.exitCode;
    if (this.count === this.maxLines) this.dropOldest();
    const tail = (this.head + this.count) % this.maxLines;
    if (tail === this.slots.length) this.slots.push(stored);
    else this.slots[tail] = stored;
    this.count += 1;
    this.byteCount += costOf(stored);
    while (this.byteCount > this.maxBytes && this.count > 1) this.dropOldest();
    this.changes += 1;
    return stored;
  }

  /** The entry at `index`, 0 being the oldest kept. */
  at(index: number): LogEntry | undefined {
    const i = Math.trunc(index);
    if (!(i >= 0 && i < this.count)) return undefined;
    return this.slots[(this.head + i) % this.maxLines];
  }

  /** Entries from `from` up to (not including) `to`, with Array.prototype.slice's rules for negative and missing bounds. */
  slice(from = 0, to = this.count): LogEntry[] {
    const start = clampIndex(from, this.count);
    const end = clampIndex(to, this.count);
    const out: LogEntry[] = [];
    for (let i = start; i < end; i++) {
      const entry = this.slots[(this.head + i) % this.maxLines];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Where the entry with this seq is now (-1 when dropped, cleared, or not pushed yet): keeps a scroll position across drops. */
  indexOfSeq(seq: number): number {
    const first = this.at(0);
    if (!first) return -1;
    const index = seq - first.seq;
    return index >= 0 && index < this.count ? index : -1;
  }

  /** Empties the buffer (seq keeps increasing, so old keys never come back). */
  clear(): void {
    this.slots.length = 0;
    this.head = 0;
    this.count = 0;
    this.byteCount = 0;
    this.droppedCount = 0;
    this.changes += 1;
  }

  private dropOldest(): void {
    const entry = this.slots[this.head];
    // Free the slot at once: a dropped 64 KiB line must not wait for its slot to be reused.
    this.slots[this.head] = undefined;
    if (entry) this.byteCount -= costOf(entry);
    this.head = (this.head + 1) % this.maxLines;
    this.count -= 1;
    this.droppedCount += 1;
  }
}

function clampIndex(index: number, length: number): number {
  const i = Number.isNaN(index) ? 0 : Math.trunc(index);
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}
