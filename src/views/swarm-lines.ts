// What the side pane shows for a Swarm service (its tasks first, then its spec) and for a node, as
// plain lines: pure, so each is tested without Ink. Names and labels are anyone's text: sanitised.
import type { NodeAvailability, NodeRow, ServiceRow, TaskRow } from '../engine/swarm.js';
import type { Polled } from '../hooks/usePolled.js';
import { formatAge, formatBytes, plural, shortId } from './format.js';
import { fact, labelLines, type PaneLine, type Tone } from './pane-lines.js';
import { formatMode, formatReplicas, formatRole, formatServicePorts, isShortOfReplicas } from './swarm-model.js';

/** The tasks as the pane has them: still loading, read, or the engine's refusal. */
export type TasksState = Polled<readonly TaskRow[]>;


function heading(title: string): PaneLine[] {
  return [{ text: '' }, { text: title, tone: 'title' }];
}

function ago(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '?' : `${formatAge(ms / 1000, nowMs)} ago`;
}


/** What each availability means for the node's tasks, in the scheduler's terms. */
export const AVAILABILITY_MEANING: Record<NodeAvailability, string> = {
  active: 'the scheduler places new tasks on it',
  pause: 'its tasks keep running, no new task is placed on it',
  drain: 'its tasks are stopped and moved to other nodes, no new task is placed on it',
};

/** Tasks that are (or are meant to be) running come first, by slot; the ones the engine keeps from before follow. */
function isCurrent(task: TaskRow): boolean {
  return task.desiredState !== 'shutdown' && task.desiredState !== 'remove';
}

const FAILED: ReadonlySet<string> = new Set(['failed', 'rejected', 'orphaned']);

/** "#2  running 5m ago on node1", with where it is going when that differs, and why it failed. */
function taskLine(task: TaskRow, nowMs: number, current: boolean): PaneLine {
  const label = task.slot === undefined ? 'task' : `#${task.slot}`;
  const parts = [`${task.state} ${ago(task.since, nowMs)}`, `on ${task.node || shortId(task.nodeId)}`];
  if (task.desiredState && task.desiredState !== task.state) parts.push(`desired ${task.desiredState}`);
  if (task.exitCode !== undefined) parts.push(`exit ${task.exitCode}`);
  const error = task.error ? ` — ${task.error}` : '';
  const tone: Tone | undefined = FAILED.has(task.state) ? 'error' : current ? undefined : 'dim';
  return fact(label, `${parts.join(', ')}${error}`, tone);
}

function bySlotThenNewest(a: TaskRow, b: TaskRow): number {
  return (a.slot ?? 0) - (b.slot ?? 0) || a.node.localeCompare(b.node) || b.since.localeCompare(a.since);
}

export function taskLines(tasks: TasksState, nowMs: number): PaneLine[] {
  if (tasks.status === 'loading') return [...heading('Tasks'), { text: 'Loading tasks…', tone: 'dim' }];
  if (tasks.status === 'error') return [...heading('Tasks'), { text: tasks.message, tone: 'warning' }];
  const current = tasks.value.filter(isCurrent).sort(bySlotThenNewest);
  const earlier = tasks.value.filter((t) => !isCurrent(t)).sort((a, b) => b.since.localeCompare(a.since));
  const running = current.filter((t) => t.state === 'running').length;
  const lines = [
    ...heading(`Tasks: ${running} running of ${current.length}, read every 2 s`),
    ...current.map((task) => taskLine(task, nowMs, true)),
  ];
  if (current.length === 0) lines.push({ text: 'No task is meant to run', tone: 'dim' });
  if (earlier.length > 0) lines.push(...heading('Earlier tasks, newest first'), ...earlier.map((task) => taskLine(task, nowMs, false)));
  return lines;
}

function updatePolicy(service: ServiceRow): string | undefined {
  const policy = service.updatePolicy;
  if (!policy) return undefined;
  const batch = policy.parallelism === 0 ? 'all at once' : `${plural(policy.parallelism, 'task')} at a time`;
  const delay = policy.delaySeconds > 0 ? `, ${policy.delaySeconds}s apart` : '';
  return `${batch}${delay}, ${policy.order}, on failure ${policy.failureAction}`;
}

/** One service: what it is and how it runs, its tasks (read every 2 s), then the rest of its spec. */
export function serviceLines(service: ServiceRow, tasks: TasksState, nowMs: number): PaneLine[] {
  const mode = service.replicas === undefined ? formatMode(service) : `${formatMode(service)}, ${plural(service.replicas, 'replica')}`;
  const lines: PaneLine[] = [
    fact('Name', service.name),
    fact('Mode', mode),
    fact('Running', `${formatReplicas(service)} tasks`, isShortOfReplicas(service) ? 'error' : undefined),
    fact('Image', service.image),
  ];
  if (service.update) {
    const message = service.update.message ? `: ${service.update.message}` : '';
    lines.push(fact('Update', `${service.update.state}${message}`, service.update.state === 'completed' ? undefined : 'warning'));
  }
  lines.push(...taskLines(tasks, nowMs), ...heading('Spec'));
  if (service.command.length > 0) lines.push(fact('Command', JSON.stringify(service.command)));
  const ports = formatServicePorts(service.ports);
  lines.push(
    fact('Ports', ports || 'none published'),
    fact('Env', service.envCount === 0 ? 'none' : `${plural(service.envCount, 'variable')} (not shown: they may hold secrets)`),
  );
  const policy = updatePolicy(service);
  if (policy) lines.push(fact('Updates', policy));
  lines.push(
    ...labelLines(service.labels, false),
    fact('Created', ago(service.createdAt, nowMs)),
    fact('Changed', ago(service.updatedAt, nowMs)),
    fact('ID', service.id),
  );
  return lines;
}

/** One node; `selfId` is the node of the engine dockhand talks to. */
export function nodeLines(node: NodeRow, selfId: string): PaneLine[] {
  const reachability = node.reachability ? ` (${node.reachability})` : '';
  const platform = [node.os, node.arch].filter(Boolean).join('/');
  const resources = [node.cpus > 0 ? plural(node.cpus, 'CPU') : '', node.memory > 0 ? formatBytes(node.memory) : ''].filter(Boolean);
  return [
    fact('Hostname', node.id === selfId ? `${node.hostname} (this engine)` : node.hostname),
    fact('Role', `${formatRole(node)}${reachability}`),
    fact('Status', node.statusMessage ? `${node.status}: ${node.statusMessage}` : node.status, node.status === 'ready' ? undefined : 'error'),
    fact('Available', `${node.availability}: ${AVAILABILITY_MEANING[node.availability]}`, node.availability === 'active' ? undefined : 'warning'),
    ...(node.address ? [fact('Address', node.address)] : []),
    fact('Engine', node.engineVersion || 'unknown'),
    ...(platform ? [fact('Platform', platform)] : []),
    ...(resources.length > 0 ? [fact('Resources', resources.join(', '))] : []),
    ...labelLines(node.labels, false),
    fact('ID', node.id),
  ];
}
