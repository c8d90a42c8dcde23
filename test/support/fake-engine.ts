// An in-memory Docker engine at the `Engine` interface, for view tests that must be fast and
// deterministic. It keeps the daemon's habits that the views depend on: actions change state and
// announce it on the event stream (stop = kill + die + stop), refusals come with the daemon's own
// words and status codes, a vanished container answers 404, and the connection can drop.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildRefused, readBuildOutput, resolveDockerfile, type BuildOptions, type BuildUpdate } from '../../src/engine/build.js';
import type { ActionOptions, Engine, ImageNode } from '../../src/engine/engine.js';
import { EngineRequestError } from '../../src/engine/errors.js';
import {
  familiarReference, formatReference, InvalidReferenceError, parseImageReference, repositoryOf,
} from '../../src/engine/image-reference.js';
import type { LogLine, LogOptions } from '../../src/engine/log-stream.js';
import { transferStates, type TransferState } from '../../src/engine/pull-progress.js';
import type {
  DiskUsage, ImageDetails, ImageRemoval, ImageRow, NetworkRow, PruneItem, RemoveImageOptions, VolumeRow,
} from '../../src/engine/resource-types.js';
import type { RunSpec } from '../../src/engine/run-spec.js';
import type { StatsSample } from '../../src/engine/stats.js';
import type { NodeAvailability } from '../../src/engine/swarm.js';
import type {
  ContainerAction, ContainerDetails, ContainerRow, EngineEvent, EngineInfo, KillSignal, ProcessTable,
} from '../../src/engine/types.js';
import { FakeSwarm } from './fake-swarm.js';

