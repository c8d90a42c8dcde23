import { describe, expect, it } from 'vitest';
import type { StatsSample } from '../../src/engine/stats.js';
import { DEFAULT_HISTORY_CAPACITY, StatsHistory } from '../../src/engine/stats-history.js';

const MiB = 1024 * 1024;
const T0 = Date.UTC(2024, 5, 10, 10, 0, 0);
/** One second of host CPU time on 2 CPUs, in nanoseconds. */
const TICK = 2e9;

/**
 * The n-th reading of a stream, one second apart: the container uses `cpu` % (of 200%) every
 * second, and its I/O totals grow by the given bytes per second.
 */
function reading(n: number, overrides: Partial<StatsSample> = {}, cpu = 50): StatsSample {
  return {
    readAt: T0 + n * 1000,
    cpuTotal: n * (cpu / 200) * TICK,
    systemCpu: 1e12 + n * TICK,
    onlineCpus: 2,
    memoryUsage: 100 * MiB,
    memoryLimit: 1000 * MiB,
    memoryInactiveFile: 20 * MiB,
    pids: 4,
    netRxBytes: n * 2048,
    netTxBytes: n * 512,
    blockReadBytes: n * 4096,
    blockWriteBytes: n * 8192,
    ...overrides,
  };
}

function filled(history: StatsHistory, from: number, to: number): StatsHistory {
  for (let n = from; n <= to; n++) history.push(reading(n, { pids: n }));
  return history;
}

