import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanTerminalText, stripSgr } from '../../src/engine/ansi.js';
import { LogBuffer, type LogEntry } from '../../src/engine/log-buffer.js';
import {
  FOLLOWING, filterResult, filteredEntryIndexes, followLatest, formatLogTime, hasNestedRepetition, highlightMatches,
  hscrollToReveal, isGapBefore, jumpToMatch, layoutEntry, layoutRows, linesToSave, matchCounter, matchText, matcher, MAX_TESTED_CHARS,
  revealMatch, scrollPages, scrollRows, scrollToStart, searchHits, searchStatus, stepMatch, visibleLines, visibleRows,
  type EntrySource, type LogScreen, type LogViewOptions, type LogViewport, type Matcher, type VisualRow,
} from '../../src/views/log-view.js';

// ---------------------------------------------------------------------------------------------
// Helpers

type NewEntry = Omit<LogEntry, 'seq'>;

/** A log line as the follower makes it: cleaned, SGR kept in text, plain without. */
function line(raw: string, extra: Partial<NewEntry> = {}): NewEntry {
  const text = cleanTerminalText(raw);
  return { kind: 'line', stream: 'stdout', text, plain: stripSgr(text), ...extra };
}

function bufferOf(entries: Array<NewEntry | string>, maxLines?: number): LogBuffer {
  const buffer = new LogBuffer(maxLines === undefined ? {} : { maxLines });
  for (const e of entries) buffer.push(typeof e === 'string' ? line(e) : e);
  return buffer;
}

const numbered = (n: number, text = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => text(i));

/** How wide a terminal may draw text: as string-width says, or code point by code point (tmux 3.3 with emoji sequences). */
const widest = (text: string) => Math.max(stringWidth(text), [...text].reduce((sum, c) => sum + stringWidth(c), 0));

const textOf = (row: VisualRow) => row.spans.map((s) => s.text).join('');
const texts = (rows: readonly VisualRow[]) => rows.map(textOf);

const options = (o: Partial<LogViewOptions> = {}): LogViewOptions => ({ width: 40, wrap: true, hscroll: 0, timestamps: 'off', ...o });

function rowsOf(entry: NewEntry, o: Partial<LogViewOptions> = {}): VisualRow[] {
  return layoutEntry({ seq: 0, ...entry }, 0, options(o));
}

const screenOf = (source: EntrySource, height: number, o: Partial<LogViewOptions> = {}): LogScreen => ({ source, height, options: options(o) });

function asMatcher(m: Matcher | { error: string }): Matcher {
  if ('error' in m) throw new Error(m.error);
  return m;
}

const T0 = '2024-06-10T10:00:01.123456789Z';

// ---------------------------------------------------------------------------------------------

describe('formatLogTime', () => {
  const savedTz = process.env['TZ'];
  afterEach(() => {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  });

  test('UTC with milliseconds (nanoseconds truncated) and a Z', () => {
    expect(formatLogTime({ time: T0 }, 'utc')).toBe('2024-06-10 10:00:01.123Z');
    expect(formatLogTime({ time: '2024-06-10T10:00:01Z' }, 'utc')).toBe('2024-06-10 10:00:01.000Z');
  });

  test('local time in the zone the process runs in', () => {
    process.env['TZ'] = 'Asia/Kolkata'; // +05:30, no DST
    expect(formatLogTime({ time: T0 }, 'local')).toBe('2024-06-10 15:30:01.123');
    process.env['TZ'] = 'America/New_York'; // EDT in June: -04:00
    expect(formatLogTime({ time: T0 }, 'local')).toBe('2024-06-10 06:00:01.123');
    // Across midnight the date follows the zone.
    expect(formatLogTime({ time: '2024-06-10T02:00:00.5Z' }, 'local')).toBe('2024-06-09 22:00:00.500');
  });

  test('empty when off, without a time, or with an unreadable one; timeMs wins when given', () => {
    expect(formatLogTime({ time: T0 }, 'off')).toBe('');
    expect(formatLogTime({}, 'utc')).toBe('');
    expect(formatLogTime({ time: 'yesterday' }, 'utc')).toBe('');
    expect(formatLogTime({ time: T0, timeMs: Date.UTC(2020, 0, 2, 3, 4, 5, 6) }, 'utc')).toBe('2020-01-02 03:04:05.006Z');
  });
});

