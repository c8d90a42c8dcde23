import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  LINE_CUT_MARKER, LogDemuxer, LogLineAssembler, LogParser, readLogLines, tailLogLines,
  type LogFrame, type LogLine,
} from '../../src/engine/log-stream.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const DAEMON = 3;

/** One multiplexed message: [type, 0, 0, 0, size uint32 BE] + payload. */
function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** The engine's timestamp format: RFC 3339 with nanoseconds, then a space. */
function stamped(time: string, text: string): string {
  return `${time} ${text}`;
}

function demuxAll(chunks: readonly Buffer[], maxPieceBytes?: number): LogFrame[] {
  const demuxer = new LogDemuxer(maxPieceBytes);
  return chunks.flatMap((chunk) => demuxer.push(chunk));
}

function parseAll(chunks: readonly Buffer[], options: { tty: boolean; timestamps: boolean }): LogLine[] {
  const parser = new LogParser(options);
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

function bytesAt(buffer: Buffer, ...cuts: number[]): Buffer[] {
  const bounds = [0, ...cuts, buffer.length];
  return bounds.slice(1).map((end, i) => buffer.subarray(bounds[i], end));
}

const FRAMED = { tty: false, timestamps: false };

describe('LogDemuxer', () => {
  const MESSAGES: Array<[number, string]> = [
    [STDOUT, 'hello\n'], [STDERR, 'oops: café\n'], [STDOUT, '🐳 whale\n'], [DAEMON, 'Error grabbing logs: boom'],
  ];
  const STREAM = Buffer.concat(MESSAGES.map(([type, text]) => frame(type, text)));
  const EXPECTED: LogFrame[] = [
    { stream: 'stdout', bytes: Buffer.from('hello\n'), continuation: false },
    { stream: 'stderr', bytes: Buffer.from('oops: café\n'), continuation: false },
    { stream: 'stdout', bytes: Buffer.from('🐳 whale\n'), continuation: false },
    { stream: 'daemon', bytes: Buffer.from('Error grabbing logs: boom'), continuation: false },
  ];

  it('returns several frames that share one chunk', () => {
    expect(demuxAll([STREAM])).toEqual(EXPECTED);
  });

  it('reassembles frames split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(demuxAll(bytesAt(STREAM, cut)), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('reassembles frames split at every pair of byte boundaries', () => {
    for (let first = 0; first <= STREAM.length; first++) {
      for (let second = first; second <= STREAM.length; second++) {
        expect(demuxAll(bytesAt(STREAM, first, second)), `cuts at ${first} and ${second}`).toEqual(EXPECTED);
      }
    }
  });

  it('reassembles frames fed one byte at a time', () => {
    expect(demuxAll([...STREAM].map((byte) => Buffer.from([byte])))).toEqual(EXPECTED);
  });

  it('keeps reading after a daemon error frame (docker-modem leaks headers from then on)', () => {
    const frames = demuxAll([Buffer.concat([frame(DAEMON, 'Error grabbing logs'), frame(STDOUT, 'still here\n')])]);
    expect(frames.map((f) => [f.stream, f.bytes.toString()])).toEqual([['daemon', 'Error grabbing logs'], ['stdout', 'still here\n']]);
  });

  it('shows stdin frames as stdout and unknown types as daemon text', () => {
    const frames = demuxAll([Buffer.concat([frame(STDIN, 'typed'), frame(9, 'odd')])]);
    expect(frames.map((f) => f.stream)).toEqual(['stdout', 'daemon']);
  });

  it('skips empty frames', () => {
    expect(demuxAll([Buffer.concat([frame(STDOUT, ''), frame(STDERR, 'x')])])).toEqual([
      { stream: 'stderr', bytes: Buffer.from('x'), continuation: false },
    ]);
  });

  it('hands out a frame inside one chunk without copying it', () => {
    const chunk = frame(STDOUT, 'zero-copy\n');
    const [only] = demuxAll([chunk]);
    expect(only?.bytes.buffer).toBe(chunk.buffer);
  });

  it('passes a frame larger than it holds in pieces, the later ones marked as continuations', () => {
    const big = frame(STDOUT, 'abcdefghij');
    const frames = demuxAll(bytesAt(big, 3, 12), 4);
    expect(frames.map((f) => [f.bytes.toString(), f.continuation])).toEqual([['abcd', false], ['efgh', true], ['ij', true]]);
  });

  it('counts the bytes of a frame the stream ended inside', () => {
    const demuxer = new LogDemuxer();
    const whole = frame(STDOUT, 'abcdef');
    demuxer.push(whole.subarray(0, 5));
    expect(demuxer.pendingBytes).toBe(5);
    demuxer.push(whole.subarray(5, 10));
    expect(demuxer.pendingBytes).toBe(10);
    demuxer.push(whole.subarray(10));
    expect(demuxer.pendingBytes).toBe(0);
  });
});

