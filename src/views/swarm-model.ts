// Pure shaping of the Swarm services and nodes lists: rows, the `/` filter, the sort, the columns
// that fit and each cell's text and colour.
import type { SwarmKind } from '../engine/swarm-store.js';
import type { NodeRow, ServicePort, ServiceRow } from '../engine/swarm.js';
import { plural } from './format.js';
import type { CommandId } from './keymap.js';
import { fitColumns, type Column, type ColumnSpec } from './list-model.js';
import type { Role } from './theme.js';

export type { SwarmKind };

export type SwarmItem =
  | { kind: 'services'; key: string; service: ServiceRow }
  | { kind: 'nodes'; key: string; node: NodeRow };

export type SwarmColumnId =
  | 'name' | 'mode' | 'replicas' | 'image' | 'ports' | 'update'
  | 'hostname' | 'status' | 'availability' | 'role' | 'engine';

export type SwarmSortKey = 'name' | 'replicas' | 'image' | 'mode' | 'role' | 'status' | 'availability';

export interface SwarmSort {
  key: SwarmSortKey;
  descending: boolean;
}

interface KindSpec {
  /** In order of importance (see fitColumns): at 80 columns the list is 53 wide. */
  columns: readonly ColumnSpec<SwarmColumnId>[];
  displayOrder: readonly SwarmColumnId[];
  /** What `o` cycles through, the first being the default, each with the column that shows it. */
  sorts: ReadonlyArray<{ key: SwarmSortKey; column: SwarmColumnId }>;
  noun: string;
}

const KINDS: Record<SwarmKind, KindSpec> = {
  services: {
    columns: [
      { id: 'name', title: 'NAME', min: 14, grow: 3, align: 'left' },
      { id: 'replicas', title: 'REPLICAS', min: 8, grow: 0, align: 'right' },
      { id: 'mode', title: 'MODE', min: 10, grow: 0, align: 'left' },
      { id: 'image', title: 'IMAGE', min: 12, grow: 2, align: 'left' },
      { id: 'update', title: 'UPDATE', min: 10, grow: 0, align: 'left' },
      { id: 'ports', title: 'PORTS', min: 14, grow: 1, align: 'left' },
    ],
    displayOrder: ['name', 'mode', 'replicas', 'image', 'ports', 'update'],
    sorts: [
      { key: 'name', column: 'name' }, { key: 'replicas', column: 'replicas' },
      { key: 'image', column: 'image' }, { key: 'mode', column: 'mode' },
    ],
    noun: 'service',
  },
  nodes: {
    columns: [
      { id: 'hostname', title: 'HOSTNAME', min: 14, grow: 3, align: 'left' },
      { id: 'role', title: 'ROLE', min: 15, grow: 0, align: 'left' },
      { id: 'status', title: 'STATUS', min: 7, grow: 0, align: 'left' },
      { id: 'availability', title: 'AVAILABILITY', min: 12, grow: 0, align: 'left' },
      { id: 'engine', title: 'ENGINE', min: 8, grow: 1, align: 'left' },
    ],
    displayOrder: ['hostname', 'status', 'availability', 'role', 'engine'],
    sorts: [
      { key: 'name', column: 'hostname' }, { key: 'role', column: 'role' },
      { key: 'status', column: 'status' }, { key: 'availability', column: 'availability' },
    ],
    noun: 'node',
  },
};

/** Replica counts read best biggest first; names and words A to Z. */
const NATURALLY_DESCENDING: ReadonlySet<SwarmSortKey> = new Set(['replicas']);

export const DEFAULT_SWARM_SORT: SwarmSort = { key: 'name', descending: false };

export function nextSwarmSort(kind: SwarmKind, sort: SwarmSort): SwarmSort {
  const keys = KINDS[kind].sorts.map((s) => s.key);
  const key = keys[(keys.indexOf(sort.key) + 1) % keys.length] ?? 'name';
  return { key, descending: NATURALLY_DESCENDING.has(key) };
}

export function swarmNoun(kind: SwarmKind): string {
  return KINDS[kind].noun;
}

export function toServiceItems(services: readonly ServiceRow[]): SwarmItem[] {
  return services.map((service) => ({ kind: 'services', key: service.id, service }));
}

export function toNodeItems(nodes: readonly NodeRow[]): SwarmItem[] {
  return nodes.map((node) => ({ kind: 'nodes', key: node.id, node }));
}

export function swarmItemName(item: SwarmItem): string {
  return item.kind === 'services' ? item.service.name : item.node.hostname;
}

/** As `docker service ls`: the digest a deploy pins the image to says nothing at a glance. */
export function imageWithoutDigest(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/, '');
}

/** "*:8080->80/tcp" through the routing mesh, "8080->80/tcp (host)" on the task's node, "80/tcp" unpublished. */
export function formatServicePorts(ports: readonly ServicePort[]): string {
  return ports.map((p) => {
    const target = `${p.target}/${p.protocol}`;
    if (!p.published) return target;
    return p.mode === 'host' ? `${p.published}->${target} (host)` : `*:${p.published}->${target}`;
  }).join(', ');
}

export function formatMode(service: ServiceRow): string {
  return service.mode.replace('-', ' ');
}

/** Running of desired tasks; jobs also count the tasks that completed. */
export function formatReplicas(service: ServiceRow): string {
  const counts = `${service.running}/${service.desired}`;
  return service.mode.endsWith('job') ? `${counts} (${service.completed} done)` : counts;
}

