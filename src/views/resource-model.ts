// Pure shaping of the images, volumes and networks lists: one row per image tag (as `docker
// images` lists them), the `/` filter, the sort, the columns that fit and each cell's text.
import type { ResourceKind } from '../engine/resource-store.js';
import type { ImageRow, NetworkRow, VolumeRow } from '../engine/resource-types.js';
import { formatAge, formatDecimalBytes, plural, shortId } from './format.js';
import { fitColumns, type Column, type ColumnSpec } from './list-model.js';
import type { Role } from './theme.js';

export type { ResourceKind };

export type ResourceItem =
  | { kind: 'images'; key: string; image: ImageRow; /** undefined: a dangling image's one row */ tag: string | undefined }
  | { kind: 'volumes'; key: string; volume: VolumeRow }
  | { kind: 'networks'; key: string; network: NetworkRow };

export type ImageItem = Extract<ResourceItem, { kind: 'images' }>;

export type ResourceColumnId =
  | 'name' | 'id' | 'size' | 'shared' | 'used' | 'age' | 'kind' | 'driver' | 'usedBy' | 'scope' | 'subnet';

export type SortKey = 'name' | 'size' | 'created' | 'used' | 'driver';

export interface SortState {
  key: SortKey;
  descending: boolean;
}

interface KindSpec {
  columns: readonly ColumnSpec<ResourceColumnId>[];
  displayOrder: readonly ResourceColumnId[];
  /** The keys `o` cycles through, the first being the default. */
  sortKeys: readonly SortKey[];
  /** The column whose title carries the sort arrow, per sort key. */
  sortColumn: Partial<Record<SortKey, ResourceColumnId>>;
  noun: string;
}

// Columns in order of importance (see fitColumns): at 80 columns the list is 53 wide.
const KINDS: Record<ResourceKind, KindSpec> = {
  images: {
    columns: [
      { id: 'name', title: 'REPOSITORY:TAG', min: 16, grow: 3, align: 'left' },
      { id: 'size', title: 'SIZE', min: 8, grow: 0, align: 'right' },
      { id: 'age', title: 'AGE', min: 5, grow: 0, align: 'right' },
      { id: 'used', title: 'USED', min: 4, grow: 0, align: 'right' },
      { id: 'id', title: 'IMAGE ID', min: 12, grow: 0, align: 'left' },
      { id: 'shared', title: 'SHARED', min: 8, grow: 0, align: 'right' },
    ],
    displayOrder: ['name', 'id', 'size', 'shared', 'used', 'age'],
    sortKeys: ['created', 'name', 'size', 'used'],
    sortColumn: { created: 'age', name: 'name', size: 'size', used: 'used' },
    noun: 'image',
  },
  volumes: {
    columns: [
      { id: 'name', title: 'VOLUME NAME', min: 16, grow: 3, align: 'left' },
      { id: 'size', title: 'SIZE', min: 8, grow: 0, align: 'right' },
      { id: 'usedBy', title: 'USED BY', min: 12, grow: 2, align: 'left' },
      { id: 'kind', title: 'KIND', min: 5, grow: 0, align: 'left' },
      { id: 'driver', title: 'DRIVER', min: 6, grow: 0, align: 'left' },
      { id: 'age', title: 'AGE', min: 5, grow: 0, align: 'right' },
    ],
    displayOrder: ['name', 'kind', 'driver', 'size', 'usedBy', 'age'],
    sortKeys: ['name', 'size', 'created', 'used'],
    sortColumn: { name: 'name', size: 'size', created: 'age', used: 'usedBy' },
    noun: 'volume',
  },
  networks: {
    columns: [
      { id: 'name', title: 'NETWORK', min: 14, grow: 3, align: 'left' },
      { id: 'driver', title: 'DRIVER', min: 7, grow: 0, align: 'left' },
      { id: 'used', title: 'USED', min: 4, grow: 0, align: 'right' },
      { id: 'subnet', title: 'SUBNET', min: 15, grow: 1, align: 'left' },
      { id: 'scope', title: 'SCOPE', min: 6, grow: 0, align: 'left' },
    ],
    displayOrder: ['name', 'driver', 'scope', 'subnet', 'used'],
    sortKeys: ['name', 'driver', 'used'],
    sortColumn: { name: 'name', driver: 'driver', used: 'used' },
    noun: 'network',
  },
};

/** Names read best A to Z; sizes, ages and use counts biggest, newest and busiest first. */
const NATURALLY_DESCENDING: ReadonlySet<SortKey> = new Set(['size', 'created', 'used']);

