import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ActionOptions, Engine, ImageNode } from './engine.js';
import {
  baseImageRegistries, buildRefused, contextEntries, packContext, readBuildOutput, resolveDockerfile, type BuildOptions, type BuildUpdate,
} from './build.js';
import { parseDiskUsage, type DfDocument } from './disk-usage.js';
import { registryAuthHeader, registryConfigHeader } from './credentials.js';
import { EngineRequestError, toEngineError } from './errors.js';
import { parseEventLine } from './events.js';
import { REFUSED_START_EXIT, refusedStartExitCode } from './exit-codes.js';
import {
  authKeyOf, familiarImageName, InvalidReferenceError, parseImageReference, repositoryDigest, repositoryOf, type ImageReference,
} from './image-reference.js';
import { readLines } from './lines.js';
import { readLogLines, type LogLine, type LogOptions } from './log-stream.js';
import { podNamesById, type RawLibpodContainer } from './podman-pods.js';
import {
  failedTransfer, finishTransfer, initialTransfer, transferStates, type TransferKind, type TransferState, withPulledDigest,
} from './pull-progress.js';
import {
  toImageDetails, toImageRows, toNetworkRows, toVolumeRows, type RawContainer, type RawImage, type RawImageInspect,
  type RawImageLayer, type RawNetwork, type RawVolume,
} from './resource-rows.js';
import type {
  DiskUsage, ImageDetails, ImageRemoval, ImageRow, NetworkRow, RemoveImageOptions, VolumeRow,
} from './resource-types.js';
import { ContainerStartError, createQuery, runSpecToCreateOptions, type RunSpec } from './run-spec.js';
import type { SshTunnel } from './ssh-tunnel.js';
import { parseStats, type StatsSample } from './stats.js';
import {
  labelServiceLines, toNodeRows, toServiceRows, toSwarmStatus, toTaskRows, type NodeAvailability, type NodeRow,
  type RawNode, type RawNodeSpec, type RawService, type RawServiceSpec, type RawSwarmInfo, type RawTask, type ServiceRow,
  type SwarmStatus, type TaskRow,
} from './swarm.js';
import type {
  ContainerAction, ContainerDetails, ContainerRow, ContainerState, Endpoint, EngineEvent, EngineInfo,
  Health, MountInfo, PortMapping, ProcessTable,
} from './types.js';

/** dockerode passes abortSignal through on every call, but its published types omit it. */
function withSignal<T extends object>(signal: AbortSignal | undefined, options: T = {} as T): T {
  return { ...options, abortSignal: signal };
}

/** The calls whose published types take no options at all, though dockerode reads them. */
interface OptionTakingCalls {
  version(options: object): Promise<VersionAnswer>;
  ping(options: object): Promise<unknown>;
  getEvents(options: object): Promise<NodeJS.ReadableStream>;
}

function optionTaking(docker: Docker): OptionTakingCalls {
  return docker as unknown as OptionTakingCalls;
}

/** The newest API version whose answers dockhand has been checked against. */
export const MAX_API_VERSION = '1.47';

/** Variables docker-modem reads by itself; dockhand resolves the endpoint and passes it explicitly. */
const MODEM_ENV = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'];

/**
 * docker-modem merges its own reading of DOCKER_HOST and friends over nothing we can switch off:
 * an env host beats the socketPath we pass, an unreadable DOCKER_CERT_PATH throws, and
 * DOCKER_CLIENT_TIMEOUT would cut idle event streams. So construct with those hidden.
 */
function withoutModemEnv<T>(make: () => T): T {
  const saved = MODEM_ENV.map((key) => [key, process.env[key]] as const);
  for (const key of MODEM_ENV) delete process.env[key];
  try {
    return make();
  } finally {
    for (const [key, value] of saved) if (value !== undefined) process.env[key] = value;
  }
}

/**
 * An ssh endpoint is spoken to through the local end of its tunnel. Requests share connections
 * kept alive (Node's default agent) unless `pooled` is false: then each opens one of its own.
 */
