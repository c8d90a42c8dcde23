// The measurements of `npm run bench` (issue #9): dockhand beside the Docker CLI on an engine of
// the bench's own (so the tests' engine neither disturbs nor is disturbed by it), with N idle
// containers, each figure read off a real terminal (tmux) as a person would see it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { docker as dockerCli, TEST_IMAGE, waitFor } from '../test/support/docker.js';
import { BIN } from '../test/support/dockhand.js';
import { PrivateEngine } from '../test/support/private-engine.js';
import { TmuxSession } from '../test/support/tmux.js';
import { PaneControl, stripEscapes } from './pane.js';
import { cpuSecondsOver, engineProcesses, findByName, peakRssBytes, processTree } from './proc.js';
import { judge, type BenchResults, type Figure, type IdleCost } from './report.js';

export interface BenchOptions {
  /** Containers on the engine at each stage, increasing: the engine grows from one to the next. */
  counts: number[];
  /** Figures are medians over the runs (latencies: percentiles of all the runs' samples). */
  runs: number;
  /** CPU is counted over this long, once the watcher shows live figures. */
  idleWindowMs: number;
  startsPerRun: number;
  keysPerRun: number;
  eventsPerRun: number;
  /** Lines in dockhand's log buffer for the memory figure (it keeps 50,000 at most). */
  logLines: number;
  /** How long keys are pressed during the log flood, per run. */
  floodWindowMs: number;
  /** Samples of the terminal's own start and key latencies. */
  floorSamples: number;
}

export const FULL_BENCH: BenchOptions = {
  counts: [50, 200, 500], runs: 3, idleWindowMs: 30_000, startsPerRun: 3, keysPerRun: 30, eventsPerRun: 3,
  logLines: 50_000, floodWindowMs: 20_000, floorSamples: 30,
};

/** Every figure, at a scale and length that only shows the harness works. */
export const SMOKE_BENCH: BenchOptions = {
  counts: [20], runs: 1, idleWindowMs: 2000, startsPerRun: 1, keysPerRun: 5, eventsPerRun: 1,
  logLines: 5000, floodWindowMs: 2000, floorSamples: 5,
};

const TERMINAL = { cols: 120, rows: 40 };
const SLEEPER = ['sleep', '86400'];
/** After live figures first show, before counting: the start's own work is not the idle cost. */
const SETTLE_MS = 2000;
/** Between key presses, as between a person's: each frame settles before the next key. */
const KEY_PAUSE_MS = 100;
const FLOOD_LINES_PER_BATCH = 2000;
// 2,000 lines every tenth of a second: 20,000 lines a second. The pause is what is left of the
// tenth (by the clock in /proc/uptime, in hundredths), as writing the lines takes time of its own.
// Each batch is announced so that the rate achieved can be read back from the log.
const FLOOD_SCRIPT = [
  'centiseconds() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }',
  'start=$(centiseconds); i=0',
  'while :; do',
  '  i=$((i+1)); echo "flood batch $i"',
  `  seq 1 ${FLOOD_LINES_PER_BATCH} | sed 's/.*/flood line & padding padding padding/'`,
  '  ahead=$((start + i*10 - $(centiseconds)))',
  '  [ "$ahead" -gt 0 ] && usleep $((ahead*10000))',
  'done',
].join('\n');
/** About 100 bytes a line, as an application log. */
const logScript = (lines: number) =>
  `seq 1 ${lines} | sed 's/.*/bench log line & lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod/'; exec sleep 86400`;

const run = promisify(execFile);

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** Runs `use` on a new terminal running `command`, and closes the terminal (and the program) after. */
async function inTerminal<T>(command: string[], use: (pane: PaneControl) => Promise<T>): Promise<T> {
  const session = await TmuxSession.start({ command, ...TERMINAL });
  try {
    const pane = await PaneControl.attach(session);
    try {
      return await use(pane);
    } finally {
      pane.detach();
    }
  } finally {
    await session.kill();
  }
}

/**
 * Milliseconds from each key (cycling through `keys`) to the first frame in which `shown(screen)`
 * differs from what it was before the key.
 */
async function keyLatencies(
  pane: PaneControl,
  keys: readonly string[],
  more: (pressed: number) => boolean,
  shown: (screen: string) => string,
  escapes = false,
): Promise<number[]> {
  const latencies: number[] = [];
  while (more(latencies.length)) {
    const key = keys[latencies.length % keys.length] ?? '';
    const before = shown(await pane.capture(escapes));
    const pressed = performance.now();
    await pane.press(key);
    const { at } = await pane.waitFor((screen) => shown(screen) !== before, { what: `the frame after ${key}`, escapes });
    latencies.push(at - pressed);
    await sleep(KEY_PAUSE_MS);
  }
  return latencies;
}

