import { describe, expect, it } from 'vitest';
import { EventLog, type LogEntry } from '../../src/engine/event-log.js';
import type { EngineEvent } from '../../src/engine/types.js';
import {
  eventCell, eventColumns, eventCounts, eventPaneLines, eventSelectionIndex, eventTone, matchesEventFilter,
} from '../../src/views/event-lines.js';

/** Local time, so the expected clock texts hold in any time zone. */
const AT = new Date(2024, 5, 1, 13, 4, 5, 250).getTime();

function event(action: string, attributes: Record<string, string>, extra: Partial<EngineEvent> = {}): EngineEvent {
  return { type: 'container', action, id: 'c0ffee', attributes, time: Math.floor(AT / 1000), timeNano: `${BigInt(AT) * 1_000_000n}`, ...extra };
}

function logOf(...events: EngineEvent[]): LogEntry[] {
  const log = new EventLog();
  for (const e of events) log.record(e);
  return log.entries();
}

const [oom, died, folded] = logOf(
  event('oom', { name: 'web-1' }, { host: 'h1', id: 'h1/c0ffee' }),
  event('die', { name: 'web-1', exitCode: '137', image: 'busybox' }, { host: 'h1', id: 'h1/c0ffee' }),
  event('exec_create: true', { name: 'db' }),
) as [LogEntry, LogEntry, LogEntry];

describe('event columns', () => {
  it('keep the sentence widest, the time before it, the host in a fleet', () => {
    expect(eventColumns(60, false).map((c) => [c.id, c.width])).toEqual([['time', 8], ['event', 51]]);
    expect(eventColumns(60, true).map((c) => c.id)).toEqual(['time', 'host', 'event']);
    expect(eventColumns(30, true).map((c) => c.id)).toEqual(['event']);
  });
});

describe('event cells', () => {
  it('show the time of day, the host, the type and the sentence', () => {
    expect(eventCell('time', died)).toBe('13:04:05');
    expect(eventCell('host', died)).toBe('h1');
    expect(eventCell('event', died)).toBe('web-1 died (exit 137, out of memory)');
    expect(eventCell('event', folded)).toBe('1 exec event folded (db)');
  });

  it('mark deaths as errors, and leave folded runs to be drawn dim', () => {
    expect(eventTone(died)).toBe('error');
    expect(eventTone(folded)).toBeUndefined();
  });
});

describe('matchesEventFilter', () => {
  it.each([
    ['', true], ['DIED', true], ['web-1', true], ['container', true], ['h1', true], ['c0ff', true], ['offee', false], ['db', false],
  ])('%j on the die: %s', (filter, expected) => {
    expect(matchesEventFilter(died, filter)).toBe(expected);
  });

  it('finds a folded run by what it folded', () => {
    expect(matchesEventFilter(folded, 'db')).toBe(true);
    expect(matchesEventFilter(folded, 'folded')).toBe(true);
    expect(matchesEventFilter(folded, 'web')).toBe(false);
  });
});

describe('eventCounts', () => {
  it('says how many, how many match and how many came below a held selection', () => {
    expect(eventCounts(1, 1, false, 0)).toBe('1 event');
    expect(eventCounts(240, 12, true, 0)).toBe('12/240 events');
    expect(eventCounts(240, 240, false, 3)).toBe('240 events · 3 newer');
  });
});

describe('eventPaneLines', () => {
  it('shows the sentence, what the exit code means, when, where and every attribute', () => {
    expect(eventPaneLines(died)).toEqual([
      { text: 'web-1 died (exit 137, out of memory)', tone: 'error' },
      { text: expect.stringContaining('out-of-memory killer') },
      { text: '' },
      { label: 'Time', text: '2024-06-01 13:04:05.250' },
      { label: 'Host', text: 'h1' },
      { label: 'Type', text: 'container' },
      { label: 'Action', text: 'die' },
      { label: 'Name', text: 'web-1' },
      { label: 'Id', text: 'h1/c0ffee' },
      { text: '' },
      { text: 'Attributes', tone: 'title' },
      { text: 'exitCode=137' },
      { text: 'image=busybox' },
      { text: 'name=web-1' },
    ]);
  });

  it('shows a folded run\'s counts and what it was about', () => {
    const lines = eventPaneLines(folded);
    expect(lines[0]).toEqual({ text: '1 exec event folded (db)', tone: 'dim' });
    expect(lines).toContainEqual({ label: 'exec', text: '1 event' });
    expect(lines).toContainEqual({ text: 'db' });
  });
});

describe('eventSelectionIndex', () => {
  const entries = [oom, died, folded];

  it('follows the newest entry while nothing is held', () => {
    expect(eventSelectionIndex(entries, undefined, 0)).toBe(2);
    expect(eventSelectionIndex([], undefined, 0)).toBe(-1);
  });

  it('stays on its entry, or near where it was once the entry is gone', () => {
    expect(eventSelectionIndex(entries, died.seq, 0)).toBe(1);
    expect(eventSelectionIndex(entries, -5, 1)).toBe(1);
    expect(eventSelectionIndex(entries, -5, 9)).toBe(2);
  });
});
