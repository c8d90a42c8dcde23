// Deaths and OOM kills per container, remembered from the event stream. Inspect cannot answer
// "how often did it die lately": State.ExitCode and State.OOMKilled reset when it starts again.
import { RESTART_LOOP_DEATHS, RESTART_LOOP_WINDOW_MS, type TriageHistory } from './triage.js';
import { eventTimeMs } from './events.js';
import type { EngineEvent } from './types.js';

export interface Death {
  /** ms since the epoch, by the engine's clock */
  time: number;
  /** undefined when the event's exitCode cannot be trusted (see `record`) */
  exitCode: number | undefined;
}

interface ContainerHistory {
  /** Oldest first. */
  dies: Death[];
  lastOom?: number;
  /** The container has a label named exitCode, which overwrites the real one in die events. */
  exitCodeIsLabel: boolean;
}

/**
 * Events that carry a container's labels but no exitCode of their own (exec_die has the exec's),
 * and that every run has: an exitCode attribute on them can only be a label.
 */
const LABEL_PROOF_ACTIONS = new Set(['create', 'start']);

/** An exit code as the engine writes it: a decimal integer, possibly negative. */
function parseExitCode(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Bounded memory of die and oom events: at most `maxDies` deaths per container and `maxContainers`
 * containers (the least recently active is forgotten first); a destroyed container is forgotten.
 */
export class RestartHistory {
  /** Map order is recency order: a container is moved to the end whenever it has an event. */
  private readonly containers = new Map<string, ContainerHistory>();

  constructor(private readonly maxDies = 20, private readonly maxContainers = 1000) {
    if (maxDies < RESTART_LOOP_DEATHS) throw new RangeError(`maxDies must be at least ${RESTART_LOOP_DEATHS}`);
  }

  /**
   * Takes any engine event; container die, oom and destroy events count (create and start only
   * for the check below).
   *
   * The engine copies a container's labels over the event's own attributes, so a label named
   * `exitCode` replaces the real exit code in die events, and nothing in a die event tells the two
   * apart. Its create and start events carry the labels too but no exitCode of their own, so an
   * `exitCode` attribute there proves the label: from then on, deaths of that container are
   * recorded without an exit code (their count, which labels cannot fake, stays right). A death
   * seen before the container's next start keeps the attribute when it reads as a number.
   */
  record(event: EngineEvent): void {
    if (event.type !== 'container') return;
    if (event.action === 'destroy') {
      this.containers.delete(event.id);
    } else if (event.action === 'oom') {
      this.touch(event.id).lastOom = eventTimeMs(event);
    } else if (LABEL_PROOF_ACTIONS.has(event.action) && 'exitCode' in event.attributes) {
      this.touch(event.id).exitCodeIsLabel = true;
    } else if (event.action === 'die') {
      this.recordDeath(event);
    }
  }

  /** Deaths after nowMs - windowMs. */
  diesWithin(id: string, windowMs: number, nowMs: number): number {
    const since = nowMs - windowMs;
    return this.containers.get(id)?.dies.filter((death) => death.time > since).length ?? 0;
  }

  /** The remembered deaths, oldest first. */
  lastDies(id: string): Death[] {
    return (this.containers.get(id)?.dies ?? []).map((death) => ({ ...death }));
  }

  /** When the out-of-memory killer last struck in the container, in ms since the epoch. */
  lastOom(id: string): number | undefined {
    return this.containers.get(id)?.lastOom;
  }

  /** RESTART_LOOP_DEATHS or more deaths within RESTART_LOOP_WINDOW_MS. */
  isRestartLooping(id: string, nowMs: number): boolean {
    return this.diesWithin(id, RESTART_LOOP_WINDOW_MS, nowMs) >= RESTART_LOOP_DEATHS;
  }

  /** What `diagnose` needs from the events. */
  forTriage(id: string, nowMs: number): TriageHistory {
    const oomAt = this.lastOom(id);
    const lastExitCode = this.containers.get(id)?.dies.at(-1)?.exitCode;
    return {
      dies: this.diesWithin(id, RESTART_LOOP_WINDOW_MS, nowMs),
      restartLooping: this.isRestartLooping(id, nowMs),
      ...(oomAt !== undefined ? { oomAt } : {}),
      ...(lastExitCode !== undefined ? { lastExitCode } : {}),
    };
  }

  private recordDeath(event: EngineEvent): void {
    const history = this.touch(event.id);
    history.dies.push({
      time: eventTimeMs(event),
      exitCode: history.exitCodeIsLabel ? undefined : parseExitCode(event.attributes['exitCode']),
    });
    if (history.dies.length > this.maxDies) history.dies.shift();
  }

  /** The container's history, created if new, moved to the most recent end, oldest evicted. */
  private touch(id: string): ContainerHistory {
    const history = this.containers.get(id) ?? { dies: [], exitCodeIsLabel: false };
    this.containers.delete(id);
    this.containers.set(id, history);
    if (this.containers.size > this.maxContainers) {
      const oldest = this.containers.keys().next().value;
      if (oldest !== undefined) this.containers.delete(oldest);
    }
    return history;
  }
}
