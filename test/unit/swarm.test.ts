// Swarm documents as the engine sends them (shapes taken from Engine 20.10, API 1.41) into rows,
// and a service's log lines labelled with their task.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineRequestError } from '../../src/engine/errors.js';
import type { LogLine } from '../../src/engine/log-stream.js';
import {
  isOutOfSequence, labelServiceLines, splitLogDetails, taskLabel, toNodeRows, toServiceRows, toSwarmStatus, toTaskRows,
  type RawNode, type RawService, type RawTask, type TaskRow,
} from '../../src/engine/swarm.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const SERVICE: RawService = {
  ID: '2s77hqkgak1im2m3nn2vx1kaa',
  Version: { Index: 11 },
  CreatedAt: '2026-11-26T00:37:06.331143404Z',
  UpdatedAt: '2026-11-26T00:37:06.331143404Z',
  Spec: {
    Name: 'probe',
    Labels: { team: 'shop' },
    TaskTemplate: { ContainerSpec: { Image: 'dockhand-test/busybox:latest@sha256:abcd', Args: ['sleep', '3600'], Env: ['A=1', 'TOKEN=x'] } },
    Mode: { Replicated: { Replicas: 2 } },
    UpdateConfig: { Parallelism: 2, Delay: 10_000_000_000, FailureAction: 'rollback', Order: 'start-first' },
    EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] },
  },
  Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] },
  ServiceStatus: { RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 0 },
};

const NODE: RawNode = {
  ID: 'j7go59amaulmu9qao3vonxi9f',
  Version: { Index: 9 },
  Spec: { Labels: {}, Role: 'manager', Availability: 'active' },
  Description: {
    Hostname: 'vm',
    Platform: { Architecture: 'x86_64', OS: 'linux' },
    Resources: { NanoCPUs: 2_000_000_000, MemoryBytes: 25_276_063_744 },
    Engine: { EngineVersion: '20.10.24+dfsg1' },
  },
  Status: { State: 'ready', Addr: '127.0.0.1' },
  ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' },
};

function rawTask(partial: Partial<RawTask> & { state?: string }): RawTask {
  const { state = 'running', ...rest } = partial;
  return {
    ID: 'task1', ServiceID: SERVICE.ID, Slot: 1, NodeID: NODE.ID, DesiredState: 'running',
    Status: { Timestamp: '2026-11-26T00:37:06.593323219Z', State: state, Message: 'started', ContainerStatus: { ContainerID: 'c617', ExitCode: 0 } },
    ...rest,
  };
}