describe('LogParser on framed (non-TTY) streams', () => {
  it('keeps stdout and stderr apart and in order, and shows daemon text', () => {
    const stream = Buffer.concat([
      frame(STDOUT, 'out1\n'), frame(STDERR, 'err1\n'), frame(STDOUT, 'out2\n'), frame(DAEMON, 'Error grabbing logs: gone'),
    ]);
    expect(parseAll([stream], FRAMED)).toEqual([
      { stream: 'stdout', text: 'out1' },
      { stream: 'stderr', text: 'err1' },
      { stream: 'stdout', text: 'out2' },
      { stream: 'daemon', text: 'Error grabbing logs: gone' },
    ]);
  });

  it('joins a line whose parts come in different frames per stream, even interleaved', () => {
    const stream = Buffer.concat([frame(STDOUT, 'first '), frame(STDERR, 'error\n'), frame(STDOUT, 'half\n')]);
    expect(parseAll([stream], FRAMED)).toEqual([{ stream: 'stderr', text: 'error' }, { stream: 'stdout', text: 'first half' }]);
  });

  it('turns invalid UTF-8 into replacement characters and keeps going', () => {
    const stream = frame(STDOUT, Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a, 0x63, 0x0a]));
    expect(parseAll([stream], FRAMED).map((l) => l.text)).toEqual(['a\uFFFDb\uFFFD', 'c']);
  });

  it('decodes a multi-byte character split across frames and chunks', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const stream = Buffer.concat([
      frame(STDOUT, Buffer.concat([Buffer.from('price '), euro.subarray(0, 2)])),
      frame(STDOUT, Buffer.concat([euro.subarray(2), Buffer.from('5\n')])),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(parseAll(bytesAt(stream, cut), FRAMED), `cut at byte ${cut}`).toEqual([{ stream: 'stdout', text: 'price €5' }]);
    }
  });

  it('strips \\r before \\n but keeps a \\r elsewhere, and keeps empty lines', () => {
    const stream = frame(STDOUT, 'dos\r\n\nprogress 50%\rprogress 100%\n');
    expect(parseAll([stream], FRAMED).map((l) => l.text)).toEqual(['dos', '', 'progress 50%\rprogress 100%']);
  });

  it('returns a last line without a newline when the stream ends', () => {
    const parser = new LogParser(FRAMED);
    expect(parser.push(frame(STDOUT, 'no newline'))).toEqual([]);
    expect(parser.end()).toEqual([{ stream: 'stdout', text: 'no newline' }]);
  });

  it('says so when the stream ended inside a frame', () => {
    const parser = new LogParser(FRAMED);
    parser.push(frame(STDOUT, 'cut short\n').subarray(0, 12));
    expect(parser.end()).toEqual([{ stream: 'daemon', text: 'The log stream ended in the middle of a message.' }]);
  });

  it('parses each line\'s timestamp off into time', () => {
    const stream = Buffer.concat([
      frame(STDOUT, stamped('2024-06-01T12:00:00.000000001Z', 'one\n')),
      frame(STDERR, stamped('2024-06-01T12:00:00.100000000Z', 'two\n')),
      frame(STDOUT, stamped('2024-06-01T12:00:01.000000000+02:00', '\n')),
    ]);
    expect(parseAll([stream], { tty: false, timestamps: true })).toEqual([
      { stream: 'stdout', text: 'one', time: '2024-06-01T12:00:00.000000001Z' },
      { stream: 'stderr', text: 'two', time: '2024-06-01T12:00:00.100000000Z' },
      { stream: 'stdout', text: '', time: '2024-06-01T12:00:01.000000000+02:00' },
    ]);
  });

  it('joins a 40 KiB line the daemon split into three 16 KiB messages, each with its own timestamp', () => {
    const line = `${'x'.repeat(40 * 1024 - 100)}${'needle '.repeat(14)}end`;
    const parts = [line.slice(0, 16384), line.slice(16384, 32768), `${line.slice(32768)}\n`];
    const times = ['2024-06-01T12:00:00.000000001Z', '2024-06-01T12:00:00.000000002Z', '2024-06-01T12:00:00.000000003Z'];
    const stream = Buffer.concat([
      ...parts.map((part, i) => frame(STDOUT, stamped(times[i]!, part))),
      frame(STDOUT, stamped('2024-06-01T12:00:01.000000000Z', 'next\n')),
    ]);
    const expected = [
      { stream: 'stdout', text: line, time: times[0] },
      { stream: 'stdout', text: 'next', time: '2024-06-01T12:00:01.000000000Z' },
    ];
    expect(parseAll([stream], { tty: false, timestamps: true })).toEqual(expected);
    // Network chunks cut the messages anywhere, inside a header or a timestamp too.
    for (const size of [1000, 4096, 16411, 16415, 20000]) {
      const chunks = Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.subarray(i * size, (i + 1) * size));
      expect(parseAll(chunks, { tty: false, timestamps: true }), `chunks of ${size} bytes`).toEqual(expected);
    }
  });

  it('looks for a timestamp only at the start of a message, not of its later pieces', () => {
    // One frame bigger than the demuxer holds at once (64 KiB), whose second piece starts with a line
    // that merely looks stamped. The daemon never sends such frames; a misbehaving stream might.
    const head = stamped('2024-06-01T12:00:00Z', '');
    const first = `${head}${'x'.repeat(64 * 1024 - head.length - 1)}\n`;
    const stream = frame(STDOUT, `${first}2024-06-01T12:00:01Z tail\n`);
    expect(parseAll([stream], { tty: false, timestamps: true })).toEqual([
      { stream: 'stdout', text: 'x'.repeat(64 * 1024 - head.length - 1), time: '2024-06-01T12:00:00Z' },
      { stream: 'stdout', text: '2024-06-01T12:00:01Z tail' },
    ]);
  });

  it('keeps a message without a timestamp as text when timestamps were asked for', () => {
    const stream = Buffer.concat([frame(DAEMON, 'Error grabbing logs: log file gone'), frame(STDOUT, 'notimestampatallbutaverylongwordwithoutspaces\n')]);
    expect(parseAll([stream], { tty: false, timestamps: true })).toEqual([
      { stream: 'stdout', text: 'notimestampatallbutaverylongwordwithoutspaces' },
      { stream: 'daemon', text: 'Error grabbing logs: log file gone' },
    ]);
  });

  it('cuts a line longer than the cap with a marker and drops the rest up to its newline', () => {
    const assembler = new LogLineAssembler('stdout', false, true, 10);
    const lines = [
      ...assembler.push(Buffer.from('0123456789abc'), true),
      ...assembler.push(Buffer.from('def\r\nshort\n'), true),
    ];
    expect(lines).toEqual([
      { stream: 'stdout', text: `0123456789${LINE_CUT_MARKER}` },
      { stream: 'stdout', text: 'short' },
    ]);
  });

  it('keeps the time of a line that is cut', () => {
    const assembler = new LogLineAssembler('stdout', true, true, 4);
    expect(assembler.push(Buffer.from(stamped('2024-06-01T12:00:00Z', 'abcdef\n')), true)).toEqual([
      { stream: 'stdout', text: `abcd${LINE_CUT_MARKER}`, time: '2024-06-01T12:00:00Z' },
    ]);
  });
});

