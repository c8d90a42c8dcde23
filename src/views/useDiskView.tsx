import React, { useEffect, useRef } from 'react';
import type { Engine } from '../engine/engine.js';
import { toEngineError } from '../engine/errors.js';
import { executePrunePlan, previewPrunePlan, PRUNE_ORDER, pruneTakesNamedVolumes, type PlanOutcome } from '../engine/prune.js';
import type { DiskUsage, PrunePreview } from '../engine/resource-types.js';
import { useLatestState } from '../hooks/useLatestState.js';
import {
  DISK_ROWS, diskHints, previewScreen, resultScreen, toggleMeaning, usageTableScreen,
  type DiskMode, type DiskScreen, type DiskTarget,
} from './disk-lines.js';
import { commandFor, type CommandId, type Scope } from './keymap.js';
import { ScrollPane } from './ScrollPane.js';

export interface DiskViewInput {
  engine: Engine;
  /** On screen. Leaving for the help overlay keeps the view as it is; closing (Esc) resets it. */
  active: boolean;
  width: number;
  height: number;
  onClose: () => void;
  /** Something was deleted: lists elsewhere may want to look again. */
  onPruned?: () => void;
}

export interface DiskView {
  element: React.ReactNode;
  /** True when the key was the view's. */
  handleKey: (name: string, input: string) => boolean;
  /** Whose keys the disk view takes at this instant (undefined: none), typed-ahead keys included */
  keyScope(): Extract<Scope, 'disk' | 'prune'> | undefined;
  /** The bottom key-hint line */
  hints: string;
}

interface DiskUi {
  mode: DiskMode | 'closed';
  selected: number;
  usage: DiskUsage | undefined;
  networks: { count: number; active: number } | undefined;
  measuring: boolean;
  target: DiskTarget;
  all: boolean;
  /** undefined while the preview is being built */
  plan: PrunePreview[] | undefined;
  changed: boolean;
  outcome: Extract<PlanOutcome, { status: 'done' }> | undefined;
  scroll: number;
  error: string | undefined;
}

const CLOSED: DiskUi = {
  mode: 'closed', selected: 0, usage: undefined, networks: undefined, measuring: false, target: 'images', all: false,
  plan: undefined, changed: false, outcome: undefined, scroll: 0, error: undefined,
};

const categoriesOf = (target: DiskTarget) => (target === 'everything' ? PRUNE_ORDER : [target]);

/**
 * The disk usage view (D): `docker system df` as a table, then a prune of one category or of
 * everything, previewed item by item before `y`, and what it reclaimed after. One piece of engine
 * work runs at a time; starting another, closing the view or unmounting aborts it.
 */