describe('swarm status', () => {
  it('is a manager only when active with control available', () => {
    expect(toSwarmStatus({ Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' } }, 'Docker Engine')).toEqual({ state: 'active', manager: true, nodeId: 'n1' });
    expect(toSwarmStatus({ Swarm: { LocalNodeState: 'active', ControlAvailable: false, NodeID: 'n2' } }, 'Docker Engine').manager).toBe(false);
    expect(toSwarmStatus({ Swarm: { LocalNodeState: 'inactive', ControlAvailable: false, NodeID: '' } }, 'Docker Engine')).toEqual({ state: 'inactive', manager: false, nodeId: '' });
    expect(toSwarmStatus({ Swarm: { LocalNodeState: 'locked' } }, 'Docker Engine').state).toBe('locked');
    expect(toSwarmStatus({}, 'Docker Engine').state).toBe('inactive');
  });

  it('is unsupported on Podman, whose /info says "inactive" but which serves no Swarm endpoint', () => {
    // GET /v1.41/info from Podman 4.3.1: its Swarm part; /swarm, /services and /nodes answer 404.
    const podmanInfo = { Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null } };
    expect(toSwarmStatus(podmanInfo, 'Podman Engine')).toEqual({ state: 'unsupported', manager: false, nodeId: '' });
  });
});

describe('service rows', () => {
  it('take the counts from ServiceStatus and the essentials from the spec', () => {
    const [row] = toServiceRows([SERVICE]);
    expect(row).toMatchObject({
      id: SERVICE.ID, name: 'probe', version: 11, mode: 'replicated', replicas: 2, running: 1, desired: 2,
      image: 'dockhand-test/busybox:latest@sha256:abcd', command: ['sleep', '3600'], envCount: 2, labels: { team: 'shop' },
      ports: [{ protocol: 'tcp', target: 80, published: 8080, mode: 'ingress' }], tty: false, update: undefined,
      updatePolicy: { parallelism: 2, delaySeconds: 10, failureAction: 'rollback', order: 'start-first' },
    });
  });

  it('count running tasks themselves when the engine does not (API < 1.41)', () => {
    const { ServiceStatus: _omitted, ...old } = SERVICE;
    const tasks = [rawTask({ ID: 't1' }), rawTask({ ID: 't2', Slot: 2, state: 'preparing' }), rawTask({ ID: 'other', ServiceID: 'x' })];
    expect(toServiceRows([old], tasks)[0]).toMatchObject({ running: 1, desired: 2 });
    const global = { ...old, Spec: { ...old.Spec, Mode: { Global: {} } } };
    expect(toServiceRows([global], tasks)[0]).toMatchObject({ mode: 'global', replicas: undefined, running: 1, desired: 2 });
  });

  it('know the other modes and a rolling update', () => {
    const job = { ...SERVICE, Spec: { ...SERVICE.Spec, Mode: { ReplicatedJob: { TotalCompletions: 3 } } }, UpdateStatus: { State: 'updating', Message: 'update in progress' } };
    expect(toServiceRows([job])[0]).toMatchObject({ mode: 'replicated-job', replicas: undefined, update: { state: 'updating', message: 'update in progress' } });
  });
});

describe('task rows', () => {
  it('carry the node hostname, the state and the error; the exit code only once finished', () => {
    const tasks = toTaskRows([
      rawTask({ ID: 't1' }),
      rawTask({ ID: 't2', Slot: 2, NodeID: 'gone', state: 'failed', Status: { State: 'failed', Err: 'task: non-zero exit (1)', ContainerStatus: { ExitCode: 1 } } }),
      rawTask({ ID: 't3', Slot: 0 }),
    ], [NODE]);
    expect(tasks[0]).toMatchObject({ id: 't1', slot: 1, node: 'vm', state: 'running', desiredState: 'running', exitCode: undefined, containerId: 'c617' });
    expect(tasks[1]).toMatchObject({ node: '', state: 'failed', error: 'task: non-zero exit (1)', exitCode: 1 });
    // Global services' tasks have no slot (the engine says 0).
    expect(tasks[2]?.slot).toBeUndefined();
  });
});

describe('node rows', () => {
  it('say role, leadership, availability and engine', () => {
    expect(toNodeRows([NODE])[0]).toEqual({
      id: NODE.ID, version: 9, hostname: 'vm', status: 'ready', statusMessage: '', availability: 'active', role: 'manager',
      leader: true, reachability: 'reachable', engineVersion: '20.10.24+dfsg1', address: '127.0.0.1', os: 'linux', arch: 'x86_64',
      cpus: 2, memory: 25_276_063_744, labels: {},
    });
    const worker = toNodeRows([{ ID: 'w', Spec: { Role: 'worker', Availability: 'drain' } }])[0];
    expect(worker).toMatchObject({ hostname: 'w', role: 'worker', leader: false, availability: 'drain', status: 'unknown' });
  });
});

describe('out-of-sequence updates', () => {
  it('are told by swarmkit\'s words, whatever the status code', () => {
    expect(isOutOfSequence(new EngineRequestError('rpc error: code = Unknown desc = update out of sequence', 500))).toBe(true);
    expect(isOutOfSequence({ statusCode: 409, json: { message: 'update out of sequence' } })).toBe(true);
    expect(isOutOfSequence(new EngineRequestError('service not found', 404))).toBe(false);
  });
});

describe('service log lines', () => {
  const details = 'com.docker.swarm.node.id=j7go,com.docker.swarm.service.id=p58u,com.docker.swarm.task.id=zk51bs6';

  it('split the details the engine puts before each line from the line', () => {
    expect(splitLogDetails(`${details} err 4`)).toEqual({ taskId: 'zk51bs6', text: 'err 4' });
    expect(splitLogDetails('com.docker.swarm.task.id=a%20b line with = sign')).toEqual({ taskId: 'a b', text: 'line with = sign' });
    expect(splitLogDetails('plain line')).toEqual({ taskId: undefined, text: 'plain line' });
  });

  it('label a replica by slot and node, a global task by node', () => {
    expect(taskLabel({ slot: 2, node: 'vm', nodeId: 'n' })).toBe('#2@vm');
    expect(taskLabel({ slot: undefined, node: 'vm', nodeId: 'n' })).toBe('vm');
    expect(taskLabel({ slot: 1, node: '', nodeId: 'abcdefabcdefabcdef' })).toBe('#1@abcdefabcdef');
  });

  it('are labelled with their task, listing the tasks again (at most every 2 s) for one not seen yet', async () => {
    const task = (id: string, slot: number): TaskRow => ({
      id, serviceId: 's', slot, nodeId: 'n', node: 'vm', desiredState: 'running', state: 'running', message: '', error: '', since: '', containerId: '', exitCode: undefined,
    });
    const lists: TaskRow[][] = [[task('t1', 1)], [task('t1', 1), task('t2', 2)]];
    let listed = 0;
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    async function* source(): AsyncGenerator<LogLine> {
      yield { stream: 'stdout', text: 'com.docker.swarm.task.id=t1 one', time: '2026-11-26T00:00:01Z' };
      yield { stream: 'stdout', text: 'com.docker.swarm.task.id=t2 too soon to look again' };
      now += 2_000;
      yield { stream: 'stderr', text: 'com.docker.swarm.task.id=t2 two' };
      yield { stream: 'stdout', text: 'com.docker.swarm.task.id=t3 three' };
    }
    const out: LogLine[] = [];
    for await (const line of labelServiceLines(source(), async () => lists[Math.min(listed++, 1)] ?? [])) out.push(line);
    expect(out).toEqual([
      { stream: 'stdout', text: '#1@vm │ one', time: '2026-11-26T00:00:01Z' },
      { stream: 'stdout', text: 't2 │ too soon to look again' },
      { stream: 'stderr', text: '#2@vm │ two' },
      { stream: 'stdout', text: 't3 │ three' },
    ]);
    expect(listed).toBe(2);
  });
});