describe('LogParser on TTY streams', () => {
  it('passes raw bytes through as stdout lines, headers and all', () => {
    const raw = Buffer.concat([Buffer.from('\u001b[32mgreen\u001b[0m\r\n'), frame(STDERR, 'looks framed\r\n')]);
    expect(parseAll([raw], { tty: true, timestamps: false })).toEqual([
      { stream: 'stdout', text: '\u001b[32mgreen\u001b[0m' },
      // The bytes of a frame header are text here: a TTY stream is never demultiplexed.
      { stream: 'stdout', text: '\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u000elooks framed' },
    ]);
  });

  it('parses the timestamp at the start of each line, even one cut between chunks', () => {
    const raw = Buffer.from('2024-06-01T12:00:00.000000001Z tty1\r\n2024-06-01T12:00:00.000000002Z tty2\r\n');
    for (let cut = 0; cut <= raw.length; cut++) {
      expect(parseAll(bytesAt(raw, cut), { tty: true, timestamps: true }), `cut at byte ${cut}`).toEqual([
        { stream: 'stdout', text: 'tty1', time: '2024-06-01T12:00:00.000000001Z' },
        { stream: 'stdout', text: 'tty2', time: '2024-06-01T12:00:00.000000002Z' },
      ]);
    }
  });

  it('returns a timestamp the stream ended inside as text', () => {
    expect(parseAll([Buffer.from('2024-06-01T12:00:00.0000000')], { tty: true, timestamps: true }))
      .toEqual([{ stream: 'stdout', text: '2024-06-01T12:00:00.0000000' }]);
  });

  it('keeps a line without a timestamp whole, newline included', () => {
    expect(parseAll([Buffer.from('no\nstamp\n')], { tty: true, timestamps: true }).map((l) => l.text)).toEqual(['no', 'stamp']);
  });
});

