import type { Engine } from './engine.js';
import { computeFigures, type StatsSample } from './stats.js';
import type { Endpoint, StatsFigures } from './types.js';

/**
 * Pause between rounds by how the engine is reached. Over ssh every round crosses a link that may
 * be slow and that the list's own requests share, so rounds come less often.
 */
export const SAMPLING_PAUSE_MS: Readonly<Record<Endpoint['kind'], number>> = { unix: 1000, tcp: 1000, ssh: 4000 };

export interface StatsSamplerOptions {
  /**
   * Pause between rounds (default: SAMPLING_PAUSE_MS for the engine's endpoint); a round itself
   * takes about one daemon tick (~1 s). A slower round makes the next pause as long as it was.
   */
  pauseMs?: number;
  /** Upper bound on one request, so a stuck container cannot stall a round. */
  requestTimeoutMs?: number;
}

type Listener = () => void;

/**
 * CPU and memory for the containers on screen only. Streaming stats for every container costs
 * the engine more than the containers themselves (see docs/ARCHITECTURE.md), so this takes
 * one-shot readings of the visible running containers, all in parallel (the daemon answers them
 * at the same collector tick), and derives CPU % from two consecutive readings of its own.
 */
export class StatsSampler {
  private targets: string[] = [];
  private readonly previous = new Map<string, StatsSample>();
  private figures: ReadonlyMap<string, StatsFigures> = new Map();
  private readonly listeners = new Set<Listener>();
  private readonly lifetime = new AbortController();
  private wake: (() => void) | undefined;
  private running = false;
  private readonly pauseMs: number | undefined;
  private readonly requestTimeoutMs: number;

  constructor(private readonly engine: Engine, options: StatsSamplerOptions = {}) {
    this.pauseMs = options.pauseMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  }

  getSnapshot = (): ReadonlyMap<string, StatsFigures> => this.figures;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The running containers now on screen. Readings of the others are dropped (bounded memory). */
  setTargets(ids: readonly string[]): void {
    const next = [...new Set(ids)];
    const added = next.some((id) => !this.targets.includes(id));
    this.targets = next;
    for (const id of this.previous.keys()) if (!next.includes(id)) this.previous.delete(id);
    if (added) this.wake?.();
    if (!this.running && !this.lifetime.signal.aborted) void this.run();
  }

  stop(): void {
    this.lifetime.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    this.running = true;
    const { signal } = this.lifetime;
    while (!signal.aborted) {
      const roundStart = Date.now();
      if (this.targets.length > 0) await this.sampleRound();
      // Read every round: a fleet's engine is the focused host's, which can change.
      const pauseMs = this.pauseMs ?? SAMPLING_PAUSE_MS[this.engine.info.endpoint.kind];
      // A round slowed by the link is followed by a pause as long: stats hold it at most half the time.
      const pause = Math.max(pauseMs, Date.now() - roundStart);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.targets.length > 0 ? pause : 60_000);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
    }
    this.running = false;
  }

  private async sampleRound(): Promise<void> {
    const ids = this.targets;
    const timeout = AbortSignal.any([this.lifetime.signal, AbortSignal.timeout(this.requestTimeoutMs)]);
    const readings = await Promise.all(ids.map(async (id) => {
      try {
        return [id, await this.engine.sampleStats(id, timeout)] as const;
      } catch {
        // Gone, stopped or slow: no figure this round is the honest answer.
        return [id, undefined] as const;
      }
    }));
    if (this.lifetime.signal.aborted) return;
    const figures = new Map<string, StatsFigures>();
    for (const [id, sample] of readings) {
      if (!sample || !this.targets.includes(id)) continue;
      const computed = computeFigures(sample, this.previous.get(id));
      this.previous.set(id, sample);
      const shown = computed ?? this.figures.get(id);
      if (shown) figures.set(id, shown);
    }
    this.figures = figures;
    for (const listener of this.listeners) listener();
  }
}