export function createDockerClient(endpoint: Endpoint, apiVersion?: string, tunnel?: SshTunnel, pooled = true): Docker {
  const version = apiVersion ? `v${apiVersion}` : undefined;
  // docker-modem hands `agent` to every request it makes; its types omit it.
  const own = (agent: http.Agent) => (pooled ? {} : { agent }) as Docker.DockerOptions;
  if (endpoint.kind === 'ssh') {
    // docker-modem's own ssh transport opens one SSH connection per request and reads no ~/.ssh/config.
    if (!tunnel) throw new Error(`${endpoint.url} is reached through an SshTunnel (see connect())`);
    return withoutModemEnv(() => new Docker({ socketPath: tunnel.socketPath, version, ...own(new http.Agent()) }));
  }
  if (endpoint.kind === 'unix') {
    return withoutModemEnv(() => new Docker({ socketPath: endpoint.socketPath, version, ...own(new http.Agent()) }));
  }
  const tls = endpoint.tls;
  const options: Docker.DockerOptions = {
    host: endpoint.hostname,
    port: endpoint.port,
    protocol: tls ? 'https' : 'http',
    version,
    ...own(tls ? new https.Agent() : new http.Agent()),
  };
  if (tls) {
    const ca = tls.ca ? readFileSync(tls.ca) : undefined;
    const cert = tls.cert ? readFileSync(tls.cert) : undefined;
    const key = tls.key ? readFileSync(tls.key) : undefined;
    Object.assign(options, { ca, cert, key });
    if (!tls.verify) {
      // SkipTLSVerify: still encrypt, but accept any certificate, as the Docker CLI does.
      (options as Record<string, unknown>)['agent'] = new https.Agent({ ca, cert, key, rejectUnauthorized: false });
    }
  }
  return withoutModemEnv(() => new Docker(options));
}

/** Lower of two dotted API versions. */
export function lowerVersion(a: string, b: string): string {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map((part) => Number(part) || 0);
  const [aMajor = 0, aMinor = 0] = parse(a);
  const [bMajor = 0, bMinor = 0] = parse(b);
  return aMajor < bMajor || (aMajor === bMajor && aMinor < bMinor) ? a : b;
}

export function apiAtLeast(version: string, minimum: string): boolean {
  return lowerVersion(version, minimum) === minimum;
}

interface VersionAnswer {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  Arch?: string;
  Components?: Array<{ Name?: string }>;
}

/**
 * Asks the engine what it speaks and pins the lower of that and what dockhand knows, as the
 * Docker CLI does (dockerode itself negotiates nothing).
 */
export async function openDockerEngine(endpoint: Endpoint, signal?: AbortSignal, tunnel?: SshTunnel): Promise<DockerEngine> {
  await tunnel?.ensure();
  const probe = createDockerClient(endpoint, undefined, tunnel);
  const answer = await optionTaking(probe).version(withSignal(signal));
  const serverApiVersion = answer.ApiVersion ?? '1.24';
  const apiVersion = lowerVersion(serverApiVersion, MAX_API_VERSION);
  const product = answer.Components?.some((c) => c.Name === 'Podman Engine') ? 'Podman Engine' : 'Docker Engine';
  const info: EngineInfo = {
    endpoint,
    serverVersion: answer.Version ?? 'unknown',
    serverApiVersion,
    apiVersion,
    product,
    os: answer.Os ?? '',
    arch: answer.Arch ?? '',
  };
  return new DockerEngine(createDockerClient(endpoint, apiVersion, tunnel), info, tunnel, createDockerClient(endpoint, apiVersion, tunnel, false));
}

/** What dockerd waits for a container without a stop timeout of its own before SIGKILL. */
const DOCKER_STOP_TIMEOUT_SECONDS = 10;

const KNOWN_STATES: ReadonlySet<string> = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

function toState(value: unknown): ContainerState {
  return typeof value === 'string' && KNOWN_STATES.has(value) ? (value as ContainerState) : 'dead';
}