describe('readLogLines', () => {
  it('yields the lines of a body until it ends', async () => {
    const body = Readable.from([frame(STDOUT, 'a\nb'), frame(STDOUT, '\n'), frame(STDERR, 'c')]);
    const lines: LogLine[] = [];
    for await (const line of readLogLines(body, FRAMED, new AbortController().signal)) lines.push(line);
    expect(lines).toEqual([{ stream: 'stdout', text: 'a' }, { stream: 'stdout', text: 'b' }, { stream: 'stderr', text: 'c' }]);
  });

  it('ends a followed, idle log at once when the signal aborts', async () => {
    const body = new PassThrough();
    const controller = new AbortController();
    const lines = readLogLines(body, FRAMED, controller.signal)[Symbol.asyncIterator]();
    body.write(frame(STDOUT, 'first\n'));
    expect(await lines.next()).toEqual({ value: { stream: 'stdout', text: 'first' }, done: false });
    const next = lines.next();
    controller.abort();
    expect(await next).toEqual({ value: undefined, done: true });
    expect(body.destroyed).toBe(true);
  });

  it('fails when the body fails for another reason', async () => {
    const body = new PassThrough();
    const lines = readLogLines(body, FRAMED, new AbortController().signal)[Symbol.asyncIterator]();
    const next = lines.next();
    body.destroy(new Error('socket hang up'));
    await expect(next).rejects.toThrow('socket hang up');
  });
});

describe('tailLogLines', () => {
  it('asks the engine for the last lines with their times', async () => {
    const row = makeContainer({ name: 'crashed', state: 'exited', exitCode: 1 });
    const engine = new FakeEngine([row]);
    engine.setLogs('crashed', [
      { stream: 'stdout', text: 'starting', time: '2024-06-01T12:00:00.000000001Z' },
      { stream: 'stdout', text: 'connecting', time: '2024-06-01T12:00:00.000000002Z' },
      { stream: 'stderr', text: 'fatal: no database', time: '2024-06-01T12:00:00.000000003Z' },
    ]);
    const lines = await tailLogLines(engine, row.id, false, 2, new AbortController().signal);
    expect(lines).toEqual([
      { stream: 'stdout', text: 'connecting', time: '2024-06-01T12:00:00.000000002Z' },
      { stream: 'stderr', text: 'fatal: no database', time: '2024-06-01T12:00:00.000000003Z' },
    ]);
  });
});
