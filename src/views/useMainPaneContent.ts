import type { ReactNode } from 'react';
import type { Engine } from '../engine/engine.js';
import type { ContainerDetails, ContainerRow } from '../engine/types.js';
import { usePolled } from '../hooks/usePolled.js';
import { envLines, inspectLines, overviewLines, topLines, type PaneLine } from './pane-lines.js';
import type { TabId } from './tabs.js';

export interface MainPaneInput {
  engine: Engine;
  tab: TabId;
  row: ContainerRow | undefined;
  /** Inspect of `row`, once it arrived */
  details: ContainerDetails | undefined;
  /** Why the inspect did not arrive (the container vanished, the engine refused) */
  problem: string | undefined;
  nowMs: number;
  width: number;
  revealSecrets: boolean;
}

export interface MainPaneContent {
  /** Line-based tabs: what ScrollPane shows, what search looks through. */
  lines: PaneLine[] | undefined;
  /** Tabs with a component of their own. */
  custom?: ReactNode;
}

const TOP_INTERVAL_MS = 2000;

/** What the selected tab shows; only the visible tab reads anything from the engine. */
export function useMainPaneContent({ engine, tab, row, details, problem, nowMs, width, revealSecrets }: MainPaneInput): MainPaneContent {
  const running = row?.state === 'running';
  const top = usePolled(row?.id, tab === 'top' && running, TOP_INTERVAL_MS, (signal) => engine.top(row?.id ?? '', signal));

  if (!row) return { lines: [{ text: 'No container selected', tone: 'dim' }] };
  if (problem && !details) return { lines: [...overviewLines(row, undefined, nowMs), { text: problem, tone: 'warning' }] };
  switch (tab) {
    case 'overview':
      return { lines: overviewLines(row, details, nowMs) };
    case 'inspect':
      return { lines: details ? inspectLines(details.raw, revealSecrets) : undefined };
    case 'env':
      return { lines: details ? envLines(details.env, revealSecrets) : undefined };
    case 'top':
      if (!running) return { lines: [{ text: `${row.name} is not running: no processes`, tone: 'dim' }] };
      if (top.status === 'ready') return { lines: topLines(top.value, width) };
      if (top.status === 'error') return { lines: [{ text: top.message, tone: 'error' }] };
      return { lines: undefined };
    case 'logs':
    case 'stats':
      return { lines: [{ text: 'Coming soon', tone: 'dim' }] };
  }
}
