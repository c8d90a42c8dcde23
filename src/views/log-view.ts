// The logs viewer as pure functions: entries in (from the engine's LogBuffer), screen rows out.
// Nothing here knows about Ink; LogsPane only paints what visibleRows returns.
//
// Three costs shape this module:
// - A buffer holds 50,000 lines and grows by thousands a second, so a frame lays out only the
//   entries on screen (walking from the viewport, never from the start of the buffer).
// - Search and filter must see every line. They scan once and then only the lines added since
//   (entries carry an increasing `seq`), in caches keyed by the buffer object, so a frame and a
//   key handler asking the same question share one answer.
// - One line can be 64 KiB (the engine's cap). Wrapping walks it by grapheme, with a fast path for
//   printable ASCII, and a cut (wrap off) stops as soon as the screen's width is filled.
import type { StyledSpan, TextStyle } from '../engine/ansi.js';
import { parseSgr } from '../engine/ansi.js';
import type { LogEntry } from '../engine/log-buffer.js';
import { displayWidth, takesNoColumn } from './format.js';

export type { StyledSpan, TextStyle };

// ---------------------------------------------------------------------------------------------
// Sources and options

/** What the view reads entries from: a LogBuffer, or anything with its `length` and `at`. */
export interface EntrySource {
  readonly length: number;
  at(index: number): LogEntry | undefined;
  /** Changes with every push or clear (LogBuffer.version): caches skip all work when it has not moved. */
  readonly version?: number;
}

/** What `t` cycles through, in that order. */
export const TIMESTAMP_MODES = ['off', 'local', 'utc'] as const;
export type TimestampMode = (typeof TIMESTAMP_MODES)[number];

export interface FilterSpec {
  query: string;
  regex: boolean;
  /** Lines shown before and after each matching line, as `grep -C`. */
  context: number;
}

/** A match is named by its entry's seq and where it starts: stable while older lines are dropped. */
export interface SearchCursor {
  seq: number;
  start: number;
}

export interface SearchSpec {
  query: string;
  regex: boolean;
  /** The match n/N moved to, drawn differently from the others. */
  current?: SearchCursor | undefined;
}

export interface LogViewOptions {
  width: number;
  wrap: boolean;
  /** Columns scrolled right when wrap is off. */
  hscroll: number;
  timestamps: TimestampMode;
  /** Only matching lines and their context; none (or an empty query) shows every line. */
  filter?: FilterSpec | undefined;
  /** Matches are highlighted (the filter's are when there is no search). */
  search?: SearchSpec | undefined;
}

export interface VisualRow {
  /** The entry in the source; -1 for a gap row. */
  entryIndex: number;
  /** Already cut to the width: no row is wider than LogViewOptions.width. */
  spans: StyledSpan[];
  kind: LogEntry['kind'];
  stream: LogEntry['stream'];
  /** A second or later row of a wrapped line. */
  isContinuation: boolean;
  /** A '--' line between non-adjacent filter groups, as grep -C prints. */
  gap?: boolean;
  /** The part of entry.plain this row shows, [from, to): how a match is scrolled into view. */
  from: number;
  to: number;
}

// ---------------------------------------------------------------------------------------------
// Timestamps

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad3 = (n: number) => String(n).padStart(3, '0');

