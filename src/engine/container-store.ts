import type { Engine } from './engine.js';
import type { HostStatus } from './fleet.js';
import { changesContainerList, splitAction } from './events.js';
import { isNotFound, toEngineError, unreachableReason } from './errors.js';
import { RestartHistory } from './restart-history.js';
import type { ConnectionState, ContainerRow, EngineEvent } from './types.js';

export interface ContainerSnapshot {
  containers: readonly ContainerRow[];
  connection: ConnectionState;
  /** False until the first list has arrived. */
  loaded: boolean;
  /** A fleet's hosts and how each is doing; absent for a single engine */
  hosts?: readonly HostStatus[];
  /** A fleet's host that images, volumes, networks and disk usage are about */
  focusedHost?: string;
}

/**
 * What the views read of a live container list: one engine's store, or a fleet of them merged.
 * Container ids are opaque here: a fleet's carry the host they belong to.
 */
export interface ContainerSource {
  getSnapshot(): ContainerSnapshot;
  subscribe(listener: () => void): () => void;
  /** Every engine event as it arrives */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  refresh(): Promise<void>;
  readonly restarts: Pick<RestartHistory, 'forTriage'>;
  /** A fleet's: which host images, volumes, networks and disk usage are about */
  focus?(host: string): void;
}

export interface ContainerStoreOptions {
  /** Events arrive in bursts (stop = kill + die + stop); one list answers a whole burst. */
  refreshThrottleMs?: number;
  /** A link can die silently (no heartbeat on the event stream): ping this often to notice. */
  pingIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

type Listener = () => void;

/**
 * Calls `listener` each time an engine that could not be reached answers again: the store's own,
 * or one of a fleet's hosts. What failed meanwhile can be asked again at once.
 */
export function onReconnected(source: ContainerSource, listener: () => void): () => void {
  const answering = (): Set<string> => {
    const { hosts, connection } = source.getSnapshot();
    if (hosts) return new Set(hosts.filter((h) => h.state.status === 'connected').map((h) => h.name));
    return new Set(connection.status === 'connected' ? [''] : []);
  };
  let before = answering();
  return source.subscribe(() => {
    const now = answering();
    const back = [...now].some((name) => !before.has(name));
    before = now;
    if (back) listener();
  });
}

/** One subscription to the event stream; `lost` says why it was given up, when it was. */
interface Connection {
  controller: AbortController;
  lost?: string;
}

/** Ends a connection so that run() reconnects and says `reason` (the first reason given stands). */
function drop(connection: Connection, reason: string): void {
  if (connection.controller.signal.aborted) return;
  connection.lost = reason;
  connection.controller.abort();
}

/** A first list with hundreds of killed containers must not turn into hundreds of inspects at once. */
const MAX_OOM_INSPECTS_PER_LIST = 20;

/**
 * Resolves after `ms`, or at once on abort. The listener goes with the timer: a long outage is
 * many retries on one lifetime signal, and listeners left on it pile up (Node warns on stderr,
 * over the dashboard, past ten).
 */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The live container list: subscribes to engine events before listing (so nothing falls between),
 * re-lists at most once per throttle window when an event changes the list, and on a broken
 * stream reconnects with backoff and lists afresh. No periodic polling, no per-container inspect.
 */
export class ContainerStore implements ContainerSource {
  private snapshot: ContainerSnapshot = { containers: [], connection: { status: 'connected' }, loaded: false };
  private readonly listeners = new Set<Listener>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly lifetime = new AbortController();
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** The connection now open (its event stream). */
  private connection: Connection | undefined;
  private readonly options: Required<ContainerStoreOptions>;
  /** Deaths and OOM kills seen this session, for restart-loop and OOM triage (inspect forgets both). */
  readonly restarts = new RestartHistory();
  /** Container id → whether its last exit 137 was the OOM killer's */
  private readonly oomVerdicts = new Map<string, boolean>();

  constructor(private readonly engine: Engine, options: ContainerStoreOptions = {}) {
    this.options = {
      refreshThrottleMs: options.refreshThrottleMs ?? 50,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      minBackoffMs: options.minBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 4_000,
    };
  }

  getSnapshot = (): ContainerSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Every engine event, for views that react to more than the list (a later events pane). */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.lifetime.abort();
    clearTimeout(this.refreshTimer);
  }

