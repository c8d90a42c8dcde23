import React, { memo, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Text } from 'ink';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { toEngineError } from '../engine/errors.js';
import type { ResourceSnapshot } from '../engine/resource-store.js';
import { SwarmStore, type SwarmRows } from '../engine/swarm-store.js';
import { isOutOfSequence, type ServiceRow, type SwarmStatus } from '../engine/swarm.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { usePolled } from '../hooks/usePolled.js';
import { pad } from './format.js';
import { commandFor, type CommandId } from './keymap.js';
import { ListFrame } from './ListFrame.js';
import { scrollOffset, type Column } from './list-model.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { stepAvailability, SwarmDialog, swarmDialogHeight, type SwarmDialogState } from './SwarmDialog.js';
import { nodeLines, serviceLines } from './swarm-lines.js';
import { useTheme } from './theme.js';
import {
  DEFAULT_SWARM_SORT, formatMode, nextSwarmSort, SELECTION_MOVES, shapeSwarmItems, swarmCell, swarmCellTone, swarmColumns, swarmCounts,
  swarmItemName, swarmNoun, swarmSelectionIndex, toNodeItems, toServiceItems,
  type SwarmColumnId, type SwarmItem, type SwarmKind, type SwarmSort,
} from './swarm-model.js';

/** What App needs to show a service's log in the Logs tab. */
export interface ServiceLogTarget {
  id: string;
  name: string;
  /** The tasks have a TTY: the log is raw, not framed */
  tty: boolean;
}

export interface SwarmViewInput {
  engine: Engine;
  store: ContainerSource;
  /** The Swarm list on screen; undefined while another view is (nothing is listed then). */
  kind: SwarmKind | undefined;
  /** The `/` filter of the kind, read when keys arrive (it may be newer than this render). */
  getFilter: () => string;
  filter: string;
  listWidth: number;
  /** Terminal size, for the dialogs */
  cols: number;
  rows: number;
  /** Inside width of the details pane; 0 when it is not on screen (then no task is read) */
  paneWidth: number;
  nowMs: number;
  setStatus: (status: StatusMessage | undefined) => void;
  /** What the lists are of (a fleet's focused host): another scope looks and lists afresh */
  scope: string;
  /** `L` on a service: show its log (all its tasks) in the Logs tab. */
  openServiceLogs: (service: ServiceLogTarget) => void;
}

export interface SwarmAvailability {
  available: boolean;
  reason: string;
}

export interface SwarmView {
  /** The engine is a swarm manager: only then do the services and nodes lists exist. */
  available: boolean;
  /** Why they do not, for the status line ("not a swarm manager (docker swarm init …)"). */
  unavailableReason: string;
  /** Asks the engine again (a `docker swarm init` since), for a key that opens a list: state of this instant. */
  checkAvailable(): Promise<SwarmAvailability>;
  renderList(height: number, dimmed: boolean): React.ReactNode;
  paneLines: PaneLine[];
  paneTitle: string;
  /** For the header: "3 services · 1 short of replicas" */
  counts: string;
  loaded: boolean;
  /** Keys of the `kind` list as the UI state has it now; false when the key is not the Swarm lists'. */
  handleListCommand(command: CommandId, kind: SwarmKind): boolean;
  dialog: { element: React.ReactNode; rows: number } | undefined;
  hasDialog(): boolean;
  /** Dialog keys, as commandFor(name, ['confirm', 'list']) names them (j/k choose an availability). */
  handleDialogCommand(command: CommandId): void;
  /** The `=` prompt, for the status line */
  textBox: { label: string; value: string; placeholder: string } | undefined;
  /** Keys while the `=` prompt is open (all but Ctrl-C); false when it is not. */
  handleTextKey(name: string, input: string): boolean;
}

interface SwarmUi {
  selected: Record<SwarmKind, string | undefined>;
  sort: Record<SwarmKind, SwarmSort>;
  dialog: SwarmDialogState | undefined;
  /** The `=` prompt: the service it scales and the number typed so far */
  prompt: { service: ServiceRow; value: string } | undefined;
  /** Rows an action is working on, with what it is doing (keys typed ahead must see it at once) */
  pending: ReadonlyMap<string, string>;
}

