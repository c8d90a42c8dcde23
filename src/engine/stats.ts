import type { StatsFigures } from './types.js';

/** The part of one `GET /containers/ID/stats` document that dockhand's figures need. */
export interface StatsSample {
  /** Milliseconds since epoch, from the sample's `read` time */
  readAt: number;
  cpuTotal: number;
  systemCpu: number;
  onlineCpus: number;
  /** The daemon's previous reading, when it sent one (stream=false or streaming) */
  preCpuTotal?: number;
  preSystemCpu?: number;
  memoryUsage: number;
  memoryLimit: number;
  /** total_inactive_file (cgroup v1) or inactive_file (v2): the page cache `docker stats` leaves out */
  memoryInactiveFile: number;
  pids: number;
  /**
   * Totals since the container started, for rates between samples. Optional because samples made
   * outside parseStats (test fakes) may carry no I/O; readers take a missing total as 0.
   */
  netRxBytes?: number;
  netTxBytes?: number;
  blockReadBytes?: number;
  blockWriteBytes?: number;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

/**
 * Every figure the engine sends is a uint64. Anything else comes from a broken peer and reads as 0:
 * a negative usage would make used memory negative, and sums or ratios of huge or tiny values overflow.
 */
function num(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 2 ** 64 ? value : 0;
}

/** online_cpus is a uint32; anything else falls back to counting percpu_usage, as docker stats does for 0. */
function cpuCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 2 ** 32 ? value : undefined;
}

/**
 * The page cache `docker stats` leaves out: cgroup v1's total_inactive_file when present and
 * below usage, else cgroup v2's inactive_file (v1 documents carry both; the total is the right one).
 */
function inactiveFileToSubtract(memoryStats: Json, usage: number): number {
  if ('total_inactive_file' in memoryStats) {
    const total = num(memoryStats['total_inactive_file']);
    if (total < usage) return total;
  }
  return num(memoryStats['inactive_file']);
}

/** rx/tx summed over every interface; `networks` is absent with host or none networking. */
function networkTotals(networks: unknown): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const entry of Object.values(obj(networks))) {
    rx += num(obj(entry)['rx_bytes']);
    tx += num(obj(entry)['tx_bytes']);
  }
  return { rx, tx };
}

/**
 * Bytes read and written, summed over devices as `docker stats` does. cgroup v1 spells the ops
 * `Read`/`Write` and v2 `read`/`write`; a stopped container sends null instead of an array.
 */
function blockTotals(blkio: Json): { read: number; write: number } {
  let read = 0;
  let write = 0;
  const entries = blkio['io_service_bytes_recursive'];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const { op, value } = obj(entry);
    const kind = typeof op === 'string' ? op.toLowerCase() : '';
    if (kind === 'read') read += num(value);
    else if (kind === 'write') write += num(value);
  }
  return { read, write };
}

/** Reads a stats document defensively: a truncated or odd document gives zeros, not a crash. */
export function parseStats(doc: unknown): StatsSample {
  const root = obj(doc);
  const cpu = obj(root['cpu_stats']);
  const precpu = obj(root['precpu_stats']);
  const cpuUsage = obj(cpu['cpu_usage']);
  const precpuUsage = obj(precpu['cpu_usage']);
  const memory = obj(root['memory_stats']);
  const memoryStats = obj(memory['stats']);
  const perCpu = cpuUsage['percpu_usage'];
  const onlineCpus = cpuCount(cpu['online_cpus']) ?? (Array.isArray(perCpu) ? perCpu.length : 0);
  const readAt = Date.parse(typeof root['read'] === 'string' ? root['read'] : '');
  const preCpuTotal = num(precpuUsage['total_usage']);
  const preSystemCpu = num(precpu['system_cpu_usage']);
  const net = networkTotals(root['networks']);
  const block = blockTotals(obj(root['blkio_stats']));
  return {
    readAt: Number.isNaN(readAt) ? 0 : readAt,
    cpuTotal: num(cpuUsage['total_usage']),
    systemCpu: num(cpu['system_cpu_usage']),
    onlineCpus,
    ...(preSystemCpu > 0 ? { preCpuTotal, preSystemCpu } : {}),
    memoryUsage: num(memory['usage']),
    memoryLimit: num(memory['limit']),
    memoryInactiveFile: inactiveFileToSubtract(memoryStats, num(memory['usage'])),
    pids: num(obj(root['pids_stats'])['current']),
    netRxBytes: net.rx,
    netTxBytes: net.tx,
    blockReadBytes: block.read,
    blockWriteBytes: block.write,
  };
}

/**
 * CPU % as `docker stats` computes it: the container's share of the host's CPU time between two
 * readings, times the number of online CPUs (so one busy core reads 100%, N cores N×100%).
 * Zero unless both deltas are positive. Not capped at N×100%: docker stats is not either (its two
 * counters are not read at one instant, so a busy core can read 100.4% for a moment), and dockhand
 * shows the figure docker stats shows.
 */
export function cpuPercent(current: StatsSample, previous: { cpuTotal: number; systemCpu: number }): number {
  const cpuDelta = current.cpuTotal - previous.cpuTotal;
  const systemDelta = current.systemCpu - previous.systemCpu;
  if (!(cpuDelta > 0 && systemDelta > 0 && current.onlineCpus > 0)) return 0;
  const percent = (cpuDelta / systemDelta) * current.onlineCpus * 100;
  // Only numbers no engine sends overflow.
  return Number.isFinite(percent) ? percent : 0;
}

/** Memory in use as `docker stats` shows it: usage without the inactive page cache. */
export function memoryUsed(sample: StatsSample): number {
  const { memoryUsage, memoryInactiveFile } = sample;
  return memoryInactiveFile < memoryUsage ? memoryUsage - memoryInactiveFile : memoryUsage;
}

/**
 * Figures from a sample and, when the daemon sent no previous reading (one-shot samples do
 * not), the sample dockhand took before. Undefined when no CPU delta can be formed yet.
 */
export function computeFigures(current: StatsSample, previous?: StatsSample): StatsFigures | undefined {
  const before = current.preSystemCpu !== undefined && current.preCpuTotal !== undefined
    ? { cpuTotal: current.preCpuTotal, systemCpu: current.preSystemCpu }
    : previous;
  if (!before) return undefined;
  const used = memoryUsed(current);
  return {
    cpuPercent: cpuPercent(current, before),
    memoryUsed: used,
    memoryLimit: current.memoryLimit,
    memoryPercent: current.memoryLimit > 0 ? (used / current.memoryLimit) * 100 : 0,
    pids: current.pids,
  };
}
