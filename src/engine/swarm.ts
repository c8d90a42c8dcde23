// Swarm as the engine room hands it out: the node's swarm state, services, their tasks and the
// nodes, mapped from the engine's documents (which views never see), and the labelling of a
// service's log lines with the task they came from.
import { toEngineError } from './errors.js';
import type { LogLine } from './log-stream.js';

/** The node's LocalNodeState, or 'unsupported': the engine has no Swarm at all (Podman). */
export type SwarmState = 'inactive' | 'pending' | 'active' | 'error' | 'locked' | 'unsupported';

/** `docker info`'s Swarm part: whether this engine can answer for services and nodes. */
export interface SwarmStatus {
  state: SwarmState;
  /** A manager answers for services and nodes; a worker gets 503 for them. */
  manager: boolean;
  /** This engine's node id ('' outside a swarm) */
  nodeId: string;
}

export type ServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

export interface ServicePort {
  protocol: string;
  target: number;
  /** 0 when the port is not published */
  published: number;
  /** ingress: on every node through the routing mesh; host: only where a task runs */
  mode: string;
}

/** A rolling update (or rollback) of the service: `docker service inspect`'s UpdateStatus. */
export interface ServiceUpdate {
  /** updating, paused, completed, rollback_started, rollback_paused, rollback_completed */
  state: string;
  message: string;
}

/** How the service is updated: Spec.UpdateConfig. */
export interface UpdatePolicy {
  parallelism: number;
  /** Seconds between batches */
  delaySeconds: number;
  /** pause, continue, rollback */
  failureAction: string;
  /** stop-first, start-first */
  order: string;
}

export interface ServiceRow {
  id: string;
  name: string;
  /** The version index an update carries: the engine refuses an update made against an older one. */
  version: number;
  mode: ServiceMode;
  /** Replicated services: the replicas asked for; undefined for the other modes */
  replicas: number | undefined;
  /** Tasks running now */
  running: number;
  /** Tasks the orchestrator wants running */
  desired: number;
  /** Jobs: tasks that completed */
  completed: number;
  image: string;
  /** Command and arguments of the tasks' containers (the image's when empty) */
  command: string[];
  /** Env entries: counted, never shown (they carry secrets) */
  envCount: number;
  labels: Record<string, string>;
  ports: ServicePort[];
  /** Tasks' containers have a TTY: their log is raw, not framed */
  tty: boolean;
  update: ServiceUpdate | undefined;
  updatePolicy: UpdatePolicy | undefined;
  /** RFC 3339 */
  createdAt: string;
  updatedAt: string;
}

export interface TaskRow {
  id: string;
  serviceId: string;
  /** Replicated services number their tasks; a global service has one per node and no slot. */
  slot: number | undefined;
  nodeId: string;
  /** The node's hostname; '' when the node is not known (it left the swarm) */
  node: string;
  /** What the orchestrator wants: running, shutdown, … */
  desiredState: string;
  /** Where the task is: new, pending, assigned, preparing, starting, running, complete, failed, rejected, shutdown, … */
  state: string;
  /** The orchestrator's word on the state ("started", "preparing") */
  message: string;
  /** Why it failed or was rejected; '' for none */
  error: string;
  /** When it reached its state (RFC 3339) */
  since: string;
  containerId: string;
  exitCode: number | undefined;
}

export type NodeAvailability = 'active' | 'pause' | 'drain';

export const NODE_AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain'];

export interface NodeRow {
  id: string;
  /** The version index an update carries, as for services */
  version: number;
  hostname: string;
  /** ready, down, unknown, disconnected */
  status: string;
  statusMessage: string;
  availability: NodeAvailability;
  role: 'manager' | 'worker';
  leader: boolean;
  /** Managers: reachable, unreachable, unknown; '' for workers */
  reachability: string;
  engineVersion: string;
  address: string;
  os: string;
  arch: string;
  /** CPUs the node offers to tasks */
  cpus: number;
  /** Bytes */
  memory: number;
  labels: Record<string, string>;
}

// ---- the engine's documents, as far as dockhand reads them ----

export interface RawSwarmInfo {
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string };
}

interface RawPort {
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: string;
}

export interface RawServiceSpec {
  Name?: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Command?: string[]; Args?: string[]; Env?: string[]; TTY?: boolean };
  };
  Mode?: {
    Replicated?: { Replicas?: number };
    Global?: object;
    ReplicatedJob?: { TotalCompletions?: number };
    GlobalJob?: object;
  };
  UpdateConfig?: { Parallelism?: number; Delay?: number; FailureAction?: string; Order?: string };
  EndpointSpec?: { Ports?: RawPort[] };
}

