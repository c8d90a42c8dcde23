import { useEffect, useMemo, useRef, type Dispatch, type SetStateAction } from 'react';
import type { ContainerSource } from '../engine/container-store.js';
import { findProblems, newProblems, problemKeys, problemNotice, type Problem } from '../engine/problems.js';
import type { StatusMessage } from './useContainerActions.js';
import { useContainers } from './useEngineStores.js';

export interface ProblemsInput {
  store: ContainerSource;
  /** The clock the problems are judged at: a restart loop ends when its deaths leave the window. */
  nowMs: number;
  /** The status line's setter: a notice is replaced by anything newer, and leaves by itself. */
  setStatus: Dispatch<SetStateAction<StatusMessage | undefined>>;
  /** How long a notice stays */
  noticeMs?: number;
}

const NOTICE_MS = 6_000;

/**
 * The containers in trouble now (unhealthy, OOM-killed, restart-looping), and a short notice in
 * the status line whenever a new problem appears. The problems already there when the list first
 * arrives are no news: the header counts them.
 */
export function useProblems({ store, nowMs, setStatus, noticeMs = NOTICE_MS }: ProblemsInput): readonly Problem[] {
  const snapshot = useContainers(store);
  const problems = useMemo(
    () => findProblems(snapshot.containers, store.restarts, nowMs),
    [snapshot.containers, store, nowMs],
  );
  const known = useRef<ReadonlySet<string> | undefined>(undefined);
  const noticeTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  useEffect(() => () => clearTimeout(noticeTimer.current), []);

  useEffect(() => {
    if (!snapshot.loaded) return;
    const previous = known.current;
    known.current = problemKeys(problems);
    if (!previous) return;
    const fresh = newProblems(problems, previous);
    if (fresh.length === 0) return;
    const notice: StatusMessage = {
      text: `⚠ ${problemNotice(fresh)} · ! selects ${fresh.length === 1 ? 'it' : 'them in turn'}`,
      tone: 'error',
    };
    setStatus(notice);
    clearTimeout(noticeTimer.current);
    // Only the notice itself leaves: a message that replaced it meanwhile stays.
    noticeTimer.current = setTimeout(() => setStatus((current) => (current === notice ? undefined : current)), noticeMs);
  }, [problems, snapshot.loaded, setStatus, noticeMs]);

  return problems;
}
