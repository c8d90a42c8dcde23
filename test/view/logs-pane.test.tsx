// View tests: <LogsPane> over a real LogBuffer of 50,000 lines, rendered by Ink into a
// terminal-sized stdout and read the way a user reads the screen. Ink runs in debug mode, so
// every render is written whole.
import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanTerminalText, stripSgr } from '../../src/engine/ansi.js';
import { LogBuffer, type LogEntry } from '../../src/engine/log-buffer.js';
import { FOLLOWING, scrollRows, type EntrySource, type LogViewport } from '../../src/views/log-view.js';
import { logScreen, LogsPane, type LogsPaneProps } from '../../src/views/LogsPane.js';
import { useChalkLevel } from '../support/chalk-level.js';
import { renderSized } from '../support/render-sized.js';

// ---------------------------------------------------------------------------------------------
// Harness


// Frames carry SGR, so that a highlight can be seen.
useChalkLevel(1);

interface Mounted {
  /** The last frame as written (with SGR), and as read (without). */
  raw(): string;
  frame(): string;
  frames(): number;
  rerender(changes: Partial<LogsPaneProps>): void;
  unmount(): void;
}

const mounted: Mounted[] = [];

afterEach(() => {
  for (const pane of mounted.splice(0)) pane.unmount();
});

function mountPane(props: LogsPaneProps): Mounted {
  let current = props;
  const view = renderSized(<LogsPane {...current} />, props.width, props.height);
  const pane: Mounted = {
    raw: view.raw,
    frame: view.frame,
    frames: () => view.stdout.frames.length,
    rerender: (changes) => {
      current = { ...current, ...changes };
      view.rerender(<LogsPane {...current} />);
    },
    unmount: view.unmount,
  };
  mounted.push(pane);
  return pane;
}

/** How wide a terminal may draw text: as string-width says, or code point by code point (tmux 3.3 with emoji sequences). */
const widest = (text: string) => Math.max(stringWidth(text), [...text].reduce((sum, c) => sum + stringWidth(c), 0));

