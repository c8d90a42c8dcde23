// Property tests for the log path: multiplexed frames (or TTY bytes) → lines. Network chunks cut
// frames, headers and UTF-8 characters anywhere; the daemon splits long lines into 16 KiB messages;
// a stream can end inside a frame. None of that may change the lines, mix the streams or throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINE_CUT_MARKER, LogDemuxer, LogLineAssembler, LogParser, type LogLine, type LogSource } from '../../src/engine/log-stream.js';

const HEADER_BYTES = 8;
/** The json-file and local drivers' message size. */
const DAEMON_SPLIT_BYTES = 16 * 1024;
const TRUNCATED_NOTICE: LogLine = { stream: 'daemon', text: 'The log stream ended in the middle of a message.' };

/** Text weighted towards multi-byte characters and line structure. */
const text = (maxLength = 40) => fc.string({
  unit: fc.oneof(
    fc.constantFrom('é', '€', '日', '🐳', '\n', '\r', '\r\n', ' ', '\x1b[31m'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  maxLength,
});

/** Valid UTF-8 most of the time, arbitrary bytes (invalid sequences, stray continuation bytes) sometimes. */
const payload: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: text().map((t) => Buffer.from(t, 'utf8')), weight: 4 },
  { arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
);

interface Message {
  type: number;
  bytes: Buffer;
}

/** Mostly stdout and stderr; stdin (0), daemon errors (3) and types no engine sends now and then. */
const messageType = fc.oneof(
  { arbitrary: fc.constantFrom(1, 2), weight: 6 },
  { arbitrary: fc.constantFrom(0, 3), weight: 2 },
  { arbitrary: fc.integer({ min: 4, max: 255 }), weight: 1 },
);
const messages: fc.Arbitrary<Message[]> = fc.array(fc.record({ type: messageType, bytes: payload }), { maxLength: 10 });

function frame({ type, bytes }: Message): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = type;
  header.writeUInt32BE(bytes.length, 4);
  return Buffer.concat([header, bytes]);
}

/** No lone surrogate: what a cut through a character's UTF-16 pair leaves. */
function wellFormed(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}

function sourceOf(type: number): LogSource {
  return type === 0 || type === 1 ? 'stdout' : type === 2 ? 'stderr' : 'daemon';
}

/** Cut points anywhere, inside headers and characters included. */
const cuts = fc.array(fc.nat(), { maxLength: 16 });

function chunked(buffer: Buffer, at: readonly number[]): Buffer[] {
  const bounds = [0, ...[...new Set(at.map((cut) => cut % (buffer.length + 1)))].sort((a, b) => a - b), buffer.length];
  return bounds.slice(1).map((end, i) => buffer.subarray(bounds[i], end));
}

