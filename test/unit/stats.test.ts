import { describe, expect, it } from 'vitest';
import { computeFigures, cpuPercent, memoryUsed, parseStats, type StatsSample } from '../../src/engine/stats.js';

const MiB = 1024 * 1024;

/** A streamed sample from Docker 20.10 on a cgroup v1 host (4 CPUs, no online_cpus field). */
const CGROUP_V1 = {
  read: '2024-06-10T10:00:01.123456789Z',
  preread: '2024-06-10T10:00:00.120000000Z',
  pids_stats: { current: 5 },
  blkio_stats: {
    io_service_bytes_recursive: [
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 8192 },
    ],
  },
  num_procs: 0,
  storage_stats: {},
  cpu_stats: {
    cpu_usage: {
      total_usage: 1_400_000_000,
      percpu_usage: [400_000_000, 300_000_000, 400_000_000, 300_000_000],
      usage_in_kernelmode: 200_000_000,
      usage_in_usermode: 1_100_000_000,
    },
    system_cpu_usage: 9_004_000_000_000,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  precpu_stats: {
    cpu_usage: {
      total_usage: 1_000_000_000,
      percpu_usage: [300_000_000, 200_000_000, 300_000_000, 200_000_000],
      usage_in_kernelmode: 150_000_000,
      usage_in_usermode: 800_000_000,
    },
    system_cpu_usage: 9_000_000_000_000,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  memory_stats: {
    usage: 100 * MiB,
    max_usage: 120 * MiB,
    stats: {
      active_anon: 60 * MiB,
      active_file: 10 * MiB,
      cache: 30 * MiB,
      inactive_anon: 0,
      inactive_file: 20 * MiB,
      rss: 60 * MiB,
      total_active_anon: 60 * MiB,
      total_active_file: 10 * MiB,
      total_cache: 30 * MiB,
      total_inactive_anon: 0,
      total_inactive_file: 20 * MiB,
      total_rss: 60 * MiB,
    },
    limit: 2048 * MiB,
  },
  name: '/web',
  id: '8dfafdbc3a40f5c43b9b8e7d4a2e1c0b9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  networks: { eth0: { rx_bytes: 1296, rx_packets: 16, tx_bytes: 0, tx_packets: 0 } },
};

/** A one-shot sample on a cgroup v2 host: online_cpus, no percpu_usage, empty precpu. */
const CGROUP_V2 = {
  read: '2024-06-10T10:00:05Z',
  preread: '0001-01-01T00:00:00Z',
  pids_stats: { current: 3, limit: 4096 },
  cpu_stats: {
    cpu_usage: { total_usage: 52_000_000, usage_in_kernelmode: 12_000_000, usage_in_usermode: 40_000_000 },
    system_cpu_usage: 3_000_000_000_000,
    online_cpus: 2,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  precpu_stats: {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  memory_stats: {
    usage: 50 * MiB,
    stats: { anon: 30 * MiB, file: 18 * MiB, active_file: 6 * MiB, inactive_file: 12 * MiB },
    limit: 512 * MiB,
  },
};

function sample(overrides: Partial<StatsSample> = {}): StatsSample {
  return {
    readAt: 0, cpuTotal: 0, systemCpu: 0, onlineCpus: 2,
    memoryUsage: 0, memoryLimit: 0, memoryInactiveFile: 0, pids: 0,
    ...overrides,
  };
}

describe('parseStats', () => {
  it('reads a cgroup v1 document', () => {
    expect(parseStats(CGROUP_V1)).toEqual({
      readAt: Date.UTC(2024, 5, 10, 10, 0, 1, 123),
      cpuTotal: 1_400_000_000,
      systemCpu: 9_004_000_000_000,
      onlineCpus: 4,
      preCpuTotal: 1_000_000_000,
      preSystemCpu: 9_000_000_000_000,
      memoryUsage: 100 * MiB,
      memoryLimit: 2048 * MiB,
      memoryInactiveFile: 20 * MiB,
      pids: 5,
      netRxBytes: 1296,
      netTxBytes: 0,
      blockReadBytes: 4096,
      blockWriteBytes: 8192,
    });
  });

  it('takes total_inactive_file on cgroup v1 even when inactive_file differs, as docker stats does', () => {
    const doc = structuredClone(CGROUP_V1);
    doc.memory_stats.stats.inactive_file = 4 * MiB; // this cgroup alone; total_ counts its children too
    expect(parseStats(doc).memoryInactiveFile).toBe(20 * MiB);
  });

  it('reads a cgroup v2 one-shot document, without a previous reading', () => {
    const parsed = parseStats(CGROUP_V2);
    expect(parsed).toEqual({
      readAt: Date.UTC(2024, 5, 10, 10, 0, 5),
      cpuTotal: 52_000_000,
      systemCpu: 3_000_000_000_000,
      onlineCpus: 2,
      memoryUsage: 50 * MiB,
      memoryLimit: 512 * MiB,
      memoryInactiveFile: 12 * MiB,
      pids: 3,
      netRxBytes: 0,
      netTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
    });
    expect(parsed).not.toHaveProperty('preCpuTotal');
    expect(parsed).not.toHaveProperty('preSystemCpu');
  });

  it('prefers online_cpus over the percpu_usage length', () => {
    const doc = structuredClone(CGROUP_V1);
    Object.assign(doc.cpu_stats, { online_cpus: 2 });
    expect(parseStats(doc).onlineCpus).toBe(2);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['a string', 'not stats'],
    ['a truncated document', { read: 'garbage', cpu_stats: { cpu_usage: {} }, memory_stats: { usage: 'x' } }],
  ])('gives zeros for %s', (_what, doc) => {
    expect(parseStats(doc)).toEqual({
      readAt: 0, cpuTotal: 0, systemCpu: 0, onlineCpus: 0,
      memoryUsage: 0, memoryLimit: 0, memoryInactiveFile: 0, pids: 0,
      netRxBytes: 0, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0,
    });
  });

  it('reads the zeroed sample of a stopped container without a throw', () => {
    const doc = {
      read: '0001-01-01T00:00:00Z', preread: '0001-01-01T00:00:00Z',
      pids_stats: {}, cpu_stats: { cpu_usage: { total_usage: 0 }, throttling_data: {} },
      precpu_stats: { cpu_usage: { total_usage: 0 }, throttling_data: {} }, memory_stats: {},
    };
    expect(parseStats(doc)).toMatchObject({ cpuTotal: 0, systemCpu: 0, memoryUsage: 0, pids: 0 });
  });
});

describe('parseStats network and block I/O totals', () => {
  it('sums rx and tx over every network interface', () => {
    const doc = {
      networks: {
        eth0: { rx_bytes: 1000, tx_bytes: 200 },
        eth1: { rx_bytes: 24, tx_bytes: 56 },
      },
    };
    expect(parseStats(doc)).toMatchObject({ netRxBytes: 1024, netTxBytes: 256 });
  });

  it('gives zero network totals with host or none networking (no networks key)', () => {
    expect(parseStats({ ...CGROUP_V1, networks: undefined })).toMatchObject({ netRxBytes: 0, netTxBytes: 0 });
  });

  it('sums cgroup v1 Read/Write entries over devices, leaving out Sync, Async and Total', () => {
    const doc = {
      blkio_stats: {
        io_service_bytes_recursive: [
          { major: 8, minor: 0, op: 'Read', value: 4096 },
          { major: 8, minor: 0, op: 'Write', value: 8192 },
          { major: 8, minor: 0, op: 'Sync', value: 12288 },
          { major: 8, minor: 0, op: 'Async', value: 0 },
          { major: 8, minor: 0, op: 'Total', value: 12288 },
          { major: 8, minor: 16, op: 'Read', value: 100 },
          { major: 8, minor: 16, op: 'Write', value: 1 },
        ],
      },
    };
    expect(parseStats(doc)).toMatchObject({ blockReadBytes: 4196, blockWriteBytes: 8193 });
  });

  it('reads the lowercase ops of cgroup v2', () => {
    const doc = {
      blkio_stats: {
        io_service_bytes_recursive: [
          { major: 254, minor: 0, op: 'read', value: 65536 },
          { major: 254, minor: 0, op: 'write', value: 4096 },
        ],
      },
    };
    expect(parseStats(doc)).toMatchObject({ blockReadBytes: 65536, blockWriteBytes: 4096 });
  });

  it.each([
    ['null entries (a stopped container)', { io_service_bytes_recursive: null }],
    ['no entries key', {}],
    ['entries that are not an array', { io_service_bytes_recursive: { op: 'Read', value: 1 } }],
    ['malformed entries', { io_service_bytes_recursive: [null, 'x', { op: 'Read' }, { op: 7, value: 9 }, { value: 5 }] }],
  ])('gives zero block totals for %s', (_what, blkio) => {
    expect(parseStats({ blkio_stats: blkio })).toMatchObject({ blockReadBytes: 0, blockWriteBytes: 0 });
  });

  it('gives zero network totals for malformed interface entries', () => {
    const doc = { networks: { eth0: null, eth1: { rx_bytes: 'many', tx_bytes: Number.NaN }, eth2: { rx_bytes: 7 } } };
    expect(parseStats(doc)).toMatchObject({ netRxBytes: 7, netTxBytes: 0 });
  });
});

describe('cpuPercent', () => {
  it('is (cpu delta / system delta) x cpus x 100', () => {
    const current = sample({ cpuTotal: 1_200_000_000, systemCpu: 1_002_000_000_000, onlineCpus: 2 });
    expect(cpuPercent(current, { cpuTotal: 1_000_000_000, systemCpu: 1_000_000_000_000 })).toBe(20);
  });

  it('reads 100% per fully busy core', () => {
    // 4 CPUs, 1 s of wall time = 4e9 ns of system time; two cores busy the whole second.
    const current = sample({ cpuTotal: 2e9, systemCpu: 4e9, onlineCpus: 4 });
    expect(cpuPercent(current, { cpuTotal: 0, systemCpu: 0 })).toBe(200);
  });

  it('gives 40% for the cgroup v1 document against its precpu', () => {
    // (4e8 / 4e9) x 4 x 100
    const parsed = parseStats(CGROUP_V1);
    expect(cpuPercent(parsed, { cpuTotal: 1_000_000_000, systemCpu: 9_000_000_000_000 })).toBeCloseTo(40, 10);
  });

  it.each([
    ['the cpu delta is zero', 1e9, 2e9],
    ['the cpu delta is negative', 0.5e9, 2e9],
    ['the system delta is zero', 1.2e9, 1e9],
    ['the system delta is negative', 1.2e9, 0.5e9],
  ])('is zero when %s', (_what, cpuTotal, systemCpu) => {
    expect(cpuPercent(sample({ cpuTotal, systemCpu }), { cpuTotal: 1e9, systemCpu: 1e9 })).toBe(0);
  });
});

describe('memoryUsed', () => {
  it('subtracts the inactive file cache', () => {
    expect(memoryUsed(sample({ memoryUsage: 100 * MiB, memoryInactiveFile: 20 * MiB }))).toBe(80 * MiB);
  });

  it('keeps the usage when the inactive file cache is not smaller', () => {
    expect(memoryUsed(sample({ memoryUsage: 100 * MiB, memoryInactiveFile: 100 * MiB }))).toBe(100 * MiB);
    expect(memoryUsed(sample({ memoryUsage: 100 * MiB, memoryInactiveFile: 150 * MiB }))).toBe(100 * MiB);
  });

  it('gives 38 MiB for the cgroup v2 document', () => {
    expect(memoryUsed(parseStats(CGROUP_V2))).toBe(38 * MiB);
  });
});

describe('computeFigures', () => {
  it("uses the daemon's precpu when the sample has one", () => {
    const current = parseStats(CGROUP_V1);
    const unrelatedPrevious = sample({ cpuTotal: 1_399_000_000, systemCpu: 9_003_000_000_000 });
    const figures = computeFigures(current, unrelatedPrevious);
    expect(figures?.cpuPercent).toBeCloseTo(40, 10);
    expect(figures).toMatchObject({ memoryUsed: 80 * MiB, memoryLimit: 2048 * MiB, pids: 5 });
    expect(figures?.memoryPercent).toBeCloseTo((80 / 2048) * 100, 10);
  });

  it('uses the previous own sample when the daemon sent no precpu', () => {
    const current = parseStats(CGROUP_V2);
    const previous = sample({ cpuTotal: 12_000_000, systemCpu: 2_998_000_000_000 });
    // (4e7 / 2e9) x 2 x 100
    expect(computeFigures(current, previous)).toEqual({
      cpuPercent: 4,
      memoryUsed: 38 * MiB,
      memoryLimit: 512 * MiB,
      memoryPercent: (38 / 512) * 100,
      pids: 3,
    });
  });

  it('is undefined with neither a precpu nor a previous sample', () => {
    expect(computeFigures(parseStats(CGROUP_V2))).toBeUndefined();
  });

  it('gives a memory percent of zero when the limit is zero', () => {
    const current = sample({ memoryUsage: 10 * MiB, memoryLimit: 0, preCpuTotal: 0, preSystemCpu: 1 });
    expect(computeFigures(current)).toMatchObject({ memoryUsed: 10 * MiB, memoryLimit: 0, memoryPercent: 0 });
  });
});