function expectWithin(frame: string, width: number, height: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height);
  for (const line of lines) expect(widest(line), `too wide: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
}

// ---------------------------------------------------------------------------------------------
// A noisy container's log

type NewEntry = Omit<LogEntry, 'seq'>;

function line(raw: string, extra: Partial<NewEntry> = {}): NewEntry {
  const text = cleanTerminalText(raw);
  return { kind: 'line', stream: 'stdout', text, plain: stripSgr(text), ...extra };
}

const LONG = `${'0123456789'.repeat(4096)} tail of the long line NEEDLE`;
const LINES = 50_000;
const DROPPED = 1_234;

/**
 * 51,234 lines into a buffer of 50,000: colours, cursor moves and progress redraws, CJK and emoji,
 * stderr now and then; near the end a 40 KiB line, a crash and restart, and a stderr line.
 */
function noisyLog(): LogBuffer {
  const buffer = new LogBuffer({ maxLines: LINES });
  const t0 = Date.UTC(2024, 5, 10, 10, 0, 0);
  const at = (i: number) => ({ time: new Date(t0 + i).toISOString(), timeMs: t0 + i });
  const total = LINES + DROPPED - 8;
  for (let i = 0; i < total; i++) {
    const kind = i % 7;
    const raw = kind === 0 ? `\x1b[32mINFO\x1b[0m request ${i} served in ${i % 97} ms`
      : kind === 1 ? `progress 10%\r\x1b[2Kprogress 100% (${i})`
        : kind === 2 ? `日本語のログ ${i} 👍🏽 done`
          : kind === 3 ? `\x1b[1;31mWARN\x1b[0m slow query ${i}\x1b[H\x1b[2J`
            : `plain line ${i}`;
    buffer.push(line(raw, { ...at(i), stream: i % 1000 === 999 ? 'stderr' : 'stdout' }));
  }
  buffer.push(line(LONG, at(total)));
  buffer.push({ kind: 'restart', stream: 'daemon', text: 'Container exited with code 137', plain: 'Container exited with code 137', exitCode: 137, ...at(total + 1) });
  buffer.push({ kind: 'restart', stream: 'daemon', text: 'Container restarted', plain: 'Container restarted', ...at(total + 2) });
  buffer.push(line('panic: out of memory', { ...at(total + 3), stream: 'stderr' }));
  for (let i = 0; i < 4; i++) buffer.push(line(`after restart ${i}`, at(total + 4 + i)));
  return buffer;
}

const baseProps = (buffer: LogBuffer, width: number, height: number): LogsPaneProps => ({
  entries: buffer,
  dropped: buffer.dropped,
  width,
  height,
  viewport: FOLLOWING,
  wrap: true,
  hscroll: 0,
  timestamps: 'off',
  search: { query: '', regex: false },
  filter: undefined,
  title: 'web-1',
});

const INVERSE = '\x1b[7m';

// ---------------------------------------------------------------------------------------------

describe('LogsPane with 50,000 lines', () => {
  const buffer = noisyLog();

  test('the buffer is what the tests think it is', () => {
    expect(buffer.length).toBe(LINES);
    expect(buffer.dropped).toBe(DROPPED);
  });

  test.each([
    [80, 24],
    [200, 60],
  ])('at %ix%i, following: header, the end of the wrapped 40 KiB line, the restart, the stderr mark, the match highlighted', (width, height) => {
    const pane = mountPane({ ...baseProps(buffer, width, height), search: { query: 'needle', regex: false } });
    const frame = pane.frame();
    expectWithin(frame, width, height);
    const lines = frame.split('\n');
    expect(lines).toHaveLength(height);
    // Header: state, search counter, the drop count, the line count.
    expect(lines[0]).toMatch(/^web-1 · following · \/needle 1 match · 1,234 older lines dropped · 50,000 lines/);
    // The long line, wrapped by character as a terminal does: its rows are full, and read
    // together they end with the word.
    const body = lines.slice(1);
    const last = body.findIndex((l) => l.includes('DLE'));
    expect(last).toBeGreaterThan(0);
    expect(body.slice(0, last + 1).map((l) => l.slice(2)).join('')).toMatch(/0123456789 tail of the long line NEEDLE$/);
    expect(body.slice(0, last).every((l) => stringWidth(l) === width)).toBe(true);
    // The crash and the restart, each a separator across the width.
    const exited = lines.find((l) => l.startsWith('──── exited (137) at '));
    expect(exited).toBeDefined();
    expect(stringWidth(exited!)).toBe(width);
    expect(lines.some((l) => l.startsWith('──── restarted at '))).toBe(true);
    // stderr is marked in the first column, which needs no colour.
    expect(lines.some((l) => l.startsWith('! panic: out of memory'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {2}after restart 3/);
    // The match in inverse video (in two pieces when the wrap cuts it).
    expect(pane.raw()).toMatch(new RegExp(`${INVERSE.replace('[', '\\[')}N(EEDLE|EE|E|$)`, 'm'));
  });

  test.each([
    [80, 24],
    [200, 60],
  ])('at %ix%i with wrap off: the 40 KiB line is one row, cut with a mark, and scrolls sideways', (width, height) => {
    const props = { ...baseProps(buffer, width, height), wrap: false, timestamps: 'utc' as const };
    const pane = mountPane(props);
    let lines = pane.frame().split('\n');
    expectWithin(pane.frame(), width, height);
    const long = lines.find((l) => l.includes('0123456789012'));
    expect(long).toBeDefined();
    expect(long).toMatch(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z 0123456789/);
    expect(stringWidth(long!)).toBe(width);
    expect(long!.endsWith('›')).toBe(true);
    expect(lines[0]).toContain('no wrap');
    // Scrolled to the end of the line: the word shows, and nothing past it.
    pane.rerender({ hscroll: LONG.length - 11 });
    lines = pane.frame().split('\n');
    expectWithin(pane.frame(), width, height);
    expect(lines.some((l) => /Z line NEEDLE\s*$/.test(l))).toBe(true);
    expect(lines[0]).toContain(`no wrap, col ${(LONG.length - 10).toLocaleString('en-US')}`);
  });

  test('paused: says how to resume, and stays on its lines', () => {
    const props = baseProps(buffer, 80, 24);
    const viewport: LogViewport = scrollRows(logScreen(props), FOLLOWING, -2_000);
    const pane = mountPane({ ...props, viewport });
    expect(pane.frame().split('\n')[0]).toContain('paused — G resumes');
    expectWithin(pane.frame(), 80, 24);
    expect(pane.frame()).not.toContain('after restart');
  });

  test('filter with context: matching lines, two around each, groups separated by --', () => {
    const query = 'served in 13 ms';
    const matching = buffer.slice().filter((e) => e.plain.includes(query)).length;
    expect(matching).toBeGreaterThan(10);
    const pane = mountPane({ ...baseProps(buffer, 100, 30), filter: { query, regex: false, context: 2 } });
    const lines = pane.frame().split('\n');
    expectWithin(pane.frame(), 100, 30);
    expect(lines[0]).toContain(`filter "${query}" ±2: ${matching} matching`);
    // Matches are 679 lines apart: groups of five (two, the match, two) between '--' lines.
    const gaps = lines.flatMap((l, i) => (l.startsWith('--') ? [i] : []));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (let g = 1; g < gaps.length; g++) {
      expect(gaps[g]! - gaps[g - 1]!).toBe(6);
      expect(lines[gaps[g]! - 3]).toContain(query);
    }
    // The restart separators stay in a filtered view.
    expect(lines.some((l) => l.startsWith('──── exited (137)'))).toBe(true);
  });

  test('a bad regex is said in the header, and the lines stay', () => {
    const pane = mountPane({ ...baseProps(buffer, 120, 20), search: { query: '(oops', regex: true } });
    expect(pane.frame().split('\n')[0]).toMatch(/re\/\(oops: invalid regex/);
    expect(pane.frame()).toContain('after restart 3');
  });

  test('small panes hold too: nothing wider than the terminal, down to 10x3', () => {
    for (const [width, height] of [[30, 10], [10, 3], [1, 2]] as const) {
      const pane = mountPane({ ...baseProps(buffer, width, height), timestamps: 'local', search: { query: 'a', regex: false } });
      expectWithin(pane.frame(), width, height);
      pane.unmount();
    }
  });

  test('lays out only the window: a new line costs a handful of lookups, not 50,000', () => {
    const live = noisyLog();
    let lookups = 0;
    const counting: EntrySource = {
      get length() { return live.length; },
      get version() { return live.version; },
      at: (i) => {
        lookups++;
        return live.at(i);
      },
    };
    const props = { ...baseProps(live, 200, 60), entries: counting, search: { query: 'needle', regex: false } };
    const pane = mountPane(props);
    // The first render searched the whole buffer once.
    expect(lookups).toBeGreaterThanOrEqual(LINES);
    for (let i = 0; i < 20; i++) {
      live.push(line(`fresh ${i}`));
      lookups = 0;
      pane.rerender({ dropped: live.dropped });
      // The work counted, not timed (speed is the benchmark's business): a full pass would be 50,000.
      expect(lookups).toBeLessThan(2_000);
    }
    expect(pane.frame()).toContain('fresh 19');
  });
});

describe('LogsPane states', () => {
  test('an empty log says so', () => {
    const pane = mountPane(baseProps(new LogBuffer(), 40, 5));
    expect(pane.frame().split('\n')).toEqual([
      expect.stringMatching(/^web-1 · following · 0 lines/),
      expect.stringMatching(/^No log lines yet/),
      '', '', '',
    ]);
  });

  test('colours from the log are drawn', () => {
    const buffer = new LogBuffer();
    buffer.push(line('\x1b[31mred alert\x1b[0m and plain'));
    const pane = mountPane(baseProps(buffer, 40, 3));
    expect(pane.raw()).toContain('\x1b[31mred alert');
    expect(pane.frame().split('\n')[1]).toBe('  red alert and plain');
  });
});
