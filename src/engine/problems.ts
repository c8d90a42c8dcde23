// The containers in trouble now, for the header's alert and the key that jumps to them. Pure: it
// reads the live list, what the event stream remembers (deaths, which the list forgets on
// restart) and the clock, so a restart loop stops counting once its deaths leave the window.
import type { RestartHistory } from './restart-history.js';
import type { ContainerRow } from './types.js';

export type ProblemKind = 'unhealthy' | 'oom' | 'restartLoop';

export interface Problem {
  id: string;
  name: string;
  /** A fleet's host */
  host?: string;
  /** Most telling first */
  kinds: ProblemKind[];
  /** In plain words: "restart loop: died 4 times in 10 minutes; unhealthy: its health check fails" */
  reason: string;
  /** An OOM kill or a restart loop is an outage; an unhealthy container still runs. */
  severity: 'warning' | 'error';
}

const KIND_ORDER: readonly ProblemKind[] = ['restartLoop', 'oom', 'unhealthy'];

function reasonFor(kind: ProblemKind, dies: number): string {
  switch (kind) {
    case 'restartLoop': return `restart loop: died ${dies} times in 10 minutes`;
    case 'oom': return 'killed by the out-of-memory killer (exit 137)';
    case 'unhealthy': return 'unhealthy: its health check fails';
  }
}

/** The containers with a problem, in the order given, each once with all of its problems. */
export function findProblems(containers: readonly ContainerRow[], history: Pick<RestartHistory, 'forTriage'>, nowMs: number): Problem[] {
  const problems: Problem[] = [];
  for (const row of containers) {
    const triage = history.forTriage(row.id, nowMs);
    const found = new Set<ProblemKind>();
    if (triage.restartLooping) found.add('restartLoop');
    // The list marks only exited containers OOM-killed: one that restarted since runs again.
    if (row.state === 'exited' && row.oomKilled) found.add('oom');
    if (row.health === 'unhealthy') found.add('unhealthy');
    if (found.size === 0) continue;
    const kinds = KIND_ORDER.filter((kind) => found.has(kind));
    problems.push({
      id: row.id,
      name: row.name,
      ...(row.host ? { host: row.host } : {}),
      kinds,
      reason: kinds.map((kind) => reasonFor(kind, triage.dies)).join('; '),
      severity: kinds.some((kind) => kind !== 'unhealthy') ? 'error' : 'warning',
    });
  }
  return problems;
}

/** One key per container and kind: a container that goes from unhealthy to looping has a new problem. */
export function problemKeys(problems: readonly Problem[]): Set<string> {
  return new Set(problems.flatMap((problem) => problem.kinds.map((kind) => `${problem.id} ${kind}`)));
}

/** The problems whose keys `known` does not have, each with only its new kinds. */
export function newProblems(problems: readonly Problem[], known: ReadonlySet<string>): Problem[] {
  return problems.flatMap((problem) => {
    const kinds = problem.kinds.filter((kind) => !known.has(`${problem.id} ${kind}`));
    return kinds.length > 0 ? [{ ...problem, kinds }] : [];
  });
}

const NOTICE_WORDS: Record<ProblemKind, string> = {
  restartLoop: 'is restart-looping',
  oom: 'was killed by the out-of-memory killer',
  unhealthy: 'turned unhealthy',
};

/** The status line's notice: "web-1 turned unhealthy"; "3 new problems: web-1, db, cache". */
export function problemNotice(fresh: readonly Problem[]): string {
  const [only] = fresh;
  if (fresh.length === 1 && only) return `${only.name} ${only.kinds.map((kind) => NOTICE_WORDS[kind]).join(' and ')}`;
  return `${fresh.length} new problems: ${fresh.map((problem) => problem.name).join(', ')}`;
}

/**
 * The first problem below the container `currentId` in the order the list shows them (`order`:
 * container ids), wrapping around to the first. Problems missing from `order` come last.
 */
export function nextProblem(problems: readonly Problem[], order: readonly string[], currentId: string | undefined): Problem | undefined {
  const position = (id: string) => {
    const at = order.indexOf(id);
    return at < 0 ? order.length : at;
  };
  const sorted = [...problems].sort((a, b) => position(a.id) - position(b.id));
  const current = currentId === undefined ? -1 : position(currentId);
  return sorted.find((problem) => position(problem.id) > current) ?? sorted[0];
}