/** The entry's time in ms since the epoch: timeMs when the engine computed it, else parsed from `time`. */
export function entryTimeMs(entry: Pick<LogEntry, 'time' | 'timeMs'>): number | undefined {
  if (entry.timeMs !== undefined && Number.isFinite(entry.timeMs)) return entry.timeMs;
  if (!entry.time) return undefined;
  // RFC3339Nano carries nanoseconds; keep milliseconds (truncated, as clocks display them).
  const ms = Date.parse(entry.time.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : undefined;
}

function dateParts(ms: number, mode: 'local' | 'utc') {
  const d = new Date(ms);
  return mode === 'utc'
    ? { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() }
    : { y: d.getFullYear(), mo: d.getMonth() + 1, d: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds(), ms: d.getMilliseconds() };
}

/** '2024-06-10 10:00:01.123' in local time, '2024-06-10 10:00:01.123Z' in UTC; '' when off or unknown. */
export function formatLogTime(entry: Pick<LogEntry, 'time' | 'timeMs'>, mode: TimestampMode): string {
  if (mode === 'off') return '';
  const ms = entryTimeMs(entry);
  if (ms === undefined) return '';
  const p = dateParts(ms, mode);
  return `${p.y}-${pad2(p.mo)}-${pad2(p.d)} ${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}.${pad3(p.ms)}${mode === 'utc' ? 'Z' : ''}`;
}

/** Columns formatLogTime takes in a mode, so lines without a time keep the others' alignment. */
export function timeWidth(mode: TimestampMode): number {
  return mode === 'off' ? 0 : mode === 'utc' ? 24 : 23;
}

/** '10:00:01' (or '10:00:01Z'): the time a restart separator shows; local unless UTC was chosen. */
function clockTime(entry: Pick<LogEntry, 'time' | 'timeMs'>, mode: TimestampMode): string {
  const ms = entryTimeMs(entry);
  if (ms === undefined) return '';
  const p = dateParts(ms, mode === 'utc' ? 'utc' : 'local');
  return `${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}${mode === 'utc' ? 'Z' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface Matcher {
  test(plain: string): boolean;
  /** Non-empty matches, in order, as [start, end) offsets into `plain`. */
  ranges(plain: string): Array<[number, number]>;
}

/**
 * Text past this offset is not searched. JavaScript cannot interrupt a regex, and a backtracking
 * pattern's time grows with the text; 64 KiB is the engine's longest line anyway.
 */
export const MAX_TESTED_CHARS = 64 * 1024;
/** Per line: a one-letter search in a 64 KiB line must not allocate without bound. */
const MAX_RANGES_PER_LINE = 10_000;

const REGEX_SYNTAX = /[.*+?^${}()|[\]\\/]/g;

/** A quantifier at `i`: its length and whether it repeats more than once. */
function quantifierAt(source: string, i: number): { length: number; repeats: boolean } | undefined {
  const c = source[i];
  if (c === '*' || c === '+') return { length: 1, repeats: true };
  if (c === '?') return { length: 1, repeats: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { length: m[0].length, repeats: max > 1 };
  }
  return undefined;
}

/**
 * True for a repeated group that itself repeats or alternates, like `(a+)+`, `(\w*\s?)*` or
 * `(a|aa)*`: the shapes whose backtracking takes exponential time on a line that almost matches,
 * which would freeze the whole screen (a regex cannot be interrupted). A rough parse, on the safe
 * side: `(GET|POST)+` is refused too, a small price in a log search.
 */
export function hasNestedRepetition(source: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  let closedWithRepeat = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const justClosed = closedWithRepeat;
    closedWithRepeat = false;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      continue;
    }
    if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    if (c === ')') {
      const repeats = groups.pop() ?? false;
      if (repeats && groups.length > 0) groups[groups.length - 1] = true;
      closedWithRepeat = repeats;
      continue;
    }
    const q = quantifierAt(source, i);
    if (!q) continue;
    if (q.repeats && justClosed) return true;
    if (q.repeats && groups.length > 0) groups[groups.length - 1] = true;
    i += q.length - 1;
    // A lazy quantifier's '?' belongs to it.
    if (source[i + 1] === '?') i++;
  }
  return false;
}

function compile(source: string, flags: string): RegExp | { error: string } {
  // 'u' keeps matches on whole code points (an emoji is never half-highlighted); a pattern that
  // is only valid without it (a lone '{', an escaped '-') is still accepted.
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // V8: "Invalid regular expression: /(/g: Unterminated group" → "unterminated group".
      const reason = message.slice(message.lastIndexOf(': ') + 2) || message;
      return { error: `invalid regex: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` };
    }
  }
}

/** Moves an offset off the second half of a surrogate pair (matches found without the 'u' flag). */
function codePointStart(text: string, at: number): number {
  const code = text.charCodeAt(at);
  const before = text.charCodeAt(at - 1);
  return code >= 0xdc00 && code <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/**
 * Matches plain text, case-insensitively; or, on request, a regular expression, case-insensitive
 * unless it has a capital letter (ripgrep's smart case). A bad or dangerous pattern is an error
 * message, never an exception. An empty query matches nothing.
 */
export function matcher(query: string, regex: boolean): Matcher | { error: string } {
  if (query === '') return { test: () => false, ranges: () => [] };
  let re: RegExp;
  if (regex) {
    if (hasNestedRepetition(query)) return { error: 'a repeated group that repeats or alternates, like (a+)+ or (a|b)*, can take forever: simplify the pattern' };
    const compiled = compile(query, /\p{Lu}/u.test(query.replace(/\\./g, '')) ? 'g' : 'gi');
    if ('error' in compiled) return compiled;
    re = compiled;
  } else {
    re = new RegExp(query.replace(REGEX_SYNTAX, '\\$&'), 'giu');
  }
  const scan = (plain: string, limit: number): Array<[number, number]> => {
    const text = plain.length > MAX_TESTED_CHARS ? plain.slice(0, MAX_TESTED_CHARS) : plain;
    const out: Array<[number, number]> = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
      if (m[0].length === 0) {
        // An empty match ('x*' before any x) highlights nothing; step past it.
        re.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
        if (re.lastIndex > text.length) break;
        continue;
      }
      const start = codePointStart(text, m.index);
      const end = codePointStart(text, m.index + m[0].length);
      out.push([start, end > start ? end : start + m[0].length]);
    }
    return out;
  };
  return {
    test: (plain) => scan(plain, 1).length > 0,
    ranges: (plain) => scan(plain, MAX_RANGES_PER_LINE),
  };
}

// ---------------------------------------------------------------------------------------------
// Incremental scans over a growing, dropping buffer

/** The entry at `index`, or undefined out of range (a negative index must not count from the end, as Array#at does). */
export function entryAt(source: EntrySource, index: number): LogEntry | undefined {
  return index >= 0 && index < source.length ? source.at(index) : undefined;
}

/** The entry with this seq, if the buffer still holds it. */
export function entryBySeq(source: EntrySource, seq: number): LogEntry | undefined {
  return entryAt(source, indexOfSeq(source, seq));
}

/** The index of the entry with this seq, or -1. Seqs grow by one per push, so a guess usually hits. */
export function indexOfSeq(source: EntrySource, seq: number): number {
  const n = source.length;
  const first = n > 0 ? source.at(0)?.seq : undefined;
  if (first === undefined) return -1;
  const guess = seq - first;
  if (guess >= 0 && guess < n && source.at(guess)?.seq === seq) return guess;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = source.at(mid)?.seq ?? -Infinity;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Items derived from each entry (matches, matching seqs), kept in seq order. `update` tests only
 * the entries pushed since the last call and forgets the items of dropped ones; a buffer that was
 * cleared or replaced is scanned again from scratch.
 */
class EntryScan<T extends { seq: number }> {
  items: T[] = [];
  private lastSeq = -Infinity;
  private last: LogEntry | undefined;
  private version: number | undefined;
  private firstSeq: number | undefined;
  /** Bumped whenever `items` (or the entries' indexes) change: what derived values are memoised on. */
  stamp = 0;
  /** Older items were let go to stay under the cap. */
  capped = false;

  constructor(private readonly scan: (entry: LogEntry, out: T[]) => void, private readonly cap: number) {}

  private reset(): void {
    this.items = [];
    this.lastSeq = -Infinity;
    this.last = undefined;
    this.capped = false;
    this.stamp++;
  }

  update(source: EntrySource): void {
    if (source.version !== undefined && source.version === this.version) return;
    this.version = source.version;
    const n = source.length;
    const newest = entryAt(source, n - 1);
    if (!newest) {
      if (this.items.length > 0 || this.last) this.reset();
      return;
    }
    const firstSeq = entryAt(source, 0)?.seq ?? newest.seq;
    if (this.last) {
      // The newest entry scanned must still be that entry (or have been dropped): else the
      // buffer was cleared and refilled, and the seqs now name other lines.
      const again = this.lastSeq >= firstSeq ? entryBySeq(source, this.lastSeq) : undefined;
      if (newest.seq < this.lastSeq || (this.lastSeq >= firstSeq && (again?.text !== this.last.text || again.stream !== this.last.stream))) this.reset();
    }
    let changed = firstSeq !== this.firstSeq;
    this.firstSeq = firstSeq;
    let dropped = 0;
    while (dropped < this.items.length && this.items[dropped]!.seq < firstSeq) dropped++;
    const before = this.items.length;
    let i = n;
    while (i > 0 && (entryAt(source, i - 1)?.seq ?? -Infinity) > this.lastSeq) i--;
    for (; i < n; i++) {
      const entry = entryAt(source, i);
      if (entry) this.scan(entry, this.items);
      // Trimmed as it goes: a one-letter search over 32 MiB of text must not hold millions of hits first.
      if (this.items.length - dropped > 2 * this.cap) {
        this.items = this.items.slice(this.items.length - this.cap);
        dropped = 0;
        this.capped = true;
        changed = true;
      }
    }
    changed ||= dropped > 0 || this.items.length !== before;
    const over = this.items.length - dropped - this.cap;
    if (over > 0) this.capped = true;
    // One copy per update that drops anything, whatever the number of lines dropped.
    if (dropped > 0 || over > 0) this.items = this.items.slice(dropped + Math.max(0, over));
    this.lastSeq = newest.seq;
    this.last = newest;
    if (changed) this.stamp++;
  }
}

const CACHE_KEYS_PER_SOURCE = 8;
const scans = new WeakMap<object, Map<string, unknown>>();

/** One scan per (source, key), the least recently used let go beyond a few (a query typed letter by letter). */
function cachedScan<T>(source: EntrySource, key: string, make: () => T): T {
  let map = scans.get(source);
  if (!map) {
    map = new Map();
    scans.set(source, map);
  }
  let value = map.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    if (map.size >= CACHE_KEYS_PER_SOURCE) map.delete(map.keys().next().value!);
  } else {
    map.delete(key);
  }
  map.set(key, value);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchHit {
  seq: number;
  start: number;
  end: number;
}

/** Beyond this many matches the oldest are forgotten (a one-letter search in 50,000 lines). */
export const MAX_HITS = 100_000;

export interface SearchResult {
  error?: string;
  /** Every match in the buffer, oldest first. */
  hits: readonly SearchHit[];
  /** More than MAX_HITS matched; the oldest are not counted. */
  capped: boolean;
}

const NO_HITS: SearchResult = { hits: [], capped: false };

interface SearchScan {
  scan: EntryScan<SearchHit>;
  error?: string;
}

function searchScan(source: EntrySource, query: string, regex: boolean): SearchScan {
  return cachedScan(source, `search\0${regex ? 're' : 'text'}\0${query}`, () => {
    const m = matcher(query, regex);
    if ('error' in m) return { scan: new EntryScan<SearchHit>(() => {}, 0), error: m.error };
    return {
      scan: new EntryScan<SearchHit>((entry, out) => {
        // A restart separator's words are drawn by the view, not logged: nothing to find there.
        if (entry.kind === 'restart') return;
        for (const [start, end] of m.ranges(entry.plain)) out.push({ seq: entry.seq, start, end });
      }, MAX_HITS),
    };
  });
}

/** Every match of a search in the buffer; cached per buffer, and updated only with new lines. */
export function searchHits(source: EntrySource, query: string, regex: boolean): SearchResult {
  if (query === '') return NO_HITS;
  const { scan, error } = searchScan(source, query, regex);
  if (error) return { error, hits: [], capped: false };
  scan.update(source);
  return { hits: scan.items, capped: scan.capped };
}

/** Where `cursor` is among the hits (or would be): the first hit not before it. */
function hitPosition(hits: readonly SearchHit[], cursor: SearchCursor): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const h = hits[mid]!;
    if (h.seq < cursor.seq || (h.seq === cursor.seq && h.start < cursor.start)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The counter beside a search: '3/41' with a current match, '41 matches' before n/N was pressed,
 * 'no matches'; '+' when there were more than MAX_HITS. A current match whose line was dropped
 * shows as '-/41'.
 */
export function matchCounter(result: SearchResult, current: SearchCursor | undefined): string {
  const total = `${result.hits.length.toLocaleString('en-US')}${result.capped ? '+' : ''}`;
  if (result.hits.length === 0) return 'no matches';
  if (!current) return `${total} match${result.hits.length === 1 && !result.capped ? '' : 'es'}`;
  const at = hitPosition(result.hits, current);
  const hit = result.hits[at];
  const found = hit !== undefined && hit.seq === current.seq && hit.start === current.start;
  return `${found ? (at + 1).toLocaleString('en-US') : '-'}/${total}`;
}

// ---------------------------------------------------------------------------------------------
// Filter (grep -C)

/** Matching entries plus `context` on each side, ascending; where two indexes are not adjacent a gap is drawn. */
export function withContext(matching: readonly number[], length: number, context: number): number[] {
  const c = Math.max(0, Math.floor(context) || 0);
  const out: number[] = [];
  let next = 0; // the first index not yet emitted
  for (const i of matching) {
    const from = Math.max(next, i - c);
    const to = Math.min(length - 1, i + c);
    for (let j = from; j <= to; j++) out.push(j);
    next = Math.max(next, to + 1);
  }
  return out;
}

/**
 * Like `grep -C context`: the indexes of matching entries plus `context` before and after each,
 * ascending; a gap ('--') belongs wherever two consecutive indexes are not adjacent (isGapBefore).
 * Restart separators are kept as well once anything matches: they tell which run a line is from.
 */
export function filteredEntryIndexes(source: EntrySource, match: Matcher, context: number): number[] {
  const matching: number[] = [];
  const restarts: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const entry = source.at(i);
    if (!entry) continue;
    if (entry.kind === 'restart') restarts.push(i);
    else if (match.test(entry.plain)) matching.push(i);
  }
  return grepSelection(matching, restarts, source.length, context);
}

/** The matching indexes with their context, and the restart separators among them once anything matched. */
function grepSelection(matching: readonly number[], restarts: readonly number[], length: number, context: number): number[] {
  const indexes = withContext(matching, length, context);
  if (matching.length === 0 || restarts.length === 0) return indexes;
  const out: number[] = [];
  let r = 0;
  for (const i of indexes) {
    while (r < restarts.length && restarts[r]! < i) out.push(restarts[r++]!);
    if (restarts[r] === i) r++;
    out.push(i);
  }
  while (r < restarts.length) out.push(restarts[r++]!);
  return out;
}

/** A '--' row goes before position `pos` of a filtered list: it does not follow on from the one before. */
export function isGapBefore(list: readonly number[], pos: number): boolean {
  return pos > 0 && list[pos] !== (list[pos - 1] ?? NaN) + 1;
}

export interface FilterResult {
  error?: string;
  /** Entry indexes shown, ascending. */
  indexes: readonly number[];
  /** Entries that matched (without context or separators). */
  matching: number;
}

interface FilterScan {
  scan: EntryScan<{ seq: number; restart: boolean }>;
  error?: string;
  memo?: { stamp: number; firstSeq: number | undefined; length: number; context: number; result: FilterResult };
}

/** The filter's selection over the buffer: cached, and updated only with the lines pushed since. */
export function filterResult(source: EntrySource, filter: FilterSpec): FilterResult {
  const state = cachedScan<FilterScan>(source, `filter\0${filter.regex ? 're' : 'text'}\0${filter.query}`, () => {
    const m = matcher(filter.query, filter.regex);
    if ('error' in m) return { scan: new EntryScan(() => {}, 0), error: m.error };
    return {
      scan: new EntryScan<{ seq: number; restart: boolean }>((entry, out) => {
        if (entry.kind === 'restart') out.push({ seq: entry.seq, restart: true });
        else if (m.test(entry.plain)) out.push({ seq: entry.seq, restart: false });
      }, Number.MAX_SAFE_INTEGER),
    };
  });
  if (state.error) return { error: state.error, indexes: [], matching: 0 };
  state.scan.update(source);
  const firstSeq = entryAt(source, 0)?.seq;
  const memo = state.memo;
  if (memo && memo.stamp === state.scan.stamp && memo.firstSeq === firstSeq && memo.length === source.length && memo.context === filter.context) {
    return memo.result;
  }
  const matching: number[] = [];
  const restarts: number[] = [];
  for (const item of state.scan.items) {
    const index = indexOfSeq(source, item.seq);
    if (index < 0) continue;
    (item.restart ? restarts : matching).push(index);
  }
  const result: FilterResult = { indexes: grepSelection(matching, restarts, source.length, filter.context), matching: matching.length };
  state.memo = { stamp: state.scan.stamp, firstSeq, length: source.length, context: filter.context, result };
  return result;
}

const activeFilter = (options: LogViewOptions): FilterSpec | undefined =>
  options.filter && options.filter.query !== '' ? options.filter : undefined;

// ---------------------------------------------------------------------------------------------
// What the viewport scrolls over: every entry, or the filter's selection

interface ViewList {
  count: number;
  entryAt(pos: number): number;
  /** The first position whose entry is at or after `entryIndex` (count when none). */
  posOf(entryIndex: number): number;
  gapBefore(pos: number): boolean;
}

function allEntries(length: number): ViewList {
  return {
    count: length,
    entryAt: (pos) => pos,
    posOf: (entryIndex) => Math.max(0, Math.min(length, entryIndex)),
    gapBefore: () => false,
  };
}

function selection(indexes: readonly number[]): ViewList {
  return {
    count: indexes.length,
    entryAt: (pos) => indexes[pos] ?? -1,
    posOf: (entryIndex) => {
      let lo = 0;
      let hi = indexes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (indexes[mid]! < entryIndex) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    gapBefore: (pos) => isGapBefore(indexes, pos),
  };
}

function viewList(source: EntrySource, options: LogViewOptions): ViewList {
  const filter = activeFilter(options);
  if (!filter) return allEntries(source.length);
  const result = filterResult(source, filter);
  // A bad pattern filters nothing: the header says why, and the lines stay readable.
  return result.error ? allEntries(source.length) : selection(result.indexes);
}

// ---------------------------------------------------------------------------------------------
// Highlighting

/** The style of every match: inverse video (toggled, so a match inside inverse text still shows). */
const matchStyle = (style: TextStyle): TextStyle => ({ ...style, inverse: !style.inverse });
/** The match n/N went to: in colour terminals it stands out from the others. */
const currentStyle = (style: TextStyle): TextStyle => ({ ...style, inverse: false, bg: 'yellow', fg: 'black', bold: true });

/**
 * Spans with the given [start, end) ranges (offsets into the spans' joined text) in inverse
 * video; the `current` range is drawn black on yellow instead. Spans are split where ranges begin
 * and end; their text is otherwise unchanged.
 */
export function highlightMatches(spans: readonly StyledSpan[], ranges: ReadonlyArray<readonly [number, number]>, current?: readonly [number, number]): StyledSpan[] {
  if (ranges.length === 0 && !current) return [...spans];
  const marks = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: StyledSpan[] = [];
  let offset = 0;
  let r = 0;
  for (const span of spans) {
    const end = offset + span.text.length;
    let at = offset;
    while (at < end) {
      while (r < marks.length && marks[r]![1] <= at) r++;
      const mark = marks[r];
      if (!mark || mark[0] >= end) {
        out.push({ text: span.text.slice(at - offset), style: span.style });
        break;
      }
      if (mark[0] > at) {
        out.push({ text: span.text.slice(at - offset, mark[0] - offset), style: span.style });
        at = mark[0];
      }
      const to = Math.min(end, mark[1]);
      const isCurrent = current !== undefined && mark[0] === current[0] && mark[1] === current[1];
      out.push({ text: span.text.slice(at - offset, to - offset), style: isCurrent ? currentStyle(span.style) : matchStyle(span.style) });
      at = to;
    }
    offset = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cutting styled text into rows

interface Cell {
  text: string;
  /** -1 for a tab, whose width depends on the column it starts at. */
  width: number;
  style: TextStyle;
  /** Offset into the joined span text, and its length there. */
  offset: number;
  length: number;
  /** A run of printable ASCII: one column per character, so it can be cut anywhere. */
  run?: boolean;
}

/** Characters [from, to) of a run. */
const part = (cell: Cell, from: number, to: number): Cell =>
  ({ text: cell.text.slice(from, to), width: to - from, style: cell.style, offset: cell.offset + from, length: to - from });

const TAB_STOP = 8;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Controls the engine's cleaner should have removed already, and bidi overrides that would
// reorder the rest of the row: never drawn (they keep their offsets, so matches stay aligned).
const INVISIBLE = /^[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Columns a grapheme may take on screen. Terminals disagree about emoji sequences: string-width
 * (and Ink) count 👍🏽 or 👨‍👩‍👧 as 2, but tmux 3.3 draws the skin tone as a second emoji (4
 * columns) and older terminals draw each part of a ZWJ family. A row counted short would wrap in
 * the terminal and push the whole screen down, so a sequence counts as the larger of the two; a
 * terminal that joins it just leaves a column or two free at the end of the row.
 */
function graphemeWidth(segment: string): number {
  const width = displayWidth(segment);
  // A single code point (CJK, most symbols): every terminal agrees.
  if (segment.length === 1 || (segment.length === 2 && segment.codePointAt(0)! > 0xffff)) return width;
  let parts = 0;
  for (const codePoint of segment) parts += displayWidth(codePoint);
  return Math.max(width, parts);
}

/** The columns text takes at most on screen (see graphemeWidth): what no row may exceed. */
export function terminalWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += INVISIBLE.test(segment) ? 0 : graphemeWidth(segment);
  return width;
}

/**
 * The spans as terminal cells, one per grapheme, so an emoji or a CJK character is never split;
 * a span of printable ASCII (the common case, and a 40 KiB line's) is one run, cut by slicing.
 */
function* cellsOf(spans: readonly StyledSpan[]): Generator<Cell> {
  let offset = 0;
  for (const { text, style } of spans) {
    if (PRINTABLE_ASCII.test(text)) {
      if (text.length > 0) yield { text, width: text.length, style, offset, length: text.length, run: true };
    } else {
      for (const { segment, index } of graphemes.segment(text)) {
        if (segment === '\t') yield { text: segment, width: -1, style, offset: offset + index, length: 1 };
        else if (!INVISIBLE.test(segment) && !takesNoColumn(segment)) yield { text: segment, width: graphemeWidth(segment), style, offset: offset + index, length: segment.length };
      }
    }
    offset += text.length;
  }
}

class RowBuilder {
  spans: StyledSpan[] = [];
  width = 0;
  from = -1;
  to = -1;

  add(text: string, style: TextStyle, width: number): void {
    const last = this.spans[this.spans.length - 1];
    // Cells of one span share its style object: consecutive ones become one span again.
    if (last && last.style === style) last.text += text;
    else this.spans.push({ text, style });
    this.width += width;
  }

  addCell(cell: Cell, text = cell.text, width = cell.width): void {
    if (this.from < 0) this.from = cell.offset;
    this.to = cell.offset + cell.length;
    this.add(text, cell.style, width);
  }
}

interface CutRow {
  spans: StyledSpan[];
  from: number;
  to: number;
}

/** Wraps spans into rows of at most `room` columns (room >= 1); a wide character that does not fit moves down. */
function wrapSpans(spans: readonly StyledSpan[], room: number, end: number): CutRow[] {
  const rows: CutRow[] = [];
  let row = new RowBuilder();
  const flush = () => {
    rows.push({ spans: row.spans, from: row.from < 0 ? end : row.from, to: row.to < 0 ? end : row.to });
    row = new RowBuilder();
  };
  for (const cell of cellsOf(spans)) {
    if (cell.run) {
      for (let i = 0; i < cell.length;) {
        if (row.width >= room) flush();
        const take = Math.min(room - row.width, cell.length - i);
        row.addCell(part(cell, i, i + take));
        i += take;
      }
      continue;
    }
    let width = cell.width;
    let text = cell.text;
    if (width < 0) {
      if (row.width >= room) flush();
      width = Math.min(TAB_STOP - (row.width % TAB_STOP), room - row.width);
      text = ' '.repeat(width);
    } else if (row.width + width > room) {
      if (row.width > 0) flush();
      // Only a 1-column pane cannot hold a wide character at all.
      if (width > room) {
        text = '?';
        width = 1;
      }
    }
    row.addCell(cell, text, width);
  }
  if (row.spans.length > 0 || rows.length === 0) flush();
  return rows;
}

/** Marks a row cut on the right, in the last column. */
const MORE = '›';

/**
 * The cells in content columns [skip, skip + limit): a wide character (or tab) across the left
 * edge shows as spaces; one across the right edge is left out. Stops at the first cell beyond,
 * so a 64 KiB line costs no more than the screen's width; `more` says whether there was one.
 */
function takeColumns(spans: readonly StyledSpan[], skip: number, limit: number): { row: RowBuilder; more: boolean } {
  const row = new RowBuilder();
  const edge = skip + limit;
  let column = 0;
  for (const cell of cellsOf(spans)) {
    const width = cell.width < 0 ? TAB_STOP - (column % TAB_STOP) : cell.width;
    const start = column;
    column += width;
    if (cell.run) {
      if (column <= skip) continue;
      const from = Math.max(skip, start) - start;
      const to = Math.min(column, edge) - start;
      if (to > from) row.addCell(part(cell, from, to));
      if (column > edge) return { row, more: true };
      continue;
    }
    if (width > 0 ? column <= skip : start < skip) continue;
    if (column > edge || (width === 0 && start >= edge)) return { row, more: true };
    const shown = column - Math.max(start, skip);
    // Part of a cell (across the left edge) or a tab: as many spaces as columns shown.
    row.addCell(cell, start < skip || cell.width < 0 ? ' '.repeat(shown) : cell.text, shown);
  }
  return { row, more: false };
}

/** One row of `room` columns, `skip` columns into the text (wrap off); the last column shows '›' when more follows. */
function cutSpans(spans: readonly StyledSpan[], room: number, skip: number, end: number): CutRow {
  let { row, more } = takeColumns(spans, skip, room);
  if (more) {
    row = takeColumns(spans, skip, room - 1).row;
    if (row.width < room - 1) row.add(' '.repeat(room - 1 - row.width), NO_STYLE, room - 1 - row.width);
    row.add(MORE, { dim: true }, 1);
  }
  return { spans: row.spans, from: row.from < 0 ? end : row.from, to: row.to < 0 ? end : row.to };
}

/** Spans cut to at most `width` columns (terminalWidth), between graphemes. */
export function fitSpans(spans: readonly StyledSpan[], width: number): StyledSpan[] {
  if (width <= 0) return [];
  let total = 0;
  for (const s of spans) total += terminalWidth(s.text);
  if (total <= width) return [...spans];
  const row = new RowBuilder();
  for (const cell of cellsOf(spans)) {
    if (cell.run) {
      const take = Math.min(cell.length, width - row.width);
      row.add(cell.text.slice(0, take), cell.style, take);
      if (take < cell.length) break;
      continue;
    }
    const w = cell.width < 0 ? 1 : cell.width;
    if (row.width + w > width) break;
    row.add(cell.width < 0 ? ' ' : cell.text, cell.style, w);
  }
  return row.spans;
}

// ---------------------------------------------------------------------------------------------
// Laying out one entry

const STDERR_STYLE: TextStyle = { fg: 'red', bold: true };
const DAEMON_STYLE: TextStyle = { fg: 'magenta', bold: true };
const NOTICE_STYLE: TextStyle = { dim: true, italic: true };
const TIME_STYLE: TextStyle = { dim: true };
const GAP_STYLE: TextStyle = { fg: 'cyan' };
const SEPARATOR_STYLE: TextStyle = { fg: 'yellow', bold: true };
const NO_STYLE: TextStyle = {};

/**
 * The first column tells streams apart without colour (NO_COLOR, a copied screen): '!' stderr,
 * '#' the daemon's own error text, '*' a notice from dockhand; stdout has none.
 */
export function gutterMark(entry: Pick<LogEntry, 'kind' | 'stream'>): string {
  if (entry.kind === 'notice') return '*';
  if (entry.stream === 'stderr') return '!';
  if (entry.stream === 'daemon') return '#';
  return ' ';
}

const GUTTER_WIDTH = 2;

/** Columns before a line's text: the gutter, and the time with a space when shown. */
function prefixWidth(mode: TimestampMode): number {
  const stamp = timeWidth(mode);
  return GUTTER_WIDTH + (stamp > 0 ? stamp + 1 : 0);
}

function gutterStyle(entry: LogEntry): TextStyle {
  if (entry.kind === 'notice') return NOTICE_STYLE;
  if (entry.stream === 'stderr') return STDERR_STYLE;
  if (entry.stream === 'daemon') return DAEMON_STYLE;
  return NO_STYLE;
}

/**
 * The words of a lifecycle separator. The follower pushes two: the end of a run (with its exit
 * code) and the start of the next one; each reads as a heading: 'exited (137) at 10:00:01',
 * 'restarted at 10:00:05'.
 */
export function restartLabel(entry: Pick<LogEntry, 'exitCode' | 'time' | 'timeMs'>, mode: TimestampMode): string {
  const time = clockTime(entry, mode);
  const what = entry.exitCode !== undefined ? `exited (${entry.exitCode})` : 'restarted';
  return time ? `${what} at ${time}` : what;
}

/** The entry's text as styled spans: its SGR colours, or plain text if they disagree with `plain`. */
function spansOf(entry: LogEntry): StyledSpan[] {
  if (entry.text === entry.plain) return [{ text: entry.plain, style: NO_STYLE }];
  const spans = parseSgr(entry.text);
  let length = 0;
  for (const s of spans) length += s.text.length;
  // Match offsets are positions in `plain`; spans that do not add up to it would misplace them.
  return length === entry.plain.length ? spans : [{ text: entry.plain, style: NO_STYLE }];
}

/** How a visible entry is drawn besides its text: matches, and whether it is only context. */
export interface EntryDecoration {
  gapBefore?: boolean;
  ranges?: ReadonlyArray<readonly [number, number]>;
  current?: readonly [number, number];
  /** A context line of the filter (not itself a match): dimmed, as grep prints context plainly. */
  context?: boolean;
}

/** Every row of one entry at the options' width: wrapped, or one row cut at hscroll. At least one row. */
export function layoutEntry(entry: LogEntry | undefined, entryIndex: number, options: LogViewOptions, decoration: EntryDecoration = {}): VisualRow[] {
  const width = Math.max(0, Math.floor(options.width) || 0);
  const rows: VisualRow[] = [];
  if (decoration.gapBefore) {
    rows.push({ entryIndex: -1, spans: fitSpans([{ text: '--', style: GAP_STYLE }], width), kind: 'line', stream: 'stdout', isContinuation: false, gap: true, from: 0, to: 0 });
  }
  if (!entry) {
    rows.push({ entryIndex, spans: [], kind: 'line', stream: 'stdout', isContinuation: false, from: 0, to: 0 });
    return rows;
  }
  const base = { entryIndex, kind: entry.kind, stream: entry.stream };
  const end = entry.plain.length;

  if (entry.kind === 'restart') {
    const label = ` ${restartLabel(entry, options.timestamps)} `;
    const fill = Math.max(0, width - 4 - terminalWidth(label));
    rows.push({ ...base, spans: fitSpans([{ text: `────${label}${'─'.repeat(fill)}`, style: SEPARATOR_STYLE }], width), isContinuation: false, from: 0, to: end });
    return rows;
  }

  let content = spansOf(entry);
  if (decoration.context) content = content.map((s) => ({ text: s.text, style: { ...s.style, dim: true } }));
  if (entry.kind === 'notice') content = content.map((s) => ({ text: s.text, style: { ...NOTICE_STYLE, ...s.style } }));
  else if (entry.stream === 'daemon') content = content.map((s) => ({ text: s.text, style: { fg: 'magenta', ...s.style } }));
  if (decoration.ranges?.length || decoration.current) content = highlightMatches(content, decoration.ranges ?? [], decoration.current);

  const gutter: StyledSpan = { text: `${gutterMark(entry)} `, style: gutterStyle(entry) };
  const stamp = timeWidth(options.timestamps);
  const time = formatLogTime(entry, options.timestamps);
  const firstPrefix: StyledSpan[] = stamp > 0 ? [gutter, { text: `${time.padEnd(stamp)} `, style: TIME_STYLE }] : [gutter];
  // Continuation rows keep the stream mark and indent under the text, so a wrapped line reads as one.
  const nextPrefix: StyledSpan[] = stamp > 0 ? [gutter, { text: ' '.repeat(stamp + 1), style: NO_STYLE }] : [gutter];
  const room = width - prefixWidth(options.timestamps);

  if (room <= 0) {
    rows.push({ ...base, spans: fitSpans(firstPrefix, width), isContinuation: false, from: 0, to: end });
    return rows;
  }
  const cut = options.wrap ? wrapSpans(content, room, end) : [cutSpans(content, room, Math.max(0, Math.floor(options.hscroll) || 0), end)];
  cut.forEach((row, i) => {
    rows.push({ ...base, spans: [...(i === 0 ? firstPrefix : nextPrefix), ...row.spans], isContinuation: i > 0, from: row.from, to: row.to });
  });
  return rows;
}

/** Rows of the entries at view positions [from, to) (positions in the filter's selection when one is set). */
export function layoutRows(source: EntrySource, options: LogViewOptions, from: number, to: number): VisualRow[] {
  const ctx = layoutContext(source, options);
  const rows: VisualRow[] = [];
  for (let pos = Math.max(0, from); pos < Math.min(to, ctx.list.count); pos++) rows.push(...ctx.rowsAt(pos));
  return rows;
}

interface LayoutContext {
  source: EntrySource;
  list: ViewList;
  rowsAt(pos: number): VisualRow[];
}

function layoutContext(source: EntrySource, options: LogViewOptions): LayoutContext {
  const list = viewList(source, options);
  const filter = activeFilter(options);
  const filterMatch = filter ? matcher(filter.query, filter.regex) : undefined;
  const filtering = filterMatch !== undefined && !('error' in filterMatch) ? filterMatch : undefined;
  const search = options.search && options.search.query !== '' ? matcher(options.search.query, options.search.regex) : undefined;
  // Highlight the search; with none, the filter's matches (as grep --color does).
  const highlight = search !== undefined ? ('error' in search ? undefined : search) : filtering;
  const current = options.search?.current;
  return {
    source,
    list,
    rowsAt(pos: number): VisualRow[] {
      const entryIndex = list.entryAt(pos);
      const entry = entryAt(source, entryIndex);
      const decoration: EntryDecoration = { gapBefore: list.gapBefore(pos) };
      if (entry && entry.kind !== 'restart') {
        if (highlight) decoration.ranges = highlight.ranges(entry.plain);
        if (current && current.seq === entry.seq) {
          const hit = decoration.ranges?.find(([start]) => start === current.start);
          if (hit) decoration.current = hit;
        }
        if (filtering) {
          const matches = highlight === filtering ? (decoration.ranges?.length ?? 0) > 0 : filtering.test(entry.plain);
          if (!matches) decoration.context = true;
        }
      }
      return layoutEntry(entry, entryIndex, options, decoration);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Viewport

export interface LogViewport {
  /** The entry (index in the buffer) at the top of the screen; ignored while following. */
  topEntry: number;
  /** Rows of that entry above the screen: a wrapped line taller than the screen is scrolled through. */
  topRow?: number;
  /** That entry's seq, so the view stays on the same line while older ones are dropped. */
  topSeq?: number;
  /** Pinned to the newest line. Scrolling up turns it off; followLatest (G/End) turns it on. */
  follow: boolean;
}

export const FOLLOWING: LogViewport = { topEntry: 0, follow: true };

/** Everything a viewport helper needs: what LogsPane is given, as one value (see logScreen). */
export interface LogScreen {
  source: EntrySource;
  options: LogViewOptions;
  /** LogsPane's height: the header line plus height - 1 rows of log. */
  height: number;
}

/** Rows of log on a pane of this height (one line is the header). */
export const logRows = (height: number) => Math.max(0, Math.floor(height) - 1);

/** A position in the view: the list position of an entry and a row within its layout. */
interface Cursor {
  pos: number;
  row: number;
}

const before = (a: Cursor, b: Cursor) => a.pos < b.pos || (a.pos === b.pos && a.row < b.row);

/** The last `wanted` rows of the view, and where they start. */
function bottomWindow(ctx: LayoutContext, wanted: number): { top: Cursor; rows: VisualRow[] } {
  const chunks: VisualRow[][] = [];
  let total = 0;
  let pos = ctx.list.count;
  while (pos > 0 && total < wanted) {
    pos--;
    const rows = ctx.rowsAt(pos);
    chunks.push(rows);
    total += rows.length;
  }
  const rows = chunks.reverse().flat();
  const skip = Math.max(0, total - wanted);
  return { top: { pos, row: skip }, rows: rows.slice(skip) };
}

/** Where a paused viewport starts: its entry found again by seq, the next shown one if filtered out. */
function resolveTop(ctx: LayoutContext, viewport: LogViewport): Cursor {
  let entryIndex = viewport.topEntry;
  let row = viewport.topRow ?? 0;
  if (viewport.topSeq !== undefined) {
    const found = indexOfSeq(ctx.source, viewport.topSeq);
    if (found >= 0) entryIndex = found;
    else {
      const first = entryAt(ctx.source, 0)?.seq;
      // Dropped off the old end while paused: the oldest line left is the closest.
      if (first !== undefined && viewport.topSeq < first) {
        entryIndex = 0;
        row = 0;
      }
    }
  }
  const pos = ctx.list.posOf(entryIndex);
  if (ctx.list.entryAt(pos) !== entryIndex) row = 0;
  return { pos, row: Math.max(0, row) };
}

/** `wanted` rows from `top`, or fewer at the end of the view. */
function windowFrom(ctx: LayoutContext, top: Cursor, wanted: number): VisualRow[] {
  const rows: VisualRow[] = [];
  for (let pos = top.pos; pos < ctx.list.count && rows.length < wanted; pos++) {
    const entryRows = ctx.rowsAt(pos);
    rows.push(...(pos === top.pos ? entryRows.slice(Math.min(top.row, entryRows.length - 1)) : entryRows));
  }
  return rows.slice(0, wanted);
}

export interface VisibleRows {
  /** At most height - 1 rows, each at most width columns. */
  rows: VisualRow[];
  /** The view shows its last row (always when following). */
  atEnd: boolean;
}

/** The rows the viewport shows: laid out from its top (or up from the end while following), nothing else. */
export function visibleRows(screen: LogScreen, viewport: LogViewport): VisibleRows {
  const ctx = layoutContext(screen.source, screen.options);
  const wanted = logRows(screen.height);
  const { rows, atEnd } = placeWindow(ctx, viewport, wanted);
  return { rows, atEnd };
}

function placeWindow(ctx: LayoutContext, viewport: LogViewport, wanted: number): { rows: VisualRow[]; top: Cursor; atEnd: boolean } {
  if (wanted <= 0 || ctx.list.count === 0) return { rows: [], top: { pos: 0, row: 0 }, atEnd: true };
  if (!viewport.follow) {
    const top = resolveTop(ctx, viewport);
    const rows = windowFrom(ctx, top, wanted + 1);
    // One row more than the screen proves that the end is still below; else show the last screenful.
    if (rows.length > wanted) return { rows: rows.slice(0, wanted), top, atEnd: false };
  }
  const bottom = bottomWindow(ctx, wanted);
  return { rows: bottom.rows, top: bottom.top, atEnd: true };
}

function toViewport(ctx: LayoutContext, cursor: Cursor, follow: boolean): LogViewport {
  const topEntry = Math.max(0, ctx.list.entryAt(cursor.pos));
  const seq = entryAt(ctx.source, topEntry)?.seq;
  return { topEntry, topRow: cursor.row, ...(seq !== undefined ? { topSeq: seq } : {}), follow };
}

/** Moves a cursor by `delta` rows, within [start, limit]. */
function moveRows(ctx: LayoutContext, from: Cursor, delta: number, limit: Cursor): Cursor {
  let { pos, row } = from;
  let left = Math.abs(delta);
  if (delta > 0) {
    while (left > 0 && before({ pos, row }, limit)) {
      const count = ctx.rowsAt(pos).length;
      const step = Math.min(left, count - 1 - row);
      if (step > 0) {
        row += step;
        left -= step;
      } else {
        pos++;
        row = 0;
        left--;
      }
    }
    return before({ pos, row }, limit) ? { pos, row } : limit;
  }
  while (left > 0 && (pos > 0 || row > 0)) {
    if (row > 0) {
      const step = Math.min(left, row);
      row -= step;
      left -= step;
    } else {
      pos--;
      row = ctx.rowsAt(pos).length - 1;
      left--;
    }
  }
  return { pos, row };
}

/**
 * Scrolls by rows (negative: up). Up pauses following; down stops at the last screenful and
 * stays paused until followLatest (G). Works in rows, so a wrapped line is scrolled through.
 */
export function scrollRows(screen: LogScreen, viewport: LogViewport, delta: number): LogViewport {
  const ctx = layoutContext(screen.source, screen.options);
  const wanted = logRows(screen.height);
  if (delta === 0 || ctx.list.count === 0 || wanted === 0) return delta < 0 ? { ...viewport, follow: false } : viewport;
  if (viewport.follow && delta > 0) return viewport;
  const last = bottomWindow(ctx, wanted).top;
  const start = viewport.follow ? last : placeWindow(ctx, viewport, wanted).top;
  return toViewport(ctx, moveRows(ctx, start, delta, last), false);
}

/** Rows one page moves: a screenful less one, so the last row stays in sight for continuity. */
export const pageRows = (height: number) => Math.max(1, logRows(height) - 1);

export function scrollPages(screen: LogScreen, viewport: LogViewport, pages: number): LogViewport {
  return scrollRows(screen, viewport, pages * pageRows(screen.height));
}

/** G / End: pinned to the newest line again. */
export function followLatest(viewport: LogViewport): LogViewport {
  return { topEntry: viewport.topEntry, follow: true };
}

/** g / Home: the oldest line kept, paused. */
export function scrollToStart(screen: LogScreen): LogViewport {
  const seq = entryAt(screen.source, 0)?.seq;
  return { topEntry: 0, topRow: 0, ...(seq !== undefined ? { topSeq: seq } : {}), follow: false };
}

// ---------------------------------------------------------------------------------------------
// Moving between matches

/** The search's matches among the lines shown: with a filter on, matches in hidden lines are skipped. */
function reachableHits(screen: LogScreen): SearchResult {
  const search = screen.options.search;
  if (!search || search.query === '') return NO_HITS;
  const result = searchHits(screen.source, search.query, search.regex);
  const filter = activeFilter(screen.options);
  if (!filter || result.hits.length === 0) return result;
  const shown = filterResult(screen.source, filter);
  if (shown.error) return result;
  const list = selection(shown.indexes);
  const hits = result.hits.filter((hit) => {
    const index = indexOfSeq(screen.source, hit.seq);
    return index >= 0 && list.entryAt(list.posOf(index)) === index;
  });
  return { hits, capped: result.capped };
}

/** The search state the header shows: the counter over what n/N can reach, or the pattern's error. */
export function searchStatus(screen: LogScreen): { counter: string; error?: string } | undefined {
  const search = screen.options.search;
  if (!search || search.query === '') return undefined;
  const result = reachableHits(screen);
  if (result.error) return { counter: '', error: result.error };
  return { counter: matchCounter(result, search.current) };
}

/**
 * n (+1) / N (-1): the next or previous match, wrapping around. Without a current match, n takes
 * the first one from the top of the screen down and N the first one from the bottom up (so N after a
 * search finds the newest match above the end, the usual question in a log).
 */
export function stepMatch(screen: LogScreen, viewport: LogViewport, direction: 1 | -1): SearchCursor | undefined {
  const { hits } = reachableHits(screen);
  if (hits.length === 0) return undefined;
  const current = screen.options.search?.current;
  let at: number;
  if (current) {
    const p = hitPosition(hits, current);
    const exact = hits[p]?.seq === current.seq && hits[p]?.start === current.start;
    at = direction > 0 ? (exact ? p + 1 : p) : p - 1;
  } else {
    const view = visibleRows(screen, viewport);
    const entries = view.rows.filter((r) => r.entryIndex >= 0);
    const edge = direction > 0 ? entries[0] : entries[entries.length - 1];
    const seq = edge ? entryAt(screen.source, edge.entryIndex)?.seq : undefined;
    if (seq === undefined) at = direction > 0 ? 0 : hits.length - 1;
    else if (direction > 0) at = hitPosition(hits, { seq, start: 0 });
    else at = hitPosition(hits, { seq: seq + 1, start: 0 }) - 1;
  }
  const hit = hits[((at % hits.length) + hits.length) % hits.length]!;
  return { seq: hit.seq, start: hit.start };
}

/**
 * A viewport showing the match (paused): unchanged when it is already on screen, else with the
 * match's row a third of the way down. With wrap off, pair it with hscrollToReveal.
 */
export function revealMatch(screen: LogScreen, viewport: LogViewport, cursor: SearchCursor): LogViewport {
  const ctx = layoutContext(screen.source, screen.options);
  const wanted = logRows(screen.height);
  const index = indexOfSeq(screen.source, cursor.seq);
  if (index < 0 || wanted === 0 || ctx.list.count === 0) return viewport;
  const pos = Math.min(ctx.list.posOf(index), ctx.list.count - 1);
  const rows = ctx.rowsAt(pos);
  let row = rows.findIndex((r) => r.entryIndex >= 0 && r.from <= cursor.start && cursor.start < r.to);
  if (row < 0) row = rows.findIndex((r) => r.entryIndex >= 0);
  const target: Cursor = { pos, row: Math.max(0, row) };
  const shown = placeWindow(ctx, viewport, wanted);
  const bottom = moveRows(ctx, shown.top, wanted - 1, { pos: ctx.list.count, row: 0 });
  if (!before(target, shown.top) && !before(bottom, target)) return toViewport(ctx, shown.top, false);
  const last = bottomWindow(ctx, wanted).top;
  const top = moveRows(ctx, target, -Math.floor(wanted / 3), { pos: 0, row: 0 });
  return toViewport(ctx, before(last, top) ? last : top, false);
}

/** The search's match at `cursor`: its entry and [start, end) in entry.plain. */
function matchAt(screen: LogScreen, cursor: SearchCursor): { entry: LogEntry; start: number; end: number } | undefined {
  const entry = entryBySeq(screen.source, cursor.seq);
  const search = screen.options.search;
  if (!entry || !search || search.query === '') return undefined;
  const m = matcher(search.query, search.regex);
  const range = 'error' in m ? undefined : m.ranges(entry.plain).find(([start]) => start === cursor.start);
  return range ? { entry, start: range[0], end: range[1] } : undefined;
}

/** With wrap off: the hscroll that brings the match into view (the current one when it already is). */
export function hscrollToReveal(screen: LogScreen, cursor: SearchCursor): number {
  const { options } = screen;
  const match = matchAt(screen, cursor);
  if (!match || options.wrap) return options.hscroll;
  const { entry, end } = match;
  // One column less than the text's room: the last one may hold the '›' mark.
  const room = options.width - prefixWidth(options.timestamps) - 1;
  if (room <= 0) return options.hscroll;
  const cells = [...cellsOf([{ text: entry.plain, style: NO_STYLE }])];
  /** The column where the text at `offset` starts, as cutSpans counts them. */
  const columnAt = (offset: number): number => {
    let column = 0;
    for (const cell of cells) {
      if (cell.offset + cell.length > offset) return column + (cell.run ? Math.max(0, offset - cell.offset) : 0);
      column += cell.width < 0 ? TAB_STOP - (column % TAB_STOP) : cell.width;
    }
    return column;
  };
  const startColumn = columnAt(cursor.start);
  const endColumn = columnAt(end);
  if (startColumn >= options.hscroll && endColumn <= options.hscroll + room) return options.hscroll;
  return Math.max(0, startColumn - Math.floor(room / 3));
}

/**
 * n / N in one call: the next or previous match (stepMatch), and the viewport and hscroll that
 * show it. Undefined when nothing matches.
 */
export function jumpToMatch(screen: LogScreen, viewport: LogViewport, direction: 1 | -1): { current: SearchCursor; viewport: LogViewport; hscroll: number } | undefined {
  const current = stepMatch(screen, viewport, direction);
  if (!current) return undefined;
  return { current, viewport: revealMatch(screen, viewport, current), hscroll: hscrollToReveal(screen, current) };
}

// ---------------------------------------------------------------------------------------------
// Text for saving and copying

/** One entry as a line of text, as on screen but whole: the time when shown, no colours, no marks. */
export function entryText(entry: LogEntry, timestamps: TimestampMode): string {
  if (entry.kind === 'restart') return `──── ${restartLabel(entry, timestamps)} ────`;
  const time = formatLogTime(entry, timestamps);
  return time ? `${time} ${entry.plain}` : entry.plain;
}

/** The whole buffer as lines to save, or with a filter on, what it shows (with grep's '--' between groups). */
export function linesToSave(source: EntrySource, options: LogViewOptions): string[] {
  const list = viewList(source, options);
  const lines: string[] = [];
  for (let pos = 0; pos < list.count; pos++) {
    const entry = entryAt(source, list.entryAt(pos));
    if (!entry) continue;
    if (list.gapBefore(pos)) lines.push('--');
    lines.push(entryText(entry, options.timestamps));
  }
  return lines;
}

/** The entries on screen, each whole (not cut to the width): what `y` copies. */
export function visibleLines(screen: LogScreen, viewport: LogViewport): string[] {
  const lines: string[] = [];
  let last = -1;
  for (const row of visibleRows(screen, viewport).rows) {
    if (row.entryIndex < 0 || row.entryIndex === last) continue;
    last = row.entryIndex;
    const entry = entryAt(screen.source, row.entryIndex);
    if (entry) lines.push(entryText(entry, screen.options.timestamps));
  }
  return lines;
}

/** The text of the search's match at `cursor` (what `y` copies when there is a current match). */
export function matchText(screen: LogScreen, cursor: SearchCursor): string | undefined {
  const match = matchAt(screen, cursor);
  return match?.entry.plain.slice(match.start, match.end);
}
