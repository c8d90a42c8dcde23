// The Swarm lists' rows, columns, filter and sort, and the details pane's lines, without Ink.
import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../src/engine/swarm.js';
import { stepAvailability } from '../../src/views/SwarmDialog.js';
import { nodeLines, serviceLines, taskLines } from '../../src/views/swarm-lines.js';
import {
  DEFAULT_SWARM_SORT, formatServicePorts, matchesSwarmFilter, nextSwarmSort, shapeSwarmItems, swarmCell, swarmCellTone,
  swarmColumns, swarmCounts, toNodeItems, toServiceItems, type SwarmItem,
} from '../../src/views/swarm-model.js';
import { makeNode, makeService } from '../support/fake-swarm.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

const web = makeService({
  name: 'web', replicas: 3, running: 2, desired: 3, image: 'shop/web:1.2@sha256:0123abcd',
  ports: [{ protocol: 'tcp', target: 80, published: 8080, mode: 'ingress' }, { protocol: 'udp', target: 53, published: 0, mode: 'ingress' }],
  update: { state: 'updating', message: 'update in progress' },
});
const agent = makeService({ name: 'agent', mode: 'global', replicas: undefined, running: 2, desired: 2 });
const leader = makeNode({ hostname: 'mgr-1', leader: true });
const worker = makeNode({ hostname: 'wrk-1', role: 'worker', reachability: '', availability: 'drain', status: 'down', statusMessage: 'heartbeat failure' });

function only(items: SwarmItem[]): SwarmItem {
  const [item] = items;
  if (!item) throw new Error('no item');
  return item;
}

function task(partial: Partial<TaskRow>): TaskRow {
  return {
    id: 't', serviceId: web.id, slot: 1, nodeId: leader.id, node: 'mgr-1', desiredState: 'running', state: 'running',
    message: 'started', error: '', since: minutesAgo(5), containerId: 'c', exitCode: undefined, ...partial,
  };
}

describe('service rows', () => {
  it('say mode, running of desired (red when short), the image without its digest, ports and the update', () => {
    const item = only(toServiceItems([web]));
    expect(swarmCell('replicas', item)).toBe('2/3');
    expect(swarmCellTone('replicas', item)).toBe('error');
    expect(swarmCell('mode', item)).toBe('replicated');
    expect(swarmCell('image', item)).toBe('shop/web:1.2');
    expect(swarmCell('ports', item)).toBe('*:8080->80/tcp, 53/udp');
    expect(swarmCell('update', item)).toBe('updating');
    expect(swarmCellTone('update', item)).toBe('warning');
    expect(swarmCellTone('replicas', only(toServiceItems([agent])))).toBeUndefined();
  });

  it('show host-mode ports and jobs as the CLI does', () => {
    expect(formatServicePorts([{ protocol: 'tcp', target: 80, published: 30080, mode: 'host' }])).toBe('30080->80/tcp (host)');
    const job = only(toServiceItems([makeService({ mode: 'replicated-job', replicas: undefined, running: 1, desired: 2, completed: 3 })]));
    expect(swarmCell('mode', job)).toBe('replicated job');
    expect(swarmCell('replicas', job)).toBe('1/2 (3 done)');
  });

  it('fit 53 columns (an 80-column terminal) with name, mode, replicas and image', () => {
    const columns = swarmColumns('services', 53, DEFAULT_SWARM_SORT);
    expect(columns.map((c) => c.title)).toEqual(['NAME▲', 'MODE', 'REPLICAS', 'IMAGE']);
    expect(columns.reduce((sum, c) => sum + c.width, columns.length - 1)).toBe(53);
    expect(swarmColumns('services', 120, DEFAULT_SWARM_SORT).map((c) => c.id)).toEqual(['name', 'mode', 'replicas', 'image', 'ports', 'update']);
  });

  it('filter by any cell, label or id prefix, and sort by name, replicas, image, mode', () => {
    const items = toServiceItems([web, agent, makeService({ name: 'db', replicas: 1, running: 1, desired: 1, labels: { tier: 'data' } })]);
    expect(shapeSwarmItems(items, 'global', DEFAULT_SWARM_SORT).map((i) => i.key)).toEqual([agent.id]);
    expect(shapeSwarmItems(items, 'tier=data', DEFAULT_SWARM_SORT).length).toBe(1);
    expect(matchesSwarmFilter(only(toServiceItems([web])), web.id.slice(0, 6))).toBe(true);
    expect(shapeSwarmItems(items, '', DEFAULT_SWARM_SORT).map((i) => swarmCell('name', i))).toEqual(['agent', 'db', 'web']);
    const byReplicas = nextSwarmSort('services', DEFAULT_SWARM_SORT);
    expect(byReplicas).toEqual({ key: 'replicas', descending: true });
    expect(shapeSwarmItems(items, '', byReplicas).map((i) => swarmCell('name', i))).toEqual(['web', 'agent', 'db']);
    expect(swarmColumns('services', 53, byReplicas).map((c) => c.title)).toContain('REPLICAS▼');
  });

  it('count what needs a look', () => {
    expect(swarmCounts('services', toServiceItems([web, agent]))).toBe('2 services · 1 short of replicas');
    expect(swarmCounts('nodes', toNodeItems([leader, worker]))).toBe('2 nodes · 1 not ready');
  });
});

