// Property tests for the stats figures. A stats document can be truncated (a stream cut mid-way),
// zeroed (a stopped container), lack precpu (one-shot) or percpu (cgroup v2), and counters reset
// when a container restarts; whatever arrives, the figures must be numbers a person can read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFigures, cpuPercent, memoryUsed, parseStats, type StatsSample } from '../../src/engine/stats.js';

/** Counters as the engine sends them: uint64, so beyond 2^53 at times (JSON.parse rounds those). */
const counter = fc.oneof(
  { arbitrary: fc.nat(), weight: 3 },
  { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(Number), weight: 1 },
  { arbitrary: fc.constant(0), weight: 1 },
);

/** Values a broken or hostile peer can put where a number belongs. */
const oddValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, -0, 1e308, -1e308, 5e-324, 0.5, 2 ** 53 + 1),
  fc.constantFrom(null, true, '100', '', [], {}, [1, 2]),
);

const value = fc.oneof({ arbitrary: counter, weight: 4 }, { arbitrary: oddValue, weight: 1 });

/** Every field of a document may be absent, at any depth. */
const partial = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { requiredKeys: [] });

const cpuStats = partial({
  cpu_usage: fc.oneof(partial({ total_usage: value, percpu_usage: fc.oneof(fc.array(value, { maxLength: 8 }), oddValue) }), oddValue),
  system_cpu_usage: value,
  online_cpus: fc.oneof(fc.integer({ min: 1, max: 256 }), oddValue),
});

const statsDocument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 6,
    arbitrary: partial({
      read: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('0001-01-01T00:00:00Z', '', 'garbage'), oddValue),
      cpu_stats: fc.oneof(cpuStats, oddValue),
      precpu_stats: fc.oneof(cpuStats, fc.constant({}), oddValue),
      memory_stats: fc.oneof(partial({
        usage: value,
        limit: value,
        stats: fc.oneof(partial({ total_inactive_file: value, inactive_file: value, cache: value }), oddValue),
      }), fc.constant({}), oddValue),
      pids_stats: fc.oneof(partial({ current: value }), oddValue),
      networks: fc.oneof(fc.dictionary(fc.constantFrom('eth0', 'eth1', '__proto__', 'lo'), fc.oneof(partial({ rx_bytes: value, tx_bytes: value }), oddValue)), oddValue),
      blkio_stats: fc.oneof(partial({
        io_service_bytes_recursive: fc.oneof(
          fc.array(fc.oneof(partial({ op: fc.oneof(fc.constantFrom('Read', 'write', 'Total', 'Sync'), oddValue), value }), oddValue), { maxLength: 4 }),
          oddValue,
        ),
      }), oddValue),
    }),
  },
);

const FIGURE_FIELDS = [
  'cpuTotal', 'systemCpu', 'onlineCpus', 'memoryUsage', 'memoryLimit', 'memoryInactiveFile', 'pids',
  'netRxBytes', 'netTxBytes', 'blockReadBytes', 'blockWriteBytes',
] as const;

describe('parseStats (property)', () => {
  it('reads any document, truncated at any depth, into finite non-negative figures', () => {
    fc.assert(fc.property(statsDocument, (doc) => {
      const sample = parseStats(doc);
      expect(Number.isFinite(sample.readAt)).toBe(true);
      for (const field of FIGURE_FIELDS) {
        const figure = sample[field] ?? 0;
        expect(Number.isFinite(figure), field).toBe(true);
        expect(figure, field).toBeGreaterThanOrEqual(0);
      }
      expect(Number.isInteger(sample.onlineCpus)).toBe(true);
    }), { numRuns: 300, examples: [[{ pids_stats: { current: -5e-324 } }], [{ networks: { eth0: { tx_bytes: 1e308 }, eth1: { tx_bytes: 1e308 } } }]] });
  });
});

describe('computeFigures (property)', () => {
  it('gives finite figures in range for any two documents', () => {
    fc.assert(fc.property(statsDocument, statsDocument, (currentDoc, previousDoc) => {
      const current = parseStats(currentDoc);
      const figures = computeFigures(current, parseStats(previousDoc));
      if (!figures) return;
      expect(Number.isFinite(figures.cpuPercent)).toBe(true);
      expect(figures.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(figures.memoryUsed)).toBe(true);
      expect(figures.memoryUsed).toBeGreaterThanOrEqual(0);
      expect(figures.memoryUsed).toBeLessThanOrEqual(current.memoryUsage);
      expect(Number.isFinite(figures.memoryPercent)).toBe(true);
      expect(figures.memoryPercent).toBeGreaterThanOrEqual(0);
      expect(figures.pids).toBeGreaterThanOrEqual(0);
    }), {
      numRuns: 300,
      examples: [
        [{ memory_stats: { usage: -1 } }, {}],
        [{ cpu_stats: { cpu_usage: { total_usage: 2 }, system_cpu_usage: 18, online_cpus: -2 } }, {}],
      ],
    });
  });

  it('needs a previous reading only when the document has no precpu', () => {
    fc.assert(fc.property(statsDocument, (doc) => {
      const sample = parseStats(doc);
      expect(computeFigures(sample) === undefined).toBe(sample.preSystemCpu === undefined);
    }), { numRuns: 200 });
  });
});

