import React, { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { ContainerStore } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import type { StatsSampler } from '../engine/stats-sampler.js';
import type { ContainerAction, ContainerRow } from '../engine/types.js';
import { useContainerActions } from '../hooks/useContainerActions.js';
import { useContainerDetails } from '../hooks/useContainerDetails.js';
import { useContainers, useStats } from '../hooks/useEngineStores.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { ContainerList } from './ContainerList.js';
import { DetailPane } from './DetailPane.js';
import { Dialog, dialogHeight, KILL_SIGNALS, type DialogState, type DialogTarget } from './Dialog.js';
import { truncate } from './format.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { commandFor, keyName, type CommandId, type Scope } from './keymap.js';
import { calculateLayout } from './layout.js';
import { buildListItems, chooseColumns, isUp, nearestContainerIndex, scrollOffset, selectionIndex } from './list-model.js';

export interface AppProps {
  engine: Engine;
  store: ContainerStore;
  sampler: StatsSampler;
}

type Mode = 'normal' | 'filter' | 'help';

interface UiState {
  mode: Mode;
  filter: string;
  showStopped: boolean;
  dialog: DialogState | undefined;
  selectedId: string | undefined;
}

const INITIAL_UI: UiState = { mode: 'normal', filter: '', showStopped: true, dialog: undefined, selectedId: undefined };

/** Ages and uptimes only need to move every few seconds; a slower clock saves renders. */
function useClock(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function targetOf(row: ContainerRow): DialogTarget {
  return { id: row.id, name: row.name, running: isUp(row) };
}

export function App({ engine, store, sampler }: AppProps) {
  const { exit } = useApp();
  const { cols, rows } = useTerminalSize();
  const snapshot = useContainers(store);
  const nowMs = useClock(5_000);
  const { pending, status, setStatus, run } = useContainerActions(engine, store);
  const [ui, getUi, setUi] = useLatestState<UiState>(INITIAL_UI);
  const { mode, filter, showStopped } = ui;
  // A dialog states its target as it is now (it may start or stop while the dialog is open).
  const liveTarget = ui.dialog && snapshot.containers.find((c) => c.id === ui.dialog?.target.id);
  const dialog = ui.dialog && liveTarget ? { ...ui.dialog, target: targetOf(liveTarget) } : ui.dialog;
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);

  // An open dialog takes its rows from the list, so neither hides the other.
  const dialogRows = dialog ? dialogHeight(dialog, cols) : 0;
  const layout = calculateLayout(cols, rows - dialogRows);

  const items = useMemo(
    () => buildListItems(snapshot.containers, { showStopped, filter }),
    [snapshot.containers, showStopped, filter],
  );
  const selectedIndex = selectionIndex(items, ui.selectedId, lastIndex.current);
  lastIndex.current = Math.max(0, selectedIndex);
  const selectedItem = items[selectedIndex];
  const selected = selectedItem?.kind === 'container' ? selectedItem.row : undefined;

  // Pin the selection to a container as soon as there is one (and again when it vanished), so a
  // list that reorders under the highlight, after an action or a new container, never moves it.
  const selectedVanished = ui.selectedId !== undefined && !snapshot.containers.some((c) => c.id === ui.selectedId);
  useEffect(() => {
    if (selected && (ui.selectedId === undefined || selectedVanished)) setUi({ selectedId: selected.id });
  }, [selected, ui.selectedId, selectedVanished, setUi]);

  const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), layout.listRows, items.length);
  offsetRef.current = offset;

  const visibleRunning = items
    .slice(offset, offset + layout.listRows)
    .flatMap((item) => (item.kind === 'container' && item.row.state === 'running' ? [item.row.id] : []));
  const stats = useStats(sampler, visibleRunning);
  const details = useContainerDetails(engine, store, selected?.id);

  const columns = useMemo(() => chooseColumns(layout.listWidth), [layout.listWidth]);
  const running = snapshot.containers.filter((c) => c.state === 'running').length;

  /** The list as it is now, for keys that arrive before the next render. */
  const currentList = () => {
    const state = getUi();
    const now = buildListItems(store.getSnapshot().containers, { showStopped: state.showStopped, filter: state.filter });
    const index = selectionIndex(now, state.selectedId, lastIndex.current);
    const item = now[index];
    return { items: now, index, selected: item?.kind === 'container' ? item.row : undefined };
  };

  const moveSelection = (target: (index: number, count: number) => number, direction: 1 | -1) => {
    const list = currentList();
    const next = nearestContainerIndex(list.items, target(list.index, list.items.length), direction);
    const item = list.items[next];
    if (item?.kind === 'container') {
      lastIndex.current = next;
      setUi({ selectedId: item.row.id });
    }
  };

  const handleListCommand = (command: CommandId) => {
    const page = Math.max(1, layout.listRows - 1);
    switch (command) {
      case 'down': return moveSelection((i) => i + 1, 1);
      case 'up': return moveSelection((i) => i - 1, -1);
      case 'top': return moveSelection(() => 0, 1);
      case 'bottom': return moveSelection((_, count) => count - 1, -1);
      case 'pageDown': return moveSelection((i) => i + page, 1);
      case 'pageUp': return moveSelection((i) => i - page, -1);
      case 'filter': return setUi({ mode: 'filter' });
      case 'toggleStopped': return setUi((s) => ({ showStopped: !s.showStopped }));
      case 'help': return setUi({ mode: 'help' });
      case 'quit': return exit();
      default: break;
    }
    const target = currentList().selected;
    if (!target) {
      setStatus({ text: 'No container selected', tone: 'info' });
      return;
    }
    switch (command) {
      case 'start': return void run(target, 'start');
      case 'restart': return void run(target, 'restart');
      case 'pauseToggle': return void run(target, target.state === 'paused' ? 'unpause' : 'pause');
      case 'stop': return setUi({ dialog: { kind: 'stop', target: targetOf(target) } });
      case 'remove': return setUi({ dialog: { kind: 'remove', target: targetOf(target), force: false, removeVolumes: false } });
      case 'kill': return setUi({ dialog: { kind: 'kill', target: targetOf(target), signalIndex: 0 } });
      default: return undefined;
    }
  };

  const handleDialogCommand = (open: DialogState, command: CommandId) => {
    switch (command) {
      case 'confirmNo':
        return setUi({ dialog: undefined });
      case 'toggleForce':
        return open.kind === 'remove' ? setUi({ dialog: { ...open, force: !open.force } }) : undefined;
      case 'toggleVolumes':
        return open.kind === 'remove' ? setUi({ dialog: { ...open, removeVolumes: !open.removeVolumes } }) : undefined;
      case 'signalNext':
      case 'signalPrevious': {
        if (open.kind !== 'kill') return undefined;
        const step = command === 'signalNext' ? 1 : -1;
        const signalIndex = (open.signalIndex + step + KILL_SIGNALS.length) % KILL_SIGNALS.length;
        return setUi({ dialog: { ...open, signalIndex } });
      }
      case 'confirmYes': {
        setUi({ dialog: undefined });
        const target = open.target;
        if (open.kind === 'stop') return void run(target, 'stop');
        if (open.kind === 'remove') {
          return void run(target, 'remove', { remove: { force: open.force, removeVolumes: open.removeVolumes } });
        }
        return void run(target, 'kill', { signal: KILL_SIGNALS[open.signalIndex] ?? 'SIGKILL' });
      }
      case 'quit':
        return exit();
      default:
        return undefined;
    }
  };

  /** The one input router: the open dialog, then the filter box, then help, then the list. */
  const handleKey = (name: string, input: string) => {
    const state = getUi();
    // While a text box or dialog has the keyboard, single printable keys belong to it;
    // only control keys (Ctrl-C) still reach the global bindings.
    const printable = [...name].length === 1;
    const globalUnlessTyping: Scope[] = printable ? [] : ['global'];
    if (state.dialog) {
      const command = commandFor(name, [state.dialog.kind === 'kill' ? 'kill' : 'confirm', ...globalUnlessTyping]);
      if (command) handleDialogCommand(state.dialog, command);
      return;
    }
    if (state.mode === 'filter') {
      const command = commandFor(name, ['filter', ...globalUnlessTyping]);
      if (command === 'filterKeep') setUi({ mode: 'normal' });
      else if (command === 'filterClear') setUi({ mode: 'normal', filter: '' });
      else if (command === 'filterBackspace') setUi((s) => ({ filter: [...s.filter].slice(0, -1).join('') }));
      else if (command === 'quit') exit();
      else if (printable && input >= ' ') setUi((s) => ({ filter: s.filter + input }));
      return;
    }
    if (state.mode === 'help') {
      const command = commandFor(name, ['help', 'global']);
      if (command === 'helpClose') setUi({ mode: 'normal' });
      if (command === 'quit') exit();
      return;
    }
    const command = commandFor(name, ['list', 'global']);
    if (command) handleListCommand(command);
  };

  useInput((input, key) => {
    const plainText = !key.ctrl && !key.meta && !key.escape && [...input].length > 1;
    if (plainText) {
      // A chunk of several characters is several key presses, handled in order.
      for (const char of input) handleKey(keyName(char, {}), char);
      return;
    }
    handleKey(keyName(input, key), input);
  });

  const bodyHeight = layout.listRows + 1;
  let statusLine: React.ReactNode;
  if (mode === 'filter') {
    statusLine = (
      <Text wrap="truncate">
        <Text color="cyan">/</Text>
        {truncate(filter, layout.cols - 2)}
        <Text inverse> </Text>
        {filter ? '' : <Text dimColor> name, image, project, state, exit code</Text>}
      </Text>
    );
  } else if (status) {
    statusLine = <Text color={status.tone === 'error' ? 'red' : undefined} wrap="truncate">{truncate(status.text, layout.cols)}</Text>;
  } else if (filter) {
    statusLine = <Text dimColor wrap="truncate">{truncate(`filter: ${filter}  (/ to change, / then Esc to clear)`, layout.cols)}</Text>;
  } else {
    statusLine = <Text> </Text>;
  }
  const hints = mode === 'filter'
    ? 'type to filter · Enter keep · Esc clear'
    // Help and quit first: on a narrow terminal the tail of this line is what gets cut.
    : `? help · q quit · j/k move · / filter · e ${showStopped ? 'hide' : 'show'} stopped · S start · s stop · r restart · p pause · K kill · d remove`;

  const emptyText = !snapshot.loaded
    ? 'Loading containers…'
    : filter ? `No container matches "${filter}"` : showStopped ? 'No containers' : 'No running containers (e shows stopped ones)';

  return (
    <Box flexDirection="column" width={layout.cols} height={layout.rows + dialogRows}>
      <Header info={engine.info} connection={snapshot.connection} running={running} total={snapshot.containers.length} width={layout.cols} />
      {mode === 'help' ? (
        <HelpOverlay width={layout.cols} height={bodyHeight} />
      ) : (
        <Box height={bodyHeight}>
          <ContainerList
            items={items}
            columns={columns}
            offset={offset}
            height={layout.listRows}
            width={layout.listWidth}
            selectedIndex={selectedIndex}
            stats={stats}
            pending={pending}
            nowMs={nowMs}
            dimmed={snapshot.connection.status !== 'connected'}
            emptyText={emptyText}
          />
          {layout.detailWidth > 0 ? (
            <DetailPane row={selected} state={details} nowMs={nowMs} width={layout.detailWidth} height={bodyHeight} />
          ) : null}
        </Box>
      )}
      {dialog ? <Dialog dialog={dialog} cols={layout.cols} /> : null}
      <Box height={1}>{statusLine}</Box>
      <Text dimColor wrap="truncate">{truncate(hints, layout.cols)}</Text>
    </Box>
  );
}
