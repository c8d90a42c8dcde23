// The Stats tab's numbers on a real engine: the daemon's stream through DockerEngine.streamStats
// into StatsHistory, checked against what `docker stats` prints for the same container at the
// same moment. Both read the daemon's one stats collector, so they see the same ticks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { StatsHistory } from '../../src/engine/stats-history.js';
import { docker, removeTestContainers, runContainer, waitFor } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

/** Both figures are one busy core (~100%) measured over about a second, possibly a tick apart. */
const CPU_TOLERANCE_POINTS = 15;
/** Same cgroup, same reading; docker prints 4 significant digits. */
const MEMORY_TOLERANCE_RATIO = 0.05;
const MEMORY_TOLERANCE_MIN_BYTES = 64 * 1024;

let engine: Engine;

beforeAll(async () => {
  engine = await connectTestEngine();
});

afterAll(async () => {
  await removeTestContainers();
});

const BINARY_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** "1.172MiB" (docker stats' MEM USAGE, binary units) in bytes. */
function parseBinarySize(text: string): number {
  const match = /^([\d.]+)([KMGT]iB|B)$/.exec(text.trim());
  const factor = match?.[2] === undefined ? undefined : BINARY_UNITS[match[2]];
  if (!match?.[1] || factor === undefined) throw new Error(`not a docker stats size: ${JSON.stringify(text)}`);
  return Number(match[1]) * factor;
}

/** Streams a container's stats into a history until `stop()`. */
async function follow(id: string): Promise<{ history: StatsHistory; stop(): Promise<void> }> {
  const history = new StatsHistory();
  const controller = new AbortController();
  const samples = await engine.streamStats(id, controller.signal);
  const done = (async () => {
    for await (const sample of samples) history.push(sample);
  })();
  return {
    history,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

describe('the stats stream on a real engine', () => {
  it('agrees with docker stats --no-stream on CPU and memory of a CPU-busy container', async () => {
    // Capped at half a core: a steady figure however busy the machine is, so two readings taken a
    // moment apart (ours and the CLI's) measure the same thing.
    const { id } = await runContainer({ args: ['--cpus', '0.5'], cmd: ['sh', '-c', 'while :; do :; done'] });
    const stream = await follow(id);
    try {
      // A few points first, so the loop has reached its steady ~50%.
      await waitFor(() => stream.history.size >= 3, { timeoutMs: 15_000, message: 'three stats points' });
      const [cpuText = '', usedText = '', , limitText = ''] =
        (await docker('stats', '--no-stream', '--format', '{{.CPUPerc}} {{.MemUsage}}', id)).split(' ');
      const answeredAt = Date.now();
      // The CLI's figure comes from the collector tick just before it answered: take ours from that tick.
      await waitFor(() => (stream.history.latest()?.readAt ?? 0) >= answeredAt - 500, { message: 'a point as recent as docker stats' });
      const times = stream.history.series('readAt');
      const cpus = stream.history.series('cpuPercent');
      const memories = stream.history.series('memoryUsed');
      let nearest = 0;
      times.forEach((t, i) => {
        if (Math.abs(t - answeredAt) < Math.abs((times[nearest] ?? 0) - answeredAt)) nearest = i;
      });
      const ours = { cpu: cpus[nearest] ?? Number.NaN, memory: memories[nearest] ?? Number.NaN };
      const theirs = { cpu: Number.parseFloat(cpuText), memory: parseBinarySize(usedText), limit: parseBinarySize(limitText) };
      const context = `ours ${JSON.stringify(ours)}, docker stats ${JSON.stringify(theirs)} (${cpuText} ${usedText} / ${limitText})`;

      expect(theirs.cpu, context).toBeGreaterThan(30); // the loop really is busy
      expect(Math.abs(ours.cpu - theirs.cpu), context).toBeLessThanOrEqual(CPU_TOLERANCE_POINTS);
      const memoryTolerance = Math.max(theirs.memory * MEMORY_TOLERANCE_RATIO, MEMORY_TOLERANCE_MIN_BYTES);
      expect(Math.abs(ours.memory - theirs.memory), context).toBeLessThanOrEqual(memoryTolerance);
      // 4 significant digits: within 0.1%.
      const limit = stream.history.latest()?.memoryLimit ?? 0;
      expect(Math.abs(limit - theirs.limit) / theirs.limit, context).toBeLessThan(0.001);

      const latest = stream.history.latest();
      for (const total of [latest?.netRxBytes, latest?.netTxBytes, latest?.blockReadBytes, latest?.blockWriteBytes]) {
        expect(Number.isFinite(total) && (total ?? -1) >= 0, `I/O total ${total}`).toBe(true);
      }
      for (const metric of ['netRxRate', 'netTxRate', 'blockReadRate', 'blockWriteRate'] as const) {
        expect(stream.history.series(metric).every((rate) => Number.isFinite(rate) && rate >= 0), metric).toBe(true);
      }
    } finally {
      await stream.stop();
    }
  });

  it('adds nothing while the container is stopped, and no negative rate after it restarts', async () => {
    const { id } = await runContainer();
    const stream = await follow(id);
    try {
      await waitFor(() => stream.history.size >= 2, { timeoutMs: 15_000, message: 'two stats points' });
      await docker('stop', '--time', '0', id);
      // The daemon keeps the stream open and sends zeroed readings (read 0001-01-01) each second.
      const sizeWhenStopped = stream.history.size;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(stream.history.size).toBeLessThanOrEqual(sizeWhenStopped + 1);
      await docker('start', id);
      // The same stream resumes with counters that started again from zero.
      await waitFor(() => stream.history.size >= sizeWhenStopped + 3, { timeoutMs: 15_000, message: 'points after the restart' });
      const times = stream.history.series('readAt');
      expect(times.every((t, i) => t > 0 && (i === 0 || t > (times[i - 1] ?? 0)))).toBe(true);
      for (const metric of ['cpuPercent', 'netRxRate', 'netTxRate', 'blockReadRate', 'blockWriteRate'] as const) {
        expect(stream.history.series(metric).every((v) => Number.isFinite(v) && v >= 0), metric).toBe(true);
      }
    } finally {
      await stream.stop();
    }
  });
});