function parseAll(chunks: readonly Buffer[], options: { tty: boolean; timestamps: boolean }): LogLine[] {
  const parser = new LogParser(options);
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

/**
 * The lines one stream's bytes make, decoded as a whole: split at \n, one \r before it dropped, a
 * last line without \n kept unless empty. (\n never occurs inside a UTF-8 sequence, so decoding
 * the whole and decoding line by line give the same replacement characters.)
 */
function modelLines(bytes: Buffer): string[] {
  const lines = new TextDecoder().decode(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** What the engine writes before each message when asked for timestamps. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 time with 1 to 9 fraction digits, as the engine writes before each message. */
const timestamp = fc.tuple(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  fc.stringMatching(/^\d{1,9}$/),
).map(([date, fraction]) => `${date.toISOString().slice(0, 19)}.${fraction}Z`);

describe('LogDemuxer (property)', () => {
  it('hands out every message whole, or in pieces of at most its limit that join up, however chunked', () => {
    fc.assert(fc.property(messages, fc.integer({ min: 1, max: 16 }), cuts, (msgs, maxPiece, at) => {
      const demuxer = new LogDemuxer(maxPiece);
      const pieces = chunked(Buffer.concat(msgs.map(frame)), at).flatMap((chunk) => demuxer.push(chunk));
      const rejoined: Array<{ stream: LogSource; bytes: Buffer }> = [];
      for (const piece of pieces) {
        expect(piece.bytes.length).toBeGreaterThan(0);
        expect(piece.bytes.length).toBeLessThanOrEqual(maxPiece);
        const last = rejoined.at(-1);
        if (piece.continuation && last) last.bytes = Buffer.concat([last.bytes, piece.bytes]);
        else rejoined.push({ stream: piece.stream, bytes: piece.bytes });
      }
      const nonEmpty = msgs.filter((m) => m.bytes.length > 0);
      expect(rejoined).toEqual(nonEmpty.map((m) => ({ stream: sourceOf(m.type), bytes: m.bytes })));
      expect(demuxer.pendingBytes).toBe(0);
    }));
  });
});

describe('LogParser on framed streams (property)', () => {
  const FRAMED = { tty: false, timestamps: false };

  it('gives the same lines however the bytes are chunked', () => {
    fc.assert(fc.property(messages, cuts, (msgs, at) => {
      const stream = Buffer.concat(msgs.map(frame));
      expect(parseAll(chunked(stream, at), FRAMED)).toEqual(parseAll([stream], FRAMED));
    }));
  });

  it('gives the same lines fed one byte at a time', () => {
    fc.assert(fc.property(messages, (msgs) => {
      const stream = Buffer.concat(msgs.map(frame));
      expect(parseAll([...stream].map((byte) => Buffer.from([byte])), FRAMED)).toEqual(parseAll([stream], FRAMED));
    }), { numRuns: 30 });
  });

  it('keeps each stream apart: its lines are what its own bytes say, split characters and all', () => {
    fc.assert(fc.property(messages, cuts, (msgs, at) => {
      const lines = parseAll(chunked(Buffer.concat(msgs.map(frame)), at), FRAMED);
      for (const source of ['stdout', 'stderr', 'daemon'] as const) {
        const own = Buffer.concat(msgs.filter((m) => sourceOf(m.type) === source).map((m) => m.bytes));
        expect(lines.filter((line) => line.stream === source).map((line) => line.text), source).toEqual(modelLines(own));
      }
    }));
  });

  it('never yields malformed UTF-16, whatever bytes come', () => {
    fc.assert(fc.property(messages, cuts, (msgs, at) => {
      for (const line of parseAll(chunked(Buffer.concat(msgs.map(frame)), at), FRAMED)) expect(wellFormed(line.text)).toBe(true);
    }));
  });

  it('rejoins a line the daemon split into 16 KiB messages, keeping the first timestamp, stderr in between', () => {
    const longLine = fc.string({
      unit: fc.constantFrom('a', 'é', '€', '🐳', ' '),
      minLength: Math.floor(DAEMON_SPLIT_BYTES / 3),
      maxLength: 3 * DAEMON_SPLIT_BYTES / 2,
    });
    fc.assert(fc.property(longLine, fc.array(timestamp, { minLength: 12, maxLength: 12 }), fc.string({ unit: 'grapheme-ascii', maxLength: 10 }), cuts,
      (line, times, error, at) => {
        const bytes = Buffer.from(`${line}\n`, 'utf8');
        const parts: Buffer[] = [];
        // The daemon counts bytes, so a part can end inside a character.
        for (let start = 0; start < bytes.length; start += DAEMON_SPLIT_BYTES) parts.push(bytes.subarray(start, start + DAEMON_SPLIT_BYTES));
        const stream = Buffer.concat(parts.flatMap((part, i) => [
          frame({ type: 1, bytes: Buffer.concat([Buffer.from(`${times[i] ?? times[0]} `), part]) }),
          frame({ type: 2, bytes: Buffer.from(`${times[i] ?? times[0]} ${error.replaceAll('\n', ' ')}\n`) }),
        ]));
        const lines = parseAll(chunked(stream, at), { tty: false, timestamps: true });
        expect(lines.filter((l) => l.stream === 'stdout')).toEqual([{ stream: 'stdout', text: line, time: times[0] }]);
        expect(lines.filter((l) => l.stream === 'stderr')).toHaveLength(parts.length);
      }), { numRuns: 20 });
  });

  it('does not throw on a stream that ends anywhere, and says when it ended inside a frame', () => {
    fc.assert(fc.property(messages, fc.nat(), cuts, (msgs, end, at) => {
      const frames = msgs.map(frame);
      const stream = Buffer.concat(frames);
      const cut = end % (stream.length + 1);
      let whole = 0;
      let complete = 0;
      while (whole < frames.length && complete + (frames[whole]?.length ?? 0) <= cut) complete += frames[whole++]?.length ?? 0;
      const expected = [...parseAll([stream.subarray(0, complete)], FRAMED), ...(cut > complete ? [TRUNCATED_NOTICE] : [])];
      expect(parseAll(chunked(stream.subarray(0, cut), at), FRAMED)).toEqual(expected);
    }));
  });

  it('does not throw on arbitrary bytes read as frames, with or without timestamps', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), cuts, fc.boolean(), (bytes, at, timestamps) => {
      const stream = Buffer.from(bytes);
      expect(parseAll(chunked(stream, at), { tty: false, timestamps })).toEqual(parseAll([stream], { tty: false, timestamps }));
    }));
  });

  it('with timestamps asked for, keeps every byte that is not a message\'s leading timestamp', () => {
    const prefix = fc.oneof(timestamp.map((t) => `${t} `), timestamp, fc.constant(''), fc.string({ unit: 'grapheme-ascii', maxLength: 8 }));
    const stamped = fc.array(fc.record({ type: fc.constantFrom(1, 2), prefix, bytes: payload }), { maxLength: 8 });
    // A last message per stream ends whatever line is open, so an empty stamped line cannot be left at the end.
    const closing = (type: number) => ({ type, bytes: Buffer.from('2024-06-01T12:00:00.5Z end\n') });
    fc.assert(fc.property(stamped, cuts, (generated, at) => {
      const msgs = [...generated.map(({ type, prefix: p, bytes }) => ({ type, bytes: Buffer.concat([Buffer.from(p), bytes]) })), closing(1), closing(2)];
      const lines = parseAll(chunked(Buffer.concat(msgs.map(frame)), at), { tty: false, timestamps: true });
      for (const source of ['stdout', 'stderr'] as const) {
        const own = msgs.filter((m) => sourceOf(m.type) === source).map(({ bytes }) => {
          // The engine's timestamp is at most 40 bytes, then a space.
          const stamp = /^([^ \n]{0,40}) /.exec(bytes.subarray(0, 41).toString('latin1'));
          return stamp && TIMESTAMP.test(stamp[1] ?? '') ? bytes.subarray(stamp[0].length) : bytes;
        });
        expect(lines.filter((line) => line.stream === source).map((line) => line.text), source).toEqual(modelLines(Buffer.concat(own)));
      }
    }), { examples: [[[{ type: 2, prefix: '', bytes: Buffer.from('é') }, { type: 2, prefix: '2000-01-01T00:00:00.0Z ', bytes: Buffer.from('x') }], []]] });
  });

  it('takes the timestamp off every message, whatever the chunking', () => {
    const stamped = fc.array(fc.record({ type: fc.constantFrom(1, 2), time: timestamp, line: text(20) }), { maxLength: 8 });
    fc.assert(fc.property(stamped, cuts, (msgs, at) => {
      const whole = msgs.map(({ type, time, line }) => ({ type, bytes: Buffer.from(`${time} ${line.replaceAll('\n', ' ')}\n`, 'utf8') }));
      const lines = parseAll(chunked(Buffer.concat(whole.map(frame)), at), { tty: false, timestamps: true });
      expect(lines.map((l) => [l.stream, l.time])).toEqual(msgs.map((m) => [sourceOf(m.type), m.time]));
    }));
  });
});

