import React, { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Text } from 'ink';
import {
  composeCommandTakesServices, composeFilesProblem, composeSubcommandText, composeInvocation, composeProjects, findComposeCli,
  type ComposeCli, type ComposeCommand,
} from '../engine/compose.js';
import type { ContainerSource } from '../engine/container-store.js';
import type { ActionOptions, Engine } from '../engine/engine.js';
import { containerAddress } from '../engine/fleet.js';
import { actOnContainers, actionTargets, pauseToggleAction, type ActionTarget, type GroupAction } from '../engine/project-actions.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useContainers } from '../hooks/useEngineStores.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { useCommandRun, type CommandOutputPane } from './useCommandRun.js';
import { pad } from './format.js';
import { hintLine, LIST_HINTS, type CommandId, type HintEntry } from './keymap.js';
import { isUp, scrollOffset, type Column } from './list-model.js';
import { ListFrame } from './ListFrame.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { dialogArgv, ProjectDialog, projectDialogHeight, type ProjectDialogState } from './ProjectDialog.js';
import {
  composeBlocker, GROUP_ACTION_WORDS, groupReportText, outcomeText, projectLines, type CliLookup,
} from './project-lines.js';
import {
  buildProjectItems, DEFAULT_PROJECT_SORT, itemContainers, itemTitle, keyOfProject, nextProjectSort, projectCell,
  projectCellTone, projectColumns, projectCounts, projectSelectionIndex, projectTitle,
  type ProjectColumnId, type ProjectItem, type ProjectSort,
} from './project-model.js';
import { useTheme } from './theme.js';

export interface ProjectsViewInput {
  engine: Engine;
  store: ContainerSource;
  /** The projects list is on screen: only then are projects worked out and compose looked for. */
  active: boolean;
  /** The `/` filter of the list, and the same read when keys arrive (it may be newer than this render). */
  filter: string;
  getFilter: () => string;
  listWidth: number;
  /** Terminal size, for the confirmation dialog */
  cols: number;
  rows: number;
  /** Inside width of the details pane; 0 when it is not on screen */
  paneWidth: number;
  setStatus: (status: StatusMessage | undefined) => void;
  /** Where the compose CLI is looked for; tests give their own. */
  findCli?: () => Promise<ComposeCli | undefined>;
}

export interface ProjectsView {
  /** The list in `height` rows below its column titles (the height waits for the dialog's). */
  renderList(height: number, dimmed: boolean): React.ReactNode;
  /** The selected project's details, for the side pane and full screen */
  paneLines: PaneLine[];
  paneTitle: string;
  /** For the header: "3 projects · 7/9 running" */
  counts: string;
  loaded: boolean;
  /** The bottom key-hint line while the list has the keys */
  hints: string;
  /** Keys of the list; false when the key is not the projects list's. */
  handleListCommand(command: CommandId): boolean;
  dialog: { element: React.ReactNode; rows: number } | undefined;
  hasDialog(): boolean;
  handleDialogCommand(command: CommandId): void;
  /**
   * While a compose command runs or its output is shown: the whole body. `render` takes the
   * body's height (known only once the dialog's rows are); `handleKey` is false for keys it
   * leaves to the app (help, quit).
   */
  output: CommandOutputPane | undefined;
  /** The selected row's project, as the keys see it now: for L (its merged logs). */
  selectedProject(): { key: string; name: string } | undefined;
}

interface ProjectsUi {
  selected: string | undefined;
  sort: ProjectSort;
  dialog: ProjectDialogState | undefined;
}

const INITIAL: ProjectsUi = { selected: undefined, sort: DEFAULT_PROJECT_SORT, dialog: undefined };

const COMPOSE_KEYS: Partial<Record<CommandId, ComposeCommand>> = {
  composeUp: 'up', composeDown: 'down', composeRecreate: 'recreate', composePull: 'pull',
};

/** The container keys that act on every container of the selected project or service. */
type GroupCommand = Extract<CommandId, 'start' | 'stop' | 'restart' | 'pauseToggle' | 'remove'>;
const GROUP_COMMANDS: ReadonlySet<CommandId> = new Set<GroupCommand>(['start', 'stop', 'restart', 'pauseToggle', 'remove']);
const isGroupCommand = (command: CommandId): command is GroupCommand => GROUP_COMMANDS.has(command);