/** A sample made of well-formed readings. */
const sample = fc.record({
  cpuTotal: counter,
  systemCpu: counter,
  onlineCpus: fc.integer({ min: 0, max: 512 }),
  memoryUsage: counter,
  memoryInactiveFile: counter,
}).map((fields): StatsSample => ({ readAt: 0, memoryLimit: 0, pids: 0, ...fields }));

const reading = fc.record({ cpuTotal: counter, systemCpu: counter });

describe('cpuPercent (property)', () => {
  it('is finite and at least 0 for any pair of readings', () => {
    fc.assert(fc.property(sample, reading, (current, previous) => {
      const percent = cpuPercent(current, previous);
      expect(Number.isFinite(percent)).toBe(true);
      expect(percent).toBeGreaterThanOrEqual(0);
    }), {
      examples: [[
        { readAt: 0, memoryLimit: 0, pids: 0, cpuTotal: 2, systemCpu: 18, onlineCpus: 1, memoryUsage: 0, memoryInactiveFile: 0 },
        { cpuTotal: 0, systemCpu: 17 },
      ]],
    });
  });

  it('is finite and at least 0 for readings no engine sends (negative, fractional, huge)', () => {
    const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(fc.property(anyNumber, anyNumber, fc.integer({ min: -4, max: 2 ** 32 }), anyNumber, anyNumber, (cpuTotal, systemCpu, onlineCpus, preCpu, preSystem) => {
      const current: StatsSample = { readAt: 0, cpuTotal, systemCpu, onlineCpus, memoryUsage: 0, memoryLimit: 0, memoryInactiveFile: 0, pids: 0 };
      const percent = cpuPercent(current, { cpuTotal: preCpu, systemCpu: preSystem });
      expect(Number.isFinite(percent)).toBe(true);
      expect(percent).toBeGreaterThanOrEqual(0);
    }));
  });

  it("is docker stats' formula whenever both counters moved forward (uncapped, as docker stats)", () => {
    fc.assert(fc.property(sample, reading, (current, previous) => {
      const cpuDelta = current.cpuTotal - previous.cpuTotal;
      const systemDelta = current.systemCpu - previous.systemCpu;
      fc.pre(cpuDelta > 0 && systemDelta > 0 && current.onlineCpus > 0);
      expect(cpuPercent(current, previous)).toBe((cpuDelta / systemDelta) * current.onlineCpus * 100);
    }));
  });

  it('is 0 after a counter reset or with no time passed', () => {
    fc.assert(fc.property(sample, reading, (current, previous) => {
      fc.pre(current.cpuTotal <= previous.cpuTotal || current.systemCpu <= previous.systemCpu);
      expect(cpuPercent(current, previous)).toBe(0);
    }));
  });
});

describe('memoryUsed (property)', () => {
  it('leaves out the inactive page cache as docker stats does, per cgroup version', () => {
    const memory = fc.record({
      usage: counter,
      v1: fc.option(counter, { nil: undefined }),
      v2: fc.option(counter, { nil: undefined }),
    });
    fc.assert(fc.property(memory, ({ usage, v1, v2 }) => {
      const stats = { ...(v1 !== undefined ? { total_inactive_file: v1 } : {}), ...(v2 !== undefined ? { inactive_file: v2 } : {}) };
      // The docker CLI's calculateMemUsageUnixNoCache.
      const expected = v1 !== undefined && v1 < usage ? usage - v1 : (v2 ?? 0) < usage ? usage - (v2 ?? 0) : usage;
      expect(memoryUsed(parseStats({ memory_stats: { usage, stats } }))).toBe(expected);
    }));
  });

  it('is never negative nor NaN, and never above the usage', () => {
    fc.assert(fc.property(sample, (s) => {
      const used = memoryUsed(s);
      expect(Number.isNaN(used)).toBe(false);
      expect(used).toBeGreaterThanOrEqual(0);
      expect(used).toBeLessThanOrEqual(s.memoryUsage);
    }));
  });
});
