// Pure text formatting for table cells and panels: engine data in, plain strings out.
// Nothing here knows about Ink, React or colour codes, so every function is unit-testable on its own.
import stringWidth from 'string-width';

import type { ContainerRow, ContainerState, Health, PortMapping } from '../engine/types.js';
import type { Role } from './theme.js';

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;
const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/** Go's `%.Ng` for the values a size takes below its unit's base: N significant digits, no trailing zeros. */
function significant(value: number, digits: number): string {
  return String(Number(value.toPrecision(digits)));
}

/** Divides down to the largest unit the value reaches, as go-units' getSizeAndUnit does. */
function scaled(n: number, base: number, units: readonly string[], digits: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  let value = n;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return `${significant(value, digits)}${units[unit]}`;
}

/** Memory the way `docker stats` prints it (go-units BytesSize): binary units, 4 significant digits. */
export function formatBytes(n: number): string {
  return scaled(Math.round(n), 1024, BINARY_UNITS, 4);
}

/** Network and block I/O the way `docker stats` prints them (HumanSizeWithPrecision 3): decimal units. */
export function formatDecimalBytes(n: number): string {
  return scaled(Math.round(n), 1000, DECIMAL_UNITS, 3);
}

/** "12.34%", as `docker stats` prints CPU and memory (%.2f). Undefined means "no sample yet". */
export function formatPercent(p: number | undefined): string {
  if (p === undefined) return '';
  if (!Number.isFinite(p) || p < 0) return '-';
  return `${p.toFixed(2)}%`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

// Largest unit first; a month is 30 days and a year 365, which is all a compact age column needs.
const DURATION_UNITS: ReadonlyArray<readonly [seconds: number, suffix: string]> = [
  [YEAR, 'y'],
  [MONTH, 'mo'],
  [WEEK, 'w'],
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'm'],
];

/** Compact duration in its largest whole unit: "45s", "3m", "2h", "5d", "3w", "2mo", "1y". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  // Clock skew between host and engine can make a duration slightly negative; show it as just now.
  const s = Math.max(0, seconds);
  for (const [size, suffix] of DURATION_UNITS) {
    if (s >= size) return `${Math.floor(s / size)}${suffix}`;
  }
  return `${Math.floor(s)}s`;
}

/** How long ago a container was created; `now` is injected so callers and tests control the clock. */
export function formatAge(createdEpochSec: number, nowMs: number): string {
  return formatDuration(nowMs / 1000 - createdEpochSec);
}

const WILDCARD_IPS = new Set(['0.0.0.0', '::']);

function isAllInterfaces(ips: ReadonlySet<string>): boolean {
  return [...WILDCARD_IPS].every((ip) => ips.has(ip));
}

function formatHost(ip: string): string {
  // Bracket IPv6 so the port separator stays unambiguous, as `docker ps` does.
  return ip.includes(':') ? `[${ip}]` : ip;
}

/**
 * Published ports the way `docker ps` lists them: "0.0.0.0:8080->80/tcp, 443/tcp".
 * Docker reports a port published on all interfaces twice (0.0.0.0 and ::); that pair is one
 * mapping to the user, so it is shown once without an address. Specific addresses stay listed.
 */
export function formatPorts(ports: PortMapping[]): string {
  const groups = new Map<string, { port: PortMapping; ips: Set<string> }>();
  for (const port of ports) {
    const key = `${port.privatePort}/${port.type}/${port.publicPort ?? ''}`;
    const group = groups.get(key) ?? { port, ips: new Set<string>() };
    if (port.ip) group.ips.add(port.ip);
    groups.set(key, group);
  }

  const sorted = [...groups.values()].sort(
    (a, b) =>
      a.port.privatePort - b.port.privatePort ||
      a.port.type.localeCompare(b.port.type) ||
      (a.port.publicPort ?? 0) - (b.port.publicPort ?? 0),
  );

  const parts: string[] = [];
  for (const { port, ips } of sorted) {
    const target = `${port.privatePort}/${port.type}`;
    if (port.publicPort === undefined) {
      parts.push(target);
      continue;
    }
    const mapping = `${port.publicPort}->${target}`;
    const addresses = [...ips].sort();
    // '' means every interface (or no address reported) and prints as the bare mapping.
    const hosts = isAllInterfaces(ips)
      ? ['', ...addresses.filter((ip) => !WILDCARD_IPS.has(ip))]
      : addresses.length > 0
        ? addresses
        : [''];
    for (const ip of hosts) parts.push(ip ? `${formatHost(ip)}:${mapping}` : mapping);
  }
  return parts.join(', ');
}

/** The state word, with the exit code for exited containers when the engine told us one. */
export function formatState(row: Pick<ContainerRow, 'state' | 'exitCode' | 'oomKilled'>): string {
  if (row.state !== 'exited' || row.exitCode === undefined) return row.state;
  return `exited (${row.exitCode})${row.oomKilled ? ' OOM' : ''}`;
}

// Transitional states (restarting, removing) share a role so they stand out from steady ones.
const STATE_TONES: Record<ContainerState, Role> = {
  running: 'ok',
  paused: 'warning',
  restarting: 'special',
  removing: 'special',
  created: 'accent',
  exited: 'dim',
  dead: 'error',
};

/** How a state is drawn; a non-zero exit code deserves an error's, which is the caller's call. */
export function stateTone(state: ContainerState): Role {
  return STATE_TONES[state];
}