const PROJECT_HINTS: readonly HintEntry[] = [
  ...LIST_HINTS, ['filter', 'filter'], [['start', 'stop', 'restart', 'pauseToggle', 'remove'], 'start/stop/restart/pause/remove'],
  ['composeUp', 'up'], ['composeDown', 'down'], ['composeRecreate', 'recreate'], ['composePull', 'pull'], ['projectLogs', 'logs'],
];

/** The Compose projects list (5): its rows, details, group actions and the compose CLI with its output. */
export function useProjectsView(input: ProjectsViewInput): ProjectsView {
  const { engine, store, active, listWidth, cols, rows, setStatus } = input;
  const snapshot = useContainers(store);
  const [ui, getUi, setUi] = useLatestState<ProjectsUi>(INITIAL);
  const [pending, setPending] = useState<ReadonlyMap<string, string>>(new Map());
  const [lookup, setLookup] = useState<CliLookup>({ status: 'looking' });
  const lookupRef = useRef(lookup);
  lookupRef.current = lookup;
  const commandRun = useCommandRun(cols);
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);
  const listRowsRef = useRef(1);
  const findCli = input.findCli ?? findComposeCli;

  // Looked for once, when the list first shows: it starts a process (`docker compose version`).
  const looked = useRef(false);
  useEffect(() => {
    if (!active || looked.current) return;
    looked.current = true;
    findCli().then(
      (cli) => setLookup(cli ? { status: 'found', cli } : { status: 'missing' }),
      () => setLookup({ status: 'missing' }),
    );
  }, [active]);

  const projects = useMemo(() => (active ? composeProjects(snapshot.containers) : []), [active, snapshot.containers]);
  const items = useMemo(() => buildProjectItems(projects, input.filter, ui.sort), [projects, input.filter, ui.sort]);
  const selectedIndex = projectSelectionIndex(items, ui.selected, lastIndex.current);
  if (selectedIndex >= 0) lastIndex.current = selectedIndex;
  const selected = items[selectedIndex];

  // Files are looked at on disk: once per project shown, not on every render.
  const selectedProject = selected?.project;
  const filesKey = selectedProject ? `${selectedProject.workingDir ?? ''}\u0000${selectedProject.configFiles.join('\u0000')}` : '';
  const filesProblem = useMemo(() => (selectedProject ? composeFilesProblem(selectedProject) : undefined), [filesKey]);

  const paneLines = selected
    ? wrapPaneLines(projectLines(selected.project, { lookup, filesProblem }, selected.kind === 'service' ? selected.service.name : undefined), Math.max(1, input.paneWidth))
    : [{ text: active && snapshot.loaded ? 'No Compose project selected' : 'Loading…', tone: 'dim' as const }];

  /** The items as they are now: keys typed ahead may have changed the list or the filter. */
  const currentItems = () => buildProjectItems(composeProjects(store.getSnapshot().containers), input.getFilter(), getUi().sort);
  const currentItem = (): ProjectItem | undefined => {
    const now = currentItems();
    return now[projectSelectionIndex(now, getUi().selected, lastIndex.current)];
  };

  const move = (to: (index: number, count: number) => number) => {
    const now = currentItems();
    if (now.length === 0) return;
    const index = projectSelectionIndex(now, getUi().selected, lastIndex.current);
    const next = Math.max(0, Math.min(now.length - 1, to(index, now.length)));
    lastIndex.current = next;
    setUi({ selected: now[next]?.key });
  };

  const setPendingFor = (key: string, text: string | undefined) => setPending((prev) => {
    const next = new Map(prev);
    if (text === undefined) next.delete(key);
    else next.set(key, text);
    return next;
  });

  const runGroupAction = async (key: string, title: string, targets: readonly ActionTarget[], action: GroupAction, options?: ActionOptions) => {
    setPendingFor(key, GROUP_ACTION_WORDS[action].progress);
    try {
      setStatus(groupReportText(await actOnContainers(engine, targets, action, options ? { action: options } : {}), title));
    } finally {
      setPendingFor(key, undefined);
      store.refresh().catch(() => undefined);
    }
  };

  /** S, r, p at once; s and d after a dialog naming every container they will act on. */
  const groupAction = (item: ProjectItem, command: GroupCommand) => {
    if (pending.has(item.key)) return setStatus({ text: `${itemTitle(item)}: an action is already running`, tone: 'info' });
    const containers = itemContainers(item);
    const action: GroupAction = command === 'pauseToggle' ? pauseToggleAction(containers) : command;
    const targets = actionTargets(containers, action);
    if (targets.length === 0) {
      return setStatus({ text: `${itemTitle(item)}: no container to ${action === 'unpause' ? 'pause or unpause' : action}`, tone: 'info' });
    }
    const named = targets.map(({ id, name }) => ({ id, name }));
    const title = itemTitle(item);
    if (action === 'stop') return setUi({ dialog: { kind: 'stop', key: item.key, title, targets: named } });
    if (action === 'remove') {
      return setUi({ dialog: { kind: 'remove', key: item.key, title, targets: targets.map((t) => ({ id: t.id, name: t.name, up: isUp(t) })), force: false, removeVolumes: false } });
    }
    return void runGroupAction(item.key, title, named, action);
  };

  /** u, x, R, P: the dialog with the exact command line, or why compose cannot run here. */
  const openCompose = (item: ProjectItem, command: ComposeCommand) => {
    const found = lookupRef.current;
    if (found.status === 'looking') return setStatus({ text: 'Still looking for docker compose; try again in a moment', tone: 'info' });
    // The files are looked at again: they may have appeared (or gone) since the pane was drawn.
    const blocker = composeBlocker(found, composeFilesProblem(item.project));
    if (blocker || found.status !== 'found') return setStatus({ text: `${projectTitle(item.project)}: ${blocker}`, tone: 'error' });
    const first = item.project.containers[0];
    if (!first) return undefined;
    // In a fleet, compose must talk to the host the project runs on.
    const { prefix, env } = composeInvocation(found.cli, containerAddress(engine, first.id).endpoint);
    const services = item.kind === 'service' && composeCommandTakesServices(command) ? [item.service.name] : [];
    const title = services.length > 0 ? itemTitle(item) : `project ${projectTitle(item.project)}`;
    return setUi({ dialog: { kind: 'compose', key: item.key, title, command, invocation: { prefix, env, project: item.project, services } } });
  };

  /** The output pane has every key while the command runs: no second one can start meanwhile. */
  const startCompose = (dialog: Extract<ProjectDialogState, { kind: 'compose' }>) => {
    const argv = dialogArgv(dialog);
    const { env, project } = dialog.invocation;
    commandRun.start(argv, { env, ...(project.workingDir ? { cwd: project.workingDir } : {}) }, (outcome) => {
      const ok = outcome.status === 'exited' && outcome.exitCode === 0;
      setStatus({ text: `${dialog.title}: compose ${composeSubcommandText(dialog.command)}: ${outcomeText(outcome).text}`, tone: ok ? 'info' : 'error' });
      store.refresh().catch(() => undefined);
    });
  };

  const handleListCommand = (command: CommandId): boolean => {
    const page = Math.max(1, listRowsRef.current - 1);
    switch (command) {
      case 'down': move((i) => i + 1); return true;
      case 'up': move((i) => i - 1); return true;
      case 'top': move(() => 0); return true;
      case 'bottom': move((_, count) => count - 1); return true;
      case 'pageDown': move((i) => i + page); return true;
      case 'pageUp': move((i) => i - page); return true;
      case 'sortNext': setUi((s) => ({ sort: nextProjectSort(s.sort) })); return true;
      case 'sortReverse': setUi((s) => ({ sort: { ...s.sort, descending: !s.sort.descending } })); return true;
      default: break;
    }
    const composeCommand = COMPOSE_KEYS[command];
    if (!isGroupCommand(command) && !composeCommand) return false;
    const item = currentItem();
    if (!item) setStatus({ text: 'No Compose project selected', tone: 'info' });
    else if (composeCommand) openCompose(item, composeCommand);
    else if (isGroupCommand(command)) groupAction(item, command);
    return true;
  };

  const confirm = (dialog: ProjectDialogState) => {
    switch (dialog.kind) {
      case 'stop': return void runGroupAction(dialog.key, dialog.title, dialog.targets, 'stop');
      case 'remove':
        return void runGroupAction(dialog.key, dialog.title, dialog.targets, 'remove', { remove: { force: dialog.force, removeVolumes: dialog.removeVolumes } });
      case 'compose': return startCompose(dialog);
    }
  };

  const handleDialogCommand = (command: CommandId) => {
    const dialog = getUi().dialog;
    if (!dialog) return;
    switch (command) {
      case 'confirmNo': return setUi({ dialog: undefined });
      case 'confirmYes':
        setUi({ dialog: undefined });
        return confirm(dialog);
      case 'toggleForce':
        if (dialog.kind === 'remove') setUi({ dialog: { ...dialog, force: !dialog.force } });
        return;
      case 'toggleVolumes':
        if (dialog.kind === 'remove') setUi({ dialog: { ...dialog, removeVolumes: !dialog.removeVolumes } });
        if (dialog.kind === 'compose' && (dialog.command === 'down' || dialog.command === 'downVolumes')) {
          setUi({ dialog: { ...dialog, command: dialog.command === 'down' ? 'downVolumes' : 'down' } });
        }
        return;
      default:
        return;
    }
  };

  const sort = ui.sort;
  const columns = useMemo(() => projectColumns(listWidth, sort), [listWidth, sort]);
  const emptyText = !snapshot.loaded
    ? 'Loading containers…'
    : input.filter ? `No project matches "${input.filter}"` : 'No Compose projects (no container has a com.docker.compose.project label)';
  const renderList = (height: number, dimmed: boolean) => {
    listRowsRef.current = height;
    const offset = scrollOffset(offsetRef.current, Math.max(0, selectedIndex), height, items.length);
    offsetRef.current = offset;
    const visible = items.slice(offset, offset + height);
    return (
      <ListFrame columns={columns} width={listWidth} height={height} empty={visible.length === 0} emptyText={emptyText}>
        {visible.map((item, i) => (
          <ProjectRow key={item.key} item={item} columns={columns} width={listWidth} selected={offset + i === selectedIndex} dimmed={dimmed} pending={pending.get(item.key)} />
        ))}
      </ListFrame>
    );
  };

  return {
    renderList,
    paneLines,
    paneTitle: selected ? (selected.kind === 'project' ? `Project ${projectTitle(selected.project)}` : `Service ${selected.service.name}`) : 'Project',
    counts: projectCounts(projects),
    loaded: snapshot.loaded,
    hints: hintLine(['list', 'global'], PROJECT_HINTS),
    handleListCommand,
    dialog: ui.dialog ? { element: <ProjectDialog dialog={ui.dialog} cols={cols} rows={rows} />, rows: projectDialogHeight(ui.dialog, cols, rows) } : undefined,
    hasDialog: () => getUi().dialog !== undefined,
    handleDialogCommand,
    output: commandRun.pane,
    selectedProject: () => {
      const item = currentItem();
      return item ? { key: keyOfProject(item.project), name: item.project.name } : undefined;
    },
  };
}

interface RowProps {
  item: ProjectItem;
  columns: readonly Column<ProjectColumnId>[];
  width: number;
  selected: boolean;
  dimmed: boolean;
  pending: string | undefined;
}

/** One project or service row, padded to the list's width. */
const ProjectRow = memo(function ProjectRow({ item, columns, width, selected, dimmed, pending }: RowProps) {
  const cells = columns.map((column, i) => ({
    column,
    // The first cell says what an action is doing to the row while it runs.
    text: pad(i === 0 && pending ? `${pending} ${projectCell(column.id, item).trim()}` : projectCell(column.id, item), column.width, column.align),
    tone: pending ? undefined : projectCellTone(column.id, item),
  }));
  const used = cells.reduce((sum, cell) => sum + cell.column.width + 1, -1);
  const theme = useTheme();
  return (
    <Text inverse={selected} dimColor={(dimmed || pending !== undefined) && !selected} wrap="truncate">
      {cells.map((cell, i) => <Text key={cell.column.id} {...theme.style(cell.tone)}>{i > 0 ? ' ' : ''}{cell.text}</Text>)}
      {' '.repeat(Math.max(0, width - used))}
    </Text>
  );
});