const INVERSE = /^\u001B\[(?:[\d;]*;)?7(?:;[\d;]*)?m/;

/** The name in the list's selected row: the one drawn inverse (the rows below the header and the column titles). */
function selectedName(screen: string): string {
  const row = screen.split('\n').slice(2).find((line) => INVERSE.test(line)) ?? '';
  return stripEscapes(row).split(' ')[0] ?? '';
}

const benchRows = (screen: string) => screen.match(/^bench-\d{4} /gm)?.length ?? 0;
const counted = (n: number) => (screen: string) => (screen.split('\n')[0] ?? '').includes(`${n}/${n} running`);
const hasLiveStats = (screen: string) => /^bench-\d{4} .*\d\.\d\d%/m.test(screen);
const followState = (screen: string) => (screen.includes('paused — G resumes') ? 'paused' : screen.includes('following') ? 'following' : '');

type CpuByProcess = Pick<IdleCost, 'client' | 'dockerd' | 'containerd' | 'shims'>;

interface StageSamples {
  startupMs: number[];
  psMs: number[];
  keyMs: number[];
  eventMs: number[];
  idle: Record<IdleCost['watcher'], CpuByProcess[]>;
}

class Bench {
  readonly figures: Figure[] = [];
  readonly idleCosts: IdleCost[] = [];
  private containers = 0;
  /** The engine's daemons name this folder on their command lines. */
  private readonly engineRoot: string;

  constructor(
    private readonly engine: PrivateEngine,
    private readonly options: BenchOptions,
    private readonly bin: string,
    private readonly log: (line: string) => void,
  ) {
    this.engineRoot = dirname(engine.socketPath);
  }

  private docker(...args: string[]): Promise<string> {
    return dockerCli('-H', this.engine.host, ...args);
  }

  private runContainer(name: string, command: readonly string[]): Promise<string> {
    return this.docker('run', '--detach', '--network', 'none', '--name', name, TEST_IMAGE, ...command);
  }

  private dockhand(...args: string[]): string[] {
    return ['node', this.bin, '--host', this.engine.host, ...args];
  }

  async terminalFloors(): Promise<BenchResults['floors']> {
    const starts: number[] = [];
    for (let i = 0; i < this.options.floorSamples; i += 1) {
      const launched = performance.now();
      starts.push(await inTerminal(['sh', '-c', 'echo ready; exec sleep 600'], async (pane) =>
        (await pane.waitFor((screen) => screen.includes('ready'), { what: 'a program that prints at once' })).at - launched));
    }
    const keys = await inTerminal(['sh', '-c', 'stty raw -echo; echo ready; exec cat'], async (pane) => {
      await pane.waitFor((screen) => screen.includes('ready'), { what: 'cat to start' });
      return keyLatencies(pane, ['x'], (pressed) => pressed < this.options.floorSamples, (screen) => screen);
    });
    return { startMs: median(starts), keyP50Ms: percentile(keys, 50), keyP95Ms: percentile(keys, 95) };
  }

  /** Start-up, idle cost, key and event latency with n containers on the engine. */
  async stage(n: number, startFloorMs: number): Promise<void> {
    const { runs, startsPerRun, idleWindowMs } = this.options;
    this.log(`N = ${n}: starting ${n - this.containers} more containers`);
    await this.grow(n);
    const rows = await this.rowsOnScreen(n);
    const samples: StageSamples = {
      startupMs: [], psMs: [], keyMs: [], eventMs: [],
      idle: { 'dockhand': [], 'docker stats': [], 'nothing (engine alone)': [] },
    };
    for (let round = 1; round <= runs; round += 1) {
      for (let i = 0; i < startsPerRun; i += 1) {
        samples.startupMs.push(await this.startUp(n, rows) - startFloorMs);
        samples.psMs.push(await this.dockerPs());
      }
      const watched = await this.watchWithDockhand(`${n}-${round}`);
      samples.idle['dockhand'].push(watched.idle);
      samples.keyMs.push(...watched.keyMs);
      samples.eventMs.push(...watched.eventMs);
      samples.idle['docker stats'].push(await this.watchWithDockerStats());
      // The engine may still be closing the last watcher's streams.
      await sleep(SETTLE_MS);
      samples.idle['nothing (engine alone)'].push(await this.cpuOverWindow());
      this.log(`N = ${n}, run ${round}/${runs}: start-up ${Math.round(samples.startupMs.at(-1) ?? 0)} ms ` +
        `(docker ps -a ${Math.round(samples.psMs.at(-1) ?? 0)} ms), CPU s dockhand ${total(watched.idle).toFixed(2)} ` +
        `/ docker stats ${total(samples.idle['docker stats'].at(-1)).toFixed(2)}`);
    }
    const totals = (watcher: IdleCost['watcher']) => samples.idle[watcher].map(total);
    this.figures.push(
      judge({ id: 'startup', n, value: median(samples.startupMs), reference: median(samples.psMs), samples: samples.startupMs.length }),
      judge({ id: 'idle-cpu', n, value: median(totals('dockhand')), reference: median(totals('docker stats')), samples: runs }),
      judge({ id: 'dockhand-cpu', n, value: (median(samples.idle['dockhand'].map((c) => c.client)) / (idleWindowMs / 1000)) * 100, samples: runs }),
      judge({ id: 'key-p50', n, value: percentile(samples.keyMs, 50), samples: samples.keyMs.length }),
      judge({ id: 'key-p95', n, value: percentile(samples.keyMs, 95), samples: samples.keyMs.length }),
      judge({ id: 'event', n, value: median(samples.eventMs), samples: samples.eventMs.length,
        detail: { p95Ms: percentile(samples.eventMs, 95), maxMs: Math.max(...samples.eventMs) } }),
    );
    for (const [watcher, costs] of Object.entries(samples.idle) as Array<[IdleCost['watcher'], CpuByProcess[]]>) {
      this.idleCosts.push({
        n, watcher,
        client: median(costs.map((c) => c.client)),
        dockerd: median(costs.map((c) => c.dockerd)),
        containerd: median(costs.map((c) => c.containerd)),
        shims: median(costs.map((c) => c.shims)),
      });
    }
  }

  /** Peak RSS with the log buffer full, at the engine's final size (plus the logging container). */
  async memory(): Promise<void> {
    const { logLines, runs } = this.options;
    const name = 'bench-log';
    await this.runContainer(name, ['sh', '-c', logScript(logLines)]);
    await waitFor(async () => (await this.docker('logs', '--tail', '1', name)).startsWith(`bench log line ${logLines} `), {
      timeoutMs: 60_000, message: `${name} to write ${logLines} lines`,
    });
    const peaks: number[] = [];
    for (let round = 1; round <= runs; round += 1) {
      peaks.push(await inTerminal(this.dockhand('--log-tail', String(logLines)), async (pane) => {
        await openLogs(pane, name);
        await pane.waitFor((screen) => screen.includes(`${logLines.toLocaleString('en-US')} lines`), {
          what: `${logLines} lines in the buffer`, timeoutMs: 60_000,
        });
        await sleep(SETTLE_MS);
        return peakRss(pane);
      }));
      this.log(`memory, run ${round}/${runs}: peak RSS ${Math.round((peaks.at(-1) ?? 0) / 1e6)} MB`);
    }
    await this.docker('rm', '--force', name);
    this.figures.push(judge({ id: 'memory', n: this.containers, value: median(peaks) / 1e6, samples: runs }));
  }

  /** Key latency and peak RSS on the Logs tab of a container writing ~20,000 lines a second. */
  async flood(): Promise<void> {
    const { floodWindowMs, runs } = this.options;
    const name = 'bench-flood';
    await this.runContainer(name, ['sh', '-c', FLOOD_SCRIPT]);
    const floodStarted = Date.now();
    const keyMs: number[] = [];
    const peaks: number[] = [];
    for (let round = 1; round <= runs; round += 1) {
      await inTerminal(this.dockhand(), async (pane) => {
        await openLogs(pane, name);
        await pane.waitFor((screen) => screen.includes('flood line'), { what: 'the flood on screen' });
        const end = performance.now() + floodWindowMs;
        // k pauses the view (the header says so) and G follows again: each changes the frame however fast lines arrive.
        keyMs.push(...await keyLatencies(pane, ['k', 'G'], () => performance.now() < end, followState));
        peaks.push(await peakRss(pane));
      });
      this.log(`log flood, run ${round}/${runs}: peak RSS ${Math.round((peaks.at(-1) ?? 0) / 1e6)} MB`);
    }
    const batches = [...(await this.docker('logs', '--tail', String(2 * FLOOD_LINES_PER_BATCH), name)).matchAll(/^flood batch (\d+)$/gm)];
    const linesPerSecond = (Number(batches.at(-1)?.[1] ?? 0) * (FLOOD_LINES_PER_BATCH + 1)) / ((Date.now() - floodStarted) / 1000);
    await this.docker('rm', '--force', name);
    this.figures.push(
      judge({ id: 'flood-key-p95', n: this.containers, value: percentile(keyMs, 95), samples: keyMs.length,
        detail: { p50Ms: percentile(keyMs, 50), linesPerSecond: Math.round(linesPerSecond) } }),
      judge({ id: 'flood-rss', n: this.containers, value: median(peaks) / 1e6, samples: runs, detail: { linesPerSecond: Math.round(linesPerSecond) } }),
    );
  }

  /** Idle containers up to n in all, a few `docker run` at a time. */
  private async grow(n: number): Promise<void> {
    const names = Array.from({ length: n - this.containers }, (_, i) => `bench-${String(this.containers + i).padStart(4, '0')}`);
    await inParallel(names, 4, (name) => this.runContainer(name, SLEEPER));
    this.containers = n;
  }

  /**
   * How many rows a complete frame lists (as many as fit, at most n): read from a first launch,
   * which also brings dockhand's files into the page cache, as for every later start.
   */
  private async rowsOnScreen(n: number): Promise<number> {
    return inTerminal(this.dockhand(), async (pane) => {
      await pane.waitFor(counted(n), { what: `${n}/${n} running`, timeoutMs: 30_000 });
      await sleep(1000);
      return benchRows(await pane.capture());
    });
  }

  /**
   * Milliseconds from launch to the first complete frame: the header counts every container and
   * the list shows as many of them as fit. The terminal's own start is subtracted by the caller.
   */
  private async startUp(n: number, rows: number): Promise<number> {
    const launched = performance.now();
    return inTerminal(this.dockhand(), async (pane) => {
      const { at } = await pane.waitFor((screen) => counted(n)(screen) && benchRows(screen) >= rows, {
        what: `${n}/${n} running and ${rows} rows`, timeoutMs: 30_000,
      });
      return at - launched;
    });
  }

  private async dockerPs(): Promise<number> {
    const started = performance.now();
    await this.docker('ps', '--all');
    return performance.now() - started;
  }

  /** dockhand showing live CPU and memory: its idle cost, then keys moving the selection, then containers started from outside. */
  private async watchWithDockhand(tag: string): Promise<{ idle: CpuByProcess; keyMs: number[]; eventMs: number[] }> {
    return inTerminal(this.dockhand(), async (pane) => {
      await pane.waitFor(hasLiveStats, { what: 'CPU and memory figures in the list', timeoutMs: 30_000 });
      await sleep(SETTLE_MS);
      const idle = await this.cpuOverWindow(await pane.panePid());
      // Down and up in turn: the selection moves on every key whatever the number of containers.
      const keyMs = await keyLatencies(pane, ['j', 'k'], (pressed) => pressed < this.options.keysPerRun, selectedName, true);
      const eventMs = await this.eventLatencies(pane, tag);
      return { idle, keyMs, eventMs };
    });
  }

  private async watchWithDockerStats(): Promise<CpuByProcess> {
    return inTerminal(['docker', '-H', this.engine.host, 'stats'], async (pane) => {
      await pane.waitFor((screen) => /\d\.\d\d%/.test(screen), { what: 'docker stats figures', timeoutMs: 30_000 });
      await sleep(SETTLE_MS);
      return this.cpuOverWindow(await pane.panePid());
    });
  }

  /** CPU seconds over the idle window of the client (everything in its terminal) and of the engine's daemons. */
  private async cpuOverWindow(clientPid?: number): Promise<CpuByProcess> {
    return cpuSecondsOver(() => ({
      client: clientPid === undefined ? [] : processTree(clientPid),
      ...engineProcesses(this.engineRoot),
    }), this.options.idleWindowMs);
  }

  /**
   * Milliseconds from the engine's start event (its own timestamp) to the started container's row
   * showing it running. The list is filtered to these containers so that the row is on screen.
   */
  private async eventLatencies(pane: PaneControl, tag: string): Promise<number[]> {
    await filterList(pane, 'bench-ev');
    const latencies: number[] = [];
    for (let i = 0; i < this.options.eventsPerRun; i += 1) {
      const name = `bench-ev-${tag}-${i}`;
      const since = (Date.now() / 1000).toFixed(3);
      await this.runContainer(name, SLEEPER);
      const row = new RegExp(`^${name} +running`, 'm');
      const { at } = await pane.waitFor((screen) => row.test(screen), { what: `${name} running in the list` });
      const started = await this.docker('events', '--since', since, '--until', (Date.now() / 1000).toFixed(3),
        '--filter', `container=${name}`, '--filter', 'event=start', '--format', '{{.TimeNano}}');
      if (!/^\d+$/.test(started)) throw new Error(`no start event of ${name} between ${since} and now: ${JSON.stringify(started)}`);
      latencies.push(performance.timeOrigin + at - Number(started) / 1e6);
      await this.docker('rm', '--force', name);
      await pane.waitFor((screen) => !screen.includes(name), { what: `${name} gone from the list` });
    }
    return latencies;
  }
}

function total(cost: CpuByProcess | undefined): number {
  return cost ? cost.client + cost.dockerd + cost.containerd + cost.shims : Number.NaN;
}

async function filterList(pane: PaneControl, text: string): Promise<void> {
  await pane.type('/');
  await pane.type(text);
  await pane.press('Enter');
  await pane.waitFor((screen) => screen.includes(`filter: ${text}`), { what: `the filter ${text}` });
}

/** The container's Logs tab, full screen. */
async function openLogs(pane: PaneControl, name: string): Promise<void> {
  await pane.waitFor((screen) => screen.includes('● live'), { what: 'dockhand live', timeoutMs: 30_000 });
  await filterList(pane, name);
  await pane.press(']');
  await pane.press('Enter');
  await pane.waitFor((screen) => screen.includes(`${name} · `), { what: `${name}'s logs full screen` });
}

async function peakRss(pane: PaneControl): Promise<number> {
  const pid = findByName(processTree(await pane.panePid()), 'dockhand');
  if (pid === undefined) throw new Error('no dockhand process in the terminal');
  return peakRssBytes(pid);
}

async function describeRun(engine: PrivateEngine, options: BenchOptions, bin: string): Promise<Omit<BenchResults, 'load' | 'floors' | 'figures' | 'idleCosts'>> {
  const [version = '', apiVersion = ''] = (await dockerCli('-H', engine.host, 'version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}')).split(' ');
  const git = async (...args: string[]) => (await run('git', args)).stdout.trim();
  const commit = await git('rev-parse', '--short', 'HEAD').catch(() => 'unknown');
  const changed = await git('status', '--porcelain', '--untracked-files=no').catch(() => '');
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, memoryGB: Math.round(os.totalmem() / 1e9),
      kernel: os.release(), node: process.versions.node,
    },
    engine: { version: version.replace(/\+.*/, ''), apiVersion },
    dockhand: {
      version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
      commit: changed === '' ? commit : `${commit} with uncommitted changes`,
      bin: relative(process.cwd(), bin),
    },
    settings: {
      counts: options.counts, runs: options.runs, idleWindowS: options.idleWindowMs / 1000,
      terminal: `${TERMINAL.cols}×${TERMINAL.rows}`, logLines: options.logLines, floodWindowS: options.floodWindowMs / 1000,
    },
  };
}

/**
 * Every figure on a private engine that grows through options.counts; memory and log flood at the
 * largest count. DOCKHAND_BENCH_BIN measures another build than dist/cli.js.
 */
export async function runBench(options: BenchOptions, log: (line: string) => void = () => undefined): Promise<BenchResults> {
  const bin = process.env['DOCKHAND_BENCH_BIN'] ?? BIN;
  const [loadAtStart = Number.NaN] = os.loadavg();
  const engine = await PrivateEngine.start();
  try {
    const bench = new Bench(engine, options, bin, log);
    const floors = await bench.terminalFloors();
    log(`terminal floors: start ${Math.round(floors.startMs)} ms, key p50 ${floors.keyP50Ms.toFixed(1)} ms`);
    for (const n of options.counts) await bench.stage(n, floors.startMs);
    await bench.memory();
    await bench.flood();
    const [loadAtEnd = Number.NaN] = os.loadavg();
    return {
      ...await describeRun(engine, options, bin),
      load: { start: loadAtStart, end: loadAtEnd }, floors, figures: bench.figures, idleCosts: bench.idleCosts,
    };
  } finally {
    await TmuxSession.killAll();
    await engine.destroy();
  }
}
