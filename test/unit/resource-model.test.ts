import { describe, expect, it } from 'vitest';
import type { ImageRow, NetworkRow, VolumeRow } from '../../src/engine/resource-types.js';
import { planImageRemoval, type RemoveImageDialog } from '../../src/views/ResourceDialog.js';
import {
  defaultSort, matchesResourceFilter, nextSort, resourceCell, resourceColumns, resourceCounts, resourceSelectionIndex,
  shapeResourceItems, toImageItems, toNetworkItems, toVolumeItems,
} from '../../src/views/resource-model.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => Math.floor(NOW / 1000) - h * 3600;

function image(partial: Partial<ImageRow>): ImageRow {
  return { id: 'sha256:aaaa', tags: [], dangling: (partial.tags ?? []).length === 0, size: 1_000_000, sharedSize: -1, created: hoursAgo(1), containers: [], ...partial };
}

function volume(partial: Partial<VolumeRow>): VolumeRow {
  return { name: 'v', driver: 'local', mountpoint: '/m', labels: {}, created: '2026-11-26T10:00:00Z', anonymous: false, size: 0, usedBy: [], ...partial };
}

function network(partial: Partial<NetworkRow>): NetworkRow {
  return { id: 'n1', name: 'net', driver: 'bridge', scope: 'local', internal: false, attachable: false, subnets: [], containers: [], predefined: false, ...partial };
}

const web = image({ id: 'sha256:1111', tags: ['shop/web:1.0', 'shop/web:latest'], size: 52_400_000, created: hoursAgo(2), containers: [{ id: 'c1', name: 'web-1' }] });
const dangling = image({ id: 'sha256:2222', size: 9_000_000, created: hoursAgo(30) });
const base = image({ id: 'sha256:3333', tags: ['busybox:latest'], size: 4_860_000, created: hoursAgo(500) });

describe('image rows', () => {
  it('lists one row per tag, as docker images does, and one for a dangling image', () => {
    const items = toImageItems([web, dangling]);
    expect(items.map((i) => resourceCell('name', i, NOW))).toEqual(['shop/web:1.0', 'shop/web:latest', '<none> dangling']);
    expect(new Set(items.map((i) => i.key)).size).toBe(3);
  });

  it('shows id, sizes in decimal units, shared size unknown, users and age', () => {
    const [item] = toImageItems([web]);
    if (!item) throw new Error('no item');
    expect(resourceCell('id', item, NOW)).toBe('1111');
    expect(resourceCell('size', item, NOW)).toBe('52.4MB');
    expect(resourceCell('shared', item, NOW)).toBe('—');
    expect(resourceCell('used', item, NOW)).toBe('1');
    expect(resourceCell('age', item, NOW)).toBe('2h');
  });

  it('sorts newest first by default, then by name, size and use when asked', () => {
    const items = toImageItems([base, web, dangling]);
    const names = (sort = defaultSort('images')) => shapeResourceItems(items, '', sort).map((i) => resourceCell('name', i, NOW));
    expect(names()).toEqual(['shop/web:1.0', 'shop/web:latest', '<none> dangling', 'busybox:latest']);
    const byName = nextSort('images', defaultSort('images'));
    expect(byName).toEqual({ key: 'name', descending: false });
    expect(names(byName)[0]).toBe('<none> dangling');
    const bySize = nextSort('images', byName);
    expect(names(bySize)[0]).toBe('shop/web:1.0');
    expect(names({ ...bySize, descending: false })[0]).toBe('busybox:latest');
  });

  it('filters by tag, id prefix, container, and the words dangling and unused', () => {
    const items = toImageItems([web, dangling, base]);
    const match = (filter: string) => items.filter((i) => matchesResourceFilter(i, filter)).map((i) => resourceCell('name', i, NOW));
    expect(match('busy')).toEqual(['busybox:latest']);
    expect(match('sha256:222')).toEqual(['<none> dangling']);
    expect(match('web-1')).toEqual(['shop/web:1.0', 'shop/web:latest']);
    // One row per tag: a tag leaves the image's other tags out (Podman's localhost/x beside x).
    expect(match('web:latest')).toEqual(['shop/web:latest']);
    expect(match('dangling')).toEqual(['<none> dangling']);
    expect(match('unused')).toEqual(['<none> dangling', 'busybox:latest']);
  });

  it('marks the sorted column in its title and fits 53 columns', () => {
    const columns = resourceColumns('images', 53, defaultSort('images'));
    expect(columns.map((c) => c.title)).toEqual(['REPOSITORY:TAG', 'IMAGE ID', 'SIZE', 'USED', 'AGE▼']);
    expect(columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1).toBe(53);
  });

  it('counts images once however many tags they have', () => {
    expect(resourceCounts('images', toImageItems([web, dangling]))).toBe('2 images · 1 dangling');
  });
});