describe('matcher', () => {
  test('plain text: case-insensitive, regex characters taken literally', () => {
    const m = asMatcher(matcher('A.b', false));
    expect(m.test('xx a.B yy')).toBe(true);
    expect(m.test('axb')).toBe(false);
    expect(m.ranges('a.b A.B')).toEqual([[0, 3], [4, 7]]);
    expect(asMatcher(matcher('(x+)+[', false)).test('((x+)+[')).toBe(true);
  });

  test('regex on request, with smart case: a capital letter makes it case-sensitive', () => {
    const lower = asMatcher(matcher('err(or)?\\s+\\d+', true));
    expect(lower.ranges('ERROR 42 and err 7')).toEqual([[0, 8], [13, 18]]);
    const upper = asMatcher(matcher('Error', true));
    expect(upper.test('error')).toBe(false);
    expect(upper.test('Error')).toBe(true);
    // \S and \W are classes, not capitals.
    expect(asMatcher(matcher('a\\Sc', true)).test('ABC')).toBe(true);
  });

  test('a bad regex is an error message, never an exception', () => {
    const bad = matcher('(unclosed', true);
    expect(bad).toEqual({ error: expect.stringMatching(/^invalid regex: .*unterminated group/i) });
    expect(() => matcher('[z-a]', true)).not.toThrow();
    expect('error' in matcher('[z-a]', true)).toBe(true);
  });

  test('patterns that backtrack exponentially are refused, ordinary ones are not', () => {
    for (const p of ['(a+)+$', '(a*)*b', '(\\w+\\s?)*x', '(a|aa)*c', '((ab)+)+', '(?:x+){2,}']) {
      expect(hasNestedRepetition(p), p).toBe(true);
      expect(matcher(p, true)).toEqual({ error: expect.stringContaining('can take forever') });
    }
    for (const p of ['a+b*', '(ab)+', '(a+)', '[(a+)]+', '\\(a+\\)+', '(GET|POST) /api', 'x{2,5}', '(?:abc)?d+']) {
      expect(hasNestedRepetition(p), p).toBe(false);
    }
  });

  test('only the first 64 KiB of a line are searched', () => {
    const m = asMatcher(matcher('needle', false));
    const near = `${'x'.repeat(MAX_TESTED_CHARS - 10)}needle`;
    const far = `${'x'.repeat(MAX_TESTED_CHARS)}needle`;
    expect(m.test(near)).toBe(true);
    expect(m.test(far)).toBe(false);
  });

  test('empty matches highlight nothing and do not loop; an empty query matches nothing', () => {
    const m = asMatcher(matcher('x*', true));
    expect(m.ranges('aaxxbx')).toEqual([[2, 4], [5, 6]]);
    expect(m.test('abc')).toBe(false);
    expect(asMatcher(matcher('', false)).test('anything')).toBe(false);
  });

  test('matches never split an emoji', () => {
    expect(asMatcher(matcher('.', true)).ranges('a👍')).toEqual([[0, 1], [1, 3]]);
  });
});

