import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatsSampler } from '../../src/engine/stats-sampler.js';
import type { StatsSample } from '../../src/engine/stats.js';
import type { EngineInfo } from '../../src/engine/types.js';
import { FAKE_ENGINE_INFO, FakeEngine, makeContainer } from '../support/fake-engine.js';

const RUNNING = makeContainer({ state: 'running' });

const OVER_SSH: EngineInfo = {
  ...FAKE_ENGINE_INFO,
  endpoint: { url: 'ssh://me@build', kind: 'ssh', hostname: 'build', port: 22, username: 'me', contextName: 'default', source: 'DOCKER_HOST' },
};

class SshEngine extends FakeEngine {
  override readonly info = OVER_SSH;
}

/** Answers each reading after `delayMs`, as over a slow link. */
class SlowEngine extends FakeEngine {
  constructor(private readonly delayMs: number) {
    super([RUNNING]);
  }

  override async sampleStats(id: string): Promise<StatsSample> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.sampleStats(id);
  }
}

/** Readings asked for at each of `times` (ms since the first round began). */
async function requestsAt(engine: FakeEngine, times: number[]): Promise<number[]> {
  const sampler = new StatsSampler(engine);
  sampler.setTargets([RUNNING.id]);
  const counts: number[] = [];
  let now = 0;
  for (const time of times) {
    await vi.advanceTimersByTimeAsync(time - now);
    now = time;
    counts.push(engine.statsRequests.get(RUNNING.id) ?? 0);
  }
  sampler.stop();
  return counts;
}

describe('StatsSampler rounds', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('samples a local engine every second', async () => {
    expect(await requestsAt(new FakeEngine([RUNNING]), [0, 999, 1000, 2000])).toEqual([1, 1, 2, 3]);
  });

  it('samples an engine over ssh every 4 s, the link being shared with the list', async () => {
    expect(await requestsAt(new SshEngine([RUNNING]), [0, 1000, 3999, 4000, 8000])).toEqual([1, 1, 1, 2, 3]);
  });

  // Readings are counted as they are answered: the first at 3 s, the second, asked for after a
  // 3 s pause (not the usual 1 s), at 9 s.
  it('pauses at least as long as the last round took', async () => {
    expect(await requestsAt(new SlowEngine(3000), [0, 3000, 8999, 9000])).toEqual([0, 1, 1, 2]);
  });
});
