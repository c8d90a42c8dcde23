import React, { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import type { AppSettings } from '../config.js';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import type { EventLog } from '../engine/event-log.js';
import { podmanFoundNotice } from '../engine/podman-socket.js';
import { nextProblem } from '../engine/problems.js';
import type { StatsSampler } from '../engine/stats-sampler.js';
import type { ContainerRow } from '../engine/types.js';
import { actionRefusal, noLongerExists, useContainerActions } from '../hooks/useContainerActions.js';
import { useContainerDetails } from '../hooks/useContainerDetails.js';
import { useContainers, useStats } from '../hooks/useEngineStores.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { useProblems } from '../hooks/useProblems.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { ContainerList } from './ContainerList.js';
import { Dialog, dialogHeight, dialogTargets, KILL_SIGNALS, type DialogState, type DialogTarget } from './Dialog.js';
import { truncate } from './format.js';
import { Header } from './Header.js';
import { HelpOverlay, maxHelpOffset } from './HelpOverlay.js';
import { bindingFor, commandFor, hintLine, keyLabel, keyName, keysFor, LIST_HINTS, type CommandId, type HintEntry, type Scope } from './keymap.js';
import { calculateLayout } from './layout.js';
import { MainPane } from './MainPane.js';
import { matchingLines, type PaneLine } from './pane-lines.js';
import { nextTab, type TabId } from './tabs.js';
import { useMainPaneContent } from './useMainPaneContent.js';
import { useQuit } from './useQuit.js';
import { useTheme } from './theme.js';
import { VIEWS, type ViewId } from './view-ids.js';
import { useTerminalHandover } from './useTerminalHandover.js';
import { useLogsTab } from './useLogsTab.js';
import { successorOf } from './selection.js';
import { useDiskView } from './useDiskView.js';
import type { ContextEntry } from '../engine/endpoint.js';
import { ContextsView } from './ContextsView.js';
import { useResourceView, type ResourceView } from './useResourceView.js';
import type { ResourceKind } from './resource-model.js';
import { useImageTransfer } from './useImageTransfer.js';
import { useRunForm } from './useRunForm.js';
import { useProjectsView } from './useProjectsView.js';
import { useCommandRun } from './useCommandRun.js';
import { commandEnvironment, COMMAND_LISTS, expandArgv, type CommandList, type CustomCommand } from './custom-commands.js';
import { outcomeText } from './project-lines.js';
import { containerAddress } from '../engine/fleet.js';
import { argumentHint, complete, completions, parsePalette } from './palette.js';
import { useSwarmView, type ServiceLogTarget } from './useSwarmView.js';
import { useEventsView } from './useEventsView.js';
import { projectMembers } from '../engine/project-logs.js';
import {
  buildListItems, chooseColumns, isUp, matchesFilter, nearestContainerIndex, nextContainerSort, naturalContainerSort, parseContainerSortKey, projectKey,
  scrollOffset, selectionIndex, sortedColumns,
  type ContainerSort,
} from './list-model.js';

export interface AppProps {
  engine: Engine;
  store: ContainerSource;
  sampler: StatsSampler;
  /** The engine's events since the session began, for the events list */
  events: EventLog;
  /** Log lines fetched when a log is opened (--log-tail) */
  logTail?: number;
  /** The Docker contexts, and switching to one in place (absent: the c key says why not) */
  contexts?: ContextSwitcher;
  /** From the configuration file */
  settings?: AppSettings;
}

export interface ContextSwitcher {
  list(): ContextEntry[];
  /** The context dockhand uses now ('' for a fleet of several) */
  inUse: string;
  /** Connects to the context and replaces this dashboard with one on it; rejects with why not. */
  switchTo(name: string): Promise<void>;
}

/**
 * normal: the list has the keys; pane: the tab is open full screen; filter/search: a text box;
 * disk: the disk usage view (and its prune previews) has the whole body.
 */
type Mode = 'normal' | 'filter' | 'help' | 'pane' | 'search' | 'disk' | 'contexts' | 'palette';

const VIEW_KEYS: Partial<Record<CommandId, ViewId>> = {
  viewContainers: 'containers', viewImages: 'images', viewVolumes: 'volumes', viewNetworks: 'networks', viewProjects: 'projects',
  viewServices: 'services', viewNodes: 'nodes', viewEvents: 'events',
};

/** The lists that exist only on a swarm manager. */
const isSwarmView = (view: ViewId): view is 'services' | 'nodes' => view === 'services' || view === 'nodes';

/** What the filter box's placeholder says it matches, per list. */
const FILTER_HINTS: Record<ViewId, string> = {
  containers: 'name, image, project, state, exit code',
  images: 'tag, id, container, dangling, unused',
  volumes: 'name, container, anonymous, unused, label',
  networks: 'name, driver, subnet, container',
  projects: 'project, service, container, directory',
  services: 'name, image, mode, label, id',
  nodes: 'hostname, role, status, availability, label',
  events: 'words, name, type, action, host, id',
};

const isCommandList = (view: ViewId): view is CommandList => (COMMAND_LISTS as readonly string[]).includes(view);

/** What App needs of a list other than the containers: it draws itself and takes its own keys. */
interface OtherList {
  renderList(height: number, dimmed: boolean): React.ReactNode;
  paneTitle: string;
  paneLines: PaneLine[];
  counts: string;
  hints: string;
  /** In a fleet it shows the focused host's things, not every host's: the header says which. */
  focusedHostOnly?: boolean;
  handleListCommand(command: CommandId): boolean;
}

/** What every resource list offers; `own` are keys of one list (the images list's pull, tag and push). */
const resourceHints = (own: readonly HintEntry[] = []): readonly HintEntry[] => [
  ...LIST_HINTS, ['zoomPane', 'open'], ['filter', 'filter'], ['sortNext', 'sort'], ['sortReverse', 'reverse'], ...own, ['remove', 'remove'], ['diskUsage', 'disk usage'],
];
const RESOURCE_HINTS = resourceHints();
const IMAGE_HINTS = resourceHints([['pullImage', 'pull'], ['tagImage', 'tag'], ['pushImage', 'push'], ['buildImage', 'build'], ['runImage', 'run']]);
const SWARM_HINTS: Record<'services' | 'nodes', readonly HintEntry[]> = {
  services: [...LIST_HINTS, ['zoomPane', 'open'], ['filter', 'filter'], ['sortNext', 'sort'], [['scaleUp', 'scaleDown', 'scaleTo'], 'scale'], ['remove', 'remove'], ['projectLogs', 'logs']],
  nodes: [...LIST_HINTS, ['zoomPane', 'open'], ['filter', 'filter'], ['sortNext', 'sort'], ['nodeAvailability', 'availability']],
};

/** The scopes a key is looked up in over a list: the images list has keys of its own, before the lists'. */
const listScopes = (view: ViewId): Scope[] => (view === 'images' ? ['images', 'list'] : ['list']);

function resourceList(view: ResourceView, kind: ResourceKind): OtherList {
  return { ...view, hints: hintLine(['list', 'global'], RESOURCE_HINTS), focusedHostOnly: true, handleListCommand: (command) => view.handleListCommand(command, kind) };
}

interface UiState {
  mode: Mode;
  view: ViewId;
  /** Each list keeps its own `/` filter. */
  filters: Record<ViewId, string>;
  showStopped: boolean;
  dialog: DialogState | undefined;
  selectedId: string | undefined;
  tab: TabId;
  /** First line of the tab shown; back to 0 with another container or tab. */
  paneOffset: number;
  search: string;
  /** Which of the search's matches is current */
  matchIndex: number;
  revealSecrets: boolean;
  /** Where closing the help goes back to */
  returnTo: 'normal' | 'pane' | 'disk';
  /** The Compose project whose merged logs the Logs tab shows instead of the container's */
  projectLogs: string | undefined;
  /** The Swarm service whose log the Logs tab shows instead (L on a service) */
  serviceLogs: ServiceLogTarget | undefined;
  helpOffset: number;
  /** Containers marked with Space: the lifecycle keys act on all of them */
  marked: string[];
  /** The containers list's column order (o); none: running first, then by name */
  containerSort: ContainerSort | undefined;
  /** What is typed after `:` */
  palette: string;
  /**
   * The container that vanished while selected, and where that moved the selection (`via`): a
   * container that takes its name takes the selection back, unless the user moved it since.
   */
  follows: { row: ContainerRow; via: string } | undefined;
  /** The selected container that vanished while its tab was open full screen: the tab stays on it until closed. */
  ghost: ContainerRow | undefined;
  /** The contexts as read when `c` opened them, and the one selected */
  contextList: ContextEntry[];
  contextIndex: number;
}

const INITIAL_UI: UiState = {
  mode: 'normal', view: 'containers', filters: { containers: '', images: '', volumes: '', networks: '', projects: '', services: '', nodes: '', events: '' }, showStopped: true, dialog: undefined, selectedId: undefined,
  tab: 'overview', paneOffset: 0, search: '', matchIndex: 0, revealSecrets: false, returnTo: 'normal', helpOffset: 0, projectLogs: undefined, serviceLogs: undefined,
  contextList: [], contextIndex: 0, marked: [], containerSort: undefined, palette: '', follows: undefined, ghost: undefined,
};

/**
 * What another container or tab starts from: no search, secrets masked again, and the top of
 * the tab, or for logs the end (the newest lines are what one came for).
 */
function freshPane(tab: TabId) {
  return { paneOffset: tab === 'logs' ? Number.MAX_SAFE_INTEGER : 0, search: '', matchIndex: 0, revealSecrets: false, projectLogs: undefined, serviceLogs: undefined };
}

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

export function App({ engine, store, sampler, events, logTail = 500, contexts, settings }: AppProps) {
  const { quit: exit, takesKey: quitTakesKey, prompt: quitPrompt } = useQuit(settings?.confirmQuit ?? false);
  const { cols, rows } = useTerminalSize();
  const snapshot = useContainers(store);
  const nowMs = useClock(5_000);
  const { pending, status, setStatus, run } = useContainerActions(engine, store);
  // The engine refuses every change itself (read-only.ts); the keys say why before trying.
  const readOnly = engine.info.endpoint.readOnly === true;
  // What the configuration said at start (problems it starts despite, keys that collided) comes
  // first; else that Podman stands in for Docker (the header names its socket either way).
  useEffect(() => {
    const podmanFound = podmanFoundNotice(engine.info.endpoint);
    if (settings?.notice) setStatus({ text: settings.notice, tone: 'error' });
    else if (podmanFound) setStatus({ text: podmanFound, tone: 'info' });
  }, [settings?.notice, setStatus, engine]);
  const theme = useTheme();
  const { handOver, runInTerminal, handedOver } = useTerminalHandover(engine, store, setStatus);
  const problems = useProblems({ store, nowMs, setStatus });
  const startView = settings?.defaultView;
  const [ui, getUi, setUi] = useLatestState<UiState>({ ...INITIAL_UI, view: startView && !isSwarmView(startView) ? startView : INITIAL_UI.view });
  const { mode, showStopped, view } = ui;
  const filter = ui.filters[view];
  const containersFilter = ui.filters.containers;
  const projectsActive = view === 'projects';
  const swarmKind = isSwarmView(view) ? view : undefined;
  const resourceKind = view === 'images' || view === 'volumes' || view === 'networks' ? view : undefined;
  // A dialog states its target as it is now (it may start or stop while the dialog is open).
  // Or that it went: `y` then does nothing to it (it acts by id, never on what took its place).
  const shownTarget = (target: DialogTarget): DialogTarget => {
    const live = snapshot.containers.find((c) => c.id === target.id);
    if (live) return targetOf(live);
    return snapshot.loaded ? { ...target, name: `${target.name} (no longer exists)`, running: false } : target;
  };
  const dialog = ui.dialog && { ...ui.dialog, target: shownTarget(ui.dialog.target), others: ui.dialog.others.map(shownTarget) };
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  /** A service's or project's logs opened from its own list (no container selected there) */
  const logsTitle = ui.tab !== 'logs' ? undefined
    : ui.serviceLogs ? `Service ${ui.serviceLogs.name} · logs`
      : ui.projectLogs && view === 'projects' ? `Project ${ui.projectLogs} · logs` : undefined;

  // The main pane: beside the list, or the whole body when opened full screen. Widths do not
  // depend on the rows an open dialog takes.
  const widths = calculateLayout(cols, rows);
  const zoomed = mode === 'pane' || mode === 'search';
  const paneWidth = zoomed ? widths.cols : widths.detailWidth;
  /** Inside the side pane's border and padding, or the whole width when opened full screen */
  const paneInnerWidth = zoomed ? paneWidth : Math.max(0, paneWidth - 2);
  // What every list view is given: the engine, its filter (as of this instant too), its room, the status line.
  const listInput = {
    engine,
    store,
    filter,
    getFilter: () => { const state = getUi(); return state.filters[state.view]; },
    listWidth: widths.listWidth,
    cols: widths.cols,
    rows: widths.rows,
    paneWidth: mode === 'help' ? 0 : paneInnerWidth,
    nowMs,
    setStatus,
  };
  // A fleet's lists are of its focused host: another host is another list.
  const hostScope = snapshot.focusedHost ?? '';
  const resources = useResourceView({ ...listInput, kind: resourceKind, revealSecrets: ui.revealSecrets, scope: hostScope });
  const projects = useProjectsView({ ...listInput, active: projectsActive });
  // The user's own commands (config.yml, `:run NAME`) that run in the background show their output here.
  const customRun = useCommandRun(widths.cols);
  const transfer = useImageTransfer({
    engine,
    width: widths.cols,
    setStatus,
    selected: () => resources.commandValues('images'),
    selectTag: resources.selectTag,
    followBuild: customRun.follow,
  });
  const runForm = useRunForm({
    engine,
    store,
    width: widths.cols,
    setStatus,
    selected: () => resources.commandValues('images'),
    pullForRun: transfer.pullForRun,
    showContainer: (id, status) => {
      const row = store.getSnapshot().containers.find((c) => c.id === id);
      const shown = row ? revealContainer(row) : '';
      setStatus({ ...status, text: `${status.text}${shown ? ` (${shown})` : ''}` });
    },
  });
  // The pull a run needs first shows over the form, which comes back once the image is in.
  const outputPane = customRun.pane ?? projects.output ?? transfer.pane ?? runForm.pane;
  // The key router can run before React has handed it this render's closure (a key right after R
  // opened the form): it reads the pane on screen from here.
  const shownOutputPane = useRef(outputPane);
  shownOutputPane.current = outputPane;
  const swarm = useSwarmView({
    ...listInput,
    kind: swarmKind,
    scope: hostScope,
    openServiceLogs: (service) => setUi({ mode: 'pane', tab: 'logs', ...freshPane('logs'), serviceLogs: service }),
  });
  const eventsView = useEventsView({
    log: events,
    active: view === 'events',
    filter,
    getFilter: () => { const state = getUi(); return state.filters[state.view]; },
    listWidth: widths.listWidth,
    paneWidth: mode === 'help' ? 0 : paneInnerWidth,
    fleet: snapshot.hosts !== undefined,
    revealSecrets: ui.revealSecrets,
  });
  /** The lists other than the containers, by view: what each shows and how it takes keys. */
  const otherLists: Record<Exclude<ViewId, 'containers'>, OtherList> = {
    images: {
      ...resourceList(resources, 'images'),
      hints: hintLine(['images', 'list', 'global'], IMAGE_HINTS),
      handleListCommand: (command) => transfer.handleListCommand(command) || runForm.handleListCommand(command) || resources.handleListCommand(command, 'images'),
    },
    volumes: resourceList(resources, 'volumes'),
    networks: resourceList(resources, 'networks'),
    projects: { ...projects, handleListCommand: (command) => projects.handleListCommand(command) },
    services: { ...swarm, focusedHostOnly: true, hints: hintLine(['list', 'global'], SWARM_HINTS.services), handleListCommand: (command) => swarm.handleListCommand(command, 'services') },
    nodes: { ...swarm, focusedHostOnly: true, hints: hintLine(['list', 'global'], SWARM_HINTS.nodes), handleListCommand: (command) => swarm.handleListCommand(command, 'nodes') },
    events: eventsView,
  };
  const otherList = view === 'containers' ? undefined : otherLists[view];
  /** Whose confirmation dialog is open (one at a time: each opens from its own list). */
  const dialogOwners = [resources, projects, swarm];
  const listDialog = dialogOwners.find((owner) => owner.dialog)?.dialog;
  // An open dialog takes its rows from the list, so neither hides the other.
  const dialogRows = dialog ? dialogHeight(dialog, cols, widths.rows) : listDialog?.rows ?? 0;
  const layout = calculateLayout(cols, rows - dialogRows);

  // CPU and memory orders read the figures as sampled (for the rows on screen); other orders ignore them.
  const sampled = useSyncExternalStore(sampler.subscribe, sampler.getSnapshot);
  const statsOrder = ui.containerSort?.key === 'cpu' || ui.containerSort?.key === 'memory';
  const sortStats = statsOrder ? sampled : undefined;
  const items = useMemo(
    () => buildListItems(snapshot.containers, { showStopped, filter: containersFilter, sort: ui.containerSort, stats: sortStats }),
    [snapshot.containers, showStopped, containersFilter, ui.containerSort, sortStats],
  );
  // The selected container as last seen, for when it vanishes (removed, or recreated under a new id).
  const selectedRow = useRef<ContainerRow | undefined>(undefined);
  const selectedNow = ui.selectedId === undefined ? undefined : snapshot.containers.find((c) => c.id === ui.selectedId);
  if (selectedNow) selectedRow.current = selectedNow;
  const selectedVanished = ui.selectedId !== undefined && !selectedNow;
  const vanished = selectedVanished && selectedRow.current?.id === ui.selectedId ? selectedRow.current : undefined;
  // Removed, the neighbour takes the selection; recreated (as compose does), the new container
  // does, now or once it appears, as long as the selection is where the vanishing left it.
  const followed = vanished ?? (ui.follows?.via === ui.selectedId ? ui.follows?.row : undefined);
  const heir = followed && successorOf(followed, snapshot.containers);
  const selectedIndex = selectionIndex(items, heir?.id ?? ui.selectedId, lastIndex.current);
  lastIndex.current = Math.max(0, selectedIndex);
  const selectedItem = items[selectedIndex];
  // Only the containers list selects a container: elsewhere nothing of one is read or followed.
  const selected = selectedItem?.kind === 'container' && !otherList ? selectedItem.row : undefined;

  // Pin the selection to a container as soon as there is one (and again when it vanished), so a
  // list that reorders under the highlight, after an action or a new container, never moves it.
  useEffect(() => {
    if (!selected) return;
    const inherited = selected.id === heir?.id;
    if (ui.selectedId === undefined) {
      setUi({ selectedId: selected.id });
    } else if (selectedVanished) {
      setUi({ selectedId: selected.id, follows: vanished && !inherited ? { row: vanished, via: selected.id } : undefined, ghost: zoomed ? ui.ghost ?? vanished : undefined });
    } else if (inherited) {
      setUi({ selectedId: selected.id, follows: undefined });
    }
    // The tab open full screen stays on the container that went; the one in its place is a key away.
    if (inherited && followed && zoomed) setStatus({ text: `${followed.name} was recreated: Esc goes back to the list, where the new one is selected`, tone: 'info' });
  }, [selected, ui.selectedId, ui.ghost, selectedVanished, vanished, followed, heir, zoomed, setUi, setStatus]);

  const shownSelection = useRef<ContainerRow | undefined>(undefined);
  shownSelection.current = selected;

  const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), layout.listRows, items.length);
  offsetRef.current = offset;

  const visibleRunning = (otherList ? [] : items.slice(offset, offset + layout.listRows))
    .flatMap((item) => (item.kind === 'container' && item.row.state === 'running' ? [item.row.id] : []));
  const stats = useStats(sampler, visibleRunning);
  // A container removed while its tab is open full screen stays in the tab, which says it went.
  const paneRow = (zoomed && !otherList ? ui.ghost ?? vanished : undefined) ?? selected;
  const details = useContainerDetails(engine, store, paneRow?.id, paneRow !== undefined && pending.has(paneRow.id));

  const fleet = snapshot.hosts !== undefined;
  const shownColumns = settings?.columns?.containers;
  const columns = useMemo(() => sortedColumns(chooseColumns(layout.listWidth, fleet, shownColumns), ui.containerSort), [layout.listWidth, fleet, shownColumns, ui.containerSort]);
  const markedSet = useMemo(() => new Set(ui.marked), [ui.marked]);
  const onHost = snapshot.focusedHost ? ` on ${snapshot.focusedHost}` : '';
  // In a fleet, images, volumes, networks and disk usage are those of the selected container's host.
  const selectedHost = selected?.host;
  useEffect(() => {
    if (selectedHost) store.focus?.(selectedHost);
  }, [store, selectedHost]);
  const unreachableHosts = useMemo(
    () => new Set((snapshot.hosts ?? []).filter((h) => h.state.status !== 'connected').map((h) => h.name)),
    [snapshot.hosts],
  );
  const running = snapshot.containers.filter((c) => c.state === 'running').length;

  const bodyHeight = layout.listRows + 1;
  const paneHeight = bodyHeight;
  const paneBodyHeight = paneHeight - 1;
  const disk = useDiskView({
    engine,
    active: mode === 'disk',
    width: layout.cols,
    height: bodyHeight,
    onClose: () => setUi({ mode: 'normal' }),
  });
  const inspected = details.status === 'ready' && details.details.id === paneRow?.id ? details.details : undefined;
  // Framing needs the TTY flag: kept from the last inspect, so that a log goes on to its end (its
  // container removed) and resumes after the engine was away, when the inspect fails.
  const knownTty = useRef<{ id: string; tty: boolean } | undefined>(undefined);
  if (inspected) knownTty.current = { id: inspected.id, tty: inspected.tty };
  const paneTty = knownTty.current?.id === paneRow?.id ? knownTty.current?.tty : undefined;
  const projectMembersKey = ui.projectLogs
    ? snapshot.containers.filter((c) => projectKey(c) === ui.projectLogs).map((c) => c.id).join(',')
    : '';
  const project = useMemo(() => {
    if (!ui.projectLogs) return undefined;
    const inProject = snapshot.containers.filter((c) => projectKey(c) === ui.projectLogs);
    return { name: ui.projectLogs, members: projectMembers(inProject) };
    // The members change when the project's containers do, not with every list.
  }, [ui.projectLogs, projectMembersKey]);
  const logs = useLogsTab({
    engine,
    store,
    project,
    tail: logTail,
    container: ui.serviceLogs
      ? { ...ui.serviceLogs, subject: 'service' }
      : paneRow && paneTty !== undefined ? { id: paneRow.id, name: paneRow.name, tty: paneTty } : undefined,
    visible: (logsTitle !== undefined || view === 'containers') && ui.tab === 'logs' && mode !== 'help' && mode !== 'disk' && (zoomed || layout.detailWidth > 0),
    width: paneInnerWidth,
    height: paneBodyHeight,
    opensWith: settings?.logs,
  });
  const content = useMainPaneContent({
    engine,
    tab: ui.tab,
    row: paneRow,
    details: inspected,
    problem: details.status === 'gone' ? 'This container no longer exists.' : details.status === 'error' ? details.message : undefined,
    logsFollowed: paneTty !== undefined,
    history: paneRow ? store.restarts.forTriage(paneRow.id, nowMs) : undefined,
    nowMs,
    height: paneBodyHeight,
    width: paneInnerWidth,
    revealSecrets: ui.revealSecrets,
    logsElement: logs.element,
    statsHistoryMinutes: settings?.stats?.historyMinutes,
  });
  const paneLines = (otherList && logsTitle === undefined ? otherList.paneLines : content.lines) ?? [];
  const matches = matchingLines(paneLines, ui.search);
  const maxPaneOffset = Math.max(0, paneLines.length - paneBodyHeight);
  const paneOffset = Math.min(ui.paneOffset, maxPaneOffset);
  // Keys can arrive before the next render: they scroll against the pane as last drawn.
  const paneRef = useRef({ maxOffset: 0, page: 1, lines: paneLines });
  paneRef.current = { maxOffset: maxPaneOffset, page: Math.max(1, paneBodyHeight - 1), lines: paneLines };

  /** The list as it is now, for keys that arrive before the next render. */
  const currentList = () => {
    const state = getUi();
    const now = buildListItems(store.getSnapshot().containers, {
      showStopped: state.showStopped, filter: state.filters.containers, sort: state.containerSort, stats: sampler.getSnapshot(),
    });
    const index = selectionIndex(now, state.selectedId, lastIndex.current);
    const item = now[index];
    // Selected, then gone before the list on screen caught up: what the user chose is not there.
    const gone = selectedRow.current?.id === state.selectedId && !store.getSnapshot().containers.some((c) => c.id === state.selectedId)
      ? selectedRow.current : undefined;
    return { items: now, index, selected: item?.kind === 'container' ? item.row : undefined, gone };
  };

  const moveSelection = (target: (index: number, count: number) => number, direction: 1 | -1) => {
    const list = currentList();
    const next = nearestContainerIndex(list.items, target(list.index, list.items.length), direction);
    const item = list.items[next];
    if (item?.kind === 'container' && item.row.id !== list.selected?.id) {
      lastIndex.current = next;
      setUi((state) => ({ selectedId: item.row.id, follows: undefined, ...freshPane(state.tab) }));
    }
  };

  const scrollPane = (to: (offset: number, pane: typeof paneRef.current) => number) => {
    const pane = paneRef.current;
    setUi((state) => ({ paneOffset: Math.max(0, Math.min(pane.maxOffset, to(Math.min(state.paneOffset, pane.maxOffset), pane))) }));
  };

  /** Puts match `index` (wrapping around) a third of the way down the pane. */
  const goToMatch = (index: number) => {
    // The search text may be newer than the last render (typed ahead with Enter): match it now.
    const hits = matchingLines(paneRef.current.lines, getUi().search);
    if (hits.length === 0) return;
    const matchIndex = ((index % hits.length) + hits.length) % hits.length;
    const line = hits[matchIndex] ?? 0;
    setUi({ matchIndex });
    scrollPane((_, pane) => line - Math.floor(pane.page / 3));
  };

  const switchTab = (step: 1 | -1) => setUi((state) => {
    const tab = nextTab(state.tab, step);
    return { tab, ...freshPane(tab) };
  });

  /** Keys of the tab opened full screen. */
  const handlePaneCommand = (command: CommandId) => {
    switch (command) {
      case 'down': return scrollPane((o) => o + 1);
      case 'up': return scrollPane((o) => o - 1);
      case 'top': return scrollPane(() => 0);
      case 'bottom': return scrollPane((_, pane) => pane.maxOffset);
      case 'pageDown': return scrollPane((o, pane) => o + pane.page);
      case 'pageUp': return scrollPane((o, pane) => o - pane.page);
      // Images, volumes and networks have one page of details, not tabs.
      case 'nextTab': return otherList ? undefined : switchTab(1);
      case 'previousTab': return otherList ? undefined : switchTab(-1);
      case 'search': return setUi({ mode: 'search', search: '', matchIndex: 0 });
      case 'searchNext': return goToMatch(getUi().matchIndex + 1);
      case 'searchPrevious': return goToMatch(getUi().matchIndex - 1);
      case 'toggleSecrets': return setUi((state) => ({ revealSecrets: !state.revealSecrets }));
      case 'closePane': return setUi({ mode: 'normal', projectLogs: undefined, serviceLogs: undefined, ghost: undefined });
      case 'help': return setUi({ mode: 'help', returnTo: 'pane' });
      case 'quit': return exit();
      default: return undefined;
    }
  };

  const openContexts = () => {
    if (!contexts) return setStatus({ text: 'Switching contexts is not available here', tone: 'info' });
    const list = contexts.list();
    setStatus(undefined);
    setUi({ mode: 'contexts', contextList: list, contextIndex: Math.max(0, list.findIndex((c) => c.name === contexts.inUse)) });
  };

  const handleContextsCommand = (command: CommandId) => {
    const state = getUi();
    switch (command) {
      case 'down':
      case 'up': {
        const step = command === 'down' ? 1 : -1;
        return setUi({ contextIndex: Math.max(0, Math.min(state.contextList.length - 1, state.contextIndex + step)) });
      }
      case 'closeContexts': return setUi({ mode: 'normal' });
      case 'help': return setUi({ mode: 'help', returnTo: 'normal' });
      case 'quit': return exit();
      case 'useContext': {
        const chosen = state.contextList[state.contextIndex];
        if (!chosen || !contexts) return undefined;
        if (chosen.error) return setStatus({ text: `${chosen.name}: ${chosen.error}`, tone: 'error' });
        setStatus({ text: `connecting to ${chosen.name} (${chosen.url})…`, tone: 'info' });
        // On success this dashboard is replaced by one on the new engine; on failure it stays.
        contexts.switchTo(chosen.name).catch((err: unknown) => {
          const e = err as { reason?: string; fix?: string; message?: string };
          setStatus({ text: `${chosen.name}: ${e.reason ?? e.message ?? String(err)}${e.fix ? ` (fix: ${e.fix})` : ''}`, tone: 'error' });
        });
        return undefined;
      }
      default: return undefined;
    }
  };

  /** Images, volumes, networks and D of the next host of the fleet. */
  const focusNextHost = () => {
    const hosts = store.getSnapshot().hosts;
    if (!hosts || !store.focus) return setStatus({ text: 'H moves between the hosts of a fleet (dockhand --context a --context b)', tone: 'info' });
    const at = hosts.findIndex((h) => h.name === store.getSnapshot().focusedHost);
    const next = hosts[(at + 1) % hosts.length];
    if (next) store.focus(next.name);
    return undefined;
  };

  const showView = (next: ViewId) => {
    setStatus(undefined);
    setUi({ view: next, ...freshPane('overview'), tab: getUi().view === next ? getUi().tab : 'overview' });
  };

  /** The Swarm lists exist on a manager only: asked again, as the engine may have joined a swarm since. */
  const paletteContext = () => ({
    commands: commandsOf(getUi().view).map((c) => c.name),
    contexts: contexts?.list().map((c) => c.name) ?? [],
    sortKeys: ['name', 'state', 'cpu', 'memory', 'age', 'image'],
  });

  /** Runs what was typed after `:`, or says what is wrong with it. */
  const runPalette = (input: string) => {
    const command = parsePalette(input);
    if (typeof command === 'string') return setStatus({ text: command, tone: 'error' });
    switch (command.kind) {
      case 'view': return switchView(command.view);
      case 'context': {
        const known = contexts?.list().find((c) => c.name === command.name);
        if (!contexts || !known) return setStatus({ text: `no context "${command.name}" (c lists them)`, tone: 'error' });
        setStatus({ text: `connecting to ${known.name} (${known.url})…`, tone: 'info' });
        return void contexts.switchTo(known.name).catch((err: unknown) => {
          const e = err as { reason?: string; message?: string };
          setStatus({ text: `${known.name}: ${e.reason ?? e.message ?? String(err)}`, tone: 'error' });
        });
      }
      case 'logs':
        showView('containers');
        return setUi({ mode: 'pane', tab: 'logs', ...freshPane('logs') });
      case 'prune': return setUi({ mode: 'disk' });
      case 'sort': {
        const key = parseContainerSortKey(command.key);
        if (!key) return setStatus({ text: `no column "${command.key}" to sort by: name, state, cpu, memory, age or image`, tone: 'error' });
        showView('containers');
        const natural = naturalContainerSort(key);
        return setUi({ containerSort: { key, descending: command.descending ?? natural.descending } });
      }
      case 'filter': return setUi((s) => ({ filters: { ...s.filters, [s.view]: command.text } }));
      case 'help': return setUi({ mode: 'help', returnTo: 'normal' });
      case 'quit': return exit();
      case 'run': return runCustom(command.name);
    }
  };

  const commandsOf = (view: ViewId): CustomCommand[] => (isCommandList(view) ? settings?.commands?.[view] ?? [] : []);

  /** A custom command of the list on screen, on its selected row: in the terminal or in the output pane. */
  const runCustom = (name: string) => {
    if (readOnly) return setStatus({ text: `read-only: your commands may change the engine, so :run is off (dockhand was started with --read-only)`, tone: 'error' });
    const view = getUi().view;
    if (!isCommandList(view)) return setStatus({ text: 'your commands run on containers, images, volumes and networks (1-4)', tone: 'info' });
    const command = commandsOf(view).find((c) => c.name === name);
    if (!command) {
      const names = commandsOf(view).map((c) => c.name);
      return setStatus({ text: `no command "${name}" for ${view}${names.length > 0 ? ` (yours: ${names.join(', ')})` : ' (config.yml, commands:)'}`, tone: 'error' });
    }
    const target = view === 'containers' ? currentList().selected ?? shownSelection.current : undefined;
    const address = target ? containerAddress(engine, target.id) : { endpoint: engine.info.endpoint, id: '' };
    const values = target
      ? { ID: address.id, Name: target.name, Image: target.image, Host: target.host ?? address.endpoint.hostname ?? 'local' }
      : view === 'containers' ? undefined : resources.commandValues(view);
    if (!values) return setStatus({ text: `nothing selected for ${name}`, tone: 'info' });
    const argv = expandArgv(command.argv, { Host: address.endpoint.hostname ?? 'local', ...values });
    const env = commandEnvironment(address.endpoint, process.env);
    if (command.terminal) return void runInTerminal(argv, env, name);
    customRun.start(argv, { env }, (outcome) => {
      const ok = outcome.status === 'exited' && outcome.exitCode === 0;
      setStatus({ text: `${name}: ${outcomeText(outcome).text}`, tone: ok ? 'info' : 'error' });
    });
  };

  const switchView = (next: ViewId) => {
    if (!isSwarmView(next)) return showView(next);
    void swarm.checkAvailable().then(({ available, reason }) => (available ? showView(next) : setStatus({ text: reason, tone: 'info' })));
  };

  // A Swarm list whose engine stopped being a manager (it left the swarm, or was demoted) goes away.
  useEffect(() => {
    if (!swarmKind || swarm.available) return;
    showView('containers');
    setStatus({ text: swarm.unavailableReason, tone: 'info' });
  }, [swarmKind, swarm.available]);

  // A Swarm list exists on a manager only: as the view to start with, it is asked for as 6 and 7 ask.
  useEffect(() => {
    if (startView && isSwarmView(startView)) switchView(startView);
  }, []);

  /**
   * The containers list, on its Overview tab, with `row` selected whatever hides it there now:
   * says what had to change for it to show ('' when nothing did).
   */
  const revealContainer = (row: ContainerRow): string => {
    const state = getUi();
    const unfiltered = !matchesFilter(row, state.filters.containers);
    const unhidden = !state.showStopped && !isUp(row);
    setUi((s) => ({
      view: 'containers', selectedId: row.id, tab: 'overview', ...freshPane('overview'), showStopped: s.showStopped || unhidden,
      filters: unfiltered ? { ...s.filters, containers: '' } : s.filters,
    }));
    return [unfiltered ? 'filter cleared' : '', unhidden ? 'stopped ones shown' : ''].filter(Boolean).join(', ');
  };

  /** `!`: the next container in trouble, selected in the containers list whatever hides it there now. */
  const selectNextProblem = () => {
    const state = getUi();
    const { containers } = store.getSnapshot();
    // The list's own order, with every container in it: `!` goes down the list as the user sees it.
    const order = buildListItems(containers, { showStopped: true, filter: '', sort: state.containerSort, stats: sampler.getSnapshot() })
      .flatMap((item) => (item.kind === 'container' ? [item.row.id] : []));
    const next = nextProblem(problems, order, state.view === 'containers' ? state.selectedId : undefined);
    const row = next && containers.find((c) => c.id === next.id);
    if (!next || !row) return setStatus({ text: 'No problems: nothing is unhealthy, OOM-killed or restart-looping', tone: 'info' });
    lastIndex.current = Math.max(0, order.indexOf(row.id));
    // The Overview tab, where the diagnosis says what is wrong.
    const shown = revealContainer(row);
    return setStatus({ text: `⚠ ${next.name}: ${next.reason}${shown ? ` (${shown})` : ''}`, tone: 'info' });
  };

  /** Keys every list shares: which list, filter, help, quit, the disk usage view. */
  const handleCommonListCommand = (command: CommandId): boolean => {
    const target = VIEW_KEYS[command];
    if (target) return switchView(target), true;
    const state = getUi();
    const step = command === 'nextView' ? 1 : command === 'previousView' ? -1 : 0;
    if (step !== 0) {
      // Tab goes through the lists that exist here.
      const views = VIEWS.filter((v) => !isSwarmView(v) || swarm.available);
      const next = views[(views.indexOf(state.view) + step + views.length) % views.length] ?? 'containers';
      return showView(next), true;
    }
    switch (command) {
      case 'filter':
        // What the last action said is old news once the user narrows the list.
        setStatus(undefined);
        return setUi({ mode: 'filter' }), true;
      case 'help': return setUi({ mode: 'help', returnTo: 'normal' }), true;
      case 'quit': return exit(), true;
      case 'diskUsage': return setUi({ mode: 'disk' }), true;
      case 'contexts': return openContexts(), true;
      case 'palette':
        setStatus(undefined);
        return setUi({ mode: 'palette', palette: '' }), true;
      case 'nextHost': return focusNextHost(), true;
      case 'nextProblem': return selectNextProblem(), true;
      case 'zoomPane': return setUi({ mode: 'pane' }), true;
      case 'toggleSecrets': return setUi((s) => ({ revealSecrets: !s.revealSecrets })), true;
      default: return false;
    }
  };

  const handleListCommand = (command: CommandId) => {
    if (handleCommonListCommand(command)) return;
    // The list of this instant: a key typed ahead with `2` acts on the images.
    const view = getUi().view;
    if (view === 'projects' && command === 'projectLogs') {
      const project = projects.selectedProject();
      if (project) setUi({ mode: 'pane', tab: 'logs', ...freshPane('logs'), projectLogs: project.key });
      return;
    }
    if (view !== 'containers') {
      if (!otherLists[view].handleListCommand(command)) {
        const key = keysFor(command, 'list')[0] ?? '';
        setStatus({ text: `${keyLabel(key)} acts on containers: press 1 for them`, tone: 'info' });
      }
      return;
    }
    const page = Math.max(1, layout.listRows - 1);
    switch (command) {
      case 'down': return moveSelection((i) => i + 1, 1);
      case 'up': return moveSelection((i) => i - 1, -1);
      case 'top': return moveSelection(() => 0, 1);
      case 'bottom': return moveSelection((_, count) => count - 1, -1);
      case 'pageDown': return moveSelection((i) => i + page, 1);
      case 'pageUp': return moveSelection((i) => i - page, -1);
      case 'toggleStopped': return setUi((s) => ({ showStopped: !s.showStopped }));
      case 'sortNext': return setUi((s) => ({ containerSort: nextContainerSort(s.containerSort) }));
      case 'sortReverse':
        return setUi((s) => (s.containerSort ? { containerSort: { ...s.containerSort, descending: !s.containerSort.descending } } : {}));
      case 'nextTab': return switchTab(1);
      case 'previousTab': return switchTab(-1);
      default: break;
    }
    // Never the row that moved under the highlight in its stead: it was not what the user chose.
    const list = currentList();
    if (list.gone && command !== 'clearMarks') return setStatus({ text: noLongerExists(list.gone.name), tone: 'error' });
    // The row as the user last saw it selected, if the list of this instant has no selection.
    const target = list.selected ?? shownSelection.current;
    if (!target) {
      setStatus({ text: 'No container selected', tone: 'info' });
      return;
    }
    // A confirmation or a terminal for a list the engine is not there to act on would only fail later.
    const refusal = ['stop', 'remove', 'kill', 'shell', 'attach'].includes(command) ? actionRefusal(store.getSnapshot(), target) : undefined;
    if (refusal) return setStatus({ text: refusal, tone: 'error' });
    // Marked containers (Space) are what the lifecycle keys act on; none marked, the selected one.
    const marked = store.getSnapshot().containers.filter((c) => getUi().marked.includes(c.id));
    const [first = target, ...others] = marked.length > 0 ? marked : [target];
    const everyone = [first, ...others];
    const dialogFor = { target: targetOf(first), others: others.map(targetOf) };
    switch (command) {
      case 'toggleMark':
        setUi((s) => ({ marked: s.marked.includes(target.id) ? s.marked.filter((id) => id !== target.id) : [...s.marked, target.id] }));
        return moveSelection((i) => i + 1, 1);
      case 'clearMarks': return setUi({ marked: [] });
      case 'start': return void Promise.all(everyone.map((c) => run(c, 'start')));
      case 'restart': return void Promise.all(everyone.map((c) => run(c, 'restart')));
      case 'pauseToggle': return void Promise.all(everyone.map((c) => run(c, c.state === 'paused' ? 'unpause' : 'pause')));
      case 'stop': return setUi({ dialog: { kind: 'stop', ...dialogFor } });
      case 'remove': return setUi({ dialog: { kind: 'remove', ...dialogFor, force: false, removeVolumes: false } });
      case 'kill': return setUi({ dialog: { kind: 'kill', ...dialogFor, signalIndex: 0 } });
      case 'projectLogs':
        if (!target.project) return setStatus({ text: `${target.name} is not part of a Compose project`, tone: 'info' });
        return setUi({ mode: 'pane', tab: 'logs', ...freshPane('logs'), projectLogs: projectKey(target) });
      case 'shell': return void handOver(target, 'shell');
      case 'attach': return void handOver(target, 'attach');
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
        // The marks are used up by the action they were made for.
        setUi({ dialog: undefined, marked: [] });
        const act = (target: DialogTarget) => {
          if (open.kind === 'stop') return run(target, 'stop');
          if (open.kind === 'remove') return run(target, 'remove', { remove: { force: open.force, removeVolumes: open.removeVolumes } });
          return run(target, 'kill', { signal: KILL_SIGNALS[open.signalIndex] ?? 'SIGKILL' });
        };
        return void Promise.all(dialogTargets(open).map(act));
      }
      case 'quit':
        return exit();
      default:
        return undefined;
    }
  };

  /** The one input router: the open dialog, then the filter box, then help, then the list. */
  const handleKey = (name: string, input: string) => {
    // The rest of an input chunk that held E or a belongs to nobody: the terminal is handed over.
    if (handedOver.current) return;
    if (quitTakesKey(name)) return;
    const state = getUi();
    // While a text box or dialog has the keyboard, single printable keys belong to it;
    // only control keys (Ctrl-C) still reach the global bindings.
    // Space is named ('space', for the bindings that take it) but types a space in a text box.
    const printable = [...name].length === 1 || name === 'space';
    const globalUnlessTyping: Scope[] = printable ? [] : ['global'];
    if (state.dialog) {
      const command = commandFor(name, [state.dialog.kind === 'kill' ? 'kill' : 'confirm', ...globalUnlessTyping]);
      if (command) handleDialogCommand(state.dialog, command);
      return;
    }
    const pane = shownOutputPane.current;
    if (pane) {
      if (pane.handleKey(name, input)) return;
      const command = commandFor(name, ['global']);
      if (command === 'quit') exit();
      return;
    }
    const dialogOwner = dialogOwners.find((owner) => owner.hasDialog());
    if (dialogOwner) {
      // The list scope too: j/k choose inside a dialog that offers choices (node availability).
      const command = commandFor(name, ['confirm', 'list', ...globalUnlessTyping]);
      if (command === 'quit') exit();
      else if (command) dialogOwner.handleDialogCommand(command);
      return;
    }
    if (swarm.handleTextKey(name, input) || transfer.handleTextKey(name, input)) return;
    if (state.mode === 'filter') {
      const command = commandFor(name, ['filter', ...globalUnlessTyping]);
      const setFilter = (edit: (value: string) => string) =>
        setUi((s) => ({ filters: { ...s.filters, [s.view]: edit(s.filters[s.view]) } }));
      if (command === 'filterKeep') setUi({ mode: 'normal' });
      else if (command === 'filterClear') {
        setUi({ mode: 'normal' });
        setFilter(() => '');
      } else if (command === 'filterBackspace') setFilter((value) => [...value].slice(0, -1).join(''));
      else if (command === 'quit') exit();
      else if (printable && input >= ' ') setFilter((value) => value + input);
      return;
    }
    if (state.mode === 'search') {
      const command = commandFor(name, ['search', ...globalUnlessTyping]);
      if (command === 'searchKeep') {
        setUi({ mode: 'pane' });
        // The first match at or below what is on screen, else the first of all.
        const hits = matchingLines(paneRef.current.lines, getUi().search);
        const below = hits.findIndex((line) => line >= getUi().paneOffset);
        goToMatch(below >= 0 ? below : 0);
      } else if (command === 'searchClear') setUi({ mode: 'pane', search: '', matchIndex: 0 });
      else if (command === 'searchBackspace') setUi((s) => ({ search: [...s.search].slice(0, -1).join('') }));
      else if (command === 'quit') exit();
      else if (printable && input >= ' ') setUi((s) => ({ search: s.search + input }));
      return;
    }
    if (state.mode === 'help') {
      const command = commandFor(name, ['help', 'global']);
      // Help opened from a full-screen tab goes back to it.
      if (command === 'helpClose') setUi({ mode: state.returnTo, helpOffset: 0 });
      if (command === 'down' || command === 'up') {
        const limit = maxHelpOffset(layout.cols, layout.listRows + 1);
        setUi((s) => ({ helpOffset: Math.max(0, Math.min(limit, s.helpOffset + (command === 'down' ? 1 : -1))) }));
      }
      if (command === 'quit') exit();
      return;
    }
    if (state.mode === 'palette') {
      const command = commandFor(name, ['palette', ...globalUnlessTyping]);
      if (command === 'paletteRun') {
        setUi({ mode: 'normal' });
        runPalette(state.palette);
      } else if (command === 'paletteCancel') setUi({ mode: 'normal' });
      else if (command === 'paletteComplete') setUi((s) => ({ palette: complete(s.palette, paletteContext()) }));
      else if (command === 'paletteBackspace') setUi((s) => ({ palette: [...s.palette].slice(0, -1).join('') }));
      else if (command === 'quit') exit();
      else if (printable && input >= ' ') setUi((s) => ({ palette: s.palette + input }));
      return;
    }
    if (state.mode === 'contexts') {
      const command = commandFor(name, ['contexts', 'global']);
      if (command) handleContextsCommand(command);
      return;
    }
    if (readOnly) {
      const diskScope = state.mode === 'disk' ? disk.keyScope() : undefined;
      const refused = bindingFor(name, state.mode === 'normal' ? listScopes(state.view) : diskScope ? [diskScope] : []);
      if (refused?.mutates) {
        const what = refused.description.replace(/ \(.*\)$/, '');
        setStatus({ text: `read-only: ${keyLabel(name)} (${what}) is off: dockhand was started with --read-only`, tone: 'error' });
        return;
      }
    }
    if (state.mode === 'disk') {
      if (disk.handleKey(name, input)) return;
      const command = commandFor(name, ['global']);
      if (command === 'help') setUi({ mode: 'help', returnTo: 'disk' });
      if (command === 'quit') exit();
      return;
    }
    if (state.mode === 'pane') {
      // The full-screen Logs tab has keys of its own (and text boxes that take every key).
      if (state.tab === 'logs' && logs.handleKey(name, input)) return;
      const command = commandFor(name, ['pane', 'global']);
      if (command) handlePaneCommand(command);
      return;
    }
    const command = commandFor(name, [...listScopes(state.view), 'global']);
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

  /** A text box: what was typed, then the placeholder while empty, or why Enter did not take it. */
  const textBox = (label: string, value: string, placeholder: string, error?: string) => (
    <Text wrap="truncate">
      <Text {...theme.style('accent')}>{label}</Text>
      {truncate(value, layout.cols - label.length - 1)}
      <Text inverse> </Text>
      {error ? <Text {...theme.style('error')}> {error}</Text> : value ? '' : <Text dimColor> {placeholder}</Text>}
    </Text>
  );
  const logsOpen = mode === 'pane' && ui.tab === 'logs';
  let statusLine: React.ReactNode;
  if (quitPrompt) {
    statusLine = <Text bold {...theme.style('warning')}>{quitPrompt}</Text>;
  } else if (mode === 'palette') {
    statusLine = textBox(':', ui.palette, argumentHint(ui.palette) ?? 'containers, images, ctx NAME, sort cpu, filter TEXT, prune, logs, q (Tab completes)');
  } else if (swarm.textBox) {
    statusLine = textBox(swarm.textBox.label, swarm.textBox.value, swarm.textBox.placeholder);
  } else if (transfer.textBox) {
    statusLine = textBox(transfer.textBox.label, transfer.textBox.value, transfer.textBox.placeholder, transfer.textBox.error);
  } else if (mode === 'filter') {
    statusLine = textBox('/', filter, FILTER_HINTS[view]);
  } else if (mode === 'search') {
    statusLine = textBox('/', ui.search, `search the ${ui.tab} tab`);
  } else if (logsOpen && logs.box) {
    statusLine = textBox(logs.box.label, logs.box.value, logs.box.placeholder);
  } else if (logsOpen && logs.notice) {
    statusLine = <Text {...theme.style(logs.notice.tone === 'error' ? 'error' : undefined)} wrap="truncate">{truncate(logs.notice.text, layout.cols)}</Text>;
  } else if (status) {
    statusLine = <Text {...theme.style(status.tone === 'error' ? 'error' : undefined)} wrap="truncate">{truncate(status.text, layout.cols)}</Text>;
  } else if (filter) {
    statusLine = <Text dimColor wrap="truncate">{truncate(`filter: ${filter}  (/ to change, / then Esc to clear)`, layout.cols)}</Text>;
  } else {
    statusLine = <Text> </Text>;
  }
  // Help and quit first: on a narrow terminal the tail of these lines is what gets cut.
  const hints = {
    normal: otherList
      ? otherList.hints
      : hintLine(['list', 'global'], [
        ...LIST_HINTS, [['previousTab', 'nextTab'], 'tabs'], ['zoomPane', 'open'], ['filter', 'filter'], ['nextProblem', 'next problem'],
        ['diskUsage', 'disk'], ['shell', 'shell'], ['toggleStopped', `${showStopped ? 'hide' : 'show'} stopped`], ['start', 'start'], ['stop', 'stop'],
        ['restart', 'restart'], ['pauseToggle', 'pause'], ['kill', 'kill'], ['remove', 'remove'], ['attach', 'attach'],
      ]),
    disk: disk.hints,
    contexts: hintLine(['contexts', 'global'], [['help', 'help'], ['quit', 'quit'], [['down', 'up'], 'choose'], ['useContext', 'connect to it'], ['closeContexts', 'back']]),
    palette: ['Enter run · Tab complete · Esc cancel', ...completions(ui.palette, paletteContext()).slice(0, 6)].join(' · '),
    filter: 'type to filter · Enter keep · Esc clear',
    search: 'type to search · Enter go to match · Esc clear',
    pane: logsOpen
      ? hintLine(['logs', 'pane', 'global'], [
        ['help', 'help'], ['closePane', 'back'], ['search', 'search'], [['searchNext', 'searchPrevious'], 'match'], ['filterLogs', 'filter'],
        [['moreContext', 'lessContext'], 'context'], ['toggleWrap', 'wrap'], ['cycleTimestamps', 'time'], ['cycleSince', 'since'],
        ['saveLogs', 'save'], ['copyLogs', 'copy'], ['bottom', 'follow'],
      ])
      : hintLine(['pane', 'global'], [
        ['help', 'help'], ['closePane', 'back'], [['down', 'up'], 'scroll'], ...(otherList ? [] : [[['previousTab', 'nextTab'], 'tabs'] as const]),
        ['search', 'search'], [['searchNext', 'searchPrevious'], 'match'], ['toggleSecrets', 'secrets'],
      ]),
    help: '',
  }[mode];
  const shownHints = outputPane?.hints ?? hints;
  const searchStatus = ui.search ? (matches.length > 0 ? `${Math.min(ui.matchIndex, matches.length - 1) + 1}/${matches.length}` : 'no match') : undefined;
  const mainPane = (besideList: boolean) => (
    <MainPane
      tab={ui.tab}
      {...(logsTitle !== undefined
        ? { title: logsTitle, lines: [], custom: logs.element }
        : otherList ? { title: otherList.paneTitle, lines: otherList.paneLines } : { lines: content.lines, custom: content.custom })}
      offset={paneOffset}
      highlight={ui.search}
      width={paneWidth}
      height={paneHeight}
      besideList={besideList}
      {...(searchStatus ? { searchStatus } : {})}
    />
  );

  const emptyText = !snapshot.loaded
    ? 'Loading containers…'
    : containersFilter ? `No container matches "${containersFilter}"` : showStopped ? 'No containers' : 'No running containers (e shows stopped ones)';

  return (
    <Box flexDirection="column" width={layout.cols} height={layout.rows + dialogRows}>
      <Header
        info={engine.info}
        connection={snapshot.connection}
        loaded={snapshot.loaded}
        counts={mode === 'contexts' ? 'contexts'
          : mode === 'disk' ? `disk usage${onHost}`
            : otherList ? `${otherList.counts}${otherList.focusedHostOnly ? onHost : ''}`
              : `${running}/${snapshot.containers.length} running`}
        problems={problems}
        hosts={snapshot.hosts}
        width={layout.cols}
      />
      {mode === 'help' ? (
        <HelpOverlay width={layout.cols} height={bodyHeight} offset={ui.helpOffset} readOnly={readOnly} />
      ) : mode === 'contexts' ? (
        <ContextsView contexts={ui.contextList} inUse={contexts?.inUse ?? ''} selectedIndex={ui.contextIndex} width={layout.cols} height={layout.listRows} />
      ) : mode === 'disk' ? (
        <Box height={bodyHeight} flexDirection="column">{disk.element}</Box>
      ) : outputPane ? (
        <Box height={bodyHeight} flexDirection="column">{outputPane.render(bodyHeight)}</Box>
      ) : zoomed ? (
        mainPane(false)
      ) : (
        <Box height={bodyHeight}>
          {otherList ? otherList.renderList(layout.listRows, snapshot.connection.status !== 'connected') : <ContainerList
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
            unreachableHosts={unreachableHosts}
            marked={markedSet}
            emptyText={emptyText}
          />}
          {layout.detailWidth > 0 ? mainPane(true) : null}
        </Box>
      )}
      {dialog ? <Dialog dialog={dialog} cols={layout.cols} rows={widths.rows} /> : listDialog?.element ?? null}
      <Box height={1}>{statusLine}</Box>
      <Text dimColor wrap="truncate">{truncate(shownHints, layout.cols)}</Text>
    </Box>
  );
}
