// View tests: <StatsPane> over the in-memory engine, streaming through useStatsStream, rendered
// by Ink into a terminal-sized stdout and read the way a user reads the screen. Ink runs in debug
// mode (as ink-testing-library does), so every render is written whole and CI changes nothing.
import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import { EngineRequestError } from '../../src/engine/errors.js';
import type { StatsSample } from '../../src/engine/stats.js';
import { StatsHistory } from '../../src/engine/stats-history.js';
import { formatPercent } from '../../src/views/format.js';
import { StatsPane, statsPaneLines, type StatsPaneProps } from '../../src/views/StatsPane.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';
import { renderSized } from '../support/render-sized.js';
import type { SizedStdout } from '../support/sized-stdout.js';

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Harness


/**
 * The fake engine's stream with the parts a real one has and the fake lacks: I/O totals growing
 * at fixed rates and read times exactly one second apart (so rates are exact). It also counts
 * the streams open at once, which must never exceed one.
 */
class StreamingEngine extends FakeEngine {
  openStreams = 0;
  maxOpenStreams = 0;
  readonly opened: string[] = [];
  /** Bytes per second of each total. */
  io = { netRx: 2048, netTx: 512, blockRead: 4096, blockWrite: 1024 * 1024 };
  /** When set, opening a stream fails with it. */
  failWith: Error | undefined;

  override async streamStats(id: string, signal: AbortSignal): Promise<AsyncIterable<StatsSample>> {
    this.opened.push(id);
    if (this.failWith) throw this.failWith;
    const samples = await super.streamStats(id, signal);
    // Open from here until the client aborts (which closes a real stream at once) or it ends.
    this.openStreams++;
    this.maxOpenStreams = Math.max(this.maxOpenStreams, this.openStreams);
    let open = true;
    const close = () => {
      if (open) this.openStreams--;
      open = false;
    };
    signal.addEventListener('abort', close, { once: true });
    const io = this.io;
    return (async function* () {
      const t0 = Date.now();
      let n = 0;
      try {
        for await (const sample of samples) {
          n++;
          yield {
            ...sample,
            readAt: t0 + n * 1000,
            netRxBytes: n * io.netRx,
            netTxBytes: n * io.netTx,
            blockReadBytes: n * io.blockRead,
            blockWriteBytes: n * io.blockWrite,
          };
        }
      } finally {
        close();
      }
    })();
  }
}

interface Mounted {
  stdout: SizedStdout;
  /** The last frame, without colour codes (FORCE_COLOR may be set where the tests run). */
  frame(): string;
  rerender(props: Partial<StatsPaneProps>): void;
  unmount(): void;
}

const mounted: Mounted[] = [];

afterEach(() => {
  for (const pane of mounted.splice(0)) pane.unmount();
});

function mountPane(props: StatsPaneProps): Mounted {
  let current = props;
  const view = renderSized(<StatsPane {...current} />, props.width, props.height);
  const pane: Mounted = {
    stdout: view.stdout,
    frame: view.frame,
    rerender: (changes) => {
      current = { ...current, ...changes };
      view.rerender(<StatsPane {...current} />);
    },
    unmount: view.unmount,
  };
  mounted.push(pane);
  return pane;
}

