// Lifecycle actions on a whole Compose project (or one service of it) through the Engine API:
// every container addressed by id, a few at a time, each failure kept in the daemon's own words.
import type { ActionOptions, Engine } from './engine.js';
import { toEngineError } from './errors.js';
import type { ContainerAction, ContainerRow } from './types.js';

export type GroupAction = Extract<ContainerAction, 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove'>;

const isUp = (row: Pick<ContainerRow, 'state'>) => row.state === 'running' || row.state === 'paused' || row.state === 'restarting';

/**
 * The containers an action is about, as `docker compose` picks them: start what is not up, stop
 * what is, pause what runs, unpause what is paused; restart and remove take them all.
 */
export function actionTargets<T extends Pick<ContainerRow, 'state'>>(containers: readonly T[], action: GroupAction): T[] {
  switch (action) {
    case 'start': return containers.filter((c) => !isUp(c));
    case 'stop': return containers.filter(isUp);
    case 'pause': return containers.filter((c) => c.state === 'running');
    case 'unpause': return containers.filter((c) => c.state === 'paused');
    case 'restart':
    case 'remove': return [...containers];
  }
}

/** p on a group: pause while anything runs, else unpause what is paused. */
export function pauseToggleAction(containers: ReadonlyArray<Pick<ContainerRow, 'state'>>): 'pause' | 'unpause' {
  return containers.some((c) => c.state === 'running') ? 'pause' : 'unpause';
}

export interface ActionTarget {
  id: string;
  name: string;
}

export interface GroupActionReport {
  action: GroupAction;
  /** Done, or already so (the daemon's 304) */
  done: ActionTarget[];
  /** Gone before the action reached them (404): routine in a live view, not a failure */
  gone: ActionTarget[];
  failed: Array<ActionTarget & { message: string }>;
}

/** Parallel, but bounded: a project of 50 containers must not become 50 requests at once. */
const DEFAULT_CONCURRENCY = 4;

/**
 * Runs `action` on every target by id, at most `concurrency` at a time, and reports each outcome.
 * Never rejects: one container's refusal does not stop the others.
 */
export async function actOnContainers(
  engine: Pick<Engine, 'containerAction'>,
  targets: readonly ActionTarget[],
  action: GroupAction,
  options: { action?: ActionOptions; concurrency?: number } = {},
): Promise<GroupActionReport> {
  const report: GroupActionReport = { action, done: [], gone: [], failed: [] };
  const queue = [...targets];
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      try {
        await engine.containerAction(target.id, action, options.action);
        report.done.push(target);
      } catch (err) {
        const error = toEngineError(err);
        if (error.statusCode === 304) report.done.push(target);
        else if (error.statusCode === 404) report.gone.push(target);
        else report.failed.push({ ...target, message: error.message });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  // In the order given, whatever order the engine answered in.
  const order = new Map(targets.map((t, i) => [t.id, i]));
  const byOrder = (a: ActionTarget, b: ActionTarget) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
  report.done.sort(byOrder);
  report.gone.sort(byOrder);
  report.failed.sort(byOrder);
  return report;
}