describe('StatsHistory', () => {
  it('holds ten minutes at one reading a second by default', () => {
    expect(DEFAULT_HISTORY_CAPACITY).toBe(600);
    expect(new StatsHistory().capacity).toBe(600);
  });

  it('needs two readings for the first point', () => {
    const history = new StatsHistory();
    expect(history.push(reading(0))).toBe(false);
    expect(history.latest()).toBeUndefined();
    expect(history.size).toBe(0);
    expect(history.series('cpuPercent')).toEqual([]);
    expect(history.push(reading(1))).toBe(true);
    expect(history.size).toBe(1);
  });

  it("computes docker stats's figures and the I/O rates from consecutive readings", () => {
    const history = new StatsHistory();
    history.push(reading(0));
    history.push(reading(1));
    expect(history.latest()).toEqual({
      readAt: T0 + 1000,
      onlineCpus: 2,
      cpuPercent: 50,
      memoryUsed: 80 * MiB,
      memoryLimit: 1000 * MiB,
      memoryPercent: 8,
      pids: 4,
      netRxRate: 2048,
      netTxRate: 512,
      blockReadRate: 4096,
      blockWriteRate: 8192,
      netRxBytes: 2048,
      netTxBytes: 512,
      blockReadBytes: 4096,
      blockWriteBytes: 8192,
    });
  });

  it('divides the deltas by the time between the readings', () => {
    const history = new StatsHistory();
    history.push(reading(0));
    // Two and a half seconds later: 5 KiB received.
    history.push(reading(0, { readAt: T0 + 2500, netRxBytes: 5 * 1024, netTxBytes: 0 }));
    expect(history.latest()).toMatchObject({ netRxRate: 2048, netTxRate: 0 });
  });

  it("takes the CPU delta from the daemon's previous reading when the sample carries one", () => {
    const history = new StatsHistory();
    history.push(reading(0));
    // The daemon says 100% (of 200%) over its own last tick, whatever our previous sample says.
    const current = reading(1, { cpuTotal: 5e9, systemCpu: 1e12 + 10 * TICK, preCpuTotal: 4e9, preSystemCpu: 1e12 + 9 * TICK });
    history.push(current);
    expect(history.latest()?.cpuPercent).toBeCloseTo(100, 10);
  });

  it('gives rates of 0, never negative, when the counters restart (container restarted)', () => {
    const history = new StatsHistory();
    history.push(reading(100));
    // After a restart every counter starts again from about zero, and the first sample has no precpu.
    expect(history.push(reading(2, { readAt: T0 + 103_000 }))).toBe(true);
    expect(history.latest()).toMatchObject({
      cpuPercent: 0, netRxRate: 0, netTxRate: 0, blockReadRate: 0, blockWriteRate: 0,
      netRxBytes: 2 * 2048, blockWriteBytes: 2 * 8192,
    });
    // And from there on the new counters give rates again.
    history.push(reading(3, { readAt: T0 + 104_000 }));
    expect(history.latest()).toMatchObject({ cpuPercent: 50, netRxRate: 2048, blockWriteRate: 8192 });
  });

  it("skips the zeroed readings a stopped container's stream keeps sending", () => {
    const history = new StatsHistory();
    history.push(reading(0));
    history.push(reading(1));
    // read: 0001-01-01T00:00:00Z, everything zero (parseStats gives a negative readAt for it).
    const zeroed: StatsSample = {
      readAt: Date.parse('0001-01-01T00:00:00Z'), cpuTotal: 0, systemCpu: 0, onlineCpus: 0,
      memoryUsage: 0, memoryLimit: 0, memoryInactiveFile: 0, pids: 0,
      netRxBytes: 0, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0,
    };
    expect(history.push(zeroed)).toBe(false);
    expect(history.push({ ...zeroed, readAt: 0 })).toBe(false);
    expect(history.size).toBe(1);
    expect(history.latest()?.readAt).toBe(T0 + 1000);
    // The next real reading is compared with the last real one.
    expect(history.push(reading(2))).toBe(true);
    expect(history.latest()).toMatchObject({ cpuPercent: 50, netRxRate: 2048 });
  });

  it('ignores a reading no newer than the previous one', () => {
    const history = new StatsHistory();
    history.push(reading(0));
    history.push(reading(1));
    expect(history.push(reading(1, { netRxBytes: 1e9 }))).toBe(false);
    expect(history.push(reading(0))).toBe(false);
    expect(history.size).toBe(1);
  });

  it('takes missing I/O totals as 0', () => {
    const history = new StatsHistory();
    const bare = (n: number): StatsSample => {
      const { netRxBytes: _rx, netTxBytes: _tx, blockReadBytes: _r, blockWriteBytes: _w, ...rest } = reading(n);
      return rest;
    };
    history.push(bare(0));
    history.push(bare(1));
    expect(history.latest()).toMatchObject({
      netRxRate: 0, netTxRate: 0, blockReadRate: 0, blockWriteRate: 0,
      netRxBytes: 0, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0,
    });
  });

  it('gives each series oldest first, and the newest `count` values on request', () => {
    const history = filled(new StatsHistory(10), 0, 5);
    expect(history.series('pids')).toEqual([1, 2, 3, 4, 5]);
    expect(history.series('pids', 2)).toEqual([4, 5]);
    expect(history.series('pids', 99)).toEqual([1, 2, 3, 4, 5]);
    expect(history.series('pids', 0)).toEqual([]);
    expect(history.series('pids', -3)).toEqual([]);
    expect(history.series('pids', Number.NaN)).toEqual([]);
    expect(history.series('readAt', 2)).toEqual([T0 + 4000, T0 + 5000]);
    expect(history.series('cpuPercent')).toEqual([50, 50, 50, 50, 50]);
    expect(history.series('netRxRate')).toEqual([2048, 2048, 2048, 2048, 2048]);
  });

  it('wraps around: a full ring drops its oldest points and keeps its size', () => {
    const history = filled(new StatsHistory(4), 0, 10);
    expect(history.size).toBe(4);
    expect(history.series('pids')).toEqual([7, 8, 9, 10]);
    expect(history.series('pids', 3)).toEqual([8, 9, 10]);
    expect(history.series('readAt')).toEqual([7, 8, 9, 10].map((n) => T0 + n * 1000));
    expect(history.latest()?.pids).toBe(10);
    // Round and round: still the newest four, in order.
    filled(history, 11, 1001);
    expect(history.series('pids')).toEqual([998, 999, 1000, 1001]);
  });

  it('keeps its history but starts a new base after resetBaseline (a new stream after a pause)', () => {
    const history = filled(new StatsHistory(), 0, 3);
    history.resetBaseline();
    // Ten minutes later: the first reading of the new stream must not produce a ten-minute average.
    expect(history.push(reading(603, { pids: 603 }))).toBe(false);
    expect(history.series('pids')).toEqual([1, 2, 3]);
    expect(history.push(reading(604, { pids: 604 }))).toBe(true);
    expect(history.series('pids')).toEqual([1, 2, 3, 604]);
    expect(history.latest()).toMatchObject({ cpuPercent: 50, netRxRate: 2048 });
  });

  it('forgets everything on clear', () => {
    const history = filled(new StatsHistory(3), 0, 5);
    history.clear();
    expect(history.size).toBe(0);
    expect(history.latest()).toBeUndefined();
    expect(history.series('pids')).toEqual([]);
    expect(history.push(reading(6))).toBe(false);
    expect(history.push(reading(7, { pids: 7 }))).toBe(true);
    expect(history.series('pids')).toEqual([7]);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses a capacity of %s', (capacity) => {
    expect(() => new StatsHistory(capacity)).toThrow(RangeError);
  });
});