export function useDiskView({ engine, active, width, height, onClose, onPruned }: DiskViewInput): DiskView {
  const [ui, getUi, setUi] = useLatestState<DiskUi>(CLOSED);
  const work = useRef<AbortController | undefined>(undefined);
  const namedVolumesAlways = pruneTakesNamedVolumes(engine.info.apiVersion);
  // Podman builds with Buildah, which caches in image layers: its /system/df has no build cache.
  const noBuildCache = engine.info.product === 'Podman Engine' ? 'none: Podman keeps no build cache' : undefined;

  /** Runs `job` as the view's one piece of engine work; its outcome lands only if nothing replaced it. */
  const run = <T,>(job: (signal: AbortSignal) => Promise<T>, done: (value: T) => void, failed: (message: string) => void) => {
    work.current?.abort();
    const controller = new AbortController();
    work.current = controller;
    job(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) done(value);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) failed(toEngineError(err).message);
      },
    );
  };

  const measure = () => {
    setUi({ mode: 'table', measuring: true, error: undefined });
    run(
      (signal) => Promise.all([engine.diskUsage(signal), engine.listNetworks(signal)]),
      ([usage, networks]) => setUi({
        measuring: false,
        usage,
        networks: { count: networks.length, active: networks.filter((n) => n.containers.length > 0).length },
      }),
      (message) => setUi({ measuring: false, error: `Could not measure disk usage: ${message}` }),
    );
  };

  const openPreview = (target: DiskTarget, all: boolean) => {
    setUi({ mode: 'preview', target, all, plan: undefined, changed: false, scroll: 0, error: undefined });
    run(
      (signal) => previewPrunePlan(engine, categoriesOf(target), { all }, signal),
      (plan) => setUi({ plan }),
      (message) => setUi({ mode: 'table', error: `Could not list what a prune would delete: ${message}` }),
    );
  };

  const prune = (plan: PrunePreview[]) => {
    setUi({ mode: 'deleting', error: undefined });
    run(
      (signal) => executePrunePlan(engine, plan, signal),
      (outcome) => {
        if (outcome.status === 'changed') {
          setUi({ mode: 'preview', plan: outcome.fresh, changed: true, scroll: 0 });
          return;
        }
        setUi({ mode: 'result', outcome, scroll: 0 });
        onPruned?.();
      },
      // What went before the failure is gone all the same.
      (message) => {
        setUi({ mode: 'table', error: `The prune stopped: ${message}. R measures again.` });
        onPruned?.();
      },
    );
  };

  const close = () => {
    work.current?.abort();
    setUi(CLOSED);
    onClose();
  };

  // Only opening measures: back from the help overlay, the view is as it was left.
  useEffect(() => {
    if (active && getUi().mode === 'closed') measure();
  }, [active]);

  useEffect(() => () => work.current?.abort(), []);

  const screenOf = (state: DiskUi): DiskScreen => {
    if (state.mode === 'result' && state.outcome) {
      return resultScreen({ target: state.target, outcome: state.outcome, scroll: state.scroll, width, height });
    }
    if (state.mode === 'preview' || state.mode === 'deleting') {
      return previewScreen({ ...state, namedVolumesAlways, deleting: state.mode === 'deleting', width, height });
    }
    return usageTableScreen({ ...state, noBuildCache, width, height });
  };

  /** Scrolls the preview or result for a scrolling command; false for any other. */
  const scrollBy = (command: CommandId | undefined): boolean => {
    const screen = screenOf(getUi());
    let step: number;
    switch (command) {
      case 'down': step = 1; break;
      case 'up': step = -1; break;
      case 'pageDown': step = screen.pageSize; break;
      case 'pageUp': step = -screen.pageSize; break;
      default: return false;
    }
    setUi((s) => ({ scroll: Math.min(screen.maxScroll, Math.max(0, Math.min(s.scroll, screen.maxScroll) + step)) }));
    return true;
  };

  const handleKey = (name: string): boolean => {
    const now = getUi();
    switch (now.mode) {
      case 'closed':
      case 'deleting':
        return false;
      case 'table': {
        const command = commandFor(name, ['disk']);
        if (command === 'down' || command === 'up') {
          const step = command === 'down' ? 1 : -1;
          setUi((s) => ({ selected: Math.min(DISK_ROWS.length - 1, Math.max(0, s.selected + step)) }));
        } else if (command === 'pruneCategory') {
          openPreview(DISK_ROWS[now.selected]?.target ?? 'everything', false);
        } else if (command === 'pruneEverything') {
          openPreview('everything', false);
        } else if (command === 'refreshDisk') {
          measure();
        } else if (command === 'closeDisk') {
          close();
        } else {
          return false;
        }
        return true;
      }
      case 'preview': {
        const command = commandFor(name, ['prune']);
        if (scrollBy(command)) return true;
        if (command === 'toggleAllUnused') {
          if (toggleMeaning(now.target, now.all, namedVolumesAlways)?.changes) openPreview(now.target, !now.all);
        } else if (command === 'confirmYes') {
          // Nothing listed, or not listed yet: nothing to confirm.
          if (now.plan?.some((p) => p.items.length > 0)) prune(now.plan);
        } else if (command === 'confirmNo') {
          work.current?.abort();
          setUi({ mode: 'table', plan: undefined, changed: false });
        } else {
          return false;
        }
        return true;
      }
      case 'result': {
        const command = commandFor(name, ['prune']);
        if (scrollBy(command)) return true;
        if (command !== 'confirmNo') return false;
        setUi({ outcome: undefined, plan: undefined });
        measure();
        return true;
      }
    }
  };

  return {
    element: ui.mode === 'closed' ? null : <ScrollPane lines={screenOf(ui).lines} offset={0} width={width} height={height} />,
    handleKey,
    keyScope: () => {
      const { mode } = getUi();
      return mode === 'table' ? 'disk' : mode === 'closed' || mode === 'deleting' ? undefined : 'prune';
    },
    hints: ui.mode === 'closed' ? '' : diskHints(ui.mode),
  };
}
