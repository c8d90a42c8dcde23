// Several engines in one view. Each host keeps its own connection and ContainerStore, so one host
// going down (or never coming up) never blocks the others; the fleet merges their lists into one,
// each row tagged with its host. Container ids in the merged list carry their host
// ("HOST/ID", a container id never has a slash), so every per-container call (actions, logs,
// stats, inspect, exec) reaches the engine the container lives on, even when two hosts are the
// same engine seen twice. Calls about no container (images, volumes, networks, disk usage,
// prune, Swarm) go to the focused host.
import { ContainerStore, sleep, type ContainerSnapshot, type ContainerSource, type ContainerStoreOptions } from './container-store.js';
import { connect as connectEngine, ConnectError } from './connect.js';
import type { BuildOptions } from './build.js';
import type { ActionOptions, Engine } from './engine.js';
import { EngineRequestError, toEngineError } from './errors.js';
import type { LogOptions } from './log-stream.js';
import type { RemoveImageOptions } from './resource-types.js';
import { ContainerStartError, type RunSpec } from './run-spec.js';
import type { NodeAvailability } from './swarm.js';
import type { TriageHistory } from './triage.js';
import type { ContainerAction, ContainerRow, Endpoint, EngineEvent, EngineInfo } from './types.js';

export interface FleetHost {
  /** What the HOST column and the header call it: the context name, or the host's name */
  name: string;
  endpoint: Endpoint;
}

export type HostState =
  | { status: 'connecting' }
  | { status: 'connected' }
  | { status: 'reconnecting'; reason: string }
  | { status: 'down'; reason: string; fix: string };

export interface HostStatus {
  name: string;
  url: string;
  state: HostState;
}

export interface FleetOptions {
  connect?: (endpoint: Endpoint) => Promise<Engine>;
  store?: ContainerStoreOptions;
  /** A host that could not be reached is tried again after this long, doubling up to the max. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

const SEPARATOR = '/';

/** The fleet's id of a host's container. */
export function fleetId(host: string, id: string): string {
  return `${host}${SEPARATOR}${id}`;
}

/** Host and engine id of a fleet id; a plain id (no host) has none. */
export function splitFleetId(id: string): { host: string | undefined; id: string } {
  const at = id.lastIndexOf(SEPARATOR);
  return at < 0 ? { host: undefined, id } : { host: id.slice(0, at), id: id.slice(at + 1) };
}

class Member {
  engine: Engine | undefined;
  store: ContainerStore | undefined;
  state: HostState = { status: 'connecting' };
  unsubscribe: Array<() => void> = [];

  constructor(readonly host: FleetHost) {}
}

const NO_HISTORY: TriageHistory = { dies: 0, restartLooping: false };

/** A live merged container list over several engines (ContainerSource for the views). */
export class Fleet implements ContainerSource {
  private readonly members: Member[];
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly lifetime = new AbortController();
  private snapshot: ContainerSnapshot = { containers: [], connection: { status: 'connected' }, loaded: false, hosts: [] };
  private focusIndex = 0;
  readonly engine: FleetEngine;

  readonly restarts = {
    forTriage: (id: string, nowMs: number): TriageHistory => {
      const { member, id: engineId } = this.locate(id);
      return member.store?.restarts.forTriage(engineId, nowMs) ?? NO_HISTORY;
    },
  };

  constructor(hosts: readonly FleetHost[], private readonly options: FleetOptions = {}) {
    if (hosts.length === 0) throw new RangeError('a fleet needs at least one host');
    const names = new Set(hosts.map((h) => h.name));
    if (names.size !== hosts.length) throw new RangeError('fleet host names must differ');
    this.members = hosts.map((host) => new Member(host));
    this.engine = new FleetEngine(this);
    this.recompute();
  }

  getSnapshot = (): ContainerSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  start(): void {
    for (const member of this.members) void this.connectLoop(member);
  }

  stop(): void {
    this.lifetime.abort();
    for (const member of this.members) {
      member.store?.stop();
      member.engine?.close?.();
      for (const off of member.unsubscribe) off();
    }
  }

  async refresh(): Promise<void> {
    await Promise.all(this.members.map((m) => m.store?.refresh().catch(() => undefined)));
  }

  hostStatuses(): HostStatus[] {
    return this.members.map((m) => ({ name: m.host.name, url: m.host.endpoint.url, state: m.state }));
  }

  /** The host calls about no container go to. */
  focusedHost(): string {
    return this.focused().host.name;
  }