describe('filter with context, like grep -C', () => {
  const buffer = bufferOf(numbered(20, (i) => ([3, 5, 15].includes(i) ? `hit ${i}` : `line ${i}`)));
  const hit = asMatcher(matcher('hit', false));

  test('matching entries plus context, groups separated by gaps', () => {
    expect(filteredEntryIndexes(buffer, hit, 0)).toEqual([3, 5, 15]);
    const one = filteredEntryIndexes(buffer, hit, 1);
    expect(one).toEqual([2, 3, 4, 5, 6, 14, 15, 16]);
    expect(one.map((_, pos) => isGapBefore(one, pos))).toEqual([false, false, false, false, false, true, false, false]);
    // Context reaching past either end is cut there.
    expect(filteredEntryIndexes(buffer, hit, 6)).toEqual([...numbered(20).keys()].slice(0, 20));
  });

  test('the same answer incrementally, following new lines and drops', () => {
    const live = bufferOf(numbered(20, (i) => ([3, 5, 15].includes(i) ? `hit ${i}` : `line ${i}`)), 20);
    const spec = { query: 'hit', regex: false, context: 1 };
    expect(filterResult(live, spec)).toMatchObject({ indexes: [2, 3, 4, 5, 6, 14, 15, 16], matching: 3 });
    live.push(line('another hit'));
    live.push(line('quiet'));
    // Index 0 was dropped twice: everything moved up two.
    expect(filterResult(live, spec)).toMatchObject({ indexes: [0, 1, 2, 3, 4, 12, 13, 14, 17, 18, 19], matching: 4 });
    expect(filterResult(live, spec).indexes).toEqual(filteredEntryIndexes(live, hit, 1));
  });

  test('restart separators stay in a filtered view (when anything matches)', () => {
    const b = bufferOf(['a', 'hit one', 'b', { kind: 'restart', stream: 'daemon', text: 'x', plain: 'x', exitCode: 1 }, 'c', 'd', 'hit two']);
    expect(filteredEntryIndexes(b, hit, 0)).toEqual([1, 3, 6]);
    expect(filteredEntryIndexes(b, asMatcher(matcher('nothing', false)), 2)).toEqual([]);
  });

  test('a bad pattern is an error, not a crash', () => {
    expect(filterResult(buffer, { query: '(', regex: true, context: 2 })).toMatchObject({ error: expect.stringContaining('invalid regex'), indexes: [] });
  });

  test('filtered rows: context dimmed, gaps drawn as --', () => {
    const rows = layoutRows(buffer, options({ filter: { query: 'hit', regex: false, context: 1 } }), 0, 8);
    expect(texts(rows)).toEqual([
      '  line 2', '  hit 3', '  line 4', '  hit 5', '  line 6', '--', '  line 14', '  hit 15', '  line 16',
    ]);
    const gap = rows[5]!;
    expect(gap.gap).toBe(true);
    expect(rows[0]!.spans.at(-1)!.style.dim).toBe(true);
    // The filter's matches are highlighted when there is no search.
    expect(rows[1]!.spans.find((s) => s.text === 'hit')?.style.inverse).toBe(true);
  });
});

