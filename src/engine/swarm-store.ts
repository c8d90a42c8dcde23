// The live Swarm services and nodes lists, on the resource stores' rules: events invalidate and
// one list answers a burst, a reconnected engine is listed afresh, a failed list keeps the last
// rows with the reason, and only the list on screen is kept live. One thing differs: the engine
// announces no task changes (only the containers of this node's tasks have events), so while a
// service converges — fewer tasks running than desired, an update rolling — its list is read
// again every 2 s until it settles.
import type { Engine } from './engine.js';
import { toEngineError } from './errors.js';
import type { EventSource, ResourceSnapshot } from './resource-store.js';
import type { NodeRow, ServiceRow } from './swarm.js';
import type { EngineEvent } from './types.js';

export interface SwarmRows {
  services: ServiceRow;
  nodes: NodeRow;
}

export type SwarmKind = keyof SwarmRows;

export interface SwarmStoreOptions {
  /** One list answers the events of this window (a scale is a service update and a task container per replica). */
  refreshThrottleMs?: number;
  /** How often an unsettled list is read again. */
  settleIntervalMs?: number;
}

interface SwarmRules<T> {
  list(engine: Engine, signal: AbortSignal): Promise<T[]>;
  invalidatedBy(event: EngineEvent): boolean;
  /** The rows are still changing, and no event will say when they stop. */
  unsettled(rows: readonly T[]): boolean;
}

/** A task's container starting or ending on this node: its service's running count moved. */
const TASK_CONTAINER_ACTIONS: ReadonlySet<string> = new Set(['start', 'die', 'destroy']);
const ROLLING: ReadonlySet<string> = new Set(['updating', 'rollback_started']);

const RULES: { [K in SwarmKind]: SwarmRules<SwarmRows[K]> } = {
  services: {
    list: (engine, signal) => engine.listServices(signal),
    invalidatedBy: (event) => event.type === 'service'
      || (event.type === 'container' && TASK_CONTAINER_ACTIONS.has(event.action) && 'com.docker.swarm.service.id' in event.attributes),
    unsettled: (rows) => rows.some((s) => s.running !== s.desired || ROLLING.has(s.update?.state ?? '')),
  },
  nodes: {
    list: (engine, signal) => engine.listNodes(signal),
    // A node going down or coming back is a node update event too.
    invalidatedBy: (event) => event.type === 'node',
    unsettled: () => false,
  },
};

/** The live list of services or of nodes; does nothing while stopped. */
export class SwarmStore<K extends SwarmKind> {
  private snapshot: ResourceSnapshot<SwarmRows[K]> = { status: 'loading', rows: [] };
  private readonly listeners = new Set<() => void>();
  private readonly rules: SwarmRules<SwarmRows[K]>;
  private readonly throttleMs: number;
  private readonly settleMs: number;
  private lifetime: AbortController | undefined;
  private detach: Array<() => void> = [];
  /** The next list, and when it is due: an earlier reason brings it forward, a later one waits for it. */
  private next: { timer: NodeJS.Timeout; dueMs: number } | undefined;
  private listing: Promise<void> | undefined;
  /** Something changed while a list was on its way: its answer may predate it. */
  private stale = false;

  constructor(
    private readonly engine: Engine,
    private readonly events: EventSource,
    kind: K,
    options: SwarmStoreOptions = {},
  ) {
    this.rules = RULES[kind];
    this.throttleMs = options.refreshThrottleMs ?? 150;
    this.settleMs = options.settleIntervalMs ?? 2_000;
  }

  getSnapshot = (): ResourceSnapshot<SwarmRows[K]> => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.lifetime) return;
    this.lifetime = new AbortController();
    const connected = () => this.events.getSnapshot().connection.status === 'connected';
    let wasConnected = connected();
    this.detach = [
      this.events.onEvent((event) => {
        if (this.rules.invalidatedBy(event)) this.listIn(this.throttleMs);
      }),
      this.events.subscribe(() => {
        if (connected() && !wasConnected) void this.refresh();
        wasConnected = connected();
      }),
    ];
    void this.refresh();
  }

  stop(): void {
    this.lifetime?.abort();
    this.lifetime = undefined;
    for (const off of this.detach.splice(0)) off();
    clearTimeout(this.next?.timer);
    this.next = undefined;
    this.listing = undefined;
  }

  /** Lists now (after an action of ours, before its event). Never rejects; does nothing while stopped. */
  refresh = (): Promise<void> => {
    const signal = this.lifetime?.signal;
    if (!signal) return Promise.resolve();
    if (this.listing) {
      this.stale = true;
      return this.listing;
    }
    const listing = this.listUntilCurrent(signal).finally(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    this.listing = listing;
    return listing;
  };

  private listIn(ms: number): void {
    const dueMs = Date.now() + ms;
    if (this.next && this.next.dueMs <= dueMs) return;
    clearTimeout(this.next?.timer);
    const timer = setTimeout(() => {
      this.next = undefined;
      void this.refresh();
    }, ms);
    this.next = { timer, dueMs };
  }

  private async listUntilCurrent(signal: AbortSignal): Promise<void> {
    do {
      this.stale = false;
      try {
        const rows = await this.rules.list(this.engine, signal);
        if (signal.aborted) return;
        this.publish({ status: 'ready', rows, loadedAt: Date.now() });
      } catch (err) {
        if (signal.aborted) return;
        this.publish({ ...this.snapshot, status: 'error', error: toEngineError(err).message });
      }
    } while (this.stale && !signal.aborted);
    if (this.snapshot.status === 'ready' && this.rules.unsettled(this.snapshot.rows)) this.listIn(this.settleMs);
  }

  private publish(snapshot: ResourceSnapshot<SwarmRows[K]>): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}