export interface RawService {
  ID: string;
  Version?: { Index?: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: RawServiceSpec;
  Endpoint?: { Ports?: RawPort[] };
  UpdateStatus?: { State?: string; Message?: string };
  /** With status=true, from API 1.41 */
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number; CompletedTasks?: number };
}

export interface RawTask {
  ID: string;
  ServiceID?: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  Status?: {
    Timestamp?: string;
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

export interface RawNodeSpec {
  Name?: string;
  Labels?: Record<string, string>;
  Role?: string;
  Availability?: string;
}

export interface RawNode {
  ID: string;
  Version?: { Index?: number };
  Spec?: RawNodeSpec;
  Description?: {
    Hostname?: string;
    Platform?: { OS?: string; Architecture?: string };
    Resources?: { NanoCPUs?: number; MemoryBytes?: number };
    Engine?: { EngineVersion?: string };
  };
  Status?: { State?: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

const SWARM_STATES: ReadonlySet<string> = new Set(['inactive', 'pending', 'active', 'error', 'locked']);

/**
 * `product` is EngineInfo's: Podman answers /info with LocalNodeState "inactive", as an engine
 * that could join a swarm, but it serves no /swarm, /services or /nodes at all (404).
 */
export function toSwarmStatus(info: RawSwarmInfo, product: string): SwarmStatus {
  if (product === 'Podman Engine') return { state: 'unsupported', manager: false, nodeId: '' };
  const swarm = info.Swarm ?? {};
  const state = SWARM_STATES.has(swarm.LocalNodeState ?? '') ? (swarm.LocalNodeState as SwarmState) : 'inactive';
  return { state, manager: state === 'active' && swarm.ControlAvailable === true, nodeId: swarm.NodeID ?? '' };
}

function modeOf(spec: RawServiceSpec | undefined): ServiceMode {
  const mode = spec?.Mode ?? {};
  if (mode.Global) return 'global';
  if (mode.ReplicatedJob) return 'replicated-job';
  if (mode.GlobalJob) return 'global-job';
  return 'replicated';
}

function toPorts(ports: readonly RawPort[] | undefined): ServicePort[] {
  return (ports ?? []).map((p) => ({
    protocol: p.Protocol ?? 'tcp', target: p.TargetPort ?? 0, published: p.PublishedPort ?? 0, mode: p.PublishMode ?? 'ingress',
  }));
}

/**
 * Running and desired tasks as `docker service ls` counts them when the engine does not (API
 * < 1.41): running tasks of the service; desired = the replicas, or for the other modes the tasks
 * meant to run. `tasks` are those with desired state running.
 */
function countTasks(service: RawService, tasks: readonly RawTask[]): { running: number; desired: number } {
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  const running = own.filter((t) => t.Status?.State === 'running').length;
  const replicas = service.Spec?.Mode?.Replicated?.Replicas;
  return { running, desired: replicas ?? own.length };
}

/**
 * The engine's service list as rows. `tasks` (desired state running) only for engines that do
 * not report ServiceStatus themselves.
 */
export function toServiceRows(services: readonly RawService[], tasks?: readonly RawTask[]): ServiceRow[] {
  return services.map((service) => {
    const spec = service.Spec ?? {};
    const container = spec.TaskTemplate?.ContainerSpec ?? {};
    const status = service.ServiceStatus;
    const counts = status || !tasks
      ? { running: status?.RunningTasks ?? 0, desired: status?.DesiredTasks ?? 0 }
      : countTasks(service, tasks);
    const update = spec.UpdateConfig;
    const mode = modeOf(spec);
    return {
      id: service.ID,
      name: spec.Name ?? service.ID,
      version: service.Version?.Index ?? 0,
      mode,
      replicas: mode === 'replicated' ? spec.Mode?.Replicated?.Replicas ?? 1 : undefined,
      ...counts,
      completed: status?.CompletedTasks ?? 0,
      image: container.Image ?? '',
      command: [...(container.Command ?? []), ...(container.Args ?? [])],
      envCount: container.Env?.length ?? 0,
      labels: spec.Labels ?? {},
      // The endpoint has the ports the engine assigned (a published port left to it); the spec only what was asked.
      ports: toPorts(service.Endpoint?.Ports ?? spec.EndpointSpec?.Ports),
      tty: container.TTY ?? false,
      update: service.UpdateStatus?.State
        ? { state: service.UpdateStatus.State, message: service.UpdateStatus.Message ?? '' }
        : undefined,
      updatePolicy: update
        ? {
          parallelism: update.Parallelism ?? 1,
          delaySeconds: (update.Delay ?? 0) / 1e9,
          failureAction: update.FailureAction ?? 'pause',
          order: update.Order ?? 'stop-first',
        }
        : undefined,
      createdAt: service.CreatedAt ?? '',
      updatedAt: service.UpdatedAt ?? '',
    };
  });
}

/** Tasks with their node's hostname; newest first within a slot (the engine keeps a few old ones). */
export function toTaskRows(tasks: readonly RawTask[], nodes: readonly RawNode[]): TaskRow[] {
  const hostnames = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? '']));
  return tasks.map((task) => {
    const status = task.Status ?? {};
    const exitCode = status.ContainerStatus?.ExitCode;
    return {
      id: task.ID,
      serviceId: task.ServiceID ?? '',
      slot: task.Slot || undefined,
      nodeId: task.NodeID ?? '',
      node: hostnames.get(task.NodeID ?? '') ?? '',
      desiredState: task.DesiredState ?? '',
      state: status.State ?? '',
      message: status.Message ?? '',
      error: status.Err ?? '',
      since: status.Timestamp ?? '',
      containerId: status.ContainerStatus?.ContainerID ?? '',
      // The engine reports 0 for a task whose container never ran: only a finished one has a code.
      exitCode: status.State === 'failed' || status.State === 'complete' ? exitCode : undefined,
    };
  });
}

export function toNodeRows(nodes: readonly RawNode[]): NodeRow[] {
  return nodes.map((node) => {
    const availability = node.Spec?.Availability;
    const description = node.Description ?? {};
    return {
      id: node.ID,
      version: node.Version?.Index ?? 0,
      hostname: description.Hostname ?? node.ID,
      status: node.Status?.State ?? 'unknown',
      statusMessage: node.Status?.Message ?? '',
      availability: availability === 'pause' || availability === 'drain' ? availability : 'active',
      role: node.Spec?.Role === 'manager' ? 'manager' : 'worker',
      leader: node.ManagerStatus?.Leader === true,
      reachability: node.ManagerStatus?.Reachability ?? '',
      engineVersion: description.Engine?.EngineVersion ?? '',
      address: node.Status?.Addr ?? '',
      os: description.Platform?.OS ?? '',
      arch: description.Platform?.Architecture ?? '',
      cpus: (description.Resources?.NanoCPUs ?? 0) / 1e9,
      memory: description.Resources?.MemoryBytes ?? 0,
      labels: node.Spec?.Labels ?? {},
    };
  });
}

/**
 * The engine refused an update because the object changed since the version the update carries
 * (another update came first). Swarmkit's words, whatever the status code of the engine's version.
 */
export function isOutOfSequence(err: unknown): boolean {
  return toEngineError(err).message.includes('update out of sequence');
}

// ---- service logs ----

/** The task a line of a service's log came from, and the line without the attributes `details` put before it. */
export function splitLogDetails(text: string): { taskId: string | undefined; text: string } {
  // "key=value,key=value message": URL-encoded attributes, one space, then the line as written.
  const space = text.indexOf(' ');
  const attributes = space < 0 ? text : text.slice(0, space);
  if (!attributes.includes('=')) return { taskId: undefined, text };
  const taskId = new URLSearchParams(attributes.replaceAll(',', '&')).get('com.docker.swarm.task.id') ?? undefined;
  return { taskId, text: space < 0 ? '' : text.slice(space + 1) };
}

/** What a line says it came from: "#2@node1" for a replica, "node1" for a global service's task. */
export function taskLabel(task: Pick<TaskRow, 'slot' | 'node' | 'nodeId'>): string {
  const node = task.node || task.nodeId.slice(0, 12);
  return task.slot === undefined ? node : `#${task.slot}@${node}`;
}

/** An unknown task in the log (started since the last look) lists the tasks again, at most this often. */
const RELIST_TASKS_MS = 2_000;

/**
 * A service's log lines (read with `details`), each prefixed with the task it came from. Tasks
 * are listed once at the start and again when a line names a task not seen yet; until then the
 * line carries the task's short id.
 */
export async function* labelServiceLines(
  lines: AsyncIterable<LogLine>,
  listTasks: () => Promise<TaskRow[]>,
): AsyncGenerator<LogLine> {
  let labels = new Map<string, string>();
  let listedAt = 0;
  const relist = async () => {
    listedAt = Date.now();
    // Labels are a nicety: a failed list leaves short ids, not a broken log.
    labels = await listTasks().then((tasks) => new Map(tasks.map((t) => [t.id, taskLabel(t)])), () => labels);
  };
  await relist();
  for await (const line of lines) {
    const { taskId, text } = splitLogDetails(line.text);
    if (taskId === undefined) {
      yield line;
      continue;
    }
    if (!labels.has(taskId) && Date.now() - listedAt >= RELIST_TASKS_MS) await relist();
    yield { ...line, text: `${labels.get(taskId) ?? taskId.slice(0, 12)} │ ${text}` };
  }
}