/** The list endpoint has no exit code field; its status text does: "Exited (137) 2 minutes ago". */
export function exitCodeFromStatus(status: string): number | undefined {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

export function healthFromStatus(status: string): Health {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return undefined;
}

function toHealth(status: unknown): Health {
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : undefined;
}

function toPorts(ports: Docker.Port[] | undefined): PortMapping[] {
  return (ports ?? []).map((p) => ({
    privatePort: p.PrivatePort,
    ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
    ...(p.IP ? { ip: p.IP } : {}),
    type: p.Type,
  }));
}

/**
 * The container's own name. The list can also carry legacy link aliases ("/app/db"), and not
 * always last; like the Docker CLI, take the first name with no slash after the leading one.
 */
function containerName(info: Docker.ContainerInfo): string {
  const names = (info.Names ?? []).map((n) => n.replace(/^\//, ''));
  return names.find((n) => !n.includes('/')) ?? names[0] ?? info.Id.slice(0, 12);
}

export function toContainerRow(info: Docker.ContainerInfo): ContainerRow {
  const labels = info.Labels ?? {};
  const status = info.Status ?? '';
  const state = toState(info.State);
  const exitCode = state === 'exited' ? exitCodeFromStatus(status) : undefined;
  const project = labels['com.docker.compose.project'];
  const service = labels['com.docker.compose.service'];
  return {
    id: info.Id,
    name: containerName(info),
    image: info.Image,
    command: info.Command ?? '',
    state,
    status,
    ...(exitCode !== undefined ? { exitCode } : {}),
    health: healthFromStatus(status),
    created: info.Created,
    ports: toPorts(info.Ports),
    labels,
    ...(project ? { project } : {}),
    ...(service ? { service } : {}),
  };
}

function joinCommand(parts: unknown): string {
  return Array.isArray(parts) ? parts.map(String).join(' ') : typeof parts === 'string' ? parts : '';
}

function portsFromInspect(bindings: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined): PortMapping[] {
  const ports: PortMapping[] = [];
  for (const [key, hostBindings] of Object.entries(bindings ?? {})) {
    const [privatePort = '0', type = 'tcp'] = key.split('/');
    if (!hostBindings || hostBindings.length === 0) {
      ports.push({ privatePort: Number(privatePort), type });
      continue;
    }
    for (const binding of hostBindings) {
      ports.push({
        privatePort: Number(privatePort),
        publicPort: Number(binding.HostPort),
        ...(binding.HostIp ? { ip: binding.HostIp } : {}),
        type,
      });
    }
  }
  return ports;
}

export function toContainerDetails(doc: Docker.ContainerInspectInfo): ContainerDetails {
  const state = doc.State;
  const restart = doc.HostConfig?.RestartPolicy;
  const mounts: MountInfo[] = (doc.Mounts ?? []).map((m) => ({
    type: m.Type ?? '', source: m.Source ?? m.Name ?? '', destination: m.Destination, rw: m.RW,
  }));
  return {
    id: doc.Id,
    name: doc.Name.replace(/^\//, ''),
    image: doc.Config?.Image ?? '',
    imageId: doc.Image,
    command: joinCommand(doc.Config?.Cmd),
    entrypoint: joinCommand(doc.Config?.Entrypoint),
    created: doc.Created,
    state: toState(state?.Status),
    exitCode: state?.ExitCode ?? 0,
    error: state?.Error ?? '',
    oomKilled: state?.OOMKilled ?? false,
    health: toHealth(state?.Health?.Status),
    startedAt: state?.StartedAt ?? '',
    finishedAt: state?.FinishedAt ?? '',
    restartCount: doc.RestartCount ?? 0,
    restartPolicy: restart?.Name
      ? restart.Name + (restart.MaximumRetryCount ? `:${restart.MaximumRetryCount}` : '')
      : 'no',
    ports: portsFromInspect(doc.NetworkSettings?.Ports as never),
    mounts,
    labels: doc.Config?.Labels ?? {},
    tty: doc.Config?.Tty ?? false,
    openStdin: doc.Config?.OpenStdin ?? false,
    env: doc.Config?.Env ?? [],
    healthFailingStreak: state?.Health?.FailingStreak ?? 0,
    healthLog: (state?.Health?.Log ?? []).map((probe) => ({
      start: probe.Start, end: probe.End, exitCode: probe.ExitCode, output: probe.Output ?? '',
    })),
    networks: Object.entries(doc.NetworkSettings?.Networks ?? {}).map(([name, network]) => ({
      name,
      ipAddress: network.IPAddress ?? '',
      gateway: network.Gateway ?? '',
      macAddress: network.MacAddress ?? '',
    })),
    limits: {
      memory: doc.HostConfig?.Memory ?? 0,
      cpus: (doc.HostConfig?.NanoCpus ?? 0) / 1e9,
      cpuShares: doc.HostConfig?.CpuShares ?? 0,
      pidsLimit: doc.HostConfig?.PidsLimit ?? 0,
    },
    raw: doc as unknown as Record<string, unknown>,
  };
}

/** A real engine, spoken to through dockerode with a pinned API version (over ssh, through a tunnel). */
export class DockerEngine implements Engine {
  /** Before API 1.42 a second /system/df while one runs fails: one at a time. */
  private dfQueue: Promise<unknown> = Promise.resolve();
  /**
   * The engine's words for the last start it refused, by container id. Docker records a refused
   * start on the container (State.Error, exit code 127, 126 or 128); Podman leaves it created with
   * exit code 0 and no error, so its answer to the start is the only trace there is.
   */
  private readonly refusedStarts = new Map<string, string>();

  /**
   * `probe` answers pings on a connection of its own each time: a connection kept alive from
   * before still reaches dockerd after its socket was removed, where every new one fails.
   */
  constructor(
    private readonly docker: Docker,
    readonly info: EngineInfo,
    private readonly tunnel?: SshTunnel,
    private readonly probe: Docker = docker,
  ) {}

  /** Ends the ssh tunnel, if the engine has one; the engine answers nothing afterwards. */
  close(): void {
    this.tunnel?.close();
  }

  /**
   * Every request goes through here. Over ssh, a dead ssh is started again first, so that the
   * store's reconnecting pings bring the link back once the host answers; and a request that
   * failed because of ssh fails with ssh's reason, not with "socket hang up".
   */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      await this.tunnel?.ensure();
      return await request();
    } catch (err) {
      throw toEngineError((await this.tunnel?.explainFailure(err)) ?? err);
    }
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.call(() => optionTaking(this.probe).ping(withSignal(signal)));
  }

  async listContainers(signal?: AbortSignal): Promise<ContainerRow[]> {
    const [infos, libpod] = await Promise.all([
      this.call(() => this.docker.listContainers(withSignal(signal, { all: true }))),
      this.libpodContainers(signal),
    ]);
    const pods = podNamesById(libpod);
    // Podman's compat list leaves the health out of Status; its libpod list has it in Status alone.
    const healths = new Map(libpod.map((container) => [container.Id, toHealth(container.Status)]));
    return infos.map((info) => {
      const row = toContainerRow(info);
      const pod = pods.get(row.id);
      const health = row.health ?? healths.get(row.id);
      return { ...row, health, ...(pod ? { pod } : {}) };
    });
  }

  /**
   * Podman only: its libpod list (served at any version prefix), for what the compat list leaves
   * out: pods and health. A nicety: a refused list leaves those unknown, not the containers unlisted.
   */
  private async libpodContainers(signal?: AbortSignal): Promise<RawLibpodContainer[]> {
    if (this.info.product !== 'Podman Engine') return [];
    return this.getJson<RawLibpodContainer[] | null>('/libpod/containers/json', signal, { all: 'true' })
      .then((containers) => containers ?? [], () => []);
  }

  async inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails> {
    const doc = await this.call(() => this.docker.getContainer(id).inspect(withSignal(signal, {})));
    return withRefusedStart(toContainerDetails(doc), this.refusedStarts.get(doc.Id));
  }

  async openEvents(signal: AbortSignal): Promise<AsyncIterable<EngineEvent>> {
    const stream = await this.call(() => optionTaking(this.docker).getEvents(withSignal(signal)));
    return parseEvents(stream, signal);
  }

  async sampleStats(id: string, signal?: AbortSignal): Promise<StatsSample> {
    // one-shot (API 1.41+) answers at the next collector tick with no previous reading;
    // older engines wait for two readings and send precpu themselves.
    const oneShot = apiAtLeast(this.info.apiVersion, '1.41');
    const doc = await this.call(() =>
      this.docker.getContainer(id).stats(withSignal(signal, { stream: false as const, 'one-shot': oneShot })),
    );
    return parseStats(doc);
  }

  async streamStats(id: string, signal: AbortSignal): Promise<AsyncIterable<StatsSample>> {
    const stream = await this.call(() =>
      this.docker.getContainer(id).stats(withSignal(signal, { stream: true as const })),
    );
    return parseStatsStream(stream, signal);
  }

  async top(id: string, signal?: AbortSignal): Promise<ProcessTable> {
    const answer = (await this.call(() => this.docker.getContainer(id).top(withSignal(signal, {})))) as {
      Titles?: string[];
      Processes?: string[][];
    };
    return { titles: answer.Titles ?? [], processes: answer.Processes ?? [] };
  }

  async logs(id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>> {
    const body = await this.logStream(`/containers/${encodeURIComponent(id)}/logs?`, 'no such container', options, signal);
    return readLogLines(body, options, signal);
  }

  /** A container's or a service's log body. */
  private logStream(path: string, missing: string, options: LogOptions, signal: AbortSignal, extra: object = {}): Promise<Readable> {
    const query = {
      stdout: true,
      stderr: true,
      follow: options.follow,
      timestamps: options.timestamps,
      tail: options.tail,
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...extra,
    };
    // Always a stream: dockerode's logs() without follow buffers the whole body, and docker-modem
    // JSON-parses a body that happens to be valid JSON.
    return this.dial<Readable>({
      path,
      method: 'GET',
      isStream: true,
      abortSignal: signal,
      statusCodes: { 200: true, 404: missing, 500: 'server error', 503: 'node is not a swarm manager' },
      options: query,
    });
  }

  async containerAction(id: string, action: ContainerAction, options: ActionOptions = {}): Promise<void> {
    const container = this.docker.getContainer(id);
    await this.call(async () => {
      switch (action) {
        case 'start': return this.start(id);
        case 'stop': return container.stop(await this.podmanStopQuery(container));
        case 'restart': return container.restart(await this.podmanStopQuery(container));
        case 'pause': return container.pause();
        case 'unpause': return container.unpause();
        case 'kill': return container.kill({ signal: options.signal ?? 'SIGKILL' });
        case 'remove':
          return container.remove({ force: options.remove?.force ?? false, v: options.remove?.removeVolumes ?? false });
      }
    });
  }

  /**
   * Podman before 4.7 gives a container created through the Docker API a stop timeout of 0 and
   * reads a missing `t` as that (podman#19139; restart reads it as 0 whatever the container has,
   * podman#29276): a stop would be an instant SIGKILL. So dockhand sends Podman the timeout Docker
   * would use: the container's own, else 10 s.
   */
  private async podmanStopQuery(container: Docker.Container): Promise<{ t: number } | undefined> {
    if (this.info.product !== 'Podman Engine') return undefined;
    // dockerode's types leave StopTimeout out of an inspect's Config.
    const { StopTimeout: stopTimeout } = (await container.inspect()).Config as { StopTimeout?: number };
    return { t: stopTimeout !== undefined && stopTimeout > 0 ? stopTimeout : DOCKER_STOP_TIMEOUT_SECONDS };
  }

  /** The raw container list: ImageID, Mounts and endpoints are what resources are used by. */
  private async rawContainers(signal?: AbortSignal): Promise<RawContainer[]> {
    return (await this.call(() => this.docker.listContainers(withSignal(signal, { all: true })))) as unknown as RawContainer[];
  }

  /** One request through the modem itself, where dockerode's own call drops an option dockhand needs. */
  private dial<T>(options: Parameters<Docker['modem']['dial']>[0]): Promise<T> {
    return this.call(() => new Promise<T>((resolve, reject) => {
      this.docker.modem.dial(options, (err, result) => (err ? reject(err) : resolve(result as T)));
    }));
  }

  /**
   * GET a JSON document at the pinned version through the modem itself: dockerode's df() passes
   * no options, and its image inspect() and history() drop the abort signal.
   */
  private getJson<T>(path: string, signal: AbortSignal | undefined, query: Record<string, string> = {}): Promise<T> {
    return this.dial<T>({
      path: `${path}?`,
      method: 'GET',
      abortSignal: signal,
      statusCodes: { 200: true, 400: 'bad parameter', 404: 'not found', 500: 'server error' },
      options: query,
    });
  }

  /** GET /system/df, one at a time. */
  private df(signal?: AbortSignal, type?: string): Promise<DfDocument> {
    // `type` exists from API 1.42; older engines always compute everything.
    const query: Record<string, string> = type && apiAtLeast(this.info.apiVersion, '1.42') ? { type } : {};
    const run = () => this.getJson<DfDocument | null>('/system/df', signal, query).then((doc) => doc ?? {});
    const answer = this.dfQueue.then(run, run);
    this.dfQueue = answer.catch(() => undefined);
    return answer;
  }

  /** all: intermediate images too (`docker images -a`). */
  private async rawImages(all: boolean, signal?: AbortSignal): Promise<{ images: RawListedImage[]; containers: RawContainer[] }> {
    const [images, containers] = await Promise.all([
      this.call(() => this.docker.listImages(withSignal(signal, { all }))),
      this.rawContainers(signal),
    ]);
    return { images: images as unknown as RawListedImage[], containers };
  }

  async listImages(signal?: AbortSignal): Promise<ImageRow[]> {
    const { images, containers } = await this.rawImages(false, signal);
    return toImageRows(images, containers);
  }

  async listImageTree(signal?: AbortSignal): Promise<ImageNode[]> {
    const { images, containers } = await this.rawImages(true, signal);
    return toImageRows(images, containers).map((row, i) => ({ ...row, parentId: imageIdOf(images[i]?.ParentId) }));
  }

  async inspectImage(id: string, signal?: AbortSignal): Promise<ImageDetails> {
    const path = `/images/${encodeURIComponent(id)}`;
    const [doc, history] = await Promise.all([
      this.getJson<RawImageInspect>(`${path}/json`, signal),
      this.getJson<RawImageLayer[] | null>(`${path}/history`, signal),
    ]);
    return toImageDetails(doc, history ?? []);
  }

  async listVolumes(signal?: AbortSignal): Promise<VolumeRow[]> {
    const [answer, containers, sizes] = await Promise.all([
      this.call(() => this.docker.listVolumes(withSignal(signal, {}))),
      this.rawContainers(signal),
      // Sizes are a nicety: a busy or refusing df leaves them unknown (-1), not the list empty.
      this.df(signal, 'volume').then((doc) => parseDiskUsage(doc).volumeSizes, () => ({})),
    ]);
    return toVolumeRows((answer.Volumes ?? []) as unknown as RawVolume[], containers, sizes);
  }

  async listNetworks(signal?: AbortSignal): Promise<NetworkRow[]> {
    const [networks, containers] = await Promise.all([
      this.call(() => this.docker.listNetworks(withSignal(signal, {}))),
      this.rawContainers(signal),
    ]);
    return toNetworkRows(networks as unknown as RawNetwork[], containers);
  }

  async diskUsage(signal?: AbortSignal): Promise<DiskUsage> {
    return parseDiskUsage(await this.df(signal));
  }

  async removeImage(idOrTag: string, options: RemoveImageOptions = {}): Promise<ImageRemoval[]> {
    const answer = (await this.call(() =>
      this.docker.getImage(idOrTag).remove({ force: options.force ?? false, noprune: options.noprune ?? false }),
    )) as unknown as Array<{ Untagged?: string; Deleted?: string }> | undefined;
    return (answer ?? []).map((line) => ({
      // Podman answers with the tag in full (docker.io/library/app:1): named as the list names it.
      ...(line.Untagged ? { untagged: familiarImageName(line.Untagged) } : {}),
      ...(line.Deleted ? { deleted: line.Deleted } : {}),
    }));
  }

  async removeVolume(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call(() => this.docker.getVolume(name).remove({ force: options.force ?? false }));
  }

  async removeNetwork(id: string): Promise<void> {
    await this.call(() => this.docker.getNetwork(id).remove());
  }

  async pullImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>> {
    const parsed = parseImageReference(reference);
    // As the CLI: a reference with both a tag and a digest is pulled by its digest.
    const states = await this.transfer('pull', parsed, signal, '/images/create?', { fromImage: repositoryOf(parsed), tag: parsed.digest ?? parsed.tag });
    return withPulledDigest(states, async () => repositoryDigest((await this.inspectImage(reference, signal)).digests, parsed));
  }

  async pushImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>> {
    const parsed = parseImageReference(reference);
    if (parsed.digest !== undefined) throw new InvalidReferenceError(reference, 'a push names a tag, not a digest');
    const path = `/images/${encodeURIComponent(repositoryOf(parsed))}/push?`;
    return this.transfer('push', parsed, signal, path, { tag: parsed.tag });
  }

  /**
   * A pull or push through the modem, with the credentials for the reference's registry. The
   * engine's refusal of the request itself (a pull's "manifest unknown" is a 404) ends the
   * transfer as a failure, like an error inside the stream does: the caller sees one kind of end.
   */
  private async transfer(
    kind: TransferKind,
    reference: ImageReference,
    signal: AbortSignal,
    path: string,
    query: Record<string, string | undefined>,
  ): Promise<AsyncIterable<TransferState>> {
    const key = await registryAuthHeader(this.info.endpoint.configDir, authKeyOf(reference), { signal });
    let body: Readable;
    try {
      body = await this.dial<Readable>({
        path,
        method: 'POST',
        isStream: true,
        abortSignal: signal,
        authconfig: { key },
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
        // Else the modem sends the query as a JSON body too.
        options: { _query: query, _body: {} },
      });
    } catch (err) {
      if (signal.aborted) return only(finishTransfer(initialTransfer(kind), true));
      if (!(err instanceof EngineRequestError) || err.statusCode === undefined) throw err;
      return only(failedTransfer(kind, err.message, reference.domain));
    }
    return transferStates(kind, readLines(body, signal), reference.domain, signal);
  }

  async tagImage(source: string, target: string): Promise<void> {
    const parsed = parseImageReference(target);
    if (parsed.digest !== undefined) throw new InvalidReferenceError(target, 'a tag cannot hold a digest');
    await this.call(() => this.docker.getImage(source).tag({ repo: repositoryOf(parsed), tag: parsed.tag }));
  }

  async removeBuildCache(id: string, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.dial<{ CachesDeleted?: string[] | null } | null>({
      path: '/build/prune?',
      method: 'POST',
      abortSignal: signal,
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      options: {
        // The engine matches an id filter as a regular expression (id~=): anchored, it selects
        // this one record. all: the record may be of a type a plain prune leaves (frontend,
        // internal), and it was previewed as it is.
        _query: { all: true, filters: { id: [`^${id}$`] } },
        // Else the modem sends the query as a JSON body too.
        _body: {},
      },
    });
    return answer?.CachesDeleted ?? [];
  }

  async swarmStatus(signal?: AbortSignal): Promise<SwarmStatus> {
    return toSwarmStatus(await this.getJson<RawSwarmInfo>('/info', signal), this.info.product);
  }

  async listServices(signal?: AbortSignal): Promise<ServiceRow[]> {
    // From API 1.41 the engine counts running and desired tasks itself; before, count as the CLI does.
    if (apiAtLeast(this.info.apiVersion, '1.41')) {
      return toServiceRows(await this.getJson<RawService[]>('/services', signal, { status: 'true' }));
    }
    const [services, tasks] = await Promise.all([
      this.getJson<RawService[]>('/services', signal),
      this.getJson<RawTask[]>('/tasks', signal, { filters: JSON.stringify({ 'desired-state': ['running'] }) }),
    ]);
    return toServiceRows(services, tasks);
  }

  async listTasks(serviceId: string, signal?: AbortSignal): Promise<TaskRow[]> {
    const [tasks, nodes] = await Promise.all([
      this.getJson<RawTask[]>('/tasks', signal, { filters: JSON.stringify({ service: [serviceId] }) }),
      this.getJson<RawNode[]>('/nodes', signal),
    ]);
    return toTaskRows(tasks, nodes);
  }

  async listNodes(signal?: AbortSignal): Promise<NodeRow[]> {
    return toNodeRows(await this.getJson<RawNode[]>('/nodes', signal));
  }

  async scaleService(id: string, replicas: number, version: number): Promise<void> {
    // An update replaces the whole spec, so it is read first; it goes out with the caller's
    // version, not the one just read, so that a change made since the caller looked is refused.
    const service = this.docker.getService(id);
    const { Spec: spec } = (await this.call(() => service.inspect())) as { Spec: RawServiceSpec };
    // Setting replicas on a global service or a job would turn it into another kind of service.
    if (!spec.Mode?.Replicated) throw new EngineRequestError(`${spec.Name ?? id} is not a replicated service: it does not scale`, 400);
    const scaled = { ...spec, Mode: { Replicated: { Replicas: replicas } } };
    await this.call(() => service.update({ _query: { version }, _body: scaled }));
  }

  async removeService(id: string): Promise<void> {
    await this.call(() => this.docker.getService(id).remove());
  }

  async setNodeAvailability(id: string, availability: NodeAvailability, version: number): Promise<void> {
    // As scaleService: the whole spec, with the caller's version.
    const node = this.docker.getNode(id);
    const { Spec: spec } = (await this.call(() => node.inspect())) as { Spec: RawNodeSpec };
    await this.call(() => node.update({ _query: { version }, _body: { ...spec, Availability: availability } }));
  }

  async serviceLogs(id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>> {
    // details: each line names its task, which the line is then labelled with.
    const body = await this.logStream(`/services/${encodeURIComponent(id)}/logs?`, 'no such service', options, signal, { details: true });
    return labelServiceLines(readLogLines(body, options, signal), () => this.listTasks(id, signal));
  }

  async buildImage(contextDir: string, options: BuildOptions, signal: AbortSignal): Promise<AsyncIterable<BuildUpdate>> {
    const dockerfile = await resolveDockerfile(contextDir, options.dockerfile);
    // A private base image is pulled with the credentials `docker build` would send for it.
    const registries = baseImageRegistries(await readFile(path.join(contextDir, dockerfile), 'utf8'));
    const registryConfig = await registryConfigHeader(this.info.endpoint.configDir, registries, { signal });
    const context = packContext(contextDir, await contextEntries(contextDir, dockerfile));
    let body: Readable;
    try {
      body = await this.dial<Readable>({
        path: '/build?',
        method: 'POST',
        file: context,
        isStream: true,
        abortSignal: signal,
        registryconfig: { base64: registryConfig },
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        // rm: intermediate containers go once their step succeeded, as the CLI's default.
        options: { t: options.tag, dockerfile, rm: true },
      });
    } catch (err) {
      context.destroy();
      // A refusal of the request (a malformed tag) ends the build as an error inside it does.
      if (!(err instanceof EngineRequestError) || err.statusCode === undefined) throw err;
      return buildRefused(err.message);
    }
    return readBuildOutput(body, signal);
  }

  async runContainer(spec: RunSpec): Promise<string> {
    const created = await this.dial<{ Id: string }>({
      path: '/containers/create?',
      method: 'POST',
      statusCodes: { 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
      options: { _query: createQuery(spec), _body: runSpecToCreateOptions(spec) },
    });
    try {
      await this.call(() => this.start(created.Id));
    } catch (err) {
      throw new ContainerStartError(created.Id, toEngineError(err).message);
    }
    return created.Id;
  }

  /** Starts a container by its full id, remembering the engine's words when it refuses. */
  private async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
      this.refusedStarts.delete(id);
    } catch (err) {
      const refusal = toEngineError(err);
      // The engine's answer about the container itself (its command, a mount): not a lost
      // connection (no status), a container gone (404) or one already running (304).
      const aboutTheContainer = refusal.statusCode !== undefined && refusal.statusCode !== 404 && refusal.statusCode !== 304;
      if (aboutTheContainer) this.refusedStarts.set(id, refusal.message);
      throw err;
    }
  }
}

/**
 * A created container's details with the start the engine refused, as Docker records one: its
 * words as the error and the exit code the CLI gives (127 not found, 126 not runnable, else 128).
 */
export function withRefusedStart(details: ContainerDetails, refusal: string | undefined): ContainerDetails {
  if (refusal === undefined || details.state !== 'created' || details.error) return details;
  return { ...details, error: refusal, exitCode: refusedStartExitCode(refusal) ?? REFUSED_START_EXIT };
}

/** The image list's ParentId, which only the image tree needs. */
interface RawListedImage extends RawImage {
  ParentId?: string;
}

/** A ParentId as the image ids it points at are written: Podman sends the bare hex, without `sha256:`. */
export function imageIdOf(parentId: string | undefined): string {
  return parentId && !parentId.includes(':') ? `sha256:${parentId}` : parentId ?? '';
}

async function* only<T>(value: T): AsyncGenerator<T> {
  yield value;
}

async function* parseStatsStream(stream: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<StatsSample> {
  for await (const line of readLines(stream, signal)) {
    try {
      yield parseStats(JSON.parse(line));
    } catch {
      // A truncated document is skipped; the next one is a second away.
    }
  }
}

async function* parseEvents(stream: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<EngineEvent> {
  for await (const line of readLines(stream, signal)) {
    const event = parseEventLine(line);
    if (event) yield event;
  }
}