async function waitForFrame(pane: Mounted, predicate: (frame: string) => boolean, what: string, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = pane.frame();
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectWithin(frame: string, width: number, height: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height);
  for (const line of lines) expect(stringWidth(line), `too wide: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
}

const lineStarting = (frame: string, prefix: string) => frame.split('\n').find((line) => line.startsWith(prefix));
const BLOCKS = /[▁▂▃▄▅▆▇█]/;

function setup(stats: { cpuPercent?: number; memoryUsed?: number; memoryLimit?: number } = {}) {
  const row = makeContainer({ name: 'busy' });
  const engine = new StreamingEngine([row]);
  engine.setStats(row.id, { cpuPercent: 37.5, memoryUsed: 256 * MiB, memoryLimit: 1024 * MiB, ...stats });
  return { engine, id: row.id };
}

// ---------------------------------------------------------------------------------------------

describe('StatsPane: figures as docker stats shows them', () => {
  test.each([
    [30, 10],
    [60, 20],
    [120, 40],
  ])('at %ix%i: CPU, memory, I/O rates and PIDs appear, and nothing is wider than the pane', async (width, height) => {
    const { engine, id } = setup();
    const pane = mountPane({ engine, containerId: id, running: true, width, height });
    const frame = await waitForFrame(pane, (f) => f.includes('37.50%'), 'the CPU figure');
    expectWithin(frame, width, height);
    expect(frame).toContain('256MiB / 1GiB');
    // I/O in decimal units, as docker stats prints NET I/O and BLOCK I/O.
    expect(frame).toContain('2.05kB/s'); // net rx: 2048 bytes a second
    expect(frame).toContain('1.05MB/s'); // block write: 1 MiB a second
    expect(lineStarting(frame, 'PIDS')).toMatch(/^PIDS\s+1\s*$/);
    if (width >= 40) {
      expect(lineStarting(frame, 'CPU %')).toContain('37.50%  max 200% (2 CPUs)');
      expect(lineStarting(frame, 'MEM USAGE')).toContain(`256MiB / 1GiB  ${formatPercent(25)}`);
      expect(lineStarting(frame, 'NET I/O')).toContain('rx 2.05kB/s  tx 512B/s');
      expect(lineStarting(frame, 'BLOCK I/O')).toContain('read 4.1kB/s  write 1.05MB/s');
    }
    // Totals once there is room for them beside the rates.
    if (width >= 100) {
      expect(lineStarting(frame, 'NET I/O')).toContain('rx 2.05kB/s  tx 512B/s  total ');
      expect(lineStarting(frame, 'BLOCK I/O')).toContain('read 4.1kB/s  write 1.05MB/s  total ');
    }
  });

  test('at 30x10: figures, then one-line sparklines two to a line', async () => {
    const { engine, id } = setup();
    const pane = mountPane({ engine, containerId: id, running: true, width: 30, height: 10 });
    const frame = await waitForFrame(pane, (f) => /^CPU +[▁▂▃▄▅▆▇█]/m.test(f), 'the sparklines');
    expectWithin(frame, 30, 10);
    expect(lineStarting(frame, 'CPU  ')).toContain('37.50%');
    const sparkRows = frame.split('\n').filter((line) => /^(CPU|rx|rd) /.test(line) && BLOCKS.test(line));
    expect(sparkRows.map((line) => line.split(/\s+/)[0])).toEqual(['CPU', 'rx', 'rd']);
    expect(sparkRows[0]).toMatch(/ MEM /);
  });

  test('at 120x40: taller charts, two to a row, titled with the current value and the peak', async () => {
    const { engine, id } = setup();
    const pane = mountPane({ engine, containerId: id, running: true, width: 120, height: 40 });
    const frame = await waitForFrame(pane, (f) => f.includes('CPU 37.50%  peak 37.50%'), 'the CPU chart title');
    expectWithin(frame, 120, 40);
    const lines = frame.split('\n');
    const title = lines.findIndex((line) => line.startsWith('CPU 37.50%  peak 37.50%'));
    expect(lines[title]).toMatch(/ {2,}MEM 256MiB {2}peak 256MiB/);
    // Several chart rows under the title before the next titles.
    const next = lines.findIndex((line) => line.startsWith('NET rx 2.05kB/s'));
    expect(next - title - 1).toBeGreaterThanOrEqual(5);
    expect(lines.slice(title + 1, next).every((line) => !/[A-Za-z]/.test(line))).toBe(true);
    expect(frame).toMatch(/BLOCK read 4\.1kB\/s {2}peak 4\.1kB\/s {2,}BLOCK write 1\.05MB\/s {2}peak 1\.05MB\/s/);
    expect(frame).toMatch(/history, last \d+s/);
  });

  test('says so for a stopped container, and opens no stream', async () => {
    const { engine, id } = setup();
    const pane = mountPane({ engine, containerId: id, running: false, width: 60, height: 20 });
    await waitForFrame(pane, (f) => f.includes('not running: no stats'), 'the stopped message');
    await settle(100);
    expect(engine.opened).toEqual([]);
  });

  test('waits for two readings before showing figures', async () => {
    const { engine, id } = setup();
    engine.streamIntervalMs = 5_000;
    const pane = mountPane({ engine, containerId: id, running: true, width: 60, height: 20 });
    const frame = await waitForFrame(pane, (f) => f.includes('waiting for the first readings…'), 'the waiting message');
    expect(frame).not.toContain('%');
    expect(engine.opened).toEqual([id]);
  });

  test('shows a stream failure, but not a container that vanished', async () => {
    const { engine, id } = setup();
    engine.failWith = new EngineRequestError('Cannot connect: the engine\x1b[2J is restarting', 500);
    const pane = mountPane({ engine, containerId: id, running: true, width: 60, height: 20 });
    const frame = await waitForFrame(pane, (f) => f.includes('stats: Cannot connect'), 'the error');
    expect(frame).toContain('stats: Cannot connect: the engine is restarting'); // sanitised
    expectWithin(frame, 60, 20);

    const gone = setup();
    gone.engine.failWith = new EngineRequestError(`No such container: ${gone.id}`, 404);
    const other = mountPane({ engine: gone.engine, containerId: gone.id, running: true, width: 60, height: 20 });
    await waitForFrame(other, (f) => f.includes('waiting for the first readings…'), 'the waiting message');
    await settle(100);
    expect(other.frame()).not.toContain('stats:');
  });
});

describe('StatsPane: one stream, only while visible', () => {
  test('switching container closes the previous stream; coming back shows the history kept for it', async () => {
    const first = setup({ cpuPercent: 37.5 });
    const engine = first.engine;
    const second = makeContainer({ name: 'other' });
    engine.addContainer(second);
    engine.setStats(second.id, { cpuPercent: 75 });

    const pane = mountPane({ engine, containerId: first.id, running: true, width: 60, height: 20 });
    await waitForFrame(pane, (f) => f.includes('37.50%'), 'the first container');
    pane.rerender({ containerId: second.id });
    await waitForFrame(pane, (f) => f.includes('75.00%') && !f.includes('37.50%'), 'the second container');
    expect(engine.openStreams).toBe(1);

    // Back to the first: its figures show before any new reading arrives.
    engine.streamIntervalMs = 5_000;
    pane.rerender({ containerId: first.id });
    await waitForFrame(pane, (f) => f.includes('37.50%'), 'the first container again');
    expect(engine.opened).toEqual([first.id, second.id, first.id]);
    expect(engine.maxOpenStreams).toBe(1);
  });

  test('a container that stops, or a pane that unmounts, closes the stream', async () => {
    const { engine, id } = setup();
    const pane = mountPane({ engine, containerId: id, running: true, width: 60, height: 20 });
    await waitForFrame(pane, (f) => f.includes('37.50%'), 'the figures');
    expect(engine.openStreams).toBe(1);
    pane.rerender({ running: false });
    await waitForFrame(pane, (f) => f.includes('not running: no stats'), 'the stopped message');
    await settle(50);
    expect(engine.openStreams).toBe(0);

    pane.rerender({ running: true });
    await waitForFrame(pane, () => engine.openStreams === 1, 'the stream to reopen');
    pane.unmount();
    await settle(50);
    expect(engine.openStreams).toBe(0);
    expect(engine.maxOpenStreams).toBe(1);
  });

  test('renders at most about twice a second however fast readings arrive', async () => {
    const { engine, id } = setup();
    engine.streamIntervalMs = 5; // 200 readings a second
    const pane = mountPane({ engine, containerId: id, running: true, width: 60, height: 20 });
    await waitForFrame(pane, (f) => f.includes('37.50%'), 'the figures');
    const before = pane.stdout.frames.length;
    await settle(1600);
    // 1.6 s at one render per 500 ms: 3, or 4 with timer slack.
    expect(pane.stdout.frames.length - before).toBeLessThanOrEqual(4);
    expect(pane.stdout.frames.length - before).toBeGreaterThanOrEqual(2);
  });
});

describe('statsPaneLines', () => {
  function historyOf(points: number): StatsHistory {
    const history = new StatsHistory();
    for (let n = 0; n <= points; n++) {
      history.push({
        readAt: 1e12 + n * 1000, cpuTotal: n * 1e9 * (n % 7), systemCpu: 1e12 + n * 2e9, onlineCpus: 2,
        memoryUsage: (100 + n) * MiB, memoryLimit: 8192 * MiB, memoryInactiveFile: 0, pids: 3 + (n % 5),
        netRxBytes: n * n * 100, netTxBytes: n * 10, blockReadBytes: 0, blockWriteBytes: n * 4096,
      });
    }
    return history;
  }

  test('every size from 1x1 to 130x45 gives exactly height lines of exactly width columns', () => {
    const history = historyOf(700);
    const views = [
      { running: true, latest: history.latest(), history },
      { running: true, latest: history.latest(), history, error: 'a long error from the engine that will not fit' },
      { running: true, latest: undefined, history: new StatsHistory() },
      { running: false, latest: undefined, history: new StatsHistory() },
    ];
    for (const view of views) {
      for (let width = 0; width <= 130; width += 7) {
        for (let height = 0; height <= 45; height += 4) {
          const lines = statsPaneLines(view, width, height);
          expect(lines).toHaveLength(height);
          for (const line of lines) expect(stringWidth(line.map((s) => s.text).join(''))).toBe(width);
        }
      }
    }
  });

  test('a ten-minute history fills the chart width', () => {
    const history = historyOf(700);
    const text = statsPaneLines({ running: true, latest: history.latest(), history }, 60, 20).map((l) => l.map((s) => s.text).join(''));
    const cpuChart = text[text.findIndex((line) => /^CPU \d/.test(line)) + 1] ?? '';
    expect(cpuChart).toMatch(/^[▁▂▃▄▅▆▇█]{60}$/);
    expect(text).toContain(`history, last 9m${' '.repeat(60 - 'history, last 9m'.length)}`);
  });
});
