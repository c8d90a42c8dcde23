import React, { memo, useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import { Text } from 'ink';
import type { EventLog, LogEntry } from '../engine/event-log.js';
import { useLatestState } from '../hooks/useLatestState.js';
import {
  eventCell, eventColumns, eventCounts, eventPaneLines, eventSelectionIndex, eventTone, matchesEventFilter, type EventColumnId,
} from './event-lines.js';
import { pad } from './format.js';
import type { CommandId } from './keymap.js';
import { ListFrame } from './ListFrame.js';
import { scrollOffset, type Column } from './list-model.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { SELECTION_MOVES } from './swarm-model.js';
import { useTheme } from './theme.js';

export interface EventsViewInput {
  log: EventLog;
  /** The events list is on screen: only then does a new event render anything. */
  active: boolean;
  /** The `/` filter, and the same read when keys arrive (it may be newer than this render). */
  filter: string;
  getFilter: () => string;
  listWidth: number;
  /** Inside width of the details pane; 0 when it is not on screen */
  paneWidth: number;
  /** A fleet: each event says which host it came from */
  fleet: boolean;
  /** `m` was pressed: the details show secret-looking label values. */
  revealSecrets: boolean;
}

export interface EventsView {
  renderList(height: number, dimmed: boolean): React.ReactNode;
  paneLines: PaneLine[];
  paneTitle: string;
  /** For the header: "240 events", "12/240 events · 3 newer" */
  counts: string;
  hints: string;
  /** Keys of the list; false when the key is not the events list's. */
  handleListCommand(command: CommandId): boolean;
}

interface EventsUi {
  /** The selected entry; undefined follows the newest, so new events keep the view at the end. */
  selectedSeq: number | undefined;
}

const EVENTS_HINTS = '? help · q quit · j/k move · 1-8 lists · Enter open · / filter · g oldest · G newest, follow · ! next problem';

/**
 * Health probes of many containers can bring a hundred events a second, each growing a folded
 * run: the list redraws at most this often, not once per event.
 */
const REDRAW_MS = 100;

/**
 * The engine's events as a log: oldest at the top, newest at the bottom, as `docker events` and
 * the Logs tab read, so a burst (a stop is kill, die, stop) reads in the order it happened. While
 * the newest entry is selected the list follows; moving up holds the selection on its entry.
 */
export function useEventsView(input: EventsViewInput): EventsView {
  const { log, active, filter, listWidth, paneWidth, fleet, revealSecrets } = input;
  const subscribe = useCallback((listener: () => void) => {
    if (!active) return () => undefined;
    let redraw: NodeJS.Timeout | undefined;
    const unsubscribe = log.subscribe(() => {
      redraw ??= setTimeout(() => {
        redraw = undefined;
        listener();
      }, REDRAW_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(redraw);
    };
  }, [log, active]);
  const version = useSyncExternalStore(subscribe, log.getVersion);
  const entries = useMemo(() => (active ? log.entries() : []), [log, active, version]);
  const items = useMemo(() => entries.filter((entry) => matchesEventFilter(entry, filter)), [entries, filter]);

  const [ui, getUi, setUi] = useLatestState<EventsUi>({ selectedSeq: undefined });
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  const listRowsRef = useRef(1);
  const selectedIndex = eventSelectionIndex(items, ui.selectedSeq, lastIndex.current);
  if (selectedIndex >= 0) lastIndex.current = selectedIndex;
  const selected = items[selectedIndex];

  const handleListCommand = (command: CommandId): boolean => {
    const step = SELECTION_MOVES[command];
    if (!step) return false;
    // The entries of this instant: keys typed ahead build on each other.
    const now = log.entries().filter((entry) => matchesEventFilter(entry, input.getFilter()));
    if (now.length === 0) return true;
    const index = eventSelectionIndex(now, getUi().selectedSeq, lastIndex.current);
    const next = Math.max(0, Math.min(now.length - 1, step(index, now.length, Math.max(1, listRowsRef.current - 1))));
    lastIndex.current = next;
    setUi({ selectedSeq: next === now.length - 1 ? undefined : now[next]?.seq });
    return true;
  };

  const emptyText = filter ? `No event matches "${filter}"` : 'No events yet: they are listed as the engine reports them';

  const renderList = (height: number, dimmed: boolean) => {
    listRowsRef.current = height;
    const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), height, items.length);
    offsetRef.current = offset;
    const columns = eventColumns(listWidth, fleet);
    const visible = items.slice(offset, offset + height);
    return (
      <ListFrame columns={columns} width={listWidth} height={height} empty={visible.length === 0} emptyText={emptyText}>
        {visible.map((entry, i) => (
          <EventRow key={entry.seq} entry={entry} columns={columns} width={listWidth} selected={offset + i === selectedIndex} dimmed={dimmed} />
        ))}
      </ListFrame>
    );
  };

  const newer = ui.selectedSeq === undefined || selectedIndex < 0 ? 0 : items.length - 1 - selectedIndex;
  return {
    renderList,
    paneLines: selected && paneWidth > 0 ? wrapPaneLines(eventPaneLines(selected, revealSecrets), paneWidth) : [],
    paneTitle: selected?.kind === 'folded' ? 'Folded events' : selected ? `Event ${eventCell('time', selected)}` : 'Events',
    counts: eventCounts(entries.length, items.length, filter.trim() !== '', newer),
    hints: EVENTS_HINTS,
    handleListCommand,
  };
}

interface RowProps {
  entry: LogEntry;
  columns: readonly Column<EventColumnId>[];
  width: number;
  selected: boolean;
  dimmed: boolean;
}

const EventRow = memo(function EventRow({ entry, columns, width, selected, dimmed }: RowProps) {
  const used = columns.reduce((sum, c) => sum + c.width + 1, -1);
  const theme = useTheme();
  return (
    <Text inverse={selected} dimColor={(dimmed || entry.kind === 'folded') && !selected} wrap="truncate">
      {columns.map((column, i) => (
        <Text key={column.id} {...theme.style(column.id === 'event' ? eventTone(entry) : undefined)}>
          {i > 0 ? ' ' : ''}{pad(eventCell(column.id, entry), column.width, column.align)}
        </Text>
      ))}
      {pad('', Math.max(0, width - used))}
    </Text>
  );
});