  /** Makes `host` the focused one (the host of the selected container, or the next with H). */
  focus(host: string): void {
    const index = this.members.findIndex((m) => m.host.name === host);
    if (index < 0 || index === this.focusIndex) return;
    this.focusIndex = index;
    this.recompute();
  }

  /** The member a fleet id belongs to, and the id its engine knows; a plain id is the focused host's. */
  locate(id: string): { member: Member; id: string } {
    const split = splitFleetId(id);
    const member = split.host === undefined ? this.focused() : this.members.find((m) => m.host.name === split.host);
    if (!member) throw new EngineRequestError(`no such container: ${id}`, 404);
    return { member, id: split.id };
  }

  /** The member's engine, or a refusal that says the host is not reachable now. */
  engineOf(member: Member): Engine {
    if (member.engine) return member.engine;
    const why = member.state.status === 'down' ? `: ${member.state.reason}` : '';
    throw new EngineRequestError(`${member.host.name} is not connected${why}`, 503);
  }

  focused(): Member {
    return this.members[this.focusIndex] ?? (this.members[0] as Member);
  }

  private async connectLoop(member: Member): Promise<void> {
    const connect = this.options.connect ?? connectEngine;
    const minRetry = this.options.minRetryMs ?? 2_000;
    const maxRetry = this.options.maxRetryMs ?? 30_000;
    for (let attempt = 0; !this.lifetime.signal.aborted; attempt += 1) {
      try {
        const engine = await connect(member.host.endpoint);
        if (this.lifetime.signal.aborted) {
          engine.close?.();
          return;
        }
        this.adopt(member, engine);
        return;
      } catch (err) {
        const explained = err instanceof ConnectError
          ? { reason: err.reason, fix: err.fix }
          : { reason: toEngineError(err).message, fix: 'check the host, then dockhand tries again by itself' };
        member.state = { status: 'down', ...explained };
        this.recompute();
        const delay = Math.min(minRetry * 2 ** attempt, maxRetry);
        await sleep(delay, this.lifetime.signal);
      }
    }
  }

  /** A host reached for the first time: from now on its own store keeps it live and reconnects. */
  private adopt(member: Member, engine: Engine): void {
    const store = new ContainerStore(engine, this.options.store);
    member.engine = engine;
    member.store = store;
    member.unsubscribe.push(
      store.subscribe(() => {
        const { connection } = store.getSnapshot();
        member.state = connection.status === 'connected' ? { status: 'connected' } : { status: 'reconnecting', reason: connection.reason };
        this.recompute();
      }),
      store.onEvent((event) => {
        const host = member.host.name;
        const tagged = { ...event, host, ...(event.type === 'container' ? { id: fleetId(host, event.id) } : {}) };
        for (const listener of this.eventListeners) listener(tagged);
      }),
    );
    member.state = { status: 'connected' };
    store.start();
    this.recompute();
  }

  private recompute(): void {
    const containers: ContainerRow[] = [];
    for (const member of this.members) {
      for (const row of member.store?.getSnapshot().containers ?? []) {
        containers.push({ ...row, id: fleetId(member.host.name, row.id), host: member.host.name });
      }
    }
    const problem = this.members.find((m) => m.state.status !== 'connected' && m.state.status !== 'connecting');
    const live = this.members.some((m) => m.state.status === 'connected');
    this.snapshot = {
      containers,
      // The view is live while any host is; which hosts are not is in `hosts`.
      connection: live || !problem
        ? { status: 'connected' }
        : { status: 'reconnecting', reason: 'no host answers', attempt: 1, nextRetryMs: 0 },
      loaded: this.members.every((m) => m.state.status === 'down' || m.store?.getSnapshot().loaded === true),
      hosts: this.hostStatuses(),
      focusedHost: this.focusedHost(),
    };
    for (const listener of this.listeners) listener();
  }
}

/**
 * The Engine the views talk to in fleet mode: per-container calls go to the container's host,
 * everything else to the focused host. `info` is the focused host's.
 */
export class FleetEngine implements Engine {
  constructor(private readonly fleet: Fleet) {}

  get info(): EngineInfo {
    const member = this.fleet.focused();
    return member.engine?.info ?? {
      endpoint: member.host.endpoint, serverVersion: '?', serverApiVersion: '?', apiVersion: '?', product: 'Docker Engine', os: '', arch: '',
    };
  }

  /** The engine and its own id for a fleet container id. */
  route(id: string): { engine: Engine; id: string; host: string } {
    const { member, id: engineId } = this.fleet.locate(id);
    return { engine: this.fleet.engineOf(member), id: engineId, host: member.host.name };
  }

