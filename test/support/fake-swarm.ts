// The Swarm part of the in-memory engine (FakeEngine.swarm), with the habits the views depend on:
// only a manager answers for services and nodes (503 otherwise), an update carrying an old version
// is refused in swarmkit's words, scaling starts and stops tasks by slot, and changes to services
// and nodes are announced as events while task changes are not.
import { EngineRequestError } from '../../src/engine/errors.js';
import type { LogLine, LogOptions } from '../../src/engine/log-stream.js';
import type { NodeAvailability, NodeRow, ServiceRow, SwarmStatus, TaskRow } from '../../src/engine/swarm.js';
import type { EngineEvent } from '../../src/engine/types.js';

let sequence = 0;

function nextId(prefix: string): string {
  sequence += 1;
  return `${prefix}${String(sequence).padStart(6, '0')}${'x'.repeat(19)}`;
}

export function makeService(partial: Partial<ServiceRow> = {}): ServiceRow {
  return {
    id: partial.id ?? nextId('svc'),
    name: partial.name ?? `service-${sequence}`,
    version: 10,
    mode: 'replicated',
    replicas: 1,
    running: 0,
    desired: 0,
    completed: 0,
    image: 'dockhand-test/busybox:latest',
    command: ['sleep', '3600'],
    envCount: 0,
    labels: {},
    ports: [],
    tty: false,
    update: undefined,
    updatePolicy: { parallelism: 1, delaySeconds: 0, failureAction: 'pause', order: 'stop-first' },
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    updatedAt: new Date(Date.now() - 600_000).toISOString(),
    ...partial,
  };
}

export function makeNode(partial: Partial<NodeRow> = {}): NodeRow {
  const id = partial.id ?? nextId('node');
  return {
    id,
    version: 9,
    hostname: `node-${sequence}`,
    status: 'ready',
    statusMessage: '',
    availability: 'active',
    role: 'manager',
    leader: false,
    reachability: 'reachable',
    engineVersion: '20.10.24',
    address: '127.0.0.1',
    os: 'linux',
    arch: 'x86_64',
    cpus: 2,
    memory: 2 * 1024 ** 3,
    labels: {},
    ...partial,
  };
}

function swarmEvent(type: 'service' | 'node', action: string, id: string, name: string): EngineEvent {
  const nowMs = Date.now();
  return { type, action, id, attributes: { name }, time: Math.floor(nowMs / 1000), timeNano: `${BigInt(nowMs) * 1_000_000n}` };
}

function notAManager(): EngineRequestError {
  return new EngineRequestError('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.', 503);
}

export class FakeSwarm {
  status: SwarmStatus = { state: 'inactive', manager: false, nodeId: '' };
  /** running/desired/completed are worked out from the tasks when listed. */
  services: ServiceRow[] = [];
  tasks: TaskRow[] = [];
  nodes: NodeRow[] = [];
  /** Log lines per service id, as serviceLogs hands them out (labelled already, as the real engine's are). */
  readonly logs = new Map<string, LogLine[]>();
  /** Every listTasks call, by service id. */
  readonly taskReads: string[] = [];

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** `docker swarm init`: this engine is the one manager, and the leader. */
  init(): NodeRow {
    const node = makeNode({ hostname: 'fake-node', leader: true });
    this.nodes.push(node);
    this.status = { state: 'active', manager: true, nodeId: node.id };
    this.emit(swarmEvent('node', 'update', node.id, node.hostname));
    return node;
  }

  /** A service whose replicas all run on the first node, as `docker service create` leaves it once converged. */
  addService(partial: Partial<ServiceRow> = {}): ServiceRow {
    const service = makeService(partial);
    this.services.push(service);
    this.converge(service);
    this.emit(swarmEvent('service', 'create', service.id, service.name));
    return service;
  }

  // ---- Engine ----

  swarmStatus(): SwarmStatus {
    return { ...this.status };
  }

  listServices(): ServiceRow[] {
    this.requireManager();
    return this.services.map((service) => {
      const own = this.tasks.filter((t) => t.serviceId === service.id && t.desiredState === 'running');
      return structuredClone({
        ...service,
        running: own.filter((t) => t.state === 'running').length,
        desired: service.replicas ?? own.length,
      });
    });
  }

