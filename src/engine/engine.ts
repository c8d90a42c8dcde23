import type {
  ContainerAction, ContainerDetails, ContainerRow, EngineEvent, EngineInfo, KillSignal, ProcessTable, RemoveOptions,
} from './types.js';
import type { BuildOptions, BuildUpdate } from './build.js';
import type { LogLine, LogOptions } from './log-stream.js';
import type {
  DiskUsage, ImageDetails, ImageRemoval, ImageRow, NetworkRow, RemoveImageOptions, VolumeRow,
} from './resource-types.js';
import type { TransferState } from './pull-progress.js';
import type { RunSpec } from './run-spec.js';
import type { StatsSample } from './stats.js';
import type { NodeAvailability, NodeRow, ServiceRow, SwarmStatus, TaskRow } from './swarm.js';

export interface ActionOptions {
  signal?: KillSignal;
  remove?: RemoveOptions;
}

/** An image of `docker images -a`: the classic builder's intermediate steps too, each with its parent. */
export interface ImageNode extends ImageRow {
  /** '' when the image has none (pulled, or built FROM scratch) */
  parentId: string;
}

/**
 * Everything dockhand asks of a Docker engine. The dockerode adapter implements it for real
 * engines; view tests implement it with a fake. Nothing outside src/engine sees dockerode.
 */
export interface Engine {
  readonly info: EngineInfo;
  /** Lets go of what the connection holds (an ssh tunnel's process); the engine is not used after. */
  close?(): void;
  ping(signal?: AbortSignal): Promise<void>;
  listContainers(signal?: AbortSignal): Promise<ContainerRow[]>;
  inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails>;
  /**
   * Opens the event stream. Resolves once the engine has accepted the subscription, so a list
   * taken afterwards misses nothing; the iterable ends when the connection does.
   */
  openEvents(signal: AbortSignal): Promise<AsyncIterable<EngineEvent>>;
  /** One stats reading now (the engine answers at its next collection tick, about 1 s). */
  sampleStats(id: string, signal?: AbortSignal): Promise<StatsSample>;
  /**
   * The engine's own stats stream for one container (~1 reading a second, each with the previous
   * reading in it). Only for what is on screen: streams cost the engine per container.
   */
  streamStats(id: string, signal: AbortSignal): Promise<AsyncIterable<StatsSample>>;
  /** The processes running in the container (`docker top`). */
  top(id: string, signal?: AbortSignal): Promise<ProcessTable>;
  /**
   * The container's log as lines: the last `tail` lines, then new ones while `follow`. Resolves
   * once the engine has answered (a log driver that cannot be read rejects with its reason); the
   * iterable ends with the log, or when the signal aborts.
   */
  logs(id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>>;
  containerAction(id: string, action: ContainerAction, options?: ActionOptions): Promise<void>;
  /** Top-level images (as `docker images`), each with the containers created from it. */
  listImages(signal?: AbortSignal): Promise<ImageRow[]>;
  /**
   * Every image with its parent: removing an image also removes the untagged parents only it
   * builds on (unless noprune), and a prune preview must list them.
   */
  listImageTree(signal?: AbortSignal): Promise<ImageNode[]>;
  /** One image's configuration and build history (`docker image inspect` + `docker history`). */
  inspectImage(id: string, signal?: AbortSignal): Promise<ImageDetails>;
  /** Volumes with their users and, when the engine computes it (/system/df), their size. */
  listVolumes(signal?: AbortSignal): Promise<VolumeRow[]>;
  /** Networks with the containers that have an endpoint on them. */
  listNetworks(signal?: AbortSignal): Promise<NetworkRow[]>;
  /** `docker system df`: expensive for the engine, ask on demand only. */
  diskUsage(signal?: AbortSignal): Promise<DiskUsage>;
  /**
   * `docker pull`: the reference is checked and normalised first (no tag means :latest), the
   * credentials are those the endpoint's config.json gives for its registry. Rejects before any
   * request for an invalid reference (InvalidReferenceError) or credentials that cannot be had
   * (CredentialError). Resolves once the engine has the request; each update is the whole
   * transfer so far, and the last one carries the outcome, the engine's refusal included.
   * Aborting the signal stops the pull (the engine stops when the request closes): the updates
   * end with a cancelled outcome.
   */
  pullImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>>;
  /** `docker push` of one tag, as pullImage otherwise. */
  pushImage(reference: string, signal: AbortSignal): Promise<AsyncIterable<TransferState>>;
  /** Adds the tag `target` (a reference, checked first; no digest) to `source` (an id or a reference). */
  tagImage(source: string, target: string): Promise<void>;
  /** By tag: untags that tag (the image goes with its last tag); by id: the image. */
  removeImage(idOrTag: string, options?: RemoveImageOptions): Promise<ImageRemoval[]>;
  removeVolume(name: string, options?: { force?: boolean }): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  /**
   * Removes one build cache record, and only it: not while in use or while another record builds
   * on it. Resolves with the ids the engine deleted (empty when it kept the record).
   */
  removeBuildCache(id: string, signal?: AbortSignal): Promise<string[]>;
  /** Whether the engine is in a swarm and a manager: only managers answer for services and nodes. */
  swarmStatus(signal?: AbortSignal): Promise<SwarmStatus>;
  /** Swarm services with their running and desired task counts (managers only). */
  listServices(signal?: AbortSignal): Promise<ServiceRow[]>;
  /** The service's tasks, old ones the engine keeps included. Tasks have no events: poll what is shown. */
  listTasks(serviceId: string, signal?: AbortSignal): Promise<TaskRow[]>;
  listNodes(signal?: AbortSignal): Promise<NodeRow[]>;
  /**
   * Sets a replicated service's replicas. `version` is the one the caller showed: the engine
   * refuses the update when the service changed since (isOutOfSequence), rather than overwrite.
   */
  scaleService(id: string, replicas: number, version: number): Promise<void>;
  removeService(id: string): Promise<void>;
  /** As scaleService: refused when the node changed since `version`. */
  setNodeAvailability(id: string, availability: NodeAvailability, version: number): Promise<void>;
  /** The log of every task of the service, each line prefixed with its task; as logs() otherwise. */
  serviceLogs(id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>>;
  /**
   * `docker build` of a directory with the classic builder, .dockerignore honoured. Rejects before
   * any request when there is no Dockerfile in the context (BuildContextError); resolves once the
   * engine has answered; the updates are its output lines, then the image id or the engine's
   * error. An abort closes the request, which stops the build.
   */
  buildImage(contextDir: string, options: BuildOptions, signal: AbortSignal): Promise<AsyncIterable<BuildUpdate>>;
  /**
   * `docker run`: creates and starts, resolving with the new container's id. A container created
   * but refused a start is left in place, as the CLI leaves it: the error says so with its id.
   */
  runContainer(spec: RunSpec): Promise<string>;
}