  private get focused(): Engine {
    return this.fleet.engineOf(this.fleet.focused());
  }

  // async all through: a host that is down must reject, never throw before a promise exists.
  async ping(signal?: AbortSignal) { return this.focused.ping(signal); }
  /** The focused host's containers, by their own ids (prune previews list them; plain ids route there). */
  async listContainers(signal?: AbortSignal) { return this.focused.listContainers(signal); }

  async inspectContainer(id: string, signal?: AbortSignal) {
    const target = this.route(id);
    return { ...(await target.engine.inspectContainer(target.id, signal)), id };
  }

  async openEvents(signal: AbortSignal) { return this.focused.openEvents(signal); }
  async sampleStats(id: string, signal?: AbortSignal) { const t = this.route(id); return t.engine.sampleStats(t.id, signal); }
  async streamStats(id: string, signal: AbortSignal) { const t = this.route(id); return t.engine.streamStats(t.id, signal); }
  async top(id: string, signal?: AbortSignal) { const t = this.route(id); return t.engine.top(t.id, signal); }
  async logs(id: string, options: LogOptions, signal: AbortSignal) { const t = this.route(id); return t.engine.logs(t.id, options, signal); }

  async containerAction(id: string, action: ContainerAction, options?: ActionOptions) {
    const t = this.route(id);
    return t.engine.containerAction(t.id, action, options);
  }

  async listImages(signal?: AbortSignal) { return this.focused.listImages(signal); }
  async listImageTree(signal?: AbortSignal) { return this.focused.listImageTree(signal); }
  async inspectImage(id: string, signal?: AbortSignal) { return this.focused.inspectImage(id, signal); }
  async listVolumes(signal?: AbortSignal) { return this.focused.listVolumes(signal); }
  async listNetworks(signal?: AbortSignal) { return this.focused.listNetworks(signal); }
  async diskUsage(signal?: AbortSignal) { return this.focused.diskUsage(signal); }
  async removeImage(idOrTag: string, options?: RemoveImageOptions) { return this.focused.removeImage(idOrTag, options); }
  async removeVolume(name: string, options?: { force?: boolean }) { return this.focused.removeVolume(name, options); }
  async removeNetwork(id: string) { return this.focused.removeNetwork(id); }
  async pullImage(reference: string, signal: AbortSignal) { return this.focused.pullImage(reference, signal); }
  async pushImage(reference: string, signal: AbortSignal) { return this.focused.pushImage(reference, signal); }
  async tagImage(source: string, target: string) { return this.focused.tagImage(source, target); }
  async removeBuildCache(id: string, signal?: AbortSignal) { return this.focused.removeBuildCache(id, signal); }
  async swarmStatus(signal?: AbortSignal) { return this.focused.swarmStatus(signal); }
  async listServices(signal?: AbortSignal) { return this.focused.listServices(signal); }
  async listTasks(serviceId: string, signal?: AbortSignal) { return this.focused.listTasks(serviceId, signal); }
  async listNodes(signal?: AbortSignal) { return this.focused.listNodes(signal); }
  async scaleService(id: string, replicas: number, version: number) { return this.focused.scaleService(id, replicas, version); }
  async removeService(id: string) { return this.focused.removeService(id); }
  async setNodeAvailability(id: string, availability: NodeAvailability, version: number) { return this.focused.setNodeAvailability(id, availability, version); }
  async serviceLogs(id: string, options: LogOptions, signal: AbortSignal) { return this.focused.serviceLogs(id, options, signal); }
  async buildImage(contextDir: string, options: BuildOptions, signal: AbortSignal) { return this.focused.buildImage(contextDir, options, signal); }

  /** Runs on the focused host; the id is a fleet id, as the merged list knows the container. */
  async runContainer(spec: RunSpec) {
    const member = this.fleet.focused();
    const host = member.host.name;
    try {
      return fleetId(host, await this.fleet.engineOf(member).runContainer(spec));
    } catch (err) {
      throw err instanceof ContainerStartError ? new ContainerStartError(fleetId(host, err.containerId), err.reason) : err;
    }
  }
}

/** Where a container lives: the endpoint and id the docker CLI needs for exec and attach. */
export function containerAddress(engine: Engine, id: string): { endpoint: Endpoint; id: string } {
  if (engine instanceof FleetEngine) {
    const target = engine.route(id);
    return { endpoint: target.engine.info.endpoint, id: target.id };
  }
  return { endpoint: engine.info.endpoint, id };
}