  /** Re-list now (after an action of ours, so its result shows even before its event). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          const containers = await this.withOomVerdicts(await this.engine.listContainers(this.lifetime.signal));
          this.update({ containers, loaded: true });
        } while (this.refreshAgain && !this.lifetime.signal.aborted);
      } catch (err) {
        // An event stream can outlive the engine's socket (removed while dockerd runs: the open
        // connection goes on, new ones fail): a list that cannot reach the engine ends it too.
        const lost = unreachableReason(err);
        if (lost && this.connection) drop(this.connection, lost);
        throw err;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /**
   * Marks the containers that exited 137 by the OOM killer. The list cannot tell an OOM kill from
   * docker kill; inspect can, so each such container is inspected once (per death, not per list):
   * the answer is kept until the container starts, dies or goes.
   */
  private async withOomVerdicts(containers: ContainerRow[]): Promise<ContainerRow[]> {
    const unknown = containers.filter((c) => c.state === 'exited' && c.exitCode === 137 && !this.oomVerdicts.has(c.id));
    await Promise.all(unknown.slice(0, MAX_OOM_INSPECTS_PER_LIST).map(async (c) => {
      try {
        this.oomVerdicts.set(c.id, (await this.engine.inspectContainer(c.id, this.lifetime.signal)).oomKilled);
      } catch {
        // Gone meanwhile, or the engine is away: the next list asks again.
      }
    }));
    return containers.map((c) => (this.oomVerdicts.get(c.id) && c.state === 'exited' ? { ...c, oomKilled: true } : c));
  }

  private forgetOomVerdict(event: EngineEvent): void {
    if (event.type !== 'container') return;
    if (event.action === 'oom') this.oomVerdicts.set(event.id, true);
    else if (event.action === 'start' || event.action === 'destroy') this.oomVerdicts.delete(event.id);
  }

  /**
   * A health event that says what the list already shows. Docker reports a change of health;
   * Podman reports every probe, and re-listing for each would cost a list every few seconds per
   * container with a health check.
   */
  private healthAsListed(event: EngineEvent): boolean {
    const { action, argument } = splitAction(event.action);
    if (action !== 'health_status' || !argument) return false;
    return this.snapshot.containers.find((c) => c.id === event.id)?.health === argument;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // A failed re-list surfaces through the event stream breaking; nothing to show here.
      this.refresh().catch(() => undefined);
    }, this.options.refreshThrottleMs);
  }

  private update(patch: Partial<ContainerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private async run(): Promise<void> {
    const { signal } = this.lifetime;
    let attempt = 0;
    while (!signal.aborted) {
      const connection = new AbortController();
      const open: Connection = { controller: connection };
      this.connection = open;
      const stopConnection = () => connection.abort();
      signal.addEventListener('abort', stopConnection, { once: true });
      const watchdog = this.watch(open);
      try {
        const events = await this.engine.openEvents(connection.signal);
        await this.refresh();
        attempt = 0;
        this.update({ connection: { status: 'connected' } });
        for await (const event of events) {
          this.restarts.record(event);
          this.forgetOomVerdict(event);
          for (const listener of this.eventListeners) listener(event);
          if (changesContainerList(event) && !this.healthAsListed(event)) this.scheduleRefresh();
        }
        if (!signal.aborted) throw new Error('the event stream closed');
      } catch (err) {
        if (signal.aborted) break;
        attempt += 1;
        const delay = Math.min(this.options.minBackoffMs * 2 ** (attempt - 1), this.options.maxBackoffMs);
        const reason = open.lost ?? describe(err);
        this.update({ connection: { status: 'reconnecting', reason, attempt, nextRetryMs: delay } });
        await sleep(delay, signal);
      } finally {
        clearInterval(watchdog);
        connection.abort();
        signal.removeEventListener('abort', stopConnection);
      }
    }
  }

  /** Pings while connected; a failed ping ends the connection so the loop reconnects. */
  private watch(connection: Connection): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.engine.ping(AbortSignal.timeout(this.options.pingIntervalMs / 2))
        .catch((err: unknown) => drop(connection, unreachableReason(err) ?? 'the engine stopped answering'));
    }, this.options.pingIntervalMs);
    timer.unref();
    return timer;
  }
}

function describe(err: unknown): string {
  if (isNotFound(err)) return 'not found';
  return unreachableReason(err) ?? toEngineError(err).message;
}