  listTasks(serviceId: string): TaskRow[] {
    this.requireManager();
    this.taskReads.push(serviceId);
    return structuredClone(this.tasks.filter((t) => t.serviceId === serviceId));
  }

  listNodes(): NodeRow[] {
    this.requireManager();
    return structuredClone(this.nodes);
  }

  scaleService(id: string, replicas: number, version: number): void {
    const service = this.service(id);
    this.checkVersion(service, version);
    if (service.mode !== 'replicated') throw new EngineRequestError(`${service.name} is not a replicated service: it does not scale`, 400);
    service.replicas = replicas;
    service.version += 3;
    this.converge(service);
    this.emit(swarmEvent('service', 'update', service.id, service.name));
  }

  removeService(id: string): void {
    const service = this.service(id);
    this.services = this.services.filter((s) => s !== service);
    this.tasks = this.tasks.filter((t) => t.serviceId !== service.id);
    this.emit(swarmEvent('service', 'remove', service.id, service.name));
  }

  setNodeAvailability(id: string, availability: NodeAvailability, version: number): void {
    this.requireManager();
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new EngineRequestError(`node ${id} not found`, 404);
    this.checkVersion(node, version);
    node.availability = availability;
    node.version += 2;
    this.emit(swarmEvent('node', 'update', node.id, node.hostname));
  }

  serviceLogs(id: string, options: LogOptions, signal: AbortSignal): AsyncIterable<LogLine> {
    const service = this.service(id);
    const lines = (this.logs.get(service.id) ?? []).slice(-Math.max(0, options.tail));
    return (async function* () {
      yield* lines;
      if (options.follow && !signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    })();
  }

  // ---- test controls ----

  /** Changes a service behind dockhand's back (`docker service update`): a new version, and its event. */
  updateService(id: string, patch: Partial<ServiceRow>): void {
    const service = this.service(id);
    Object.assign(service, patch, { version: service.version + 5 });
    this.emit(swarmEvent('service', 'update', service.id, service.name));
  }

  /** Sets the state of the service's task in `slot` without any event, as the engine does. */
  setTaskState(serviceId: string, slot: number, state: string, error = ''): void {
    const task = this.tasks.find((t) => t.serviceId === serviceId && t.slot === slot && t.desiredState === 'running');
    if (!task) throw new Error(`FakeSwarm: no task in slot ${slot}`);
    Object.assign(task, { state, error, since: new Date().toISOString() });
  }

  private requireManager(): void {
    if (!this.status.manager) throw notAManager();
  }

  private service(idOrName: string): ServiceRow {
    this.requireManager();
    const service = this.services.find((s) => s.id === idOrName || s.name === idOrName);
    if (!service) throw new EngineRequestError(`service ${idOrName} not found`, 404);
    return service;
  }

  private checkVersion(object: { version: number }, version: number): void {
    if (version !== object.version) throw new EngineRequestError('rpc error: code = Unknown desc = update out of sequence', 500);
  }

  /** One running task per slot up to the replicas; tasks above it shut down (and are kept, as the engine keeps a few). */
  private converge(service: ServiceRow): void {
    const node = this.nodes[0];
    const slots = service.replicas ?? 1;
    for (const task of this.tasks.filter((t) => t.serviceId === service.id && t.desiredState === 'running')) {
      if ((task.slot ?? 0) > slots) Object.assign(task, { desiredState: 'shutdown', state: 'shutdown', since: new Date().toISOString() });
    }
    for (let slot = 1; slot <= slots; slot += 1) {
      if (this.tasks.some((t) => t.serviceId === service.id && t.slot === slot && t.desiredState === 'running')) continue;
      this.tasks.push({
        id: nextId('task'), serviceId: service.id, slot, nodeId: node?.id ?? '', node: node?.hostname ?? '',
        desiredState: 'running', state: 'running', message: 'started', error: '', since: new Date().toISOString(),
        containerId: nextId('ctr'), exitCode: undefined,
      });
    }
  }
}