export function defaultSort(kind: ResourceKind): SortState {
  const key = KINDS[kind].sortKeys[0] ?? 'name';
  return { key, descending: NATURALLY_DESCENDING.has(key) };
}

/** The next sort key of the kind, in its natural direction. */
export function nextSort(kind: ResourceKind, sort: SortState): SortState {
  const keys = KINDS[kind].sortKeys;
  const key = keys[(keys.indexOf(sort.key) + 1) % keys.length] ?? 'name';
  return { key, descending: NATURALLY_DESCENDING.has(key) };
}

export function resourceNoun(kind: ResourceKind): string {
  return KINDS[kind].noun;
}

export function imageName(item: ImageItem): string {
  return item.tag ?? '<none>:<none>';
}

/** What a person calls the row's resource: its tag, its name. */
export function itemName(item: ResourceItem): string {
  switch (item.kind) {
    case 'images': return item.tag ?? `<none> ${shortId(item.image.id)}`;
    case 'volumes': return item.volume.name;
    case 'networks': return item.network.name;
  }
}

export function toImageItems(images: readonly ImageRow[]): ResourceItem[] {
  return images.flatMap((image): ResourceItem[] =>
    image.tags.length === 0
      ? [{ kind: 'images', key: image.id, image, tag: undefined }]
      : image.tags.map((tag) => ({ kind: 'images', key: `${image.id} ${tag}`, image, tag })),
  );
}

export function toVolumeItems(volumes: readonly VolumeRow[]): ResourceItem[] {
  return volumes.map((volume) => ({ kind: 'volumes', key: volume.name, volume }));
}

export function toNetworkItems(networks: readonly NetworkRow[]): ResourceItem[] {
  return networks.map((network) => ({ kind: 'networks', key: network.id, network }));
}

function usersText(names: readonly string[]): string {
  return names.length === 0 ? '—' : names.join(', ');
}

function createdSeconds(item: ResourceItem): number {
  switch (item.kind) {
    case 'images': return item.image.created;
    case 'volumes': return item.volume.created ? Date.parse(item.volume.created) / 1000 || 0 : 0;
    case 'networks': return 0;
  }
}

/** A row's cell text, before padding. */
export function resourceCell(column: ResourceColumnId, item: ResourceItem, nowMs: number): string {
  const created = createdSeconds(item);
  const age = created > 0 ? formatAge(created, nowMs) : '';
  switch (item.kind) {
    case 'images': {
      const { image } = item;
      switch (column) {
        case 'name': return item.tag ?? '<none> dangling';
        case 'id': return shortId(image.id);
        case 'size': return formatDecimalBytes(image.size);
        case 'shared': return image.sharedSize < 0 ? '—' : formatDecimalBytes(image.sharedSize);
        case 'used': return String(image.containers.length);
        case 'age': return age;
        default: return '';
      }
    }
    case 'volumes': {
      const { volume } = item;
      switch (column) {
        case 'name': return volume.name;
        case 'kind': return volume.anonymous ? 'anon' : 'named';
        case 'driver': return volume.driver;
        case 'size': return volume.size < 0 ? '?' : formatDecimalBytes(volume.size);
        case 'usedBy': return usersText(volume.usedBy.map((u) => u.name));
        case 'age': return age;
        default: return '';
      }
    }
    case 'networks': {
      const { network } = item;
      switch (column) {
        case 'name': return network.name;
        case 'driver': return network.driver;
        case 'scope': return network.scope;
        case 'subnet': return network.subnets.map((s) => s.subnet).filter(Boolean).join(', ') || '—';
        case 'used': return String(network.containers.length);
        default: return '';
      }
    }
  }
}

/** Attention where it helps: a dangling image, a resource nothing uses, a network that cannot go. */
export function resourceCellTone(column: ResourceColumnId, item: ResourceItem): Role | undefined {
  if (item.kind === 'images' && column === 'name' && item.image.dangling) return 'warning';
  if (item.kind === 'volumes' && column === 'usedBy' && item.volume.usedBy.length === 0) return 'dim';
  if (item.kind === 'networks' && column === 'name' && item.network.predefined) return 'dim';
  return undefined;
}