describe('volume and network rows', () => {
  const anon = volume({ name: 'a'.repeat(64), anonymous: true, size: -1 });
  const data = volume({ name: 'pgdata', size: 120_000_000, usedBy: [{ id: 'c2', name: 'db-1' }] });

  it('shows kind, unknown size and who uses a volume', () => {
    const [a, d] = toVolumeItems([anon, data]);
    if (!a || !d) throw new Error('no items');
    expect(resourceCell('kind', a, NOW)).toBe('anon');
    expect(resourceCell('size', a, NOW)).toBe('?');
    expect(resourceCell('usedBy', a, NOW)).toBe('—');
    expect(resourceCell('usedBy', d, NOW)).toBe('db-1');
    expect(resourceCounts('volumes', [a, d])).toBe('2 volumes · 1 unused');
    expect(shapeResourceItems([a, d], 'anonymous', defaultSort('volumes'))).toEqual([a]);
  });

  it('shows a network subnet and how many containers are attached', () => {
    const [n] = toNetworkItems([network({ subnets: [{ subnet: '172.18.0.0/16', gateway: '172.18.0.1' }], containers: [{ id: 'c', name: 'x', ipv4: '172.18.0.2' }] })]);
    if (!n) throw new Error('no item');
    expect(resourceCell('subnet', n, NOW)).toBe('172.18.0.0/16');
    expect(resourceCell('used', n, NOW)).toBe('1');
  });
});

describe('selection', () => {
  it('follows its row, else stays near where it was', () => {
    const items = toVolumeItems([volume({ name: 'a' }), volume({ name: 'b' }), volume({ name: 'c' })]);
    expect(resourceSelectionIndex(items, 'b', 0)).toBe(1);
    expect(resourceSelectionIndex(items, 'gone', 7)).toBe(2);
    expect(resourceSelectionIndex([], 'b', 0)).toBe(-1);
  });
});

describe('image removal plan', () => {
  const dialog = (partial: Partial<RemoveImageDialog>): RemoveImageDialog =>
    ({ kind: 'removeImage', image: web, tag: 'shop/web:1.0', wholeImage: false, force: false, noprune: false, ...partial });

  it('untags only the selected tag by default, naming the tags the image keeps', () => {
    const plan = planImageRemoval(dialog({}), new Set());
    expect(plan).toMatchObject({ reference: 'shop/web:1.0', deletesImage: false, tags: ['shop/web:1.0'], keeps: ['shop/web:latest'], canChoose: true, warnings: [] });
  });

  it('removes the whole image by id, which needs force with several tags and refuses a running user', () => {
    const plan = planImageRemoval(dialog({ wholeImage: true }), new Set(['c1']));
    expect(plan.reference).toBe('sha256:1111');
    expect(plan.deletesImage).toBe(true);
    expect(plan.warnings.map((w) => w.text)).toEqual([
      'Running web-1 uses it: the engine refuses even with force.',
      '2 tags: removing by id needs force.',
    ]);
  });

  it('removes an image by its only tag, warning about a stopped user until force is on', () => {
    const single = image({ id: 'sha256:4444', tags: ['app:1'], containers: [{ id: 'c9', name: 'old' }] });
    const plan = planImageRemoval(dialog({ image: single, tag: 'app:1' }), new Set());
    expect(plan).toMatchObject({ reference: 'app:1', deletesImage: true, canChoose: false });
    expect(plan.warnings).toEqual([{ text: 'Stopped old uses it: the engine refuses unless force is on.', blocking: true }]);
    expect(planImageRemoval(dialog({ image: single, tag: 'app:1', force: true }), new Set()).warnings[0]?.blocking).toBe(false);
  });

  it('removes a dangling image by id', () => {
    expect(planImageRemoval(dialog({ image: dangling, tag: undefined }), new Set())).toMatchObject({ reference: 'sha256:2222', deletesImage: true, tags: [] });
  });
});
