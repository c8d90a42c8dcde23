// The events list as text: columns, cells, the `/` filter and the details of one entry. Pure, so
// it is tested without Ink.
import type { LogEntry } from '../engine/event-log.js';
import { plural } from './format.js';
import { fitColumns, type Column, type ColumnSpec } from './list-model.js';
import { formatLogTime } from './log-view.js';
import type { PaneLine } from './pane-lines.js';
import { maskLabel } from './secrets.js';
import type { Role } from './theme.js';

export type EventColumnId = 'time' | 'host' | 'event';

/**
 * In order of importance. No type column: the sentences name it ("image busybox pulled", "volume
 * data created") and an 80-column list needs the room for the words.
 */
const EVENT_COLUMNS: readonly ColumnSpec<EventColumnId>[] = [
  { id: 'event', title: 'EVENT', min: 24, grow: 1, align: 'left' },
  { id: 'time', title: 'TIME', min: 8, grow: 0, align: 'left' },
];
const HOST_COLUMN: ColumnSpec<EventColumnId> = { id: 'host', title: 'HOST', min: 8, grow: 0, align: 'left' };
const DISPLAY_ORDER: readonly EventColumnId[] = ['time', 'host', 'event'];

export function eventColumns(width: number, withHost: boolean): Column<EventColumnId>[] {
  const [event, ...rest] = EVENT_COLUMNS;
  const specs = withHost && event ? [event, HOST_COLUMN, ...rest] : EVENT_COLUMNS;
  return fitColumns(specs, DISPLAY_ORDER, width);
}

/** '2024-06-10 10:00:01.123', local time. */
function fullTime(timeMs: number): string {
  return formatLogTime({ timeMs }, 'local');
}

export function eventCell(column: EventColumnId, entry: LogEntry): string {
  switch (column) {
    // The day is in the details: the list keeps to the time of day.
    case 'time': return fullTime(entry.timeMs).slice(11, 19);
    case 'host': return entry.kind === 'event' ? entry.host ?? '' : entry.hosts.join(',');
    case 'event': return entry.sentence;
  }
}

/** What the sentence's colour says: a death, a warning, a recovery; folded runs are drawn dim instead. */
export function eventTone(entry: LogEntry): Role | undefined {
  return entry.kind === 'event' ? entry.tone : undefined;
}

/** What `/` matches: the sentence, names, type, action, host, and ids from their start. */
export function matchesEventFilter(entry: LogEntry, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const haystack = entry.kind === 'event'
    ? [entry.sentence, entry.name, entry.type, entry.action, entry.host ?? '']
    : [entry.sentence, 'folded', ...entry.names, ...entry.hosts];
  if (haystack.some((text) => text.toLowerCase().includes(needle))) return true;
  if (entry.kind !== 'event') return false;
  const bareId = entry.id.slice(entry.id.lastIndexOf('/') + 1).replace(/^sha256:/, '');
  return bareId.startsWith(needle);
}

/** For the header: "240 events", "12/240 events", and how many came below a paused selection. */
export function eventCounts(total: number, shown: number, filtered: boolean, newer: number): string {
  const count = filtered ? `${shown}/${plural(total, 'event')}` : plural(total, 'event');
  return newer > 0 ? `${count} · ${newer} newer` : count;
}

/**
 * The details of one entry: the sentence, when and where, what it means, then every attribute
 * (a secret-looking label's value masked until `m` reveals it).
 */
export function eventPaneLines(entry: LogEntry, revealSecrets = false): PaneLine[] {
  if (entry.kind === 'folded') {
    return [
      { text: entry.sentence, tone: 'dim' },
      { label: 'From', text: fullTime(entry.timeMs) },
      { label: 'To', text: fullTime(entry.lastTimeMs) },
      ...(entry.hosts.length > 0 ? [{ label: 'Hosts', text: entry.hosts.join(', ') }] : []),
      ...[...entry.counts].map(([word, n]) => ({ label: word, text: plural(n, 'event') })),
      { text: '' },
      { text: 'About', tone: 'title' },
      ...entry.names.map((name) => ({ text: name })),
      { text: '' },
      { text: 'Exec events are health probes and docker exec; top, resize and copy come from tools like this one; '
        + 'volume mounts come with every start and stop; Podman inits before every start, cleans up after every '
        + 'death and reports every health probe (health: the status it already had).', tone: 'dim' },
    ];
  }
  const attributes = Object.entries(entry.attributes).sort(([a], [b]) => a.localeCompare(b));
  return [
    { text: entry.sentence, ...(entry.tone ? { tone: entry.tone } : {}) },
    ...(entry.meaning ? [{ text: entry.meaning }] : []),
    { text: '' },
    { label: 'Time', text: fullTime(entry.timeMs) },
    ...(entry.host ? [{ label: 'Host', text: entry.host }] : []),
    { label: 'Type', text: entry.type },
    { label: 'Action', text: entry.action },
    { label: 'Name', text: entry.name },
    { label: 'Id', text: entry.id },
    { text: '' },
    { text: 'Attributes', tone: 'title' },
    // As `docker events` prints them: keys such as com.docker.compose.project would not fit a label column.
    // Container events carry every label, and labels can hold credentials.
    ...(attributes.length > 0 ? attributes.map(([key, value]) => ({ text: `${key}=${maskLabel(key, value, revealSecrets)}` })) : [{ text: 'none', tone: 'dim' as const }]),
  ];
}

/** Where the selection is: on its entry while it is listed, else the entry nearest to where it was. */
export function eventSelectionIndex(entries: readonly LogEntry[], selectedSeq: number | undefined, lastIndex: number): number {
  if (entries.length === 0) return -1;
  if (selectedSeq === undefined) return entries.length - 1;
  const index = entries.findIndex((entry) => entry.seq === selectedSeq);
  return index >= 0 ? index : Math.max(0, Math.min(lastIndex, entries.length - 1));
}
