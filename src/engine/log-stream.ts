// Container logs as lines: dockhand's own demultiplexer and line assembly for `GET /containers/ID/logs`.
// docker-modem's demuxStream treats a daemon error frame (type 3) as "not multiplexed" and leaks
// headers from then on, and concatenates buffers quadratically; and none of it joins the lines the
// daemon splits at 16 KiB. So the whole path from bytes to lines lives here.
import { addAbortSignal, type Readable } from 'node:stream';
import type { Engine } from './engine.js';

export type LogSource = 'stdout' | 'stderr' | 'daemon';

export interface LogLine {
  stream: LogSource;
  text: string;
  /** The engine's RFC 3339 time with nanoseconds, when timestamps were asked for. */
  time?: string;
}

export interface LogOptions {
  /** How many of the last lines to send first (the engine's `tail`). */
  tail: number;
  /** Keep the stream open for new lines. */
  follow: boolean;
  /** Ask the engine for each message's time (LogLine.time). */
  timestamps: boolean;
  /** Seconds since the epoch, fractions allowed. */
  since?: number;
  until?: number;
  /** The container's Config.Tty: TTY logs are raw bytes, others are framed. Never guessed from the bytes. */
  tty: boolean;
}

/** A piece of one framed message. */
export interface LogFrame {
  stream: LogSource;
  bytes: Buffer;
  /** These bytes continue the previous piece's message (a message larger than the demuxer holds at once). */
  continuation: boolean;
}

const HEADER_BYTES = 8;
/** The engine's json-file and local drivers split messages at 16 KiB; anything much larger is held in pieces. */
const DEFAULT_MAX_PIECE_BYTES = 64 * 1024;
/** Long enough for any log line a person reads; longer ones are cut so one line cannot fill memory. */
const MAX_LINE_LENGTH = 64 * 1024;
export const LINE_CUT_MARKER = ' …[line cut]';

/**
 * Stream types in the frame header. 0 (stdin) only appears on attach streams and is shown as
 * stdout, as the Docker CLI does; 3 carries the daemon's own error text ("Error grabbing logs").
 * Other values never come from an engine; they are shown as daemon text rather than dropped.
 */
function sourceOf(type: number): LogSource {
  if (type === 0 || type === 1) return 'stdout';
  return type === 2 ? 'stderr' : 'daemon';
}

/**
 * Splits a multiplexed (non-TTY) log stream into its messages: 8-byte headers
 * [type, 0, 0, 0, size uint32 BE] each followed by `size` bytes. Network chunks cut frames
 * anywhere, so bytes wait in a list of chunks (never concatenated as they come: that would copy
 * the buffer again on every chunk) until a whole message, or `maxPieceBytes` of it, is there.
 */
export class LogDemuxer {
  private readonly chunks: Buffer[] = [];
  /** Bytes of chunks[0] already consumed. */
  private offset = 0;
  private buffered = 0;
  /** The message whose header has been read: its stream, payload bytes still to come, and whether a piece went out. */
  private frame: { stream: LogSource; remaining: number; continuation: boolean } | undefined;

  constructor(private readonly maxPieceBytes = DEFAULT_MAX_PIECE_BYTES) {}

  /** Returns the messages (or pieces of oversized ones) this chunk completes. */
  push(chunk: Buffer): LogFrame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: LogFrame[] = [];
    for (;;) {
      if (!this.frame) {
        if (this.buffered < HEADER_BYTES) break;
        const header = this.take(HEADER_BYTES);
        this.frame = { stream: sourceOf(header[0] ?? 0), remaining: header.readUInt32BE(4), continuation: false };
      }
      const size = Math.min(this.frame.remaining, this.maxPieceBytes);
      if (this.buffered < size) break;
      if (size > 0) frames.push({ stream: this.frame.stream, bytes: this.take(size), continuation: this.frame.continuation });
      this.frame.remaining -= size;
      this.frame.continuation = true;
      if (this.frame.remaining === 0) this.frame = undefined;
    }
    return frames;
  }

  /** Bytes of an unfinished frame, header included: non-zero when the stream ends, it was cut short. */
  get pendingBytes(): number {
    return this.buffered + (this.frame ? HEADER_BYTES : 0);
  }

  /**
   * Removes the next n (≤ buffered) bytes. Bytes inside one chunk are a view of it; bytes that
   * span chunks are copied once, and the used-up chunks leave the list in one splice (shifting
   * them one by one would cost the length of the list each time: a frame sent a byte at a time).
   */
  private take(n: number): Buffer {
    this.buffered -= n;
    const parts: Buffer[] = [];
    let needed = n;
    let used = 0;
    for (const chunk of this.chunks) {
      const available = chunk.length - this.offset;
      if (available > needed) {
        parts.push(chunk.subarray(this.offset, this.offset + needed));
        this.offset += needed;
        break;
      }
      parts.push(chunk.subarray(this.offset));
      needed -= available;
      used += 1;
      this.offset = 0;
      if (needed === 0) break;
    }
    this.chunks.splice(0, used);
    return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, n);
  }
}

