import type { ContainerSource } from './container-store.js';
import type { Engine } from './engine.js';
import { toEngineError } from './errors.js';
import type { ImageRow, NetworkRow, VolumeRow } from './resource-types.js';
import type { EngineEvent } from './types.js';

export interface ResourceRows {
  images: ImageRow;
  volumes: VolumeRow;
  networks: NetworkRow;
}

export type ResourceKind = keyof ResourceRows;

export interface ResourceSnapshot<T> {
  /** 'loading' until the first list has answered; 'error' when the last list failed. */
  status: 'loading' | 'ready' | 'error';
  /** The last list that succeeded: a failed re-list keeps what was known, with the reason beside it. */
  rows: readonly T[];
  error?: string;
  /** Epoch ms of the last list that succeeded */
  loadedAt?: number;
}

export interface ResourceStoreOptions {
  /** Events come in bursts (a `docker run` is create + connect + mount + start); one list answers a burst. */
  refreshThrottleMs?: number;
}

/** What a resource store needs of the container store: its event stream and its connection state. */
export type EventSource = Pick<ContainerSource, 'onEvent' | 'subscribe' | 'getSnapshot'>;

interface KindRules<T> {
  list(engine: Engine, signal: AbortSignal): Promise<T[]>;
  /** Event type → the actions after which the list may read differently. */
  invalidatedBy: Readonly<Record<string, ReadonlySet<string>>>;
}

/**
 * Containers count as users in every list: images by the containers created from them (a commit
 * makes an image), volumes by their mounts, networks by the endpoints of running containers.
 * A prune's own event follows the per-item ones; it is kept as a catch-all, the throttle merges it.
 */
const KINDS: { [K in ResourceKind]: KindRules<ResourceRows[K]> } = {
  images: {
    list: (engine, signal) => engine.listImages(signal),
    invalidatedBy: {
      // Podman tells of a built image by `build` alone, where Docker's builder sends `tag`.
      image: new Set(['pull', 'tag', 'untag', 'delete', 'import', 'load', 'prune', 'build']),
      container: new Set(['create', 'destroy', 'commit']),
    },
  },
  volumes: {
    list: (engine, signal) => engine.listVolumes(signal),
    invalidatedBy: {
      volume: new Set(['create', 'destroy', 'mount', 'unmount', 'prune']),
      container: new Set(['create', 'destroy']),
    },
  },
  networks: {
    list: (engine, signal) => engine.listNetworks(signal),
    invalidatedBy: {
      network: new Set(['create', 'destroy', 'remove', 'connect', 'disconnect', 'prune']),
      container: new Set(['start', 'die', 'destroy']),
    },
  },
};

type Listener = () => void;

/**
 * The live list of one kind of resource, on the container store's principles: events invalidate,
 * one throttled list answers a burst, and a reconnected engine is listed afresh. It rides on the
 * container store's event stream rather than opening one of its own, and does nothing while
 * stopped: only the pane on screen keeps its list live.
 */
export class ResourceStore<K extends ResourceKind> {
  private snapshot: ResourceSnapshot<ResourceRows[K]> = { status: 'loading', rows: [] };
  private readonly listeners = new Set<Listener>();
  private readonly rules: KindRules<ResourceRows[K]>;
  private readonly refreshThrottleMs: number;
  /** Set while started; aborting it cancels the list in flight. */
  private lifetime: AbortController | undefined;
  private unsubscribe: Array<() => void> = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private listing: Promise<void> | undefined;
  private listAgain = false;

  constructor(
    private readonly engine: Engine,
    private readonly events: EventSource,
    kind: K,
    options: ResourceStoreOptions = {},
  ) {
    this.rules = KINDS[kind];
    this.refreshThrottleMs = options.refreshThrottleMs ?? 150;
  }

  getSnapshot = (): ResourceSnapshot<ResourceRows[K]> => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Lists now, then keeps the list current until stop(). Rows from an earlier run stay shown meanwhile. */
  start(): void {
    if (this.lifetime) return;
    this.lifetime = new AbortController();
    let wasConnected = this.events.getSnapshot().connection.status === 'connected';
    this.unsubscribe = [
      this.events.onEvent((event) => {
        if (this.invalidates(event)) this.scheduleRefresh();
      }),
      // Events missed while the engine was away are not replayed to us: list afresh once it is back.
      this.events.subscribe(() => {
        const connected = this.events.getSnapshot().connection.status === 'connected';
        if (connected && !wasConnected) void this.refresh();
        wasConnected = connected;
      }),
    ];
    void this.refresh();
  }

  stop(): void {
    this.lifetime?.abort();
    this.lifetime = undefined;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.listing = undefined;
  }

  /**
   * Re-lists now (after an action of ours, so its result shows before its event). Never rejects:
   * a failure lands in the snapshot. Does nothing while stopped.
   */
  refresh = (): Promise<void> => {
    const lifetime = this.lifetime;
    if (!lifetime) return Promise.resolve();
    if (this.listing) {
      this.listAgain = true;
      return this.listing;
    }
    const listing = this.listUntilCurrent(lifetime.signal).finally(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    this.listing = listing;
    return listing;
  };

  /** Lists again when an event or a refresh arrived while a list was on its way (its answer may predate it). */
  private async listUntilCurrent(signal: AbortSignal): Promise<void> {
    do {
      this.listAgain = false;
      try {
        const rows = await this.rules.list(this.engine, signal);
        if (signal.aborted) return;
        this.update({ status: 'ready', rows, loadedAt: Date.now() });
      } catch (err) {
        if (signal.aborted) return;
        this.update({ ...this.snapshot, status: 'error', error: toEngineError(err).message });
      }
    } while (this.listAgain && !signal.aborted);
  }

  private invalidates(event: EngineEvent): boolean {
    return this.rules.invalidatedBy[event.type]?.has(event.action) ?? false;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, this.refreshThrottleMs);
  }

  private update(snapshot: ResourceSnapshot<ResourceRows[K]>): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}
