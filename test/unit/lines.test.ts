import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from '../../src/engine/lines.js';

const EVENTS = [
  '{"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"name":"café"}}}',
  '{"Type":"container","Action":"die","Actor":{"ID":"c2","Attributes":{"name":"🐳-whale"}}}',
  '{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{"name":"bridge"}}}',
];
const STREAM = Buffer.from(EVENTS.map((line) => `${line}\n`).join(''), 'utf8');

/** Feeds the chunks to a fresh splitter and returns every line, the flushed rest included. */
function splitAll(chunks: ReadonlyArray<Buffer | string>, maxLineLength?: number): string[] {
  const splitter = new LineSplitter(maxLineLength);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()];
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('LineSplitter', () => {
  it('returns several events that share one chunk', () => {
    expect(splitAll([STREAM])).toEqual(EVENTS);
  });

  it('reassembles events split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(splitAll([STREAM.subarray(0, cut), STREAM.subarray(cut)]), `cut at byte ${cut}`).toEqual(EVENTS);
    }
  });

  it('reassembles events fed one byte at a time', () => {
    const bytes = [...STREAM].map((byte) => Buffer.from([byte]));
    expect(splitAll(bytes)).toEqual(EVENTS);
  });

  it('decodes a character split inside its UTF-8 sequence', () => {
    const whale = Buffer.from('🐳\n', 'utf8'); // f0 9f 90 b3 0a
    const accent = Buffer.from('é\n', 'utf8'); // c3 a9 0a
    expect(splitAll([whale.subarray(0, 1), whale.subarray(1, 3), whale.subarray(3)])).toEqual(['🐳']);
    expect(splitAll([accent.subarray(0, 1), accent.subarray(1)])).toEqual(['é']);
  });

  it('returns nothing until a line is complete', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"Type":"conta')).toEqual([]);
    expect(splitter.push('iner"}\n{"Ty')).toEqual(['{"Type":"container"}']);
  });

  it('skips empty lines', () => {
    expect(splitAll(['\n\na\n\n', '\nb\n'])).toEqual(['a', 'b']);
  });

  it('flushes a final line that has no newline', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntwo')).toEqual(['one']);
    expect(splitter.flush()).toEqual(['two']);
    expect(splitter.flush()).toEqual([]);
  });

  it('flushes an unterminated line that ends in a split character', () => {
    const splitter = new LineSplitter();
    const text = Buffer.from('last é', 'utf8');
    expect(splitter.push(text.subarray(0, text.length - 1))).toEqual([]);
    expect(splitter.push(text.subarray(text.length - 1))).toEqual([]);
    expect(splitter.flush()).toEqual(['last é']);
  });

  it('flushes nothing after a stream that ended with a newline', () => {
    const splitter = new LineSplitter();
    splitter.push('done\n');
    expect(splitter.flush()).toEqual([]);
  });

  it('keeps at most maxLineLength characters of a line that never ends', () => {
    const splitter = new LineSplitter(4096);
    const chunk = 'x'.repeat(1000);
    for (let i = 0; i < 10_000; i++) splitter.push(chunk);
    for (const line of splitter.flush()) expect(line.length).toBeLessThanOrEqual(4096);
  });

  it('drops an over-long line whole, not just its head', () => {
    const splitter = new LineSplitter(64);
    expect(splitter.push('a'.repeat(50))).toEqual([]);
    expect(splitter.push('a'.repeat(50))).toEqual([]);
    expect(splitter.push('tail\nnext\n')).toEqual(['next']);
  });

  it('drops an unterminated over-long line at flush', () => {
    expect(splitAll(['a'.repeat(50), 'a'.repeat(50), 'tail'], 64)).toEqual([]);
  });

  it('drops an over-long line that arrives in a single chunk', () => {
    expect(splitAll([`${'a'.repeat(100)}\nnext\n`], 64)).toEqual(['next']);
  });

  it('keeps a line of exactly maxLineLength characters', () => {
    const line = 'b'.repeat(64);
    expect(splitAll([line.slice(0, 40), `${line.slice(40)}\n`], 64)).toEqual([line]);
  });
});

describe('readLines', () => {
  it('yields the lines of a Readable of buffers split mid-character', async () => {
    const cut = STREAM.indexOf(Buffer.from('🐳')) + 2;
    const stream = Readable.from([STREAM.subarray(0, cut), STREAM.subarray(cut)]);
    expect(await collect(readLines(stream))).toEqual(EVENTS);
  });

  it('yields a final unterminated line when the stream ends', async () => {
    expect(await collect(readLines(Readable.from([Buffer.from('a\nb')])))).toEqual(['a', 'b']);
  });

  it('accepts a Readable of strings', async () => {
    expect(await collect(readLines(Readable.from(['a\nb', 'c\n'])))).toEqual(['a', 'bc']);
  });

  it('stops at the first chunk after the signal aborts, and destroys the stream', async () => {
    const controller = new AbortController();
    const stream = Readable.from([Buffer.from('one\n'), Buffer.from('two\n'), Buffer.from('three\n')]);
    const seen: string[] = [];
    for await (const line of readLines(stream, controller.signal)) {
      seen.push(line);
      controller.abort();
    }
    expect(seen).toEqual(['one']);
    expect(stream.destroyed).toBe(true);
  });

  it('yields no further line of the current chunk once aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const line of readLines(Readable.from([Buffer.from('one\ntwo\nthree\n')]), controller.signal)) {
      seen.push(line);
      controller.abort();
    }
    expect(seen).toEqual(['one']);
  });

  it('yields nothing from a stream whose signal is already aborted', async () => {
    const stream = Readable.from([Buffer.from('one\n')]);
    expect(await collect(readLines(stream, AbortSignal.abort()))).toEqual([]);
    expect(stream.destroyed).toBe(true);
  });

  it('ends while an idle stream sends nothing, once the signal aborts', async () => {
    // Event streams carry no heartbeat: an abort must not wait for the next event.
    const controller = new AbortController();
    const stream = new PassThrough();
    const lines = readLines(stream, controller.signal);
    stream.write('one\n');
    expect(await lines.next()).toEqual({ done: false, value: 'one' });
    const next = lines.next();
    controller.abort();
    const timedOut = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 500));
    try {
      expect(await Promise.race([next, timedOut])).toEqual({ done: true, value: undefined });
    } finally {
      stream.destroy();
      await next.catch(() => undefined);
    }
  });

  it('destroys the stream when the consumer stops early', async () => {
    const stream = Readable.from([Buffer.from('one\ntwo\n'), Buffer.from('three\n')]);
    for await (const line of readLines(stream)) {
      if (line === 'one') break;
    }
    expect(stream.destroyed).toBe(true);
  });
});