describe('LogParser on TTY streams (property)', () => {
  it('gives the same lines however the raw bytes are chunked, with or without timestamps', () => {
    fc.assert(fc.property(fc.array(payload, { maxLength: 6 }), cuts, fc.boolean(), (pieces, at, timestamps) => {
      const stream = Buffer.concat(pieces);
      const options = { tty: true, timestamps };
      expect(parseAll(chunked(stream, at), options)).toEqual(parseAll([stream], options));
    }));
  });

  it('reads raw bytes as the lines the same stdout bytes give when framed', () => {
    fc.assert(fc.property(fc.array(payload, { maxLength: 6 }), cuts, (pieces, at) => {
      const framed = Buffer.concat(pieces.map((bytes) => frame({ type: 1, bytes })));
      const raw = Buffer.concat(pieces);
      expect(parseAll(chunked(raw, at), { tty: true, timestamps: false }))
        .toEqual(parseAll(chunked(framed, at), { tty: false, timestamps: false }));
    }));
  });

  it('reads one timestamped line per message as framed streams do', () => {
    const lines = fc.array(fc.tuple(timestamp, text(20).map((t) => t.replaceAll('\n', ' '))), { maxLength: 8 });
    fc.assert(fc.property(lines, cuts, (entries, at) => {
      const messagesOf = entries.map(([time, line]) => Buffer.from(`${time} ${line}\n`, 'utf8'));
      const framed = Buffer.concat(messagesOf.map((bytes) => frame({ type: 1, bytes })));
      expect(parseAll(chunked(Buffer.concat(messagesOf), at), { tty: true, timestamps: true }))
        .toEqual(parseAll([framed], { tty: false, timestamps: true }));
    }));
  });
});

describe('LogLineAssembler line cap (property)', () => {
  it('cuts at the cap whatever the chunking, never inside a character, and keeps the next line', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), text(40), text(20), cuts, (cap, long, next, at) => {
      const bytes = Buffer.from(`${long.replaceAll('\n', ' ')}\n${next.replaceAll('\n', ' ')}\n`, 'utf8');
      const run = (chunks: Buffer[]) => {
        const assembler = new LogLineAssembler('stdout', false, true, cap);
        return [...chunks.flatMap((chunk) => assembler.push(chunk)), ...assembler.flush()];
      };
      const lines = run(chunked(bytes, at));
      expect(lines).toEqual(run([bytes]));
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(wellFormed(line.text)).toBe(true);
        expect(line.text.length).toBeLessThanOrEqual(cap + LINE_CUT_MARKER.length);
      }
    }), { examples: [[1, '\u{10000}', '', []]] });
  });
});
