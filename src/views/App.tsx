import React, { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import TextInput from 'ink-text-input';
import type { ContainerStore } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import type { StatsSampler } from '../engine/stats-sampler.js';
import type { ContainerAction, ContainerRow } from '../engine/types.js';
import { useContainerActions } from '../hooks/useContainerActions.js';
import { useContainerDetails } from '../hooks/useContainerDetails.js';
import { useContainers, useStats } from '../hooks/useEngineStores.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { ContainerList } from './ContainerList.js';
import { DetailPane } from './DetailPane.js';
import { Dialog, dialogHeight, KILL_SIGNALS, type DialogState, type DialogTarget } from './Dialog.js';
import { truncate } from './format.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { commandFor, keyName, type CommandId, type Scope } from './keymap.js';
import { calculateLayout } from './layout.js';
import { buildListItems, chooseColumns, nearestContainerIndex, scrollOffset, type ListItem } from './list-model.js';

export interface AppProps {
  engine: Engine;
  store: ContainerStore;
  sampler: StatsSampler;
}

type Mode = 'normal' | 'filter' | 'help';

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
  return { id: row.id, name: row.name, running: row.state === 'running' || row.state === 'paused' || row.state === 'restarting' };
}

export function App({ engine, store, sampler }: AppProps) {
  const { exit } = useApp();
  const { cols, rows } = useTerminalSize();
  const snapshot = useContainers(store);
  const nowMs = useClock(5_000);
  const { pending, status, setStatus, run } = useContainerActions(engine, store);

  const [mode, setMode] = useState<Mode>('normal');
  const [filter, setFilter] = useState('');
  const [showStopped, setShowStopped] = useState(true);
  const [dialog, setDialog] = useState<DialogState | undefined>();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  // An open dialog takes its rows from the list, so neither hides the other.
  const dialogRows = dialog ? dialogHeight(dialog, cols) : 0;
  const layout = calculateLayout(cols, rows - dialogRows);

  const items = useMemo(
    () => buildListItems(snapshot.containers, { showStopped, filter }),
    [snapshot.containers, showStopped, filter],
  );
  // The selection follows the container, not the row number; if it vanished, stay where it was.
  let selectedIndex = items.findIndex((item) => item.kind === 'container' && item.row.id === selectedId);
  if (selectedIndex < 0) selectedIndex = nearestContainerIndex(items, lastIndex.current);
  lastIndex.current = Math.max(0, selectedIndex);
  const selectedItem = items[selectedIndex];
  const selected = selectedItem?.kind === 'container' ? selectedItem.row : undefined;

  const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), layout.listRows, items.length);
  offsetRef.current = offset;

  const visibleRunning = items
    .slice(offset, offset + layout.listRows)
    .flatMap((item) => (item.kind === 'container' && item.row.state === 'running' ? [item.row.id] : []));
  const stats = useStats(sampler, visibleRunning);
  const details = useContainerDetails(engine, store, selected?.id);

  const columns = useMemo(() => chooseColumns(layout.listWidth), [layout.listWidth]);
  const running = snapshot.containers.filter((c) => c.state === 'running').length;

  const selectIndex = (index: number, direction: 1 | -1) => {
    const next = nearestContainerIndex(items, index, direction);
    const item: ListItem | undefined = items[next];
    if (item?.kind === 'container') setSelectedId(item.row.id);
  };

  const act = (action: ContainerAction, row: ContainerRow) => {
    void run(row, action);
  };

  const handleListCommand = (command: CommandId) => {
    const page = Math.max(1, layout.listRows - 1);
    switch (command) {
      case 'down': return selectIndex(selectedIndex + 1, 1);
      case 'up': return selectIndex(selectedIndex - 1, -1);
      case 'top': return selectIndex(0, 1);
      case 'bottom': return selectIndex(items.length - 1, -1);
      case 'pageDown': return selectIndex(selectedIndex + page, 1);
      case 'pageUp': return selectIndex(selectedIndex - page, -1);
      case 'filter': return setMode('filter');
      case 'toggleStopped': return setShowStopped((v) => !v);
      case 'help': return setMode('help');
      case 'quit': return exit();
      default: break;
    }
    if (!selected) {
      setStatus({ text: 'No container selected', tone: 'info' });
      return;
    }
    switch (command) {
      case 'start': return act('start', selected);
      case 'restart': return act('restart', selected);
      case 'pauseToggle': return act(selected.state === 'paused' ? 'unpause' : 'pause', selected);
      case 'stop': return setDialog({ kind: 'stop', target: targetOf(selected) });
      case 'remove': return setDialog({ kind: 'remove', target: targetOf(selected), force: false, removeVolumes: false });
      case 'kill': return setDialog({ kind: 'kill', target: targetOf(selected), signalIndex: 0 });
      default: return undefined;
    }
  };

  const handleDialogCommand = (open: DialogState, command: CommandId) => {
    switch (command) {
      case 'confirmNo':
        return setDialog(undefined);
      case 'toggleForce':
        return open.kind === 'remove' ? setDialog({ ...open, force: !open.force }) : undefined;
      case 'toggleVolumes':
        return open.kind === 'remove' ? setDialog({ ...open, removeVolumes: !open.removeVolumes }) : undefined;
      case 'signalNext':
      case 'signalPrevious': {
        if (open.kind !== 'kill') return undefined;
        const step = command === 'signalNext' ? 1 : -1;
        const signalIndex = (open.signalIndex + step + KILL_SIGNALS.length) % KILL_SIGNALS.length;
        return setDialog({ ...open, signalIndex });
      }
      case 'confirmYes': {
        setDialog(undefined);
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

  useInput((input, key) => {
    const name = keyName(input, key);
    // While a text box or dialog has the keyboard, single printable keys belong to it;
    // only control keys (Ctrl-C) still reach the global bindings.
    const printable = [...name].length === 1;
    const globalUnlessTyping: Scope[] = printable ? [] : ['global'];
    if (dialog) {
      const command = commandFor(name, [dialog.kind === 'kill' ? 'kill' : 'confirm', ...globalUnlessTyping]);
      if (command) handleDialogCommand(dialog, command);
      return;
    }
    if (mode === 'filter') {
      const command = commandFor(name, ['filter', ...globalUnlessTyping]);
      if (command === 'filterKeep') setMode('normal');
      if (command === 'filterClear') { setFilter(''); setMode('normal'); }
      if (command === 'quit') exit();
      return;
    }
    if (mode === 'help') {
      const command = commandFor(name, ['help', 'global']);
      if (command === 'helpClose') setMode('normal');
      if (command === 'quit') exit();
      return;
    }
    const command = commandFor(name, ['list', 'global']);
    if (command) handleListCommand(command);
  });

  const bodyHeight = layout.listRows + 1;
  let statusLine: React.ReactNode;
  if (mode === 'filter') {
    statusLine = (
      <Box>
        <Text color="cyan">/</Text>
        <TextInput value={filter} onChange={setFilter} placeholder="name, image, project, state, exit code" />
      </Box>
    );
  } else if (status) {
    statusLine = <Text color={status.tone === 'error' ? 'red' : undefined} wrap="truncate">{truncate(status.text, layout.cols)}</Text>;
  } else if (filter) {
    statusLine = <Text dimColor wrap="truncate">{truncate(`filter: ${filter}  (/ to change, / then Esc to clear)`, layout.cols)}</Text>;
  } else {
    statusLine = <Text> </Text>;
  }
  const hints = mode === 'filter'
    ? 'Enter keep filter · Esc clear'
    : `j/k move · / filter · e ${showStopped ? 'hide' : 'show'} stopped · S start · s stop · r restart · p pause · K kill · d remove · ? help · q quit`;

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
