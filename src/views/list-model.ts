// Pure shaping of the containers list: order, Compose grouping, filtering, columns and the
// visible window. Tested without Ink.
import type { ContainerRow, StatsFigures } from '../engine/types.js';
import { formatAge, formatBytes, formatHealth, formatPercent, formatPorts, formatState, stateTone } from './format.js';
import type { Role } from './theme.js';

export type ListItem =
  | { kind: 'group'; key: string; project: string; running: number; total: number }
  | { kind: 'container'; key: string; row: ContainerRow; grouped: boolean };

const STATE_RANK: Record<ContainerRow['state'], number> = {
  running: 0, restarting: 1, paused: 2, removing: 3, created: 4, exited: 5, dead: 6,
};

/** Up in the sense of `docker ps`: it has processes (running, paused or restarting). */
export const isUp = (row: Pick<ContainerRow, 'state'>) => row.state === 'running' || row.state === 'paused' || row.state === 'restarting';

function byStateThenName(a: ContainerRow, b: ContainerRow): number {
  return STATE_RANK[a.state] - STATE_RANK[b.state] || a.name.localeCompare(b.name);
}

export type ContainerSortKey = 'name' | 'state' | 'cpu' | 'memory' | 'age' | 'image';

/** A column order chosen with `o`; none is the default: running first, then by name. */
export interface ContainerSort {
  key: ContainerSortKey;
  descending: boolean;
}

const CONTAINER_SORT_KEYS: readonly ContainerSortKey[] = ['name', 'state', 'cpu', 'memory', 'age', 'image'];
/** Busiest, biggest and newest first; names and states in reading order. */
const DESCENDING_FIRST: ReadonlySet<ContainerSortKey> = new Set(['cpu', 'memory', 'age']);

/** The next of `o`'s orders, back to the default after the last. */
export function nextContainerSort(sort: ContainerSort | undefined): ContainerSort | undefined {
  const next = CONTAINER_SORT_KEYS[sort ? CONTAINER_SORT_KEYS.indexOf(sort.key) + 1 : 0];
  return next ? naturalContainerSort(next) : undefined;
}

/** A key's order in its natural direction (as `o` first gives it). */
export function naturalContainerSort(key: ContainerSortKey): ContainerSort {
  return { key, descending: DESCENDING_FIRST.has(key) };
}

/** The sort key as `:sort` spells it, or undefined when it names none. */
export function parseContainerSortKey(word: string): ContainerSortKey | undefined {
  const key = word.toLowerCase() === 'mem' ? 'memory' : word.toLowerCase();
  return CONTAINER_SORT_KEYS.find((k) => k === key);
}

/**
 * Orders containers by a column. CPU and memory are known only for the containers on screen
 * (stats are sampled for those alone): the others follow, by name.
 */
function containerComparator(sort: ContainerSort | undefined, stats: ReadonlyMap<string, StatsFigures>): (a: ContainerRow, b: ContainerRow) => number {
  if (!sort) return byStateThenName;
  const figure = (row: ContainerRow): number => {
    switch (sort.key) {
      case 'cpu': return stats.get(row.id)?.cpuPercent ?? Number.NEGATIVE_INFINITY;
      case 'memory': return stats.get(row.id)?.memoryUsed ?? Number.NEGATIVE_INFINITY;
      case 'age': return row.created;
      default: return 0;
    }
  };
  const primary = (a: ContainerRow, b: ContainerRow): number => {
    switch (sort.key) {
      case 'name': return a.name.localeCompare(b.name);
      case 'state': return STATE_RANK[a.state] - STATE_RANK[b.state];
      case 'image': return a.image.localeCompare(b.image);
      default: return figure(a) - figure(b) || 0;
    }
  };
  const direction = sort.descending ? -1 : 1;
  return (a, b) => direction * primary(a, b) || a.name.localeCompare(b.name);
}

/** The containers columns with the sorted one's title carrying ▲ or ▼. */
export function sortedColumns(columns: readonly Column[], sort: ContainerSort | undefined): Column[] {
  const id: ColumnId | undefined = sort?.key;
  return columns.map((column) => (column.id === id ? { ...column, title: `${column.title}${sort?.descending ? '▼' : '▲'}` } : column));
}

/** What `/` matches: name, image, Compose project and service, Podman pod, state, the exit code, the host. */
export function matchesFilter(row: ContainerRow, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [row.name, row.image, row.project ?? '', row.service ?? '', row.pod ?? '', formatState(row), row.host ?? ''];
  // Ids are matched from the start, at any length: a pasted short or full id finds its container.
  const engineId = row.host ? row.id.slice(row.host.length + 1) : row.id;
  return engineId.startsWith(needle) || haystack.some((text) => text.toLowerCase().includes(needle));
}

