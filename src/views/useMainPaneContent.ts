import type { ReactNode } from 'react';
import React from 'react';
import type { Engine } from '../engine/engine.js';
import { tailLogLines } from '../engine/log-stream.js';
import { diagnose, engineKind, type TriageHistory } from '../engine/triage.js';
import type { ContainerDetails, ContainerRow } from '../engine/types.js';
import { usePolled } from '../hooks/usePolled.js';
import { envLines, inspectLines, overviewLines, topLines, triageLines, wrapPaneLines, type PaneLine } from './pane-lines.js';
import { StatsPane } from './StatsPane.js';
import type { TabId } from './tabs.js';

export interface MainPaneInput {
  engine: Engine;
  tab: TabId;
  row: ContainerRow | undefined;
  /** Inspect of `row`, once it arrived */
  details: ContainerDetails | undefined;
  /** Why the inspect did not arrive (the container vanished, the engine refused) */
  problem: string | undefined;
  /**
   * The Logs tab follows this container without its inspect: a log says itself that its container
   * was removed, or that the engine cannot be reached.
   */
  logsFollowed?: boolean;
  /** What the event stream remembers about `row` (deaths, OOM kills) */
  history: TriageHistory | undefined;
  nowMs: number;
  width: number;
  /** Rows the tab's body has, for tabs that draw their own */
  height: number;
  /** The Logs tab, which follows its container itself */
  logsElement: ReactNode;
  revealSecrets: boolean;
  /** How far back the Stats tab's graphs go */
  statsHistoryMinutes?: number | undefined;
}

export interface MainPaneContent {
  /** Line-based tabs: what ScrollPane shows, what search looks through. */
  lines: PaneLine[] | undefined;
  /** Tabs with a component of their own. */
  custom?: ReactNode;
}

const TOP_INTERVAL_MS = 2000;
/** "What did its logs say just before it died": the Overview's share of the log. */
const TRIAGE_TAIL = 20;
const TRIAGE_LOG_INTERVAL_MS = 10_000;

/** What the selected tab shows; only the visible tab reads anything from the engine. */
export function useMainPaneContent(input: MainPaneInput): MainPaneContent {
  const { engine, tab, row, details, problem, logsFollowed, history, nowMs, width, height, revealSecrets, logsElement, statsHistoryMinutes } = input;
  const running = row?.state === 'running';
  const id = row?.id ?? '';
  const tty = details?.tty ?? false;
  const top = usePolled(row?.id, tab === 'top' && running, TOP_INTERVAL_MS, (signal) => engine.top(id, signal));
  const diagnosis = details && history ? diagnose(details, history, nowMs, engineKind(engine.info.product)) : undefined;
  // Keyed by the run it belongs to, so a restart reads the new "before it died".
  const triageKey = details && diagnosis && diagnosis.severity !== 'ok' ? `${id}:${details.finishedAt}:${details.restartCount}` : undefined;
  const triageLog = usePolled(triageKey, tab === 'overview', TRIAGE_LOG_INTERVAL_MS, (signal) => tailLogLines(engine, id, tty, TRIAGE_TAIL, signal));

  if (!row) return { lines: [{ text: 'No container selected', tone: 'dim' }] };
  if (problem && !details && !(tab === 'logs' && logsFollowed)) return { lines: wrapPaneLines([...overviewLines(row, undefined, nowMs, false, revealSecrets), { text: problem, tone: 'warning' }], width) };
  switch (tab) {
    case 'overview': {
      const triaged = diagnosis !== undefined && diagnosis.severity !== 'ok';
      const summary = overviewLines(row, details, nowMs, triaged, revealSecrets);
      const tail = triageLog.status === 'ready' ? triageLog.value : undefined;
      const lines = triaged ? [...triageLines(diagnosis, tail, nowMs), ...summary] : summary;
      return { lines: wrapPaneLines(lines, width) };
    }
    case 'inspect':
      return { lines: details ? inspectLines(details.raw, revealSecrets) : undefined };
    case 'env':
      return { lines: details ? envLines(details.env, revealSecrets) : undefined };
    case 'top':
      if (!running) return { lines: [{ text: `${row.name} is not running: no processes`, tone: 'dim' }] };
      if (top.status === 'ready') return { lines: topLines(top.value, width, revealSecrets) };
      if (top.status === 'error') return { lines: [{ text: top.message, tone: 'error' }] };
      return { lines: undefined };
    case 'logs':
      // Followed live by the Logs tab itself (useLogsTab): it owns its buffer and keys.
      return { lines: undefined, custom: logsElement };
    case 'stats':
      return {
        lines: undefined,
        custom: React.createElement(StatsPane, { engine, containerId: row.id, running, width, height, historyMinutes: statsHistoryMinutes }),
      };
  }
}