/** The timestamp the engine puts before each message: RFC 3339 with nanoseconds, then a space. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
/** Longer than any timestamp: if no space comes by then, there was none. */
const MAX_TIMESTAMP_BYTES = 40;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * Turns one stream's bytes into lines. A line is complete only at \n, so the parts of a line the
 * daemon split into several messages (all but the last end without \n) join up by themselves;
 * with timestamps, every part's timestamp is removed and the first part's kept. UTF-8 is decoded
 * in streaming mode, so a character cut between chunks or messages survives, and invalid bytes
 * become U+FFFD. Lines longer than maxLineLength are cut, so one line cannot fill memory.
 */
export class LogLineAssembler {
  private readonly decoder = new TextDecoder('utf-8');
  private parts: string[] = [];
  private length = 0;
  private cut = false;
  private time: string | undefined;
  /** The bytes of a timestamp being read, while one is expected at this position. */
  private stamp: number[] | undefined;

  /**
   * @param framed the bytes come in delimited messages (multiplexed streams), each starting with
   *   its timestamp. A TTY stream has no delimiters, so a timestamp is expected at the start of
   *   each line only, and the inner timestamps of a line the daemon split stay in its text.
   */
  constructor(
    private readonly stream: LogSource,
    private readonly timestamps: boolean,
    private readonly framed: boolean,
    private readonly maxLineLength = MAX_LINE_LENGTH,
  ) {
    if (timestamps && !framed) this.stamp = [];
  }

  /** Returns the lines these bytes complete. `messageStart`: the bytes begin a framed message. */
  push(bytes: Buffer, messageStart = false): LogLine[] {
    if (this.timestamps && this.framed && messageStart) {
      this.releaseStamp();
      this.stamp = [];
    }
    const lines: LogLine[] = [];
    this.consume(bytes, lines);
    return lines;
  }

  /** The last line, when the stream ended without a newline. */
  flush(): LogLine[] {
    this.releaseStamp();
    this.append(this.decoder.decode());
    return this.length > 0 || this.time !== undefined ? [this.finishLine()] : [];
  }