/** A Compose project is one per engine: in a fleet, the same name on two hosts is two projects. */
export function projectKey(row: Pick<ContainerRow, 'project' | 'host'>): string | undefined {
  if (!row.project) return undefined;
  return row.host ? `${row.host}/${row.project}` : row.project;
}

/**
 * Running containers first, then the rest. Compose projects form one block each, placed by
 * whether any of their containers is up, with a header row; standalone containers sort as
 * blocks of one.
 */
export function buildListItems(
  containers: readonly ContainerRow[],
  options: { showStopped: boolean; filter: string; sort?: ContainerSort | undefined; stats?: ReadonlyMap<string, StatsFigures> },
): ListItem[] {
  const compare = containerComparator(options.sort, options.stats ?? new Map());
  const shown = containers.filter((row) => (options.showStopped || isUp(row)) && matchesFilter(row, options.filter));
  // A project's header counts all its containers, also those the filter or `e` hides.
  const projectTotals = new Map<string, { running: number; total: number }>();
  for (const row of containers) {
    const key = projectKey(row);
    if (!key) continue;
    const totals = projectTotals.get(key) ?? { running: 0, total: 0 };
    totals.total += 1;
    if (row.state === 'running') totals.running += 1;
    projectTotals.set(key, totals);
  }
  const projects = new Map<string, ContainerRow[]>();
  const blocks: Array<{ sortKey: ContainerRow; items: ListItem[] }> = [];
  for (const row of shown) {
    const key = projectKey(row);
    if (key) {
      const members = projects.get(key) ?? [];
      members.push(row);
      projects.set(key, members);
    } else {
      blocks.push({ sortKey: row, items: [{ kind: 'container', key: row.id, row, grouped: false }] });
    }
  }
  for (const [key, members] of projects) {
    members.sort(compare);
    const first = members[0];
    if (!first?.project) continue;
    const project = first.host ? `${first.project} @${first.host}` : first.project;
    blocks.push({
      // A project sorts like its liveliest member, under the project's name.
      sortKey: { ...first, name: project },
      items: [
        { kind: 'group', key: `project:${key}`, project, ...(projectTotals.get(key) ?? { running: 0, total: 0 }) },
        ...members.map((row): ListItem => ({ kind: 'container', key: row.id, row, grouped: true })),
      ],
    });
  }
  blocks.sort((a, b) => compare(a.sortKey, b.sortKey));
  return blocks.flatMap((block) => block.items);
}

/** The selectable index nearest to `index`, searching down first; -1 when nothing is selectable. */
export function nearestContainerIndex(items: readonly ListItem[], index: number, direction: 1 | -1 = 1): number {
  if (items.length === 0) return -1;
  const start = Math.max(0, Math.min(index, items.length - 1));
  for (const step of [direction, -direction]) {
    for (let i = start; i >= 0 && i < items.length; i += step) {
      if (items[i]?.kind === 'container') return i;
    }
  }
  return -1;
}

/**
 * Where the selection is: on the selected container's row wherever it moved to, or, when that
 * container vanished or was filtered out, on the row nearest to where it last was.
 */
export function selectionIndex(items: readonly ListItem[], selectedId: string | undefined, lastIndex: number): number {
  const index = items.findIndex((item) => item.kind === 'container' && item.row.id === selectedId);
  return index >= 0 ? index : nearestContainerIndex(items, lastIndex);
}

/** The first visible item index that keeps `selected` on screen, moving the window as little as possible. */
export function scrollOffset(previousOffset: number, selected: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let offset = Math.min(previousOffset, total - height);
  if (selected < offset) offset = selected;
  if (selected >= offset + height) offset = selected - height + 1;
  return Math.max(0, offset);
}

export type ColumnId = 'name' | 'host' | 'state' | 'health' | 'image' | 'ports' | 'age' | 'cpu' | 'memory';

export interface Column<Id extends string = ColumnId> {
  id: Id;
  title: string;
  width: number;
  align: 'left' | 'right';
}

export interface ColumnSpec<Id extends string> {
  id: Id;
  title: string;
  min: number;
  /** Share of spare width; 0 keeps the column at its minimum. */
  grow: number;
  align: 'left' | 'right';
}

/** In order of importance: narrow terminals keep the first ones. */
const COLUMN_SPECS: readonly ColumnSpec<ColumnId>[] = [
  { id: 'name', title: 'NAME', min: 14, grow: 3, align: 'left' },
  { id: 'state', title: 'STATE', min: 16, grow: 0, align: 'left' },
  { id: 'cpu', title: 'CPU', min: 7, grow: 0, align: 'right' },
  { id: 'memory', title: 'MEM', min: 8, grow: 0, align: 'right' },
  { id: 'age', title: 'AGE', min: 4, grow: 0, align: 'right' },
  { id: 'image', title: 'IMAGE', min: 12, grow: 2, align: 'left' },
  { id: 'health', title: 'HEALTH', min: 9, grow: 0, align: 'left' },
  { id: 'ports', title: 'PORTS', min: 14, grow: 2, align: 'left' },
];