/** Words `/` also finds, beyond what the cells say. */
function filterWords(item: ResourceItem): string[] {
  switch (item.kind) {
    case 'images':
      return [
        // A row stands for one tag: filtering to a tag leaves out the image's other tags' rows.
        item.tag ?? '', item.image.dangling ? 'dangling' : '',
        ...item.image.containers.map((c) => c.name), item.image.containers.length === 0 ? 'unused' : 'in use',
      ];
    case 'volumes':
      return [
        item.volume.name, item.volume.driver, item.volume.anonymous ? 'anonymous' : 'named',
        ...item.volume.usedBy.map((c) => c.name), item.volume.usedBy.length === 0 ? 'unused' : 'in use',
        ...Object.entries(item.volume.labels).map(([k, v]) => `${k}=${v}`),
      ];
    case 'networks':
      return [
        item.network.name, item.network.driver, item.network.scope,
        ...item.network.subnets.map((s) => s.subnet), ...item.network.containers.map((c) => c.name),
        item.network.containers.length === 0 ? 'unused' : 'in use',
      ];
  }
}

function itemId(item: ResourceItem): string {
  switch (item.kind) {
    case 'images': return item.image.id.replace(/^sha256:/, '');
    case 'volumes': return item.volume.name;
    case 'networks': return item.network.id;
  }
}

export function matchesResourceFilter(item: ResourceItem, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  // Ids match from their start, as a pasted short id should.
  return itemId(item).startsWith(needle.replace(/^sha256:/, '')) || filterWords(item).some((w) => w.toLowerCase().includes(needle));
}

function usedCount(item: ResourceItem): number {
  switch (item.kind) {
    case 'images': return item.image.containers.length;
    case 'volumes': return item.volume.usedBy.length;
    case 'networks': return item.network.containers.length;
  }
}

function sizeOf(item: ResourceItem): number {
  switch (item.kind) {
    case 'images': return item.image.size;
    case 'volumes': return item.volume.size;
    case 'networks': return 0;
  }
}

function compareBy(key: SortKey): (a: ResourceItem, b: ResourceItem) => number {
  switch (key) {
    case 'name': return (a, b) => itemName(a).localeCompare(itemName(b));
    case 'size': return (a, b) => sizeOf(a) - sizeOf(b);
    case 'created': return (a, b) => createdSeconds(a) - createdSeconds(b);
    case 'used': return (a, b) => usedCount(a) - usedCount(b);
    case 'driver': return (a, b) => (a.kind === 'networks' && b.kind === 'networks' ? a.network.driver.localeCompare(b.network.driver) : 0);
  }
}

/** Filtered and sorted; ties keep name order so equal rows never swap places between renders. */
export function shapeResourceItems(items: readonly ResourceItem[], filter: string, sort: SortState): ResourceItem[] {
  const primary = compareBy(sort.key);
  const byName = compareBy('name');
  const direction = sort.descending ? -1 : 1;
  return items
    .filter((item) => matchesResourceFilter(item, filter))
    .sort((a, b) => direction * primary(a, b) || byName(a, b) || a.key.localeCompare(b.key));
}

/** The columns that fit, the sorted one's title carrying ▲ or ▼. */
export function resourceColumns(kind: ResourceKind, width: number, sort: SortState): Column<ResourceColumnId>[] {
  const spec = KINDS[kind];
  const sorted = spec.sortColumn[sort.key];
  return fitColumns(spec.columns, spec.displayOrder, width).map((column) =>
    column.id === sorted ? { ...column, title: `${column.title}${sort.descending ? '▼' : '▲'}` } : column,
  );
}

/** The header's count for the kind: how many, and how many of them matter for disk usage. */
export function resourceCounts(kind: ResourceKind, items: readonly ResourceItem[]): string {
  switch (kind) {
    case 'images': {
      const images = new Set(items.map((i) => (i.kind === 'images' ? i.image.id : '')));
      const dangling = items.filter((i) => i.kind === 'images' && i.image.dangling).length;
      return `${plural(images.size, 'image')} · ${dangling} dangling`;
    }
    case 'volumes': {
      const unused = items.filter((i) => i.kind === 'volumes' && i.volume.usedBy.length === 0).length;
      return `${plural(items.length, 'volume')} · ${unused} unused`;
    }
    case 'networks':
      return plural(items.length, 'network');
  }
}

/** Where the selection is: on its row wherever it moved, else the row nearest to where it was. */
export function resourceSelectionIndex(items: readonly ResourceItem[], selectedKey: string | undefined, lastIndex: number): number {
  if (items.length === 0) return -1;
  const index = items.findIndex((item) => item.key === selectedKey);
  return index >= 0 ? index : Math.max(0, Math.min(lastIndex, items.length - 1));
}
