import { useEffect, useMemo, useState } from 'react';
import type { Engine } from '../engine/engine.js';
import { describeEngineError, isNotFound } from '../engine/errors.js';
import { DEFAULT_HISTORY_CAPACITY, StatsHistory, type StatsPoint } from '../engine/stats-history.js';

export interface StatsStream {
  /** The container's history; it changes outside React, so read it during the render `version` triggered. */
  history: StatsHistory;
  latest: StatsPoint | undefined;
  /** Why the stream failed, while it retries; a stopped or vanished container is not an error. */
  error?: string;
  /** Bumped at most every RENDER_INTERVAL_MS while readings arrive: a memo key for derived data. */
  version: number;
}

/** Readings arrive every second; two frames a second keeps the figures fresh without re-rendering per sample. */
const RENDER_INTERVAL_MS = 500;
/** A stream the daemon closed while the tab is still open (engine restart, dropped link) is reopened. */
const REOPEN_DELAY_MS = 2000;
/** Histories kept for the containers looked at most recently, so returning to one shows its graphs. */
const REMEMBERED_CONTAINERS = 8;

/**
 * Per engine (a session), the histories of recently viewed containers, least recent first. At
 * module level rather than in the component: the Stats tab unmounts when another tab shows.
 */
const sessions = new WeakMap<Engine, Map<string, StatsHistory>>();

function historyFor(engine: Engine, id: string, capacity: number): StatsHistory {
  let histories = sessions.get(engine);
  if (!histories) sessions.set(engine, (histories = new Map()));
  const history = histories.get(id) ?? new StatsHistory(capacity);
  // Re-inserting moves it to the most recent end of the Map's order.
  histories.delete(id);
  histories.set(id, history);
  for (const stale of histories.keys()) {
    if (histories.size <= REMEMBERED_CONTAINERS) break;
    histories.delete(stale);
  }
  return history;
}

/** Calls `fn` at once, or, within `ms` of the last call, once when the interval is over. */
function throttle(fn: () => void, ms: number): { request(): void; cancel(): void } {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  return {
    request() {
      if (timer !== undefined) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * The daemon's stats stream for one container, only while `enabled` (the Stats tab shows and
 * the container runs): one stream at a time, closed when the container, the tab or `enabled`
 * changes. Readings go into the container's StatsHistory (of `capacity` readings) outside React.
 */
export function useStatsStream(engine: Engine, id: string | undefined, enabled: boolean, capacity = DEFAULT_HISTORY_CAPACITY): StatsStream {
  const history = useMemo(() => (id === undefined ? new StatsHistory(capacity) : historyFor(engine, id, capacity)), [engine, id, capacity]);
  const [version, setVersion] = useState(0);
  const [failure, setFailure] = useState<{ history: StatsHistory; message: string }>();

  useEffect(() => {
    if (!enabled || id === undefined) return;
    const controller = new AbortController();
    const { signal } = controller;
    const render = throttle(() => setVersion((v) => v + 1), RENDER_INTERVAL_MS);
    let showingError = false;

    void (async () => {
      while (!signal.aborted) {
        // Rates and CPU must not average over the time no stream was open.
        history.resetBaseline();
        try {
          for await (const sample of await engine.streamStats(id, signal)) {
            if (!history.push(sample)) continue;
            if (showingError) {
              showingError = false;
              setFailure(undefined);
            }
            render.request();
          }
        } catch (err) {
          if (signal.aborted) return;
          // The container was removed under us: the list will move on; nothing to report.
          if (isNotFound(err)) return;
          showingError = true;
          setFailure({ history, message: describeEngineError(err) });
        }
        await pause(REOPEN_DELAY_MS, signal);
      }
    })();

    return () => {
      controller.abort();
      render.cancel();
      if (showingError) setFailure(undefined);
    };
  }, [engine, id, enabled, history]);

  return {
    history,
    latest: history.latest(),
    // Another container's failure must not show under this one.
    ...(failure?.history === history ? { error: failure.message } : {}),
    version,
  };
}