const DISPLAY_ORDER: readonly ColumnId[] = ['name', 'host', 'state', 'health', 'image', 'ports', 'age', 'cpu', 'memory'];

/** In a fleet the host matters next to the name: it says where an action will go. */
const HOST_SPEC: ColumnSpec<ColumnId> = { id: 'host', title: 'HOST', min: 8, grow: 1, align: 'left' };

/**
 * Columns in order of importance while they fit (one space between columns), widened to fill
 * `width`, shown in `displayOrder`. Stopping at the first that does not fit keeps widening the
 * terminal from ever taking a column away; the first column is always shown, squeezed if need be.
 */
export function fitColumns<Id extends string>(specs: readonly ColumnSpec<Id>[], displayOrder: readonly Id[], width: number): Column<Id>[] {
  const [firstSpec, ...rest] = specs;
  if (!firstSpec) return [];
  const chosen: ColumnSpec<Id>[] = [firstSpec];
  let used = Math.min(firstSpec.min, Math.max(0, width));
  for (const spec of rest) {
    if (used + spec.min + 1 > width) break;
    chosen.push(spec);
    used += spec.min + 1;
  }
  const spare = Math.max(0, width - used);
  const totalGrow = chosen.reduce((sum, spec) => sum + spec.grow, 0);
  let given = 0;
  const columns = chosen.map((spec) => {
    const extra = totalGrow > 0 ? Math.floor((spare * spec.grow) / totalGrow) : 0;
    given += extra;
    return { id: spec.id, title: spec.title, width: Math.min(spec.min, used) + extra, align: spec.align };
  });
  // Rounding leftovers go to the most important column so the row fills the pane exactly.
  const first = columns[0];
  if (first) first.width += spare - given;
  return displayOrder.flatMap((id) => columns.filter((c) => c.id === id));
}

/** The columns the configuration chooses from, in order of importance; HOST is a fleet's own. */
export const CONTAINER_COLUMNS: readonly ColumnId[] = COLUMN_SPECS.map((spec) => spec.id);

/** Of the `shown` columns, those that fit, by importance; in a fleet the host follows the first. */
export function chooseColumns(width: number, withHost = false, shown: readonly ColumnId[] = CONTAINER_COLUMNS): Column[] {
  const [first, ...rest] = COLUMN_SPECS.filter((spec) => shown.includes(spec.id));
  if (!first) return [];
  return fitColumns(withHost ? [first, HOST_SPEC, ...rest] : [first, ...rest], DISPLAY_ORDER, width);
}

/** The role a row's STATE or HEALTH cell is drawn in; undefined keeps the terminal's own. */
export function cellTone(column: ColumnId, text: string, row: ContainerRow): Role | undefined {
  if (column === 'health' || text === 'unhealthy' || text === 'starting') {
    if (text === 'unhealthy') return 'error';
    if (text === 'starting') return 'warning';
    if (text === 'healthy') return 'ok';
    return undefined;
  }
  if (column !== 'state') return undefined;
  return row.state === 'exited' && row.exitCode !== undefined && row.exitCode !== 0 ? 'error' : stateTone(row.state);
}

/** A row's cell texts, before padding. */
export function cellText(
  column: ColumnId,
  row: ContainerRow,
  context: {
    grouped: boolean;
    stats: StatsFigures | undefined;
    nowMs: number;
    pending: string | undefined;
    /** No HEALTH column on screen: a failing or starting check shows in STATE instead. */
    healthInState?: boolean;
  },
): string {
  switch (column) {
    case 'name': {
      if (!context.grouped || !row.project) return row.name;
      // Compose names repeat the project ("shop-web-1"); under the project header "web-1" says it.
      const prefixes = [`${row.project}-`, `${row.project}_`];
      const short = prefixes.find((p) => row.name.startsWith(p)) ? row.name.slice(row.project.length + 1) : row.name;
      return `  ${short}`;
    }
    case 'state':
      if (context.pending) return context.pending;
      if (context.healthInState && row.state === 'running' && (row.health === 'unhealthy' || row.health === 'starting')) {
        return row.health;
      }
      return formatState(row);
    case 'health':
      return formatHealth(row.health);
    case 'host':
      return row.host ?? '';
    case 'image':
      return row.image;
    case 'ports':
      return formatPorts(row.ports);
    case 'age':
      return formatAge(row.created, context.nowMs);
    case 'cpu':
      return row.state === 'running' ? formatPercent(context.stats?.cpuPercent) : '';
    case 'memory':
      return row.state === 'running' && context.stats ? formatBytes(context.stats.memoryUsed) : '';
  }
}
