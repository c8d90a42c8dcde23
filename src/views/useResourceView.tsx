import React, { useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { toEngineError } from '../engine/errors.js';
import type { ImageRemoval } from '../engine/resource-types.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { usePolled } from '../hooks/usePolled.js';
import { useResources } from '../hooks/useResources.js';
import { plural, shortId } from './format.js';
import type { CommandId } from './keymap.js';
import { scrollOffset } from './list-model.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { planImageRemoval, ResourceDialog, resourceDialogHeight, type ResourceDialogState } from './ResourceDialog.js';
import { imageLines, networkLines, volumeLines } from './resource-lines.js';
import { ResourceList } from './ResourceList.js';
import {
  defaultSort, itemName, nextSort, resourceColumns, resourceCounts, resourceNoun, resourceSelectionIndex,
  shapeResourceItems, toImageItems, toNetworkItems, toVolumeItems, type ResourceItem, type ResourceKind, type SortState,
} from './resource-model.js';

export interface ResourceViewInput {
  engine: Engine;
  store: ContainerSource;
  /** The resource list on screen; undefined while the containers are (nothing is listed then). */
  kind: ResourceKind | undefined;
  /** The `/` filter of the kind, read when keys arrive (it may be newer than this render). */
  getFilter: () => string;
  filter: string;
  listWidth: number;
  /** Terminal size, for the confirmation dialog */
  cols: number;
  rows: number;
  /** Inside width of the details pane; 0 when it is not on screen */
  paneWidth: number;
  revealSecrets: boolean;
  nowMs: number;
  setStatus: (status: StatusMessage | undefined) => void;
  /** What the lists are of (a fleet's focused host): another scope lists afresh */
  scope: string;
}

export interface ResourceView {
  /** The list in `height` rows below its column titles (the height waits for the dialog's). */
  renderList(height: number, dimmed: boolean): React.ReactNode;
  /** The details of the selected row, for the side pane and full screen */
  paneLines: PaneLine[];
  paneTitle: string;
  /** For the header: "12 images · 3 dangling" */
  counts: string;
  loaded: boolean;
  /**
   * Keys of the `kind` list (as the UI state has it now: keys typed ahead may have switched
   * lists since this render); false when the key is not the resource list's.
   */
  handleListCommand(command: CommandId, kind: ResourceKind): boolean;
  dialog: { element: React.ReactNode; rows: number } | undefined;
  hasDialog(): boolean;
  handleDialogCommand(command: CommandId): void;
  /** The selected row of `kind` as custom commands' templates name it ({{ID}}, {{Name}}…) */
  commandValues(kind: ResourceKind): Record<string, string> | undefined;
  /** Selects the image row of `tag` once the images list has it (a pull or tag lists it only later). */
  selectTag(tag: string): void;
}

interface ResourceUi {
  selected: Record<ResourceKind, string | undefined>;
  sort: Record<ResourceKind, SortState>;
  dialog: ResourceDialogState | undefined;
  /** An image tag to select when it is listed, unless the user moves first */
  wantedTag?: string | undefined;
}

const INITIAL: ResourceUi = {
  selected: { images: undefined, volumes: undefined, networks: undefined },
  sort: { images: defaultSort('images'), volumes: defaultSort('volumes'), networks: defaultSort('networks') },
  dialog: undefined,
};

/** Image layers and config change only with the image: read once per image shown. */
const IMAGE_DETAILS_INTERVAL_MS = 60_000;

function removalSummary(lines: readonly ImageRemoval[]): string {
  const untagged = lines.flatMap((line) => (line.untagged ? [line.untagged] : []));
  const deleted = lines.filter((line) => line.deleted).length;
  const parts = [
    untagged.length > 0 ? `untagged ${untagged.join(', ')}` : '',
    deleted > 0 ? `deleted ${plural(deleted, 'image')} (layers included)` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'nothing to remove';
}

/** The images, volumes and networks lists: their rows, selection, sort, details and removals. */
export function useResourceView(input: ResourceViewInput): ResourceView {
  const { engine, store, kind, listWidth, cols, rows, nowMs, setStatus } = input;
  const images = useResources(engine, store, 'images', kind === 'images', input.scope);
  const volumes = useResources(engine, store, 'volumes', kind === 'volumes', input.scope);
  const networks = useResources(engine, store, 'networks', kind === 'networks', input.scope);
  const [ui, getUi, setUi] = useLatestState<ResourceUi>(INITIAL);
  const [pending, setPending] = useState<ReadonlyMap<string, string>>(new Map());
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  /** Rows the list had when last drawn: what a page is. */
  const listRowsRef = useRef(1);

  const rowsOf = (which: ResourceKind): ResourceItem[] => {
    switch (which) {
      case 'images': return toImageItems(images.rows);
      case 'volumes': return toVolumeItems(volumes.rows);
      case 'networks': return toNetworkItems(networks.rows);
    }
  };
  const snapshotOf = (which: ResourceKind) => ({ images, volumes, networks })[which];
  const all = useMemo(() => (kind ? rowsOf(kind) : []), [kind, images, volumes, networks]);
  // Keys read the lists as they are now: the filter or the list on screen may be newer than this render.
  const latestRows = useRef(rowsOf);
  latestRows.current = rowsOf;
  const sort = kind ? ui.sort[kind] : defaultSort('images');
  const items = useMemo(() => shapeResourceItems(all, input.filter, sort), [all, input.filter, sort]);
  const selectedIndex = kind ? resourceSelectionIndex(items, ui.selected[kind], lastIndex.current) : -1;
  if (selectedIndex >= 0) lastIndex.current = selectedIndex;
  const selected = items[selectedIndex];

  const imageId = kind === 'images' && selected?.kind === 'images' ? selected.image.id : undefined;
  const imageDetails = usePolled(imageId, input.paneWidth > 0, IMAGE_DETAILS_INTERVAL_MS, (signal) => engine.inspectImage(imageId ?? '', signal));
  const runningIds = useMemo(
    () => new Set(store.getSnapshot().containers.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting').map((c) => c.id)),
    [ui.dialog],
  );

  let paneLines: PaneLine[] = [];
  let paneTitle = kind ? `${resourceNoun(kind)[0]?.toUpperCase()}${resourceNoun(kind).slice(1)}` : '';
  if (selected?.kind === 'images') {
    const details = imageDetails.status === 'ready' ? imageDetails.value : undefined;
    paneLines = imageLines(selected.image, details, nowMs, input.revealSecrets);
    if (imageDetails.status === 'error') paneLines.push({ text: imageDetails.message, tone: 'warning' });
    paneTitle = 'Image';
  } else if (selected?.kind === 'volumes') {
    paneLines = volumeLines(selected.volume, nowMs);
  } else if (selected?.kind === 'networks') {
    paneLines = networkLines(selected.network);
  } else if (kind) {
    paneLines = [{ text: `No ${resourceNoun(kind)} selected`, tone: 'dim' }];
  }
  paneLines = wrapPaneLines(paneLines, Math.max(1, input.paneWidth));

  const currentItems = (which: ResourceKind) => shapeResourceItems(latestRows.current(which), input.getFilter(), getUi().sort[which]);

  const move = (which: ResourceKind, to: (index: number, count: number) => number) => {
    const now = currentItems(which);
    if (now.length === 0) return;
    const index = resourceSelectionIndex(now, getUi().selected[which], lastIndex.current);
    const next = Math.max(0, Math.min(now.length - 1, to(index, now.length)));
    lastIndex.current = next;
    const item = now[next];
    if (item) setUi((state) => ({ selected: { ...state.selected, [which]: item.key }, wantedTag: undefined }));
  };

  useEffect(() => {
    const item = ui.wantedTag === undefined ? undefined : items.find((i) => i.kind === 'images' && i.tag === ui.wantedTag);
    if (item) setUi((state) => ({ selected: { ...state.selected, images: item.key }, wantedTag: undefined }));
  }, [items, ui.wantedTag]);

  const openRemoval = (item: ResourceItem) => {
    switch (item.kind) {
      case 'images':
        return setUi({ dialog: { kind: 'removeImage', image: item.image, tag: item.tag, wholeImage: false, force: false, noprune: false } });
      case 'volumes': {
        const users = item.volume.usedBy.map((c) => c.name);
        // The engine refuses an in-use volume even with force: say so instead of asking.
        if (users.length > 0) {
          return setStatus({ text: `Volume ${item.volume.name} is in use by ${users.join(', ')}: remove ${users.length === 1 ? 'that container' : 'those containers'} first (force does not help).`, tone: 'error' });
        }
        return setUi({ dialog: { kind: 'removeVolume', volume: item.volume, force: false } });
      }
      case 'networks': {
        if (item.network.predefined) {
          return setStatus({ text: `${item.network.name} is predefined: the engine never removes bridge, host or none.`, tone: 'error' });
        }
        const users = item.network.containers.map((c) => c.name);
        if (users.length > 0) {
          return setStatus({ text: `Network ${item.network.name} has ${users.join(', ')} attached: disconnect or stop ${users.length === 1 ? 'it' : 'them'} first.`, tone: 'error' });
        }
        return setUi({ dialog: { kind: 'removeNetwork', network: item.network } });
      }
    }
  };

  const handleListCommand = (command: CommandId, kind: ResourceKind): boolean => {
    const page = Math.max(1, listRowsRef.current - 1);
    switch (command) {
      case 'down': move(kind, (i) => i + 1); return true;
      case 'up': move(kind, (i) => i - 1); return true;
      case 'top': move(kind, () => 0); return true;
      case 'bottom': move(kind, (_, count) => count - 1); return true;
      case 'pageDown': move(kind, (i) => i + page); return true;
      case 'pageUp': move(kind, (i) => i - page); return true;
      case 'sortNext':
        setUi((state) => ({ sort: { ...state.sort, [kind]: nextSort(kind, state.sort[kind]) } }));
        return true;
      case 'sortReverse':
        setUi((state) => ({ sort: { ...state.sort, [kind]: { ...state.sort[kind], descending: !state.sort[kind].descending } } }));
        return true;
      case 'remove': {
        const now = currentItems(kind);
        const item = now[resourceSelectionIndex(now, getUi().selected[kind], lastIndex.current)];
        if (!item) setStatus({ text: `No ${resourceNoun(kind)} selected`, tone: 'info' });
        else openRemoval(item);
        return true;
      }
      default:
        return false;
    }
  };

  const runRemoval = async (key: string, label: string, action: () => Promise<string>) => {
    setPending((prev) => new Map(prev).set(key, 'removing…'));
    try {
      setStatus({ text: await action(), tone: 'info' });
    } catch (err) {
      setStatus({ text: `${label}: ${toEngineError(err).message}`, tone: 'error' });
    } finally {
      setPending((prev) => {
        const next = new Map(prev);
        next.delete(key);
        return next;
      });
      for (const which of ['images', 'volumes', 'networks'] as const) void snapshotOf(which).refresh();
    }
  };

  const confirm = (dialog: ResourceDialogState) => {
    switch (dialog.kind) {
      case 'removeImage': {
        const plan = planImageRemoval(dialog, runningIds);
        const key = dialog.tag ? `${dialog.image.id} ${dialog.tag}` : dialog.image.id;
        const label = `remove ${dialog.tag ?? shortId(dialog.image.id)}`;
        return runRemoval(key, label, async () =>
          removalSummary(await engine.removeImage(plan.reference, { force: dialog.force, noprune: dialog.noprune })));
      }
      case 'removeVolume':
        return runRemoval(dialog.volume.name, `remove volume ${dialog.volume.name}`, async () => {
          await engine.removeVolume(dialog.volume.name, { force: dialog.force });
          return `Volume ${dialog.volume.name} removed`;
        });
      case 'removeNetwork':
        return runRemoval(dialog.network.id, `remove network ${dialog.network.name}`, async () => {
          await engine.removeNetwork(dialog.network.id);
          return `Network ${dialog.network.name} removed`;
        });
    }
  };

  const handleDialogCommand = (command: CommandId) => {
    const dialog = getUi().dialog;
    if (!dialog) return;
    switch (command) {
      case 'confirmNo':
        return setUi({ dialog: undefined });
      case 'confirmYes':
        setUi({ dialog: undefined });
        return void confirm(dialog);
      case 'toggleForce':
        if (dialog.kind === 'removeImage' || dialog.kind === 'removeVolume') setUi({ dialog: { ...dialog, force: !dialog.force } });
        return;
      case 'toggleWholeImage':
        if (dialog.kind === 'removeImage' && planImageRemoval(dialog, runningIds).canChoose) {
          setUi({ dialog: { ...dialog, wholeImage: !dialog.wholeImage } });
        }
        return;
      case 'toggleNoprune':
        if (dialog.kind === 'removeImage') setUi({ dialog: { ...dialog, noprune: !dialog.noprune } });
        return;
      default:
        return;
    }
  };

  const state = kind ? snapshotOf(kind) : undefined;
  const filter = input.filter;
  const emptyText = !state || state.status === 'loading'
    ? `Loading ${kind ?? ''}…`
    : state.status === 'error' && all.length === 0
      ? `Cannot list ${kind}: ${state.error ?? 'unknown error'}`
      : filter ? `No ${kind ? resourceNoun(kind) : ''} matches "${filter}"` : `No ${kind}`;
  const renderList = (height: number, dimmed: boolean) => {
    if (!kind) return null;
    listRowsRef.current = height;
    const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), height, items.length);
    offsetRef.current = offset;
    return (
      <ResourceList
        items={items}
        columns={resourceColumns(kind, listWidth, sort)}
        offset={offset}
        height={height}
        width={listWidth}
        selectedIndex={selectedIndex}
        nowMs={nowMs}
        dimmed={dimmed}
        emptyText={emptyText}
        pending={pending}
      />
    );
  };

  return {
    renderList,
    paneLines,
    paneTitle: selected ? `${paneTitle} ${itemName(selected)}` : paneTitle,
    counts: kind ? resourceCounts(kind, all) : '',
    loaded: state?.status === 'ready',
    handleListCommand,
    dialog: ui.dialog
      ? { element: <ResourceDialog dialog={ui.dialog} runningIds={runningIds} cols={cols} rows={rows} />, rows: resourceDialogHeight(ui.dialog, runningIds, cols, rows) }
      : undefined,
    hasDialog: () => getUi().dialog !== undefined,
    handleDialogCommand,
    commandValues: (which): Record<string, string> | undefined => {
      const now = currentItems(which);
      const item = now[resourceSelectionIndex(now, getUi().selected[which], lastIndex.current)];
      switch (item?.kind) {
        case 'images': return { ID: item.image.id, Tag: item.tag ?? '' };
        case 'volumes': return { Name: item.volume.name, Mountpoint: item.volume.mountpoint };
        case 'networks': return { ID: item.network.id, Name: item.network.name };
        default: return undefined;
      }
    },
    selectTag: (tag) => setUi({ wantedTag: tag }),
  };
}
