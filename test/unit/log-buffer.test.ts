import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, LogBuffer, type LogEntry } from '../../src/engine/log-buffer.js';

function line(text: string): Omit<LogEntry, 'seq'> {
  return { kind: 'line', stream: 'stdout', text, plain: text };
}

function texts(buffer: LogBuffer): string[] {
  return buffer.slice().map((e) => e.text);
}

describe('LogBuffer', () => {
  it('defaults to 50,000 lines and 32 MiB', () => {
    const buffer = new LogBuffer();
    expect(buffer.maxLines).toBe(DEFAULT_MAX_LINES);
    expect(buffer.maxLines).toBe(50_000);
    expect(buffer.maxBytes).toBe(DEFAULT_MAX_BYTES);
    expect(buffer.maxBytes).toBe(32 * 1024 * 1024);
  });

  it('keeps entries in order with increasing seq', () => {
    const buffer = new LogBuffer({ maxLines: 10 });
    const pushed = ['a', 'b', 'c'].map((t) => buffer.push(line(t)));
    expect(pushed.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(buffer.length).toBe(3);
    expect(texts(buffer)).toEqual(['a', 'b', 'c']);
    expect(buffer.at(0)?.text).toBe('a');
    expect(buffer.at(2)?.text).toBe('c');
    expect(buffer.at(3)).toBeUndefined();
    expect(buffer.at(-1)).toBeUndefined();
    expect(buffer.dropped).toBe(0);
  });

  it('wraps around at the line bound, dropping the oldest and counting them', () => {
    const buffer = new LogBuffer({ maxLines: 3 });
    for (let i = 0; i < 10; i++) buffer.push(line(`l${i}`));
    expect(buffer.length).toBe(3);
    expect(buffer.dropped).toBe(7);
    expect(texts(buffer)).toEqual(['l7', 'l8', 'l9']);
    expect(buffer.slice().map((e) => e.seq)).toEqual([7, 8, 9]);
    expect(buffer.at(0)?.text).toBe('l7');
    expect(buffer.at(2)?.text).toBe('l9');
  });

  it('slices across the wrap point with Array.slice rules', () => {
    const buffer = new LogBuffer({ maxLines: 4 });
    for (let i = 0; i < 6; i++) buffer.push(line(`l${i}`)); // kept: l2 l3 l4 l5, stored wrapped
    expect(buffer.slice(1, 3).map((e) => e.text)).toEqual(['l3', 'l4']);
    expect(buffer.slice(-2).map((e) => e.text)).toEqual(['l4', 'l5']);
    expect(buffer.slice(2, 100).map((e) => e.text)).toEqual(['l4', 'l5']);
    expect(buffer.slice(3, 1)).toEqual([]);
    expect(buffer.slice(-100, 1).map((e) => e.text)).toEqual(['l2']);
  });

  it('drops the oldest entries to stay within the byte bound', () => {
    // Each entry costs text + plain = 20.
    const buffer = new LogBuffer({ maxLines: 100, maxBytes: 100 });
    for (let i = 0; i < 10; i++) buffer.push(line(`line-${String(i).padStart(5, '0')}`));
    expect(buffer.length).toBe(5);
    expect(buffer.bytes).toBe(100);
    expect(buffer.dropped).toBe(5);
    expect(texts(buffer)).toEqual(['line-00005', 'line-00006', 'line-00007', 'line-00008', 'line-00009']);
  });

  it('drops several small entries for one large one, but never the entry just pushed', () => {
    const buffer = new LogBuffer({ maxLines: 100, maxBytes: 50 });
    for (let i = 0; i < 5; i++) buffer.push(line(`s${i}`)); // 4 each
    buffer.push(line('x'.repeat(20))); // 40: total 60 > 50
    expect(texts(buffer)).toEqual(['s3', 's4', 'x'.repeat(20)]);
    expect(buffer.dropped).toBe(3);
    buffer.push(line('y'.repeat(100))); // alone over the bound: kept, alone
    expect(texts(buffer)).toEqual(['y'.repeat(100)]);
    expect(buffer.length).toBe(1);
    expect(buffer.dropped).toBe(6);
    buffer.push(line('z'));
    expect(texts(buffer)).toEqual(['z']);
  });

  it('keeps seq monotonic across wrap-around, byte drops and clear', () => {
    const buffer = new LogBuffer({ maxLines: 7, maxBytes: 60 });
    const seqs: number[] = [];
    for (let i = 0; i < 500; i++) {
      const text = 'x'.repeat(i % 13);
      seqs.push(buffer.push(line(text)).seq);
      if (i === 250) buffer.clear();
      const kept = buffer.slice().map((e) => e.seq);
      for (let k = 1; k < kept.length; k++) expect(kept[k]).toBe((kept[k - 1] ?? 0) + 1);
      expect(buffer.length).toBeLessThanOrEqual(7);
      expect(buffer.bytes).toBeLessThanOrEqual(Math.max(60, 2 * text.length));
    }
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('gives a new seq even to an entry that carries one', () => {
    const buffer = new LogBuffer();
    const first = buffer.push(line('a'));
    const again = buffer.push({ ...first });
    expect(again.seq).toBe(first.seq + 1);
  });

  it('counts every change in version, and every drop in dropped until clear', () => {
    const buffer = new LogBuffer({ maxLines: 2 });
    const v0 = buffer.version;
    buffer.push(line('a'));
    buffer.push(line('b'));
    buffer.push(line('c'));
    expect(buffer.version).toBe(v0 + 3);
    expect(buffer.dropped).toBe(1);
    buffer.clear();
    expect(buffer.version).toBe(v0 + 4);
    expect(buffer.length).toBe(0);
    expect(buffer.bytes).toBe(0);
    expect(buffer.dropped).toBe(0);
    expect(buffer.slice()).toEqual([]);
    expect(buffer.push(line('d')).seq).toBe(3);
    expect(texts(buffer)).toEqual(['d']);
  });

  it('finds an entry by seq while older ones are dropped', () => {
    const buffer = new LogBuffer({ maxLines: 3 });
    for (let i = 0; i < 5; i++) buffer.push(line(`l${i}`));
    expect(buffer.indexOfSeq(4)).toBe(2);
    expect(buffer.indexOfSeq(2)).toBe(0);
    expect(buffer.indexOfSeq(1)).toBe(-1);
    expect(buffer.indexOfSeq(5)).toBe(-1);
  });

  it('pushes 1,000,000 lines into 50,000 in linear time', () => {
    const buffer = new LogBuffer();
    const entry = line('a typical log line of about sixty characters, give or take');
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) buffer.push(entry);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(buffer.length).toBe(50_000);
    expect(buffer.dropped).toBe(950_000);
    expect(buffer.at(49_999)?.seq).toBe(999_999);
  });
});