const INITIAL: SwarmUi = {
  selected: { services: undefined, nodes: undefined },
  sort: { services: DEFAULT_SWARM_SORT, nodes: DEFAULT_SWARM_SORT },
  dialog: undefined,
  prompt: undefined,
  pending: new Map(),
};

/** Tasks have no events: the ones on screen are read this often. */
const TASKS_INTERVAL_MS = 2_000;

function unavailableBecause(swarm: { status?: SwarmStatus; error?: string }): string {
  const { status, error } = swarm;
  if (!status) return error ? `not a swarm manager, as far as dockhand can tell: ${error}` : 'not a swarm manager, as far as dockhand knows yet';
  switch (status.state) {
    case 'inactive': return 'not a swarm manager (docker swarm init makes this engine one)';
    case 'pending': return 'not a swarm manager: this engine is still joining a swarm';
    case 'locked': return 'not a swarm manager: the swarm is locked (docker swarm unlock)';
    case 'error': return 'not a swarm manager: the swarm is in error (docker info says why)';
    case 'active': return 'not a swarm manager: this engine is a worker node (services and nodes are listed on a manager)';
    case 'unsupported': return 'Podman has no Swarm: services and nodes exist on a Docker swarm manager only';
  }
}

/** A store's snapshot while `active` (its list on screen); the rows survive a pause. */
function useLiveList<K extends SwarmKind>(store: SwarmStore<K>, active: boolean): ResourceSnapshot<SwarmRows[K]> {
  useEffect(() => {
    if (!active) return;
    store.start();
    return () => store.stop();
  }, [store, active]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/**
 * The Swarm services and nodes lists (shown only on a swarm manager): their rows, selection,
 * sort, details (a service's tasks read every 2 s while shown), scaling, removal and node
 * availability.
 */
export function useSwarmView(input: SwarmViewInput): SwarmView {
  const { engine, store, kind, listWidth, cols, rows, nowMs, setStatus } = input;
  const [swarm, setSwarm] = useState<{ status?: SwarmStatus; error?: string }>({});
  const swarmRef = useRef(swarm);
  swarmRef.current = swarm;
  const available = swarm.status?.manager === true;

  const stores = useMemo(() => ({
    services: new SwarmStore(engine, store, 'services'),
    nodes: new SwarmStore(engine, store, 'nodes'),
  }), [engine, store, input.scope]);
  const services = useLiveList(stores.services, available && kind === 'services');
  const nodes = useLiveList(stores.nodes, available && kind === 'nodes');

  const [ui, getUi, setUi] = useLatestState<SwarmUi>(INITIAL);
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  const listRowsRef = useRef(1);

  const looks = useRef(0);
  const checkAvailable = useCallback(async (): Promise<SwarmAvailability> => {
    const look = ++looks.current;
    let known: typeof swarm;
    try {
      known = { status: await engine.swarmStatus() };
    } catch (err) {
      // An engine that does not answer now (reconnecting) has not left the swarm: keep what was known.
      known = swarmRef.current.status ? swarmRef.current : { error: toEngineError(err).message };
    }
    if (look === looks.current) {
      swarmRef.current = known;
      setSwarm(known);
    }
    return { available: known.status?.manager === true, reason: unavailableBecause(known) };
  }, [engine]);

  useEffect(() => {
    // Asked again for another scope (a fleet's other host); its answer replaces the last one.
    void checkAvailable();
    // `docker swarm init` announces the new node: the lists may exist now.
    return store.onEvent((event) => {
      if (event.type === 'node' && swarmRef.current.status?.manager !== true) void checkAvailable();
    });
  }, [checkAvailable, store, input.scope]);

  const snapshotOf = (which: SwarmKind) => (which === 'services' ? services : nodes);
  const listError = kind ? snapshotOf(kind).error : undefined;
  useEffect(() => {
    // A list refused (a worker now, or out of the swarm): look again whether the lists still exist.
    if (listError) void checkAvailable();
  }, [listError, checkAvailable]);

  const rowsOf = (which: SwarmKind): SwarmItem[] => (which === 'services' ? toServiceItems(services.rows) : toNodeItems(nodes.rows));
  const all = useMemo(() => (kind ? rowsOf(kind) : []), [kind, services, nodes]);
  const latestRows = useRef(rowsOf);
  latestRows.current = rowsOf;
  const sort = kind ? ui.sort[kind] : DEFAULT_SWARM_SORT;
  const items = useMemo(() => shapeSwarmItems(all, input.filter, sort), [all, input.filter, sort]);
  const selectedIndex = kind ? swarmSelectionIndex(items, ui.selected[kind], lastIndex.current) : -1;
  if (selectedIndex >= 0) lastIndex.current = selectedIndex;
  const selected = items[selectedIndex];

  const serviceId = selected?.kind === 'services' ? selected.service.id : undefined;
  const tasks = usePolled(serviceId, available && input.paneWidth > 0, TASKS_INTERVAL_MS, (signal) => engine.listTasks(serviceId ?? '', signal));

  let paneLines: PaneLine[] = [];
  if (selected?.kind === 'services') paneLines = serviceLines(selected.service, tasks, nowMs);
  else if (selected?.kind === 'nodes') paneLines = nodeLines(selected.node, swarm.status?.nodeId ?? '');
  else if (kind) paneLines = [{ text: available ? `No ${swarmNoun(kind)} selected` : unavailableBecause(swarm), tone: 'dim' }];
  paneLines = wrapPaneLines(paneLines, Math.max(1, input.paneWidth));

  const currentItems = (which: SwarmKind) => shapeSwarmItems(latestRows.current(which), input.getFilter(), getUi().sort[which]);
  const selectedNow = (which: SwarmKind): SwarmItem | undefined => {
    const now = currentItems(which);
    return now[swarmSelectionIndex(now, getUi().selected[which], lastIndex.current)];
  };

  /** Selects the row `to` picks in the list as it is now, so keys typed ahead build on each other. */
  const select = (which: SwarmKind, to: (index: number, count: number) => number) => {
    const now = currentItems(which);
    const next = Math.max(0, Math.min(now.length - 1, to(swarmSelectionIndex(now, getUi().selected[which], lastIndex.current), now.length)));
    const item = now[next];
    if (!item) return;
    lastIndex.current = next;
    setUi((state) => ({ selected: { ...state.selected, [which]: item.key } }));
  };

  const setPending = (key: string, doing: string | undefined) => setUi((state) => {
    const pending = new Map(state.pending);
    if (doing === undefined) pending.delete(key);
    else pending.set(key, doing);
    return { pending };
  });

  /** Runs an action on a row, showing progress on it; a refusal because the row changed meanwhile says so. */
  const act = async (key: string, doing: string, name: string, action: () => Promise<string>) => {
    setPending(key, doing);
    try {
      setStatus({ text: await action(), tone: 'info' });
    } catch (err) {
      const why = isOutOfSequence(err) ? 'changed meanwhile: shown again, nothing was done' : toEngineError(err).message;
      setStatus({ text: `${name}: ${why}`, tone: 'error' });
    } finally {
      // The row keeps its progress until the list shows what the engine did.
      await Promise.all([stores.services.refresh(), stores.nodes.refresh()]);
      setPending(key, undefined);
    }
  };

  const scale = (service: ServiceRow, replicas: number) => act(service.id, `scaling to ${replicas}…`, service.name, async () => {
    await engine.scaleService(service.id, replicas, service.version);
    return `${service.name} scaled to ${replicas}`;
  });

  /** Scaling to nothing stops every task: that one asks first. */
  const requestScale = (service: ServiceRow, replicas: number) => {
    if (replicas === 0) setUi({ dialog: { kind: 'scaleToZero', service } });
    else void scale(service, replicas);
  };

  /** Why the service cannot be scaled now, if it cannot. */
  const cannotScale = (service: ServiceRow): string | undefined => {
    if (service.mode !== 'replicated') return `${service.name} is ${formatMode(service)}: only replicated services scale`;
    const doing = getUi().pending.get(service.id);
    return doing ? `${service.name}: still ${doing}` : undefined;
  };

  const handleServiceCommand = (command: CommandId, service: ServiceRow) => {
    const replicas = service.replicas ?? 0;
    switch (command) {
      case 'scaleUp':
      case 'scaleDown':
      case 'scaleTo': {
        const refusal = cannotScale(service);
        if (refusal) return setStatus({ text: refusal, tone: 'info' });
        if (command === 'scaleTo') return setUi({ prompt: { service, value: '' } });
        if (command === 'scaleDown' && replicas === 0) return setStatus({ text: `${service.name} has no replica to take away`, tone: 'info' });
        return requestScale(service, replicas + (command === 'scaleUp' ? 1 : -1));
      }
      case 'remove': return setUi({ dialog: { kind: 'removeService', service } });
      case 'projectLogs': return input.openServiceLogs({ id: service.id, name: service.name, tty: service.tty });
      default: return undefined;
    }
  };

  const openAvailability = () => {
    const item = selectedNow('nodes');
    if (item?.kind !== 'nodes') return setStatus({ text: 'No node selected', tone: 'info' });
    const { node } = item;
    const otherActiveNodes = nodes.rows.filter((n) => n.id !== node.id && n.availability === 'active' && n.status === 'ready').length;
    return setUi({ dialog: { kind: 'availability', node, choice: node.availability, otherActiveNodes } });
  };

  const handleListCommand = (command: CommandId, which: SwarmKind): boolean => {
    const step = SELECTION_MOVES[command];
    if (step) {
      const page = Math.max(1, listRowsRef.current - 1);
      select(which, (index, count) => step(index, count, page));
      return true;
    }
    switch (command) {
      case 'sortNext':
      case 'sortReverse':
        setUi((state) => {
          const now = state.sort[which];
          return { sort: { ...state.sort, [which]: command === 'sortNext' ? nextSwarmSort(which, now) : { ...now, descending: !now.descending } } };
        });
        return true;
      case 'nodeAvailability':
        if (which === 'nodes') openAvailability();
        else setStatus({ text: 'v sets a node\'s availability: 7 lists the nodes', tone: 'info' });
        return true;
      case 'scaleUp':
      case 'scaleDown':
      case 'scaleTo':
      case 'remove':
      case 'projectLogs': {
        if (which === 'nodes') {
          setStatus({ text: 'That key acts on services (6); a node leaves with docker swarm leave, then docker node rm', tone: 'info' });
          return true;
        }
        const item = selectedNow(which);
        if (item?.kind === 'services') handleServiceCommand(command, item.service);
        else setStatus({ text: 'No service selected', tone: 'info' });
        return true;
      }
      default:
        return false;
    }
  };

  const confirm = (dialog: SwarmDialogState) => {
    switch (dialog.kind) {
      case 'removeService': {
        const { service } = dialog;
        return act(service.id, 'removing…', service.name, async () => {
          await engine.removeService(service.id);
          return `Service ${service.name} removed`;
        });
      }
      case 'scaleToZero':
        return scale(dialog.service, 0);
      case 'availability': {
        const { node, choice } = dialog;
        if (choice === node.availability) return setStatus({ text: `${node.hostname} is ${choice} already`, tone: 'info' });
        return act(node.id, `${choice}…`, node.hostname, async () => {
          await engine.setNodeAvailability(node.id, choice, node.version);
          return `Node ${node.hostname} is ${choice} now`;
        });
      }
    }
  };

  const handleDialogCommand = (command: CommandId) => {
    const dialog = getUi().dialog;
    if (command === 'down' || command === 'up') {
      if (dialog?.kind === 'availability') setUi({ dialog: { ...dialog, choice: stepAvailability(dialog.choice, command === 'down' ? 1 : -1) } });
      return;
    }
    // Both answers close the dialog; only y acts.
    if (!dialog || (command !== 'confirmYes' && command !== 'confirmNo')) return;
    setUi({ dialog: undefined });
    if (command === 'confirmYes') void confirm(dialog);
  };

  const submitPrompt = (prompt: NonNullable<SwarmUi['prompt']>) => {
    if (!prompt.value) return;
    const replicas = Number(prompt.value);
    // Scaled as the list shows it now: its version is the one the engine checks.
    const item = latestRows.current('services').find((i) => i.key === prompt.service.id);
    if (item?.kind !== 'services') return setStatus({ text: `${prompt.service.name} is gone`, tone: 'error' });
    if (replicas === item.service.replicas) return setStatus({ text: `${item.service.name} has ${replicas} replicas already`, tone: 'info' });
    return requestScale(item.service, replicas);
  };

  const handleTextKey = (name: string, key: string): boolean => {
    const prompt = getUi().prompt;
    if (!prompt || name === 'ctrl+c') return false;
    switch (commandFor(name, ['search'])) {
      case 'searchKeep':
        setUi({ prompt: undefined });
        submitPrompt(prompt);
        return true;
      case 'searchClear':
        setUi({ prompt: undefined });
        return true;
      case 'searchBackspace':
        setUi({ prompt: { ...prompt, value: prompt.value.slice(0, -1) } });
        return true;
      default:
        // Replicas are a number: other keys are swallowed, not typed.
        if (/^[0-9]$/.test(key) && prompt.value.length < 5) setUi({ prompt: { ...prompt, value: prompt.value + key } });
        return true;
    }
  };

  const state = kind ? snapshotOf(kind) : undefined;
  const filter = input.filter;
  const noun = kind ? swarmNoun(kind) : '';
  const emptyText = !available
    ? unavailableBecause(swarm)
    : !state || state.status === 'loading'
      ? `Loading ${kind ?? ''}…`
      : state.status === 'error' && all.length === 0
        ? `Cannot list ${kind}: ${state.error ?? 'unknown error'}`
        : filter ? `No ${noun} matches "${filter}"` : `No ${kind}`;

  const renderList = (height: number, dimmed: boolean) => {
    if (!kind) return null;
    listRowsRef.current = height;
    const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), height, items.length);
    offsetRef.current = offset;
    const columns = swarmColumns(kind, listWidth, sort);
    const visible = available ? items.slice(offset, offset + height) : [];
    return (
      <ListFrame columns={columns} width={listWidth} height={height} empty={visible.length === 0} emptyText={emptyText}>
        {visible.map((item, i) => (
          <SwarmRowLine
            key={item.key}
            item={item}
            columns={columns}
            width={listWidth}
            selected={offset + i === selectedIndex}
            dimmed={dimmed}
            pending={ui.pending.get(item.key)}
          />
        ))}
      </ListFrame>
    );
  };

  const title = kind === 'nodes' ? 'Node' : 'Service';
  return {
    available,
    unavailableReason: unavailableBecause(swarm),
    checkAvailable,
    renderList,
    paneLines,
    paneTitle: selected ? `${title} ${swarmItemName(selected)}` : kind === 'nodes' ? 'Nodes' : 'Services',
    counts: kind ? swarmCounts(kind, all) : '',
    loaded: state?.status === 'ready',
    handleListCommand,
    dialog: ui.dialog ? { element: <SwarmDialog dialog={ui.dialog} cols={cols} rows={rows} />, rows: swarmDialogHeight(ui.dialog, cols, rows) } : undefined,
    hasDialog: () => getUi().dialog !== undefined,
    handleDialogCommand,
    textBox: ui.prompt
      ? {
        label: `scale ${ui.prompt.service.name} to: `,
        value: ui.prompt.value,
        placeholder: `replicas (now ${ui.prompt.service.replicas ?? 0}); Enter scales, Esc cancels`,
      }
      : undefined,
    handleTextKey,
  };
}

interface RowProps {
  item: SwarmItem;
  columns: readonly Column<SwarmColumnId>[];
  width: number;
  selected: boolean;
  dimmed: boolean;
  /** What an action is doing to the row, said in its first cell while it runs */
  pending: string | undefined;
}

const SwarmRowLine = memo(function SwarmRowLine({ item, columns, width, selected, dimmed, pending }: RowProps) {
  const cells = columns.map((column, i) => {
    const text = swarmCell(column.id, item);
    return { column, text: i === 0 && pending ? `${pending} ${text}` : text };
  });
  const used = columns.reduce((sum, c) => sum + c.width + 1, -1);
  const theme = useTheme();
  return (
    <Text inverse={selected} dimColor={(dimmed || pending !== undefined) && !selected} wrap="truncate">
      {cells.map(({ column, text }, i) => (
        <Text key={column.id} {...theme.style(swarmCellTone(column.id, item))}>{i > 0 ? ' ' : ''}{pad(text, column.width, column.align)}</Text>
      ))}
      {pad('', Math.max(0, width - used))}
    </Text>
  );
});