export const FAKE_ENGINE_INFO: EngineInfo = {
  endpoint: { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', contextName: 'default', source: 'default' },
  serverVersion: '20.10.24',
  serverApiVersion: '1.41',
  apiVersion: '1.41',
  product: 'Docker Engine',
  os: 'linux',
  arch: 'amd64',
};

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';

let sequence = 0;

/** An image of the fake engine; which containers use it is worked out from their `image`. */
export interface FakeImage {
  id: string;
  tags: string[];
  size: number;
  sharedSize: number;
  created: number;
  /** The image it was built on by the classic builder ('' for none): intermediate images are untagged parents. */
  parentId: string;
  /** What inspectImage reports beyond the defaults it derives from the fields above (history, config). */
  details?: Partial<ImageDetails>;
}

/** A volume of the fake engine; `users` are container ids (gone containers drop out). */
export interface FakeVolume extends Omit<VolumeRow, 'usedBy' | 'anonymous'> {
  users: string[];
}

/** A network of the fake engine; `attached` containers count while running or paused. */
export interface FakeNetwork extends Omit<NetworkRow, 'containers' | 'predefined'> {
  attached: Array<{ id: string; ipv4: string }>;
}

export function makeImage(partial: Partial<FakeImage> = {}): FakeImage {
  sequence += 1;
  return {
    id: partial.id ?? `sha256:${fakeId(`image#${sequence}`)}`,
    tags: partial.tags ?? [],
    size: partial.size ?? 1_000_000,
    sharedSize: partial.sharedSize ?? -1,
    created: partial.created ?? Math.floor(Date.now() / 1000) - 3600,
    parentId: partial.parentId ?? '',
    ...(partial.details ? { details: partial.details } : {}),
  };
}

export function makeVolume(partial: Partial<FakeVolume> = {}): FakeVolume {
  sequence += 1;
  const name = partial.name ?? fakeId(`volume#${sequence}`);
  return {
    name,
    driver: partial.driver ?? 'local',
    mountpoint: partial.mountpoint ?? `/var/lib/docker/volumes/${name}/_data`,
    labels: partial.labels ?? {},
    created: partial.created ?? '2026-01-01T00:00:00Z',
    size: partial.size ?? 0,
    users: partial.users ?? [],
  };
}

export function makeNetwork(partial: Partial<FakeNetwork> = {}): FakeNetwork {
  sequence += 1;
  return {
    id: partial.id ?? fakeId(`network#${sequence}`),
    name: partial.name ?? `network-${sequence}`,
    driver: partial.driver ?? 'bridge',
    scope: partial.scope ?? 'local',
    internal: partial.internal ?? false,
    attachable: partial.attachable ?? false,
    subnets: partial.subnets ?? [],
    attached: partial.attached ?? [],
  };
}

const PREDEFINED = new Set(['bridge', 'host', 'none']);

/** A 64-hex-digit id, stable for a given name within one run so failures are reproducible. */
export function fakeId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/**
 * A list row as the dockerode adapter would produce it, with defaults for whatever the test does
 * not care about. Compose membership can be given either way (project/service or the labels) and
 * both come out set; an exited container gets a status text carrying its exit code, as Docker's does.
 */
export function makeContainer(partial: Partial<ContainerRow> = {}): ContainerRow {
  sequence += 1;
  const name = partial.name ?? `container-${sequence}`;
  const state = partial.state ?? 'running';
  const labels: Record<string, string> = { ...partial.labels };
  const project = partial.project ?? labels[COMPOSE_PROJECT];
  const service = partial.service ?? labels[COMPOSE_SERVICE];
  if (project) labels[COMPOSE_PROJECT] = project;
  if (service) labels[COMPOSE_SERVICE] = service;
  const exitCode = state === 'exited' ? partial.exitCode ?? exitCodeOf(partial.status) ?? 0 : undefined;
  const row: ContainerRow = {
    id: partial.id ?? fakeId(`${name}#${sequence}`),
    name,
    image: partial.image ?? 'busybox',
    command: partial.command ?? 'sleep 3600',
    state,
    status: partial.status ?? defaultStatus(state, exitCode),
    health: partial.health,
    created: partial.created ?? Math.floor(Date.now() / 1000) - 120,
    ports: partial.ports ?? [],
    labels,
  };
  if (exitCode !== undefined) row.exitCode = exitCode;
  if (project) row.project = project;
  if (service) row.service = service;
  return row;
}

function exitCodeOf(status: string | undefined): number | undefined {
  const match = /^Exited \((-?\d+)\)/.exec(status ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function defaultStatus(state: ContainerRow['state'], exitCode: number | undefined): string {
  switch (state) {
    case 'running': return 'Up 2 minutes';
    case 'paused': return 'Up 2 minutes (Paused)';
    case 'restarting': return 'Restarting (1) 3 seconds ago';
    case 'exited': return `Exited (${exitCode ?? 0}) 5 minutes ago`;
    case 'created': return 'Created';
    case 'removing': return 'Removal In Progress';
    case 'dead': return 'Dead';
  }
}

export interface RecordedAction {
  id: string;
  action: ContainerAction;
  options: ActionOptions | undefined;
}

/** What `sampleStats` reports for a container: CPU as `docker stats` would show it. */
export interface FakeStats {
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
}

const DEFAULT_STATS: FakeStats = { cpuPercent: 12.5, memoryUsed: 64 * 1024 * 1024, memoryLimit: 2 * 1024 ** 3 };
const ONLINE_CPUS = 2;
/** One collector tick of host CPU time: 1 s on each CPU, in nanoseconds. */
const SYSTEM_TICK_NS = 1e9 * ONLINE_CPUS;
const INACTIVE_FILE = 8 * 1024 * 1024;

/** Exit status of PID 1 after a signal it does not handle: 128 + the signal number. */
const SIGNAL_EXIT: Partial<Record<KillSignal, number>> = {
  SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGKILL: 137, SIGTERM: 143,
};

/**
 * The event stream of one subscription: pushed to by the engine, ended by the engine (clean close
 * or error) or by the subscriber's abort signal, like the real stream.
 */
class EventChannel implements AsyncIterable<EngineEvent> {
  private readonly queue: EngineEvent[] = [];
  private waiting: { resolve: (r: IteratorResult<EngineEvent>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;

  constructor(signal: AbortSignal, private readonly onClose: () => void) {
    if (signal.aborted) this.end();
    else signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(event: EngineEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.onClose();
    if (!this.waiting) return;
    const { resolve, reject } = this.waiting;
    this.waiting = undefined;
    if (failure !== undefined) reject(failure);
    else resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<EngineEvent> {
    return {
      next: () => {
        const queued = this.queue.shift();
        if (queued) return Promise.resolve({ value: queued, done: false });
        if (this.ended) {
          const failure = this.failure;
          this.failure = undefined;
          return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

export class FakeEngine implements Engine {
  readonly info: EngineInfo = FAKE_ENGINE_INFO;
  /** Every containerAction call, in order, including the ones that failed. */
  readonly actions: RecordedAction[] = [];
  /** How many stats readings each container was asked for. */
  readonly statsRequests = new Map<string, number>();

  private rows: ContainerRow[];
  private readonly channels = new Set<EventChannel>();
  private readonly failures: EngineRequestError[] = [];
  private readonly stats = new Map<string, FakeStats>();
  /** Cumulative CPU counters per container, advanced one tick per reading. */
  private readonly cpuCounters = new Map<string, { cpuTotal: number; systemCpu: number }>();
  private readonly times = new Map<string, { startedAt: number; finishedAt: number }>();
  private readonly envs = new Map<string, string[]>();
  private readonly logLines = new Map<string, LogLine[]>();
  /** How often streamStats yields a reading. */
  streamIntervalMs = 20;
  private down: Error | undefined;
  /** Images, volumes and networks: plain data the tests set (the predefined networks by default). */
  images: FakeImage[] = [];
  volumes: FakeVolume[] = [];
  networks: FakeNetwork[] = [
    makeNetwork({ name: 'bridge', subnets: [{ subnet: '172.17.0.0/16', gateway: '172.17.0.1' }] }),
    makeNetwork({ name: 'host', driver: 'host' }),
    makeNetwork({ name: 'none', driver: 'null' }),
  ];
  /** Writable-layer sizes per container id, for diskUsage. */
  readonly containerSizes = new Map<string, number>();
  /** Build cache records, none in use or shared; `parent` is another record's id or ''. */
  buildCache: Array<PruneItem & { parent: string }> = [];
  /** The registries' images, by full reference (docker.io/library/busybox:latest): what pullImage finds, pushImage fills. */
  readonly registry = new Map<string, FakeImage>();
  /** Inactive until a test calls swarm.init(). */
  readonly swarm = new FakeSwarm((event) => this.emit(event));

  constructor(containers: readonly ContainerRow[] = []) {
    this.rows = containers.map((row) => structuredClone(row));
  }

  /** The engine's current containers (copies). */
  get containers(): ContainerRow[] {
    return this.rows.map((row) => structuredClone(row));
  }

  get subscriberCount(): number {
    return this.channels.size;
  }

  find(idOrName: string): ContainerRow | undefined {
    const row = this.rows.find((r) => r.id === idOrName || r.name === idOrName);
    return row ? structuredClone(row) : undefined;
  }

  // ---- Engine ----

  async ping(): Promise<void> {
    this.checkUp();
  }

  async listContainers(): Promise<ContainerRow[]> {
    this.checkUp();
    return this.containers;
  }

  async inspectContainer(id: string): Promise<ContainerDetails> {
    this.checkUp();
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw noSuchContainer(id);
    const times = this.timesOf(row);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: row.id,
      name: row.name,
      image: row.image,
      imageId: `sha256:${fakeId(`image:${row.image}`)}`,
      command: row.command,
      entrypoint: '',
      created: iso(row.created * 1000),
      state: row.state,
      exitCode: row.exitCode ?? 0,
      error: '',
      oomKilled: false,
      health: row.health,
      startedAt: iso(times.startedAt),
      finishedAt: times.finishedAt > 0 ? iso(times.finishedAt) : '0001-01-01T00:00:00Z',
      restartCount: 0,
      restartPolicy: 'no',
      ports: structuredClone(row.ports),
      mounts: [],
      labels: { ...row.labels },
      tty: false,
      openStdin: false,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(this.envs.get(row.id) ?? [])],
      healthFailingStreak: 0,
      healthLog: [],
      networks: [{ name: 'bridge', ipAddress: '172.17.0.2', gateway: '172.17.0.1', macAddress: '02:42:ac:11:00:02' }],
      limits: { memory: 0, cpus: 0, cpuShares: 0, pidsLimit: 0 },
      raw: { Id: row.id, Name: `/${row.name}`, Config: { Image: row.image, Labels: { ...row.labels } } },
    };
  }

  async openEvents(signal: AbortSignal): Promise<AsyncIterable<EngineEvent>> {
    this.checkUp();
    const channel: EventChannel = new EventChannel(signal, () => this.channels.delete(channel));
    if (!signal.aborted) this.channels.add(channel);
    return channel;
  }

  /**
   * Deterministic one-shot readings (no precpu, as with one-shot=true): each reading advances the
   * counters by one tick at the container's configured CPU %, so the sampler's CPU figure from two
   * consecutive readings is exactly that percentage.
   */
  async sampleStats(id: string): Promise<StatsSample> {
    this.checkUp();
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw noSuchContainer(id);
    this.statsRequests.set(id, (this.statsRequests.get(id) ?? 0) + 1);
    const figures = this.stats.get(id) ?? DEFAULT_STATS;
    const counters = this.cpuCounters.get(id) ?? { cpuTotal: 0, systemCpu: 1e12 };
    if (row.state === 'running') {
      counters.cpuTotal += Math.round((figures.cpuPercent / 100 / ONLINE_CPUS) * SYSTEM_TICK_NS);
    }
    counters.systemCpu += SYSTEM_TICK_NS;
    this.cpuCounters.set(id, counters);
    return {
      readAt: Date.now(),
      cpuTotal: counters.cpuTotal,
      systemCpu: counters.systemCpu,
      onlineCpus: ONLINE_CPUS,
      memoryUsage: figures.memoryUsed + INACTIVE_FILE,
      memoryLimit: figures.memoryLimit,
      memoryInactiveFile: INACTIVE_FILE,
      pids: 1,
    };
  }

  /** Readings every `streamIntervalMs` until the signal aborts, as the engine's stream does. */
  async streamStats(id: string, signal: AbortSignal): Promise<AsyncIterable<StatsSample>> {
    await this.sampleStats(id);
    const engine = this;
    return (async function* () {
      while (!signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, engine.streamIntervalMs));
        if (signal.aborted) return;
        yield await engine.sampleStats(id);
      }
    })();
  }

  async top(id: string): Promise<ProcessTable> {
    this.checkUp();
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw noSuchContainer(id);
    if (row.state !== 'running') throw new EngineRequestError(`Container ${id} is not running`, 409);
    return { titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes: [['root', '4242', '4221', '0', '10:00', '?', '00:00:00', row.command]] };
  }

  /**
   * The last `tail` lines given to setLogs, with their times only when asked for. A followed log
   * stays open until the signal aborts, as the engine's does.
   */
  async logs(id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>> {
    this.checkUp();
    if (!this.rows.some((r) => r.id === id)) throw noSuchContainer(id);
    const lines = (options.tail > 0 ? (this.logLines.get(id) ?? []).slice(-options.tail) : [])
      .map(({ time, ...line }) => (options.timestamps && time !== undefined ? { ...line, time } : line));
    return (async function* () {
      yield* lines;
      if (options.follow && !signal.aborted) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      }
    })();
  }

  async containerAction(id: string, action: ContainerAction, options?: ActionOptions): Promise<void> {
    this.actions.push({ id, action, options: options === undefined ? undefined : structuredClone(options) });
    this.checkUp();
    const failure = this.failures.shift();
    if (failure) throw failure;
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw noSuchContainer(id);
    const isUp = row.state === 'running' || row.state === 'paused' || row.state === 'restarting';
    switch (action) {
      case 'start':
        if (row.state === 'running') return; // the daemon answers 304 Not Modified
        this.setRunning(row);
        return this.emitFor(row, 'start');
      case 'stop':
        if (!isUp) return; // 304
        this.setExited(row, 0);
        return this.emitFor(row, 'kill', 'die', 'stop');
      case 'restart':
        if (isUp) this.emitFor(row, 'kill', 'die', 'stop');
        this.setRunning(row);
        return this.emitFor(row, 'start', 'restart');
      case 'pause':
        if (row.state === 'paused') throw conflict(`Container ${id} is already paused`);
        if (row.state !== 'running') throw conflict(`Container ${id} is not running`);
        row.state = 'paused';
        row.status = 'Up 2 minutes (Paused)';
        return this.emitFor(row, 'pause');
      case 'unpause':
        if (row.state !== 'paused') throw conflict(`Container ${id} is not paused`);
        row.state = 'running';
        row.status = 'Up 2 minutes';
        return this.emitFor(row, 'unpause');
      case 'kill': {
        if (!isUp) throw conflict(`Cannot kill container: ${id}: Container ${id} is not running`);
        const signal = options?.signal ?? 'SIGKILL';
        const exitCode = SIGNAL_EXIT[signal];
        this.emitFor(row, 'kill');
        // Signals a sleeping PID 1 ignores by default (SIGUSR1/2 here) leave it running.
        if (exitCode === undefined) return;
        this.setExited(row, exitCode);
        return this.emitFor(row, 'die');
      }
      case 'remove':
        if (isUp && !options?.remove?.force) {
          throw conflict(
            `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`,
          );
        }
        if (isUp) {
          this.setExited(row, 137);
          this.emitFor(row, 'kill', 'die');
        }
        this.rows = this.rows.filter((r) => r !== row);
        return this.emitFor(row, 'destroy');
    }
  }

  /** Top-level images, as `docker images`: tagged ones, and untagged ones nothing is built on. */
  async listImages(): Promise<ImageRow[]> {
    return (await this.listImageTree())
      .filter((image) => image.tags.length > 0 || !this.hasChildren(image.id))
      .map(({ parentId: _parentId, ...row }) => row);
  }

  async listImageTree(): Promise<ImageNode[]> {
    this.checkUp();
    return this.images.map(({ details: _details, ...image }) => ({
      ...structuredClone(image),
      dangling: image.tags.length === 0,
      containers: this.imageUsers(image),
    }));
  }

  /** A busybox-like image's inspect and one-step history, overridden by the image's `details`. */
  async inspectImage(idOrTag: string): Promise<ImageDetails> {
    this.checkUp();
    const image = this.findImage(idOrTag);
    return {
      id: image.id,
      tags: [...image.tags],
      digests: [],
      created: new Date(image.created * 1000).toISOString(),
      architecture: 'amd64',
      variant: '',
      os: 'linux',
      author: '',
      size: image.size,
      entrypoint: [],
      cmd: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      exposedPorts: [],
      labels: {},
      workingDir: '',
      user: '',
      volumes: [],
      history: [{ id: image.id, created: image.created, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', size: image.size, tags: [...image.tags], comment: '' }],
      ...structuredClone(image.details),
    };
  }

  async listVolumes(): Promise<VolumeRow[]> {
    this.checkUp();
    return this.volumes.map(({ users, ...volume }) => ({
      ...structuredClone(volume),
      anonymous: volume.labels['com.docker.volume.anonymous'] !== undefined || /^[0-9a-f]{64}$/.test(volume.name),
      usedBy: this.rows.filter((row) => users.includes(row.id)).map((row) => ({ id: row.id, name: row.name })),
    }));
  }

  async listNetworks(): Promise<NetworkRow[]> {
    this.checkUp();
    return this.networks.map(({ attached, ...network }) => ({
      ...structuredClone(network),
      predefined: PREDEFINED.has(network.name),
      containers: attached.flatMap(({ id, ipv4 }) => {
        const row = this.rows.find((r) => r.id === id && (r.state === 'running' || r.state === 'paused'));
        return row ? [{ id, name: row.name, ipv4 }] : [];
      }),
    }));
  }

  async diskUsage(): Promise<DiskUsage> {
    this.checkUp();
    const images = await this.listImages();
    const volumes = await this.listVolumes();
    const isUp = (row: ContainerRow) => row.state === 'running' || row.state === 'paused' || row.state === 'restarting';
    const sizeOf = (row: ContainerRow) => this.containerSizes.get(row.id) ?? 0;
    const unused = images.filter((i) => i.containers.length === 0);
    const idle = this.rows.filter((row) => !isUp(row));
    const freeVolumes = volumes.filter((v) => v.usedBy.length === 0);
    return {
      images: {
        count: images.length,
        active: images.length - unused.length,
        size: images.reduce((sum, i) => sum + i.size, 0),
        reclaimable: unused.reduce((sum, i) => sum + i.size - Math.max(0, i.sharedSize), 0),
      },
      containers: {
        count: this.rows.length,
        active: this.rows.length - idle.length,
        size: this.rows.reduce((sum, row) => sum + sizeOf(row), 0),
        reclaimable: idle.reduce((sum, row) => sum + sizeOf(row), 0),
      },
      volumes: {
        count: volumes.length,
        active: volumes.length - freeVolumes.length,
        size: volumes.reduce((sum, v) => sum + Math.max(0, v.size), 0),
        reclaimable: freeVolumes.reduce((sum, v) => sum + Math.max(0, v.size), 0),
      },
      buildCache: {
        count: this.buildCache.length,
        active: 0,
        size: this.buildCache.reduce((sum, r) => sum + r.size, 0),
        reclaimable: this.buildCache.reduce((sum, r) => sum + r.size, 0),
      },
      containerSizes: Object.fromEntries(this.rows.map((row) => [row.id, sizeOf(row)])),
      volumeSizes: Object.fromEntries(volumes.map((v) => [v.name, v.size])),
      buildCacheItems: this.buildCache.map(({ id, name, size }) => ({ id, name, size })),
    };
  }

  async removeImage(idOrTag: string, options: RemoveImageOptions = {}): Promise<ImageRemoval[]> {
    this.checkUp();
    const image = this.findImage(idOrTag);
    const byTag = image.tags.includes(idOrTag);
    if (byTag && (image.tags.length > 1)) {
      image.tags = image.tags.filter((t) => t !== idOrTag);
      this.emit(resourceEvent('image', 'untag', image.id));
      return [{ untagged: idOrTag }];
    }
    if (this.hasChildren(image.id)) {
      throw conflict(`conflict: unable to delete ${image.id.slice(7, 19)} (cannot be forced) - image has dependent child images`);
    }
    const users = this.imageUsers(image);
    // As the daemon: a running user is a hard conflict that force does not override.
    const runningUser = users.find((u) => this.rows.some((row) => row.id === u.id && row.state === 'running'));
    if (runningUser) {
      throw conflict(`conflict: unable to delete ${image.id.slice(7, 19)} (cannot be forced) - image is being used by running container ${runningUser.id.slice(0, 12)}`);
    }
    if (users.length > 0 && !options.force) {
      throw conflict(`conflict: unable to delete ${image.id.slice(7, 19)} (must be forced) - image is being used by container ${users[0]?.id.slice(0, 12)}`);
    }
    if (!byTag && image.tags.length > 1 && !options.force) {
      throw conflict(`conflict: unable to delete ${image.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`);
    }
    this.images = this.images.filter((i) => i !== image);
    for (const action of [...image.tags.map(() => 'untag'), 'delete']) this.emit(resourceEvent('image', action, image.id));
    const removed = [...image.tags.map((tag) => ({ untagged: tag })), { deleted: image.id }];
    return options.noprune ? removed : [...removed, ...this.pruneParents(image.parentId)];
  }

  /** As the engine does after a removal without noprune: untagged parents nothing else needs go too. */
  private pruneParents(parentId: string): ImageRemoval[] {
    const removed: ImageRemoval[] = [];
    let parent = this.images.find((i) => i.id === parentId);
    while (parent && parent.tags.length === 0 && !this.hasChildren(parent.id) && this.imageUsers(parent).length === 0) {
      const gone = parent;
      this.images = this.images.filter((i) => i !== gone);
      this.emit(resourceEvent('image', 'delete', gone.id));
      removed.push({ deleted: gone.id });
      parent = this.images.find((i) => i.id === gone.parentId);
    }
    return removed;
  }

  async removeBuildCache(id: string): Promise<string[]> {
    this.checkUp();
    if (!this.buildCache.some((r) => r.id === id) || this.buildCache.some((r) => r.parent === id)) return [];
    this.buildCache = this.buildCache.filter((r) => r.id !== id);
    return [id];
  }

  async removeVolume(name: string, _options: { force?: boolean } = {}): Promise<void> {
    this.checkUp();
    const volume = this.volumes.find((v) => v.name === name);
    if (!volume) throw new EngineRequestError(`get ${name}: no such volume`, 404);
    const users = volume.users.filter((id) => this.rows.some((row) => row.id === id));
    if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    this.volumes = this.volumes.filter((v) => v !== volume);
    this.emit(resourceEvent('volume', 'destroy', name));
  }

  async removeNetwork(id: string): Promise<void> {
    this.checkUp();
    const network = this.networks.find((n) => n.id === id || n.name === id);
    if (!network) throw new EngineRequestError(`network ${id} not found`, 404);
    if (PREDEFINED.has(network.name)) {
      throw new EngineRequestError(`${network.name} is a pre-defined network and cannot be removed`, 403);
    }
    const row = (await this.listNetworks()).find((n) => n.id === network.id);
    if (row && row.containers.length > 0) {
      throw new EngineRequestError(`error while removing network: network ${network.name} id ${network.id} has active endpoints`, 403);
    }
    this.networks = this.networks.filter((n) => n !== network);
    this.emit(resourceEvent('network', 'destroy', network.id));
  }

  /**
   * A pull from `registry` in the engine's own progress lines (one layer, the image's size), run
   * through the real progress parser; the image is listed once the pull is done.
   */
  async pullImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>> {
    this.checkUp();
    const parsed = parseImageReference(reference);
    const remote = this.registry.get(formatReference(parsed));
    const tag = familiarReference(parsed);
    if (!remote) {
      return transferStates('pull', [JSON.stringify({ error: `manifest for ${tag} not found: manifest unknown: manifest unknown` })], parsed.domain, signal);
    }
    const layer = { id: remote.id.slice(7, 19) };
    const lines = [
      { status: `Pulling from ${parsed.path}`, id: parsed.tag },
      { status: 'Pulling fs layer', progressDetail: {}, ...layer },
      { status: 'Downloading', progressDetail: { current: Math.floor(remote.size / 2), total: remote.size }, ...layer },
      { status: 'Download complete', progressDetail: {}, ...layer },
      { status: 'Extracting', progressDetail: { current: remote.size, total: remote.size }, ...layer },
      { status: 'Pull complete', progressDetail: {}, ...layer },
      { status: `Digest: sha256:${fakeId(`digest of ${remote.id}`)}` },
      { status: `Status: Downloaded newer image for ${tag}` },
    ];
    return this.afterTransfer(transferStates('pull', lines.map((line) => JSON.stringify(line)), parsed.domain, signal), () => {
      const local = this.images.find((i) => i.id === remote.id);
      if (local) return this.addTag(local, tag);
      this.images.push({ ...remote, tags: [tag] });
      // As the engine: a pull is on the event stream (under the reference), which lists the image anew.
      this.emit(resourceEvent('image', 'pull', tag));
    });
  }

  /** A push of a local tag into `registry`, in the engine's own progress lines. */
  async pushImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>> {
    this.checkUp();
    const parsed = parseImageReference(reference);
    const tag = familiarReference(parsed);
    const image = this.images.find((i) => i.tags.includes(tag));
    const lines: object[] = [{ status: `The push refers to repository [${repositoryOf(parsed)}]` }];
    if (!image) {
      lines.push({ error: `An image does not exist locally with the tag: ${repositoryOf(parsed)}` });
      return transferStates('push', lines.map((line) => JSON.stringify(line)), parsed.domain, signal);
    }
    const layer = { id: image.id.slice(7, 19) };
    const digest = `sha256:${fakeId(`digest of ${image.id}`)}`;
    lines.push(
      { status: 'Preparing', progressDetail: {}, ...layer },
      { status: 'Pushing', progressDetail: { current: Math.floor(image.size / 2), total: image.size }, ...layer },
      { status: 'Pushed', progressDetail: {}, ...layer },
      { status: `${parsed.tag}: digest: ${digest} size: 527` },
      { progressDetail: {}, aux: { Tag: parsed.tag, Digest: digest, Size: 527 } },
    );
    return this.afterTransfer(transferStates('push', lines.map((line) => JSON.stringify(line)), parsed.domain, signal), () => {
      const { details: _details, ...pushed } = image;
      this.registry.set(formatReference(parsed), { ...pushed, tags: [] });
    });
  }

  async tagImage(source: string, target: string): Promise<void> {
    this.checkUp();
    const parsed = parseImageReference(target);
    if (parsed.digest !== undefined) throw new InvalidReferenceError(target, 'a tag cannot hold a digest');
    this.addTag(this.findImage(source), familiarReference(parsed));
  }

  /** As the engine: a tag names one image, so tagging moves it from the image that had it. */
  private addTag(image: FakeImage, tag: string): void {
    for (const other of this.images) other.tags = other.tags.filter((t) => t !== tag);
    image.tags.push(tag);
    this.emit(resourceEvent('image', 'tag', image.id));
  }

  /** Passes the transfer's states on, and makes its effect once it is done (not when it failed or was cancelled). */
  private async *afterTransfer(states: AsyncIterable<TransferState>, effect: () => void): AsyncGenerator<TransferState> {
    for await (const state of states) {
      if (state.outcome?.kind === 'done') effect();
      yield state;
    }
  }

  async swarmStatus() { this.checkUp(); return this.swarm.swarmStatus(); }
  async listServices() { this.checkUp(); return this.swarm.listServices(); }
  async listTasks(serviceId: string) { this.checkUp(); return this.swarm.listTasks(serviceId); }
  async listNodes() { this.checkUp(); return this.swarm.listNodes(); }
  async scaleService(id: string, replicas: number, version: number) { this.checkUp(); this.swarm.scaleService(id, replicas, version); }
  async removeService(id: string) { this.checkUp(); this.swarm.removeService(id); }
  async setNodeAvailability(id: string, availability: NodeAvailability, version: number) { this.checkUp(); this.swarm.setNodeAvailability(id, availability, version); }
  async serviceLogs(id: string, options: LogOptions, signal: AbortSignal) { this.checkUp(); return this.swarm.serviceLogs(id, options, signal); }

  /**
   * A build that reads the real context's Dockerfile and answers each instruction as a step, in
   * the classic builder's lines; the image (a new one, tagged) exists once the build is done.
   */
  async buildImage(contextDir: string, options: BuildOptions, signal: AbortSignal): Promise<AsyncIterable<BuildUpdate>> {
    this.checkUp();
    const dockerfile = await resolveDockerfile(contextDir, options.dockerfile);
    let tag: string;
    try {
      tag = familiarReference(parseImageReference(options.tag));
    } catch {
      return buildRefused('invalid reference format');
    }
    const steps = (await readFile(path.join(contextDir, dockerfile), 'utf8'))
      .split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    const image = makeImage();
    const lines = [
      ...steps.map((step, i) => ({ stream: `Step ${i + 1}/${steps.length} : ${step}\n` })),
      { aux: { ID: image.id } },
      { stream: `Successfully built ${image.id.slice(7, 19)}\n` },
      { stream: `Successfully tagged ${tag}\n` },
    ];
    return this.afterBuild(readBuildOutput(Readable.from(lines.map((line) => `${JSON.stringify(line)}\n`)), signal), image, tag);
  }

  /** Passes the build's updates on; the image exists once the build is done (not when cancelled). */
  private async *afterBuild(updates: AsyncIterable<BuildUpdate>, image: FakeImage, tag: string): AsyncGenerator<BuildUpdate> {
    for await (const update of updates) {
      if (update.kind === 'built') {
        this.images.push(image);
        this.addTag(image, tag);
      }
      yield update;
    }
  }

  /** Creates a running container from a local image; a taken name is refused in the daemon's words. */
  async runContainer(spec: RunSpec): Promise<string> {
    this.checkUp();
    // As the engine: no local image, no container (404); dockhand pulls nothing by itself.
    this.findImage(this.images.some((i) => i.id === spec.image) ? spec.image : familiarReference(parseImageReference(spec.image)));
    const taken = spec.name !== '' ? this.rows.find((r) => r.name === spec.name) : undefined;
    if (taken) {
      throw conflict(`Conflict. The container name "/${spec.name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    const row = makeContainer({
      ...(spec.name !== '' ? { name: spec.name } : {}),
      image: spec.image,
      command: spec.command.join(' '),
      created: Math.floor(Date.now() / 1000),
      status: 'Up Less than a second',
      labels: spec.labels,
      ports: spec.ports.map((p) => ({
        privatePort: p.containerPort, type: p.protocol,
        ...(p.hostPort !== '' ? { publicPort: Number(p.hostPort) } : {}),
        ...(p.hostIp !== '' ? { ip: p.hostIp } : {}),
      })),
    });
    this.rows.push(row);
    this.envs.set(row.id, [...spec.env]);
    this.emitFor(row, 'create', 'start');
    return row.id;
  }

  // ---- test controls ----

  /** Pushes an event to every open event stream. */
  emit(event: EngineEvent): void {
    for (const channel of this.channels) channel.push(event);
  }

  /** Adds a container behind dockhand's back and announces it, as `docker create` would. */
  addContainer(row: ContainerRow): ContainerRow {
    this.rows.push(structuredClone(row));
    this.emitFor(row, 'create');
    if (row.state === 'running') this.emitFor(row, 'start');
    return row;
  }

  /** Adds an image behind dockhand's back and announces it, as `docker pull` would. */
  addImage(image: FakeImage): void {
    this.images.push(structuredClone(image));
    this.emit(resourceEvent('image', 'pull', image.id));
  }

  /** Adds a volume behind dockhand's back and announces it, as `docker volume create` would. */
  addVolume(volume: FakeVolume): void {
    this.volumes.push(structuredClone(volume));
    this.emit(resourceEvent('volume', 'create', volume.name));
  }

  /** Adds a network behind dockhand's back and announces it, as `docker network create` would. */
  addNetwork(network: FakeNetwork): void {
    this.networks.push(structuredClone(network));
    this.emit(resourceEvent('network', 'create', network.id));
  }

  /** Removes a container behind dockhand's back (`docker rm -f` in another terminal). */
  removeContainer(idOrName: string): void {
    const row = this.rows.find((r) => r.id === idOrName || r.name === idOrName);
    if (!row) throw new Error(`FakeEngine: no container ${idOrName}`);
    this.rows = this.rows.filter((r) => r !== row);
    if (row.state === 'running' || row.state === 'paused') this.emitFor(row, 'kill', 'die');
    this.emitFor(row, 'destroy');
  }

  /** Changes a container without announcing it (the next list shows it). */
  updateContainer(idOrName: string, patch: Partial<ContainerRow>): void {
    const row = this.rows.find((r) => r.id === idOrName || r.name === idOrName);
    if (!row) throw new Error(`FakeEngine: no container ${idOrName}`);
    Object.assign(row, structuredClone(patch));
  }

  /** Replaces every container without announcing it (what a fresh list after a reconnect sees). */
  setContainers(rows: readonly ContainerRow[]): void {
    this.rows = rows.map((row) => structuredClone(row));
  }

  /** What the next readings of this container report. */
  setStats(id: string, stats: Partial<FakeStats>): void {
    this.stats.set(id, { ...(this.stats.get(id) ?? DEFAULT_STATS), ...stats });
  }

  /** Extra KEY=VALUE entries the container's inspect reports in Config.Env. */
  setEnv(idOrName: string, env: string[]): void {
    const row = this.find(idOrName);
    if (!row) throw new Error(`FakeEngine: no container ${idOrName}`);
    this.envs.set(row.id, [...env]);
  }

  /** The container's log for `logs`, oldest first. */
  setLogs(idOrName: string, lines: LogLine[]): void {
    const row = this.find(idOrName);
    if (!row) throw new Error(`FakeEngine: no container ${idOrName}`);
    this.logLines.set(row.id, structuredClone(lines));
  }

  /** The next containerAction call fails with the daemon's message (after being recorded). */
  failNext(message: string, statusCode = 500): void {
    this.failures.push(new EngineRequestError(message, statusCode));
  }

  /**
   * The engine goes away: open event streams fail with `reason`, and every request fails with it
   * until `reconnect()`.
   */
  disconnect(reason = 'connect ECONNREFUSED /var/run/docker.sock'): void {
    this.down = new EngineRequestError(reason);
    for (const channel of [...this.channels]) channel.end(this.down);
  }

  /** The engine answers again; a reconnecting client will subscribe and list afresh. */
  reconnect(): void {
    this.down = undefined;
  }

  /** Ends every open event stream cleanly (the daemon closed the connection), staying up. */
  closeEventStreams(): void {
    for (const channel of [...this.channels]) channel.end();
  }

  private checkUp(): void {
    if (this.down) throw this.down;
  }

  /** Containers (any state) created from the image, by id or by one of its tags. */
  private imageUsers(image: Pick<FakeImage, 'id' | 'tags'>): Array<{ id: string; name: string }> {
    return this.rows
      .filter((row) => row.image === image.id || image.tags.includes(row.image) || image.tags.includes(`${row.image}:latest`))
      .map((row) => ({ id: row.id, name: row.name }));
  }

  private hasChildren(id: string): boolean {
    return this.images.some((i) => i.parentId === id);
  }

  private findImage(idOrTag: string): FakeImage {
    const image = this.images.find((i) => i.id === idOrTag || i.tags.includes(idOrTag));
    if (!image) throw new EngineRequestError(`No such image: ${idOrTag}`, 404);
    return image;
  }

  private timesOf(row: ContainerRow): { startedAt: number; finishedAt: number } {
    let times = this.times.get(row.id);
    if (!times) {
      times = { startedAt: row.created * 1000, finishedAt: row.state === 'exited' ? row.created * 1000 + 60_000 : 0 };
      this.times.set(row.id, times);
    }
    return times;
  }

  private setRunning(row: ContainerRow): void {
    row.state = 'running';
    row.status = 'Up Less than a second';
    delete row.exitCode;
    this.timesOf(row).startedAt = Date.now();
  }

  private setExited(row: ContainerRow, exitCode: number): void {
    row.state = 'exited';
    row.exitCode = exitCode;
    row.status = `Exited (${exitCode}) Less than a second ago`;
    this.timesOf(row).finishedAt = Date.now();
  }

  private emitFor(row: ContainerRow, ...actions: string[]): void {
    for (const action of actions) this.emit(containerEvent(action, row));
  }
}

/** A container event as parseEventLine produces it: name, image and labels in the attributes. */
export function containerEvent(action: string, row: Pick<ContainerRow, 'id' | 'name' | 'image' | 'labels'>): EngineEvent {
  const nowMs = Date.now();
  return {
    type: 'container',
    action,
    id: row.id,
    attributes: { ...row.labels, name: row.name, image: row.image },
    time: Math.floor(nowMs / 1000),
    timeNano: `${BigInt(nowMs) * 1_000_000n}`,
  };
}

/** An image, volume or network event; the real ones carry the resource's name and labels too. */
function resourceEvent(type: 'image' | 'volume' | 'network', action: string, id: string): EngineEvent {
  const nowMs = Date.now();
  return { type, action, id, attributes: {}, time: Math.floor(nowMs / 1000), timeNano: `${BigInt(nowMs) * 1_000_000n}` };
}

function noSuchContainer(id: string): EngineRequestError {
  return new EngineRequestError(`No such container: ${id}`, 404);
}

function conflict(message: string): EngineRequestError {
  return new EngineRequestError(message, 409);
}