describe('layout', () => {
  test('wraps CJK by display width (2 columns each), never past the width', () => {
    const rows = rowsOf(line('日本語のテキスト'), { width: 10 });
    expect(texts(rows)).toEqual(['  日本語の', '  テキスト']);
    expect(rows.map((r) => r.isContinuation)).toEqual([false, true]);
    // An odd room leaves a column free rather than split a character.
    expect(texts(rowsOf(line('日本語'), { width: 7 }))).toEqual(['  日本', '  語']);
  });

  test('never splits an emoji, a flag or a ZWJ sequence', () => {
    for (const emoji of ['👍🏽', '🇯🇵', '👨‍👩‍👧']) {
      const rows = texts(rowsOf(line(`ab${emoji}cd`), { width: 8 })).map((t) => t.slice(2));
      expect(rows.join('')).toBe(`ab${emoji}cd`);
      expect(rows.filter((t) => t.includes(emoji))).toHaveLength(1);
    }
  });

  test('counts an emoji sequence as wide as a terminal that does not join it draws it', () => {
    // tmux 3.3 draws 👍🏽 as a thumb and a skin-tone swatch: 4 columns, where string-width says 2.
    expect(texts(rowsOf(line('ab👍🏽cd'), { width: 8 }))).toEqual(['  ab👍🏽', '  cd']);
    expect(texts(rowsOf(line('ab👍🏽cd'), { width: 7 }))).toEqual(['  ab', '  👍🏽c', '  d']);
    // Variation selectors and accents add nothing: one code point's width, or string-width's when larger.
    expect(texts(rowsOf(line('❤️❤️x'), { width: 6 }))).toEqual(['  ❤️❤️', '  x']);
    expect(texts(rowsOf(line('e\u0301e\u0301e\u0301'), { width: 5 }))).toEqual(['  e\u0301e\u0301e\u0301']);
  });

  test('no row is ever wider than the width, whatever the text', () => {
    const pieces = ['a', 'b', ' ', '日', '👍🏽', '🇯🇵', '👨‍👩‍👧', '❤️', 'é', 'e\u0301', '\x1b[31m', '\x1b[0m', '\t', 'ｗ', '—', '\u200b'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 300; n++) {
      const raw = Array.from({ length: Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const width = 1 + Math.floor(random() * 40);
      for (const o of [{ wrap: true }, { wrap: false, hscroll: Math.floor(random() * 30) }, { wrap: true, timestamps: 'utc' as const }]) {
        for (const row of rowsOf(line(raw, { time: T0, stream: random() > 0.5 ? 'stderr' : 'stdout' }), { width, ...o })) {
          expect(widest(textOf(row)), JSON.stringify({ raw, width, o })).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  test('wrap off: one row cut at hscroll, "›" in the last column when more follows', () => {
    const abc = line('abcdefghijklmnopqrstuvwxyz');
    expect(texts(rowsOf(abc, { width: 12, wrap: false }))).toEqual(['  abcdefghi›']);
    expect(texts(rowsOf(abc, { width: 12, wrap: false, hscroll: 5 }))).toEqual(['  fghijklmn›']);
    expect(texts(rowsOf(abc, { width: 12, wrap: false, hscroll: 16 }))).toEqual(['  qrstuvwxyz']);
    expect(texts(rowsOf(abc, { width: 12, wrap: false, hscroll: 30 }))).toEqual(['  ']);
    expect(texts(rowsOf(line('abcdefghij'), { width: 12, wrap: false }))).toEqual(['  abcdefghij']);
    // A wide character across the left edge shows as a space; one across the right is left out.
    expect(texts(rowsOf(line('日本語テキスト'), { width: 9, wrap: false, hscroll: 1 }))).toEqual(['   本語 ›']);
  });

  test('stderr, daemon and notice lines are marked in the first column, visible without colour', () => {
    expect(textOf(rowsOf(line('boom', { stream: 'stderr' }))[0]!)).toBe('! boom');
    expect(textOf(rowsOf(line('Error grabbing logs', { stream: 'daemon' }))[0]!)).toBe('# Error grabbing logs');
    expect(textOf(rowsOf(line('The container was removed.', { kind: 'notice', stream: 'daemon' }))[0]!)).toBe('* The container was removed.');
    expect(textOf(rowsOf(line('fine'))[0]!)).toBe('  fine');
    // Every row of a wrapped stderr line carries the mark.
    const rows = rowsOf(line('x'.repeat(30), { stream: 'stderr' }), { width: 12 });
    expect(rows.length).toBe(3);
    expect(texts(rows).every((t) => t.startsWith('! '))).toBe(true);
    expect(rows[0]!.spans[0]!.style.fg).toBe('red');
  });

  test('restart separators span the width and say the exit code and the time', () => {
    const exited = rowsOf({ kind: 'restart', stream: 'daemon', text: 'Container exited with code 137', plain: 'Container exited with code 137', exitCode: 137, time: T0 }, { width: 50, timestamps: 'utc' });
    expect(texts(exited)).toEqual([`──── exited (137) at 10:00:01Z ${'─'.repeat(50 - 31)}`]);
    expect(stringWidth(textOf(exited[0]!))).toBe(50);
    const restarted = rowsOf({ kind: 'restart', stream: 'daemon', text: 'Container restarted', plain: 'Container restarted', time: T0 }, { width: 30, timestamps: 'utc' });
    expect(textOf(restarted[0]!)).toBe(`──── restarted at 10:00:01Z ${'─'.repeat(2)}`);
    // Cut, not wrapped, on a narrow pane.
    expect(texts(rowsOf({ kind: 'restart', stream: 'daemon', text: '', plain: '', exitCode: 1 }, { width: 8 }))).toEqual(['──── exi']);
  });

  test('timestamps before the text, continuation rows indented under it', () => {
    // 2 columns of gutter, 25 of time: 10 left for the text.
    const rows = rowsOf(line('0123456789abcdef', { time: T0 }), { width: 37, timestamps: 'utc' });
    expect(texts(rows)).toEqual(['  2024-06-10 10:00:01.123Z 0123456789', `  ${' '.repeat(25)}abcdef`]);
    // A line without a time keeps the others' alignment.
    expect(texts(rowsOf(line('x'), { width: 37, timestamps: 'utc' }))).toEqual([`  ${' '.repeat(25)}x`]);
  });

  test('SGR colours become span styles', () => {
    const [row] = rowsOf(line('\x1b[31mred\x1b[0m \x1b[1;38;5;208mbold orange\x1b[0m'));
    expect(row!.spans).toEqual([
      { text: '  ', style: {} },
      { text: 'red', style: { fg: 'red' } },
      { text: ' ', style: {} },
      { text: 'bold orange', style: { bold: true, fg: '#ff8700' } },
    ]);
  });

  test('a 40 KiB line wraps into every row it needs, and cuts to one row with wrap off', () => {
    const long = `${'0123456789'.repeat(4096)}NEEDLE`;
    const rows = rowsOf(line(long), { width: 80 });
    expect(rows.length).toBe(Math.ceil(long.length / 78));
    expect(rows.map(textOf).map((t) => t.slice(2)).join('')).toBe(long);
    expect(rows.every((r) => stringWidth(textOf(r)) <= 80)).toBe(true);
    expect(rowsOf(line(long), { width: 80, wrap: false })).toHaveLength(1);
  });
});

describe('highlightMatches', () => {
  test('splits spans at the ranges and inverts them, keeping their colours', () => {
    const spans = [{ text: 'error: ', style: { fg: 'red' } }, { text: 'disk full', style: {} }];
    expect(highlightMatches(spans, [[2, 9]])).toEqual([
      { text: 'er', style: { fg: 'red' } },
      { text: 'ror: ', style: { fg: 'red', inverse: true } },
      { text: 'di', style: { inverse: true } },
      { text: 'sk full', style: {} },
    ]);
  });

  test('the current match is drawn differently from the others; inverse text is un-inverted', () => {
    const out = highlightMatches([{ text: 'ab ab', style: { inverse: true } }], [[0, 2], [3, 5]], [3, 5]);
    expect(out[0]).toEqual({ text: 'ab', style: { inverse: false } });
    expect(out[2]).toEqual({ text: 'ab', style: { inverse: false, bg: 'yellow', fg: 'black', bold: true } });
  });
});

describe('viewport', () => {
  // 100 lines, a pane of 11 lines: a header and 10 rows.
  const buffer = bufferOf(numbered(100));
  const screen = screenOf(buffer, 11);
  const shown = (viewport: LogViewport, s: LogScreen = screen) => texts(visibleRows(s, viewport).rows).map((t) => t.trim());

  test('following shows the newest lines; scrolling up pauses; G follows again', () => {
    expect(shown(FOLLOWING)).toEqual(numbered(10, (i) => `line ${90 + i}`));
    const up = scrollRows(screen, FOLLOWING, -1);
    expect(up.follow).toBe(false);
    expect(up.topEntry).toBe(89);
    expect(shown(up)[0]).toBe('line 89');
    // Paused means paused: new lines do not move the view.
    const growing = bufferOf(numbered(100));
    const s = screenOf(growing, 11);
    const paused = scrollRows(s, FOLLOWING, -5);
    const before = shown(paused, s);
    growing.push(line('new'));
    expect(shown(paused, s)).toEqual(before);
    expect(shown(followLatest(paused), s).at(-1)).toBe('new');
    expect(followLatest(paused).follow).toBe(true);
  });

  test('scrolling down stops at the last screenful and stays paused until G', () => {
    const up = scrollPages(screen, FOLLOWING, -3);
    expect(up.topEntry).toBe(90 - 27);
    const down = scrollPages(screen, up, 10);
    expect(down.topEntry).toBe(90);
    expect(down.follow).toBe(false);
    expect(scrollRows(screen, FOLLOWING, 5)).toBe(FOLLOWING);
    expect(scrollPages(screen, scrollToStart(screen), -1).topEntry).toBe(0);
    expect(shown(scrollToStart(screen))[0]).toBe('line 0');
  });

  test('a page keeps one row of the previous one in sight', () => {
    const top = scrollToStart(screen);
    expect(shown(scrollPages(screen, top, 1))[0]).toBe('line 9');
  });

  test('scrolls row by row through a wrapped line taller than the screen', () => {
    // One line of 35 rows (7 columns of text on a 9-column pane) between short ones.
    const b = bufferOf(['before', 'x'.repeat(7 * 35), 'after']);
    const s = screenOf(b, 11, { width: 9 });
    const start = scrollToStart(s);
    expect(shown(start, s)[0]).toBe('before');
    let v = scrollRows(s, start, 1);
    expect(v).toMatchObject({ topEntry: 1, topRow: 0 });
    v = scrollRows(s, v, 7);
    expect(v).toMatchObject({ topEntry: 1, topRow: 7 });
    expect(shown(v, s)).toEqual(Array(10).fill('xxxxxxx'));
    // Following, the screen ends with the long line's last 9 rows (26-34) and 'after'; one up starts at row 25.
    const f = scrollRows(s, FOLLOWING, -1);
    expect(f).toMatchObject({ topEntry: 1, topRow: 25, follow: false });
    expect(shown(f, s).at(-1)).toBe('xxxxxxx');
    expect(shown(scrollRows(s, f, 100), s).at(-1)).toBe('after');
  });

  test('a paused view stays on its line while older lines are dropped', () => {
    const b = bufferOf(numbered(100), 100);
    const s = screenOf(b, 11);
    const paused = scrollRows(s, FOLLOWING, -40); // top: line 50
    expect(shown(paused, s)[0]).toBe('line 50');
    for (let i = 100; i < 130; i++) b.push(line(`line ${i}`));
    expect(b.dropped).toBe(30);
    expect(shown(paused, s)[0]).toBe('line 50');
    // Once its line is gone, the oldest line kept is the closest.
    for (let i = 130; i < 160; i++) b.push(line(`line ${i}`));
    expect(shown(paused, s)[0]).toBe('line 60');
  });

  test('fewer lines than the screen: all of them, from the top; none: no rows', () => {
    const few = bufferOf(['one', 'two']);
    expect(shown(FOLLOWING, screenOf(few, 11))).toEqual(['one', 'two']);
    expect(visibleRows(screenOf(new LogBuffer(), 11), FOLLOWING).rows).toEqual([]);
    expect(visibleRows(screenOf(few, 1), FOLLOWING).rows).toEqual([]);
  });

  test('scrolls over the filtered lines only', () => {
    const b = bufferOf(numbered(100, (i) => (i % 10 === 0 ? `hit ${i}` : `line ${i}`)));
    const s = screenOf(b, 6, { filter: { query: 'hit', regex: false, context: 0 } });
    expect(shown(FOLLOWING, s)).toEqual(['hit 50', '--', 'hit 60', '--', 'hit 70', '--', 'hit 80', '--', 'hit 90'].slice(-5));
    const top = scrollToStart(s);
    expect(shown(top, s)).toEqual(['hit 0', '--', 'hit 10', '--', 'hit 20']);
    expect(shown(scrollRows(s, top, 2), s)[0]).toBe('hit 10');
  });
});

describe('search', () => {
  const build = () => bufferOf(numbered(200, (i) => (i % 5 === 0 ? `request ${i} failed: ERROR` : `request ${i} ok`)));

  test('every match with a counter: 40 matches, then 3/40 on the third', () => {
    const b = build();
    const result = searchHits(b, 'error', false);
    expect(result.hits).toHaveLength(40);
    expect(matchCounter(result, undefined)).toBe('40 matches');
    const third = result.hits[2]!;
    expect(matchCounter(result, { seq: third.seq, start: third.start })).toBe('3/40');
    expect(matchCounter(searchHits(b, 'nothing', false), undefined)).toBe('no matches');
    expect(searchHits(b, '(', true).error).toMatch(/invalid regex/);
  });

  test('follows new lines and drops without rescanning, and the counter follows', () => {
    const b = bufferOf(numbered(100, (i) => (i % 10 === 0 ? `hit ${i}` : `line ${i}`)), 100);
    let tested = 0;
    const counting: EntrySource = {
      get length() { return b.length; },
      get version() { return b.version; },
      at: (i) => {
        tested++;
        return b.at(i);
      },
    };
    expect(searchHits(counting, 'hit', false).hits).toHaveLength(10);
    tested = 0;
    b.push(line('hit new'));
    const after = searchHits(counting, 'hit', false);
    expect(after.hits).toHaveLength(10); // 'hit 0' dropped, 'hit new' added
    expect(tested).toBeLessThan(40);
    tested = 0;
    searchHits(counting, 'hit', false);
    expect(tested).toBe(0); // same version: nothing to do
  });

  test('n and N step through matches and wrap around; N first finds the newest above the bottom', () => {
    const b = build();
    const s = (current?: { seq: number; start: number }): LogScreen => screenOf(b, 11, { search: { query: 'error', regex: false, current } });
    const newest = stepMatch(s(), FOLLOWING, -1)!;
    expect(b.at(newest.seq)!.plain).toBe('request 195 failed: ERROR');
    const wrapped = stepMatch(s(newest), FOLLOWING, 1)!;
    expect(b.at(wrapped.seq)!.plain).toBe('request 0 failed: ERROR');
    expect(stepMatch(s(wrapped), FOLLOWING, -1)).toEqual(newest);
    expect(searchStatus(s(wrapped))).toEqual({ counter: '1/40' });
    // n without a current match: the first one from the top of the screen down.
    const paused = scrollToStart(s());
    const fromTop = stepMatch(s(), scrollRows(s(), paused, 12), 1)!;
    expect(b.at(fromTop.seq)!.plain).toBe('request 15 failed: ERROR');
  });

  test('with a filter on, n/N and the counter see only the lines shown', () => {
    const b = build();
    const s = screenOf(b, 11, { search: { query: 'error', regex: false }, filter: { query: 'request 1', regex: false, context: 0 } });
    // request 1, 10-19, 100-199 are shown; of those 10, 15, 100, 105, …, 195 have errors.
    expect(searchStatus(s)).toEqual({ counter: '22 matches' });
  });

  test('revealMatch scrolls to the row holding a match at the end of a 40 KiB line', () => {
    const long = `${'abcdefghij'.repeat(4096)} NEEDLE`;
    const b = bufferOf(['first', long, 'last']);
    const s = screenOf(b, 11, { width: 80, search: { query: 'needle', regex: false } });
    const cursor = stepMatch(s, scrollToStart(s), 1)!;
    expect(cursor).toEqual({ seq: 1, start: 40961 });
    const v = revealMatch(s, scrollToStart(s), cursor);
    expect(v.follow).toBe(false);
    const rows = visibleRows({ ...s, options: { ...s.options, search: { query: 'needle', regex: false, current: cursor } } }, v).rows;
    const row = rows.find((r) => textOf(r).includes('NEEDLE'));
    expect(row).toBeDefined();
    // Drawn as the current match.
    expect(row!.spans.find((sp) => sp.text === 'NEEDLE')!.style.bg).toBe('yellow');
    expect(matchText(s, cursor)).toBe('NEEDLE');
  });

  test('hscrollToReveal brings a match into view with wrap off', () => {
    const b = bufferOf([`${'x'.repeat(500)}NEEDLE`]);
    const s = screenOf(b, 11, { width: 40, wrap: false, search: { query: 'needle', regex: false } });
    const cursor = { seq: 0, start: 500 };
    const h = hscrollToReveal(s, cursor);
    expect(h).toBeGreaterThan(500 - 37);
    expect(h).toBeLessThanOrEqual(500);
    const row = visibleRows({ ...s, options: { ...s.options, hscroll: h } }, FOLLOWING).rows[0]!;
    expect(textOf(row)).toContain('NEEDLE');
    // Already visible: unchanged.
    expect(hscrollToReveal({ ...s, options: { ...s.options, hscroll: h } }, cursor)).toBe(h);
  });
});

describe('jumpToMatch', () => {
  test('n from the top of a paused screen: the match, a viewport showing it, and the hscroll with wrap off', () => {
    const b = bufferOf([...numbered(100), `${'x'.repeat(300)}NEEDLE`, ...numbered(100)]);
    const s = screenOf(b, 11, { width: 60, wrap: false, search: { query: 'needle', regex: false } });
    const jump = jumpToMatch(s, scrollToStart(s), 1)!;
    expect(jump.current).toEqual({ seq: 100, start: 300 });
    const rows = visibleRows({ ...s, options: { ...s.options, hscroll: jump.hscroll } }, jump.viewport).rows;
    expect(rows.some((r) => textOf(r).includes('NEEDLE'))).toBe(true);
    expect(jump.viewport.follow).toBe(false);
    expect(jumpToMatch(screenOf(b, 11, { search: { query: 'absent', regex: false } }), FOLLOWING, 1)).toBeUndefined();
  });
});

describe('text to save and copy', () => {
  test('the filtered view with -- between groups, times as shown, no colours or marks', () => {
    const b = bufferOf([line('a'), line('\x1b[31mhit\x1b[0m 1', { stream: 'stderr', time: T0 }), line('b'), line('c'), line('d'), line('hit 2')]);
    expect(linesToSave(b, options({ timestamps: 'utc', filter: { query: 'hit', regex: false, context: 0 } }))).toEqual([
      '2024-06-10 10:00:01.123Z hit 1', '--', 'hit 2',
    ]);
    expect(linesToSave(b, options())).toEqual(['a', 'hit 1', 'b', 'c', 'd', 'hit 2']);
  });

  test('visible lines are whole entries, once each', () => {
    // 300 characters in rows of 18: 17 rows, more than the screen's 10.
    const b = bufferOf(['short', 'y'.repeat(300)]);
    expect(visibleLines(screenOf(b, 11, { width: 20 }), FOLLOWING)).toEqual(['y'.repeat(300)]);
  });
});