describe('node rows', () => {
  it('say status, availability, role with the leader, and the engine; trouble in colour', () => {
    const [mgr, wrk] = toNodeItems([leader, worker]);
    if (!mgr || !wrk) throw new Error('no items');
    expect(swarmCell('role', mgr)).toBe('manager, leader');
    expect(swarmCellTone('role', mgr)).toBe('accent');
    expect(swarmCell('role', wrk)).toBe('worker');
    expect(swarmCellTone('status', wrk)).toBe('error');
    expect(swarmCellTone('availability', wrk)).toBe('warning');
    expect(swarmCell('engine', mgr)).toBe('20.10.24');
    expect(swarmColumns('nodes', 53, DEFAULT_SWARM_SORT).map((c) => c.id)).toEqual(['hostname', 'status', 'availability', 'role']);
  });
});

describe('service details', () => {
  it('show the tasks first by slot, earlier ones after, failures with their error', () => {
    const lines = serviceLines(web, {
      status: 'ready',
      value: [
        task({ id: 'a', slot: 2, state: 'preparing', since: minutesAgo(1) }),
        task({ id: 'b', slot: 1 }),
        task({ id: 'c', slot: 1, desiredState: 'shutdown', state: 'failed', error: 'task: non-zero exit (1)', exitCode: 1, since: minutesAgo(10) }),
      ],
    }, NOW);
    const texts = lines.map((l) => `${l.label ?? ''}|${l.text}`);
    const at = (prefix: string) => texts.findIndex((t) => t.startsWith(prefix));
    expect(texts).toContain('|Tasks: 1 running of 2, read every 2 s');
    expect(texts).toContain('#1|running 5m ago, on mgr-1');
    expect(texts).toContain('#2|preparing 1m ago, on mgr-1, desired running');
    expect(texts).toContain('#1|failed 10m ago, on mgr-1, desired shutdown, exit 1 — task: non-zero exit (1)');
    expect(at('#1|running')).toBeLessThan(at('#2|'));
    expect(at('|Earlier tasks')).toBeLessThan(at('#1|failed'));
    expect(lines.find((l) => l.text.startsWith('failed'))?.tone).toBe('error');
    expect(texts).toContain('Running|2/3 tasks');
    expect(texts).toContain('Update|updating: update in progress');
    expect(texts).toContain('Ports|*:8080->80/tcp, 53/udp');
    expect(texts).toContain('Updates|1 task at a time, stop-first, on failure pause');
  });

  it('say when the tasks are loading or cannot be read', () => {
    expect(taskLines({ status: 'loading' }, NOW).map((l) => l.text)).toContain('Loading tasks…');
    expect(taskLines({ status: 'error', message: 'node is not a swarm manager' }, NOW).at(-1)).toEqual({ text: 'node is not a swarm manager', tone: 'warning' });
  });
});

describe('node details', () => {
  it('mark this engine\'s node and say what the availability means', () => {
    const texts = nodeLines(leader, leader.id).map((l) => `${l.label ?? ''}|${l.text}`);
    expect(texts).toContain('Hostname|mgr-1 (this engine)');
    expect(texts).toContain('Role|manager, leader (reachable)');
    expect(texts).toContain('Available|active: the scheduler places new tasks on it');
    const down = nodeLines(worker, leader.id);
    expect(down.find((l) => l.label === 'Status')).toEqual({ label: 'Status', text: 'down: heartbeat failure', tone: 'error' });
    expect(down.find((l) => l.label === 'Available')?.text).toContain('moved to other nodes');
  });
});

describe('availability choice', () => {
  it('steps through active, pause, drain and wraps', () => {
    expect(stepAvailability('active', 1)).toBe('pause');
    expect(stepAvailability('drain', 1)).toBe('active');
    expect(stepAvailability('active', -1)).toBe('drain');
  });
});