export function formatHealth(h: Health): string {
  return h ?? '';
}

/** The 12-character id Docker shows; an algorithm prefix such as "sha256:" is dropped first, as the CLI does. */
/** "1 image", "3 images": English plurals with an s are all dockhand needs. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** 12 hex digits, without a `sha256:` prefix or the host a fleet's ids carry ("HOST/ID"). */
export function shortId(id: string): string {
  const bare = id.slice(id.lastIndexOf('/') + 1);
  return bare.slice(bare.indexOf(':') + 1).slice(0, 12);
}

/** Terminal columns a string occupies: CJK and emoji take 2, combining marks 0. */
export function displayWidth(s: string): number {
  return stringWidth(s);
}

// Terminal escape sequences, tried in this order at each position:
const ESCAPE_SEQUENCE = new RegExp(
  [
    // String sequences (OSC, DCS, SOS, PM, APC), 7-bit or 8-bit, run to BEL or ST. Unterminated ones
    // run to the end, because a terminal would swallow the rest of the text too.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)`,
    // CSI: parameters, intermediates, one final byte (cursor moves, erase, colours ...).
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // Any other escape: optional intermediates and one final byte (ESC c resets the terminal).
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`,
  ].join('|'),
  'g',
);

// What is left after escape sequences: C0 controls, DEL, C1 controls, and the bidi embedding,
// override and isolate characters that could reorder the rest of a table row.
const UNSAFE_CHARACTER = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

// Code points that can make up a grapheme of no width: format characters (zero-width space, word
// joiner, BOM, soft hyphen, direction marks), other default-ignorables, combining marks, lone surrogates.
const MAYBE_INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Mn}\p{Me}\p{Cs}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A grapheme string-width counts as no column (a zero-width space, a direction mark, a combining
 * mark with nothing before it to combine with). Ink still gives it a cell of its own, and
 * terminals disagree about it, so one would shift the rest of its row: it is left out.
 */
export function takesNoColumn(grapheme: string): boolean {
  return MAYBE_INVISIBLE.test(grapheme) && displayWidth(grapheme) === 0;
}

function dropInvisible(text: string): string {
  if (!MAYBE_INVISIBLE.test(text)) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) if (!takesNoColumn(segment)) kept += segment;
  return kept;
}

/** Engine-supplied text with everything removed that could move the cursor, restyle the terminal or reorder the layout. */
export function sanitize(s: string): string {
  return dropInvisible(s.replace(ESCAPE_SEQUENCE, '').replace(/\t/g, ' ').replace(UNSAFE_CHARACTER, ''));
}

const ELLIPSIS = '…';
const ELLIPSIS_WIDTH = displayWidth(ELLIPSIS);
/** Most engine text: one column per character, cut by slicing. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Sanitized text cut to at most `width` columns, ending in "…" when anything was cut.
 * Cuts between graphemes so an emoji, flag or accented letter is never split; the result can be
 * one column short when a wide character would straddle the edge. Measures no further than the
 * cut, so a 1,000-character value costs what the column shows.
 */
export function truncate(s: string, width: number): string {
  const columns = Math.floor(width);
  if (!(columns > 0)) return '';
  const clean = sanitize(s);
  if (PRINTABLE_ASCII.test(clean)) return clean.length <= columns ? clean : clean.slice(0, columns - ELLIPSIS_WIDTH) + ELLIPSIS;
  let used = 0;
  let cut = -1;
  for (const { segment, index } of graphemes.segment(clean)) {
    used += displayWidth(segment);
    if (cut < 0 && used > columns - ELLIPSIS_WIDTH) cut = index;
    if (used > columns) return clean.slice(0, cut) + ELLIPSIS;
  }
  return clean;
}

/** The longest run of whole graphemes from the start of already-sanitized `text` within `width` columns. */
function fittingPrefix(text: string, width: number): string {
  if (PRINTABLE_ASCII.test(text)) return text.slice(0, Math.max(0, width));
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    used += displayWidth(segment);
    if (used > width) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/**
 * Sanitized text as lines of at most `width` columns (a single grapheme wider than that keeps a
 * line to itself): each broken at its last space when that keeps more than half of it, else
 * between graphemes; the last of `maxLines` ends in "…" when text is left over. Each line is
 * measured only up to its end, so long values wrap in linear time.
 */
export function wrapText(s: string, width: number, maxLines = Infinity): string[] {
  const room = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  let rest = sanitize(s);
  do {
    if (lines.length === maxLines - 1) {
      lines.push(truncate(rest, room));
      break;
    }
    let line = fittingPrefix(rest, room) || firstGrapheme(rest);
    if (line.length < rest.length) {
      const space = line.lastIndexOf(' ');
      if (space > 0 && displayWidth(line.slice(0, space)) > room / 2) line = line.slice(0, space);
    }
    lines.push(line);
    rest = rest.slice(line.length).trimStart();
  } while (rest.length > 0);
  return lines;
}

function firstGrapheme(text: string): string {
  for (const { segment } of graphemes.segment(text)) return segment;
  return '';
}

/** Exactly `width` columns (0 when width <= 0): truncated, then filled with spaces; right-align suits numeric columns. */
export function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const text = truncate(s, width);
  const fill = ' '.repeat(Math.max(0, Math.floor(width) - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}