export function formatRole(node: NodeRow): string {
  return node.leader ? `${node.role}, leader` : node.role;
}

export function isShortOfReplicas(service: ServiceRow): boolean {
  return service.running < service.desired;
}

/** A row's cell text, before padding. */
export function swarmCell(column: SwarmColumnId, item: SwarmItem): string {
  if (item.kind === 'services') {
    const { service } = item;
    switch (column) {
      case 'name': return service.name;
      case 'mode': return formatMode(service);
      case 'replicas': return formatReplicas(service);
      case 'image': return imageWithoutDigest(service.image);
      case 'ports': return formatServicePorts(service.ports);
      case 'update': return service.update?.state ?? '';
      default: return '';
    }
  }
  const { node } = item;
  switch (column) {
    case 'hostname': return node.hostname;
    case 'status': return node.status;
    case 'availability': return node.availability;
    case 'role': return formatRole(node);
    case 'engine': return node.engineVersion;
    default: return '';
  }
}

/** Attention where it is due: missing replicas, a troubled update, a node down or kept from work. */
export function swarmCellTone(column: SwarmColumnId, item: SwarmItem): Role | undefined {
  if (item.kind === 'services') {
    const { service } = item;
    if (column === 'replicas') return isShortOfReplicas(service) ? 'error' : undefined;
    if (column === 'update' && service.update) {
      return service.update.state === 'completed' ? undefined : service.update.state.includes('rollback') || service.update.state === 'paused' ? 'error' : 'warning';
    }
    return undefined;
  }
  const { node } = item;
  if (column === 'status') return node.status === 'ready' ? undefined : 'error';
  if (column === 'availability') return node.availability === 'active' ? undefined : 'warning';
  if (column === 'role' && node.leader) return 'accent';
  return undefined;
}

/** What `/` finds: the cells, labels, and an id from its start. */
export function matchesSwarmFilter(item: SwarmItem, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const id = item.kind === 'services' ? item.service.id : item.node.id;
  const labels = item.kind === 'services' ? item.service.labels : item.node.labels;
  const words = [
    ...KINDS[item.kind].columns.map((c) => swarmCell(c.id, item)),
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ];
  return id.startsWith(needle) || words.some((w) => w.toLowerCase().includes(needle));
}

function sortValue(item: SwarmItem, key: SwarmSortKey): string | number {
  if (item.kind === 'services') {
    switch (key) {
      case 'replicas': return item.service.desired;
      case 'image': return item.service.image;
      case 'mode': return item.service.mode;
      default: return item.service.name;
    }
  }
  switch (key) {
    // Managers before workers, the leader first.
    case 'role': return `${item.node.role}${item.node.leader ? '0' : '1'}`;
    case 'status': return item.node.status;
    case 'availability': return item.node.availability;
    default: return item.node.hostname;
  }
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** Filtered and sorted; ties go by name so equal rows never swap places between renders. */
export function shapeSwarmItems(items: readonly SwarmItem[], filter: string, sort: SwarmSort): SwarmItem[] {
  const direction = sort.descending ? -1 : 1;
  return items
    .filter((item) => matchesSwarmFilter(item, filter))
    .sort((a, b) => direction * compare(sortValue(a, sort.key), sortValue(b, sort.key))
      || swarmItemName(a).localeCompare(swarmItemName(b)) || a.key.localeCompare(b.key));
}

/** The columns that fit, the sorted one's title carrying ▲ or ▼. */
export function swarmColumns(kind: SwarmKind, width: number, sort: SwarmSort): Column<SwarmColumnId>[] {
  const spec = KINDS[kind];
  const sorted = spec.sorts.find((s) => s.key === sort.key)?.column;
  return fitColumns(spec.columns, spec.displayOrder, width).map((column) =>
    column.id === sorted ? { ...column, title: `${column.title}${sort.descending ? '▼' : '▲'}` } : column,
  );
}

/** The header's count: how many, and how many need a look. */
export function swarmCounts(kind: SwarmKind, items: readonly SwarmItem[]): string {
  if (kind === 'services') {
    const short = items.filter((i) => i.kind === 'services' && isShortOfReplicas(i.service)).length;
    return `${plural(items.length, 'service')} · ${short} short of replicas`;
  }
  const down = items.filter((i) => i.kind === 'nodes' && i.node.status !== 'ready').length;
  return `${plural(items.length, 'node')} · ${down} not ready`;
}

/** Where each movement key takes the selection: from row `index` of `count`, `page` rows to a screen. */
export const SELECTION_MOVES: Partial<Record<CommandId, (index: number, count: number, page: number) => number>> = {
  down: (index) => index + 1,
  up: (index) => index - 1,
  top: () => 0,
  bottom: (_, count) => count - 1,
  pageDown: (index, _, page) => index + page,
  pageUp: (index, _, page) => index - page,
};

/** Where the selection is: on its row wherever it moved, else the row nearest to where it was. */
export function swarmSelectionIndex(items: readonly SwarmItem[], selectedKey: string | undefined, lastIndex: number): number {
  if (items.length === 0) return -1;
  const index = items.findIndex((item) => item.key === selectedKey);
  return index >= 0 ? index : Math.max(0, Math.min(lastIndex, items.length - 1));
}