  private consume(bytes: Buffer, lines: LogLine[]): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.stamp) {
        at = this.readTimestamp(bytes, at, lines);
        continue;
      }
      const newline = bytes.indexOf(NEWLINE, at);
      const end = newline === -1 ? bytes.length : newline;
      this.append(this.decoder.decode(bytes.subarray(at, end), { stream: true }));
      if (newline === -1) return;
      lines.push(this.finishLine());
      at = newline + 1;
    }
  }

  /** Reads timestamp bytes from `at` (a timestamp may be cut between chunks); returns where the rest begins. */
  private readTimestamp(bytes: Buffer, at: number, lines: LogLine[]): number {
    const stamp = this.stamp ?? [];
    while (at < bytes.length) {
      const byte = bytes[at++] ?? NEWLINE;
      if (byte !== SPACE && byte !== NEWLINE && stamp.length < MAX_TIMESTAMP_BYTES) {
        stamp.push(byte);
        continue;
      }
      this.stamp = undefined;
      const text = Buffer.from(stamp).toString('latin1');
      if (byte === SPACE && TIMESTAMP.test(text)) {
        // Only a line's first part tells its time; its continuations' timestamps are dropped.
        if (this.length === 0) this.time ??= text;
      } else {
        // No timestamp after all (only a misbehaving stream does this): the bytes are text.
        this.consume(Buffer.from([...stamp, byte]), lines);
      }
      return at;
    }
    return at;
  }

  /** Bytes read as a timestamp that never finished (its message or the stream ended first) were text. */
  private releaseStamp(): void {
    if (this.stamp) this.append(this.decoder.decode(Buffer.from(this.stamp), { stream: true }));
    this.stamp = undefined;
  }

  private append(text: string): void {
    if (this.cut || text.length === 0) return;
    const room = this.maxLineLength - this.length;
    if (text.length > room) {
      // Cutting between the halves of a surrogate pair would leave half a character on screen.
      const lead = text.charCodeAt(room - 1);
      const end = lead >= 0xd800 && lead <= 0xdbff ? room - 1 : room;
      this.parts.push(text.slice(0, end), LINE_CUT_MARKER);
      this.length = this.maxLineLength;
      this.cut = true;
      return;
    }
    this.parts.push(text);
    this.length += text.length;
  }

  private finishLine(): LogLine {
    // \n never occurs inside a UTF-8 sequence, so whatever the decoder still holds is invalid.
    this.append(this.decoder.decode());
    const text = this.parts.join('');
    const line: LogLine = {
      stream: this.stream,
      text: !this.cut && text.endsWith('\r') ? text.slice(0, -1) : text,
      ...(this.time !== undefined ? { time: this.time } : {}),
    };
    this.parts = [];
    this.length = 0;
    this.cut = false;
    this.time = undefined;
    if (this.timestamps && !this.framed) this.stamp = [];
    return line;
  }
}

/** A whole log stream, framed or TTY, as lines. */
export class LogParser {
  /** TTY streams carry no frames: everything is stdout. */
  private readonly demuxer: LogDemuxer | undefined;
  private readonly assemblers = new Map<LogSource, LogLineAssembler>();

  constructor(private readonly options: Pick<LogOptions, 'tty' | 'timestamps'>) {
    this.demuxer = options.tty ? undefined : new LogDemuxer();
  }

  push(chunk: Buffer): LogLine[] {
    if (!this.demuxer) return this.assembler('stdout').push(chunk);
    return this.demuxer.push(chunk).flatMap((frame) => this.assembler(frame.stream).push(frame.bytes, !frame.continuation));
  }

  /** The unfinished lines when the stream ends, and a daemon line if it ended inside a message. */
  end(): LogLine[] {
    const lines = [...this.assemblers.values()].flatMap((assembler) => assembler.flush());
    if (this.demuxer && this.demuxer.pendingBytes > 0) {
      lines.push({ stream: 'daemon', text: 'The log stream ended in the middle of a message.' });
    }
    return lines;
  }

  private assembler(stream: LogSource): LogLineAssembler {
    let assembler = this.assemblers.get(stream);
    if (!assembler) {
      assembler = new LogLineAssembler(stream, this.options.timestamps, !this.options.tty);
      this.assemblers.set(stream, assembler);
    }
    return assembler;
  }
}

/**
 * Yields the lines of a log response body until it ends or the signal aborts. An abort destroys
 * the stream at once, even while a followed log is idle.
 */
export async function* readLogLines(
  stream: Readable,
  options: Pick<LogOptions, 'tty' | 'timestamps'>,
  signal: AbortSignal,
): AsyncGenerator<LogLine> {
  const parser = new LogParser(options);
  addAbortSignal(signal, stream);
  try {
    for await (const chunk of stream) {
      for (const line of parser.push(chunk as Buffer)) {
        if (signal.aborted) return;
        yield line;
      }
    }
    yield* parser.end();
  } catch (err) {
    // The abort destroys the stream, which ends the loop with an AbortError: that is the stop.
    if (!signal.aborted) throw err;
  } finally {
    stream.destroy();
  }
}

/** The last `count` lines of a container's log (the Overview's "before it exited"), with their times. */
export async function tailLogLines(engine: Engine, id: string, tty: boolean, count: number, signal: AbortSignal): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of await engine.logs(id, { tail: count, follow: false, timestamps: true, tty }, signal)) {
    lines.push(line);
  }
  return lines;
}
