// The last minutes of one container's stats, for the Stats tab's figures and graphs. Streams
// deliver a reading a second for as long as the tab is open, so everything lives in fixed-size
// rings: memory stays the same after ten minutes or ten hours.
import { computeFigures, type StatsSample } from './stats.js';
import type { StatsFigures } from './types.js';

/** One point of history: `docker stats`'s figures plus I/O rates, from two consecutive samples. */
export interface StatsPoint extends StatsFigures {
  /** Milliseconds since epoch, from the later sample's `read` time. */
  readAt: number;
  onlineCpus: number;
  /** Bytes per second since the previous sample; 0 after a counter reset (restart). */
  netRxRate: number;
  netTxRate: number;
  blockReadRate: number;
  blockWriteRate: number;
  /** Totals since the container started, as `docker stats` shows under NET I/O and BLOCK I/O. */
  netRxBytes: number;
  netTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
}

/** What `series()` can return: the time of each point and every figure that is graphed. */
export const STATS_METRICS = [
  'readAt', 'cpuPercent', 'memoryUsed', 'memoryPercent',
  'netRxRate', 'netTxRate', 'blockReadRate', 'blockWriteRate', 'pids',
] as const satisfies ReadonlyArray<keyof StatsPoint>;

export type StatsMetric = (typeof STATS_METRICS)[number];

/** Ten minutes at the daemon's one reading a second. */
export const DEFAULT_HISTORY_CAPACITY = 600;

/** A fixed-size ring of numbers: pushing onto a full ring overwrites the oldest. */
class Ring {
  private readonly values: Float64Array;
  /** Index of the oldest value. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    this.values[(this.start + this.count) % this.capacity] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest `wanted` values (as many as there are, at most), oldest first. */
  last(wanted: number): number[] {
    const n = Math.min(Math.max(0, Math.floor(wanted) || 0), this.count);
    const out = new Array<number>(n);
    const first = this.start + this.count - n;
    for (let i = 0; i < n; i++) out[i] = this.values[(first + i) % this.capacity] ?? 0;
    return out;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}

/** Bytes per second between two totals; a total that went down means the counters restarted. */
function rate(current: number | undefined, previous: number | undefined, seconds: number): number {
  const delta = (current ?? 0) - (previous ?? 0);
  return delta > 0 && seconds > 0 ? delta / seconds : 0;
}

/** Figures and I/O rates from consecutive samples of one container, kept in bounded rings. */
export class StatsHistory {
  readonly capacity: number;
  private readonly rings: Record<StatsMetric, Ring>;
  private previous: StatsSample | undefined;
  private newest: StatsPoint | undefined;

  constructor(capacity = DEFAULT_HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
    this.capacity = capacity;
    this.rings = Object.fromEntries(STATS_METRICS.map((metric) => [metric, new Ring(capacity)])) as Record<StatsMetric, Ring>;
  }

  /** How many points are held (at most `capacity`). */
  get size(): number {
    return this.rings.readAt.size;
  }

  /**
   * Takes the next sample of the stream. Returns true when it added a point; the first sample
   * (and the first after `resetBaseline`) only serves as the base for the next one's rates.
   */
  push(sample: StatsSample): boolean {
    // A stopped container's stream goes on sending zeroed readings dated 0001-01-01: not readings.
    // A sample no newer than the last one would give rates over no time.
    if (sample.readAt <= 0 || (this.previous && sample.readAt <= this.previous.readAt)) return false;
    const previous = this.previous;
    this.previous = sample;
    if (!previous) return false;
    const figures = computeFigures(sample, previous);
    if (!figures) return false;

    const seconds = (sample.readAt - previous.readAt) / 1000;
    const point: StatsPoint = {
      ...figures,
      readAt: sample.readAt,
      onlineCpus: sample.onlineCpus,
      netRxRate: rate(sample.netRxBytes, previous.netRxBytes, seconds),
      netTxRate: rate(sample.netTxBytes, previous.netTxBytes, seconds),
      blockReadRate: rate(sample.blockReadBytes, previous.blockReadBytes, seconds),
      blockWriteRate: rate(sample.blockWriteBytes, previous.blockWriteBytes, seconds),
      netRxBytes: sample.netRxBytes ?? 0,
      netTxBytes: sample.netTxBytes ?? 0,
      blockReadBytes: sample.blockReadBytes ?? 0,
      blockWriteBytes: sample.blockWriteBytes ?? 0,
    };
    for (const metric of STATS_METRICS) this.rings[metric].push(point[metric]);
    this.newest = point;
    return true;
  }

  /**
   * Keeps the history but forgets the last sample, so the next one becomes a new base. For when
   * readings resume after a pause (a new stream): a rate or CPU figure must not average over
   * the minutes nobody was watching.
   */
  resetBaseline(): void {
    this.previous = undefined;
  }

  latest(): StatsPoint | undefined {
    return this.newest;
  }

  /** The newest `count` values of a metric (all held by default), oldest first. */
  series(metric: StatsMetric, count: number = this.capacity): number[] {
    return this.rings[metric].last(count);
  }

  clear(): void {
    for (const metric of STATS_METRICS) this.rings[metric].clear();
    this.previous = undefined;
    this.newest = undefined;
  }
}
