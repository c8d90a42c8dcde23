import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContainerRow, ContainerState, StatsFigures } from '../../src/engine/types.js';
import {
  cellTone,
  buildListItems,
  cellText,
  chooseColumns,
  matchesFilter,
  nearestContainerIndex,
  scrollOffset,
  type ColumnId,
  type ListItem,
} from '../../src/views/list-model.js';

const MiB = 1024 * 1024;
const CREATED = 1718000000;

function row(name: string, state: ContainerState, extra: Partial<ContainerRow> = {}): ContainerRow {
  return {
    id: createHash('sha256').update(name).digest('hex'),
    name,
    image: 'busybox:latest',
    command: 'sh',
    state,
    status: '',
    health: undefined,
    created: CREATED,
    ports: [],
    labels: {},
    ...extra,
  };
}

function composed(project: string, service: string, state: ContainerState, extra: Partial<ContainerRow> = {}): ContainerRow {
  return row(`${project}-${service}-1`, state, { project, service, ...extra });
}

/** One readable word per item: "[shop 2/3]" for a header, the name for a container. */
function outline(items: readonly ListItem[]): string[] {
  return items.map((item) => (item.kind === 'group' ? `[${item.project} ${item.running}/${item.total}]` : item.row.name));
}

const CONTAINERS: ContainerRow[] = [
  row('zeta', 'running'),
  row('alpha', 'exited', { exitCode: 0 }),
  row('cache', 'paused'),
  row('old', 'created'),
  row('flappy', 'restarting'),
  row('ghost', 'dead'),
  composed('shop', 'worker', 'exited', { exitCode: 137 }),
  composed('shop', 'web', 'running', { image: 'nginx:1.25' }),
  composed('shop', 'db', 'running', { image: 'postgres:16' }),
  composed('batch', 'job', 'exited', { exitCode: 1 }),
];

describe('buildListItems', () => {
  it('puts running first, then by state, with Compose projects as blocks under a header', () => {
    expect(outline(buildListItems(CONTAINERS, { showStopped: true, filter: '' }))).toEqual([
      '[shop 2/3]', 'shop-db-1', 'shop-web-1', 'shop-worker-1',
      'zeta',
      'flappy',
      'cache',
      'old',
      'alpha',
      '[batch 0/1]', 'batch-job-1',
      'ghost',
    ]);
  });

  it('marks project members as grouped and standalone containers as not', () => {
    const items = buildListItems(CONTAINERS, { showStopped: true, filter: '' });
    const grouped = Object.fromEntries(items.flatMap((i) => (i.kind === 'container' ? [[i.row.name, i.grouped]] : [])));
    expect(grouped).toMatchObject({ 'shop-web-1': true, 'batch-job-1': true, zeta: false, ghost: false });
  });

  it('gives every item a distinct key', () => {
    const keys = buildListItems(CONTAINERS, { showStopped: true, filter: '' }).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('hides exited, created and dead containers but keeps paused and restarting ones', () => {
    // The project header still counts the stopped member it no longer lists.
    expect(outline(buildListItems(CONTAINERS, { showStopped: false, filter: '' }))).toEqual([
      '[shop 2/3]', 'shop-db-1', 'shop-web-1',
      'zeta',
      'flappy',
      'cache',
    ]);
  });

  it('places a project whose only live member is paused among the paused', () => {
    const items = buildListItems(
      [row('a', 'running'), composed('lab', 'app', 'paused'), composed('lab', 'cli', 'exited'), row('b', 'paused')],
      { showStopped: true, filter: '' },
    );
    expect(outline(items)).toEqual(['a', 'b', '[lab 0/2]', 'lab-app-1', 'lab-cli-1']);
  });

  it('keeps only what the filter matches, with its project header counting the whole project', () => {
    expect(outline(buildListItems(CONTAINERS, { showStopped: true, filter: 'nginx' }))).toEqual(['[shop 2/3]', 'shop-web-1']);
    expect(outline(buildListItems(CONTAINERS, { showStopped: true, filter: 'shop' }))).toEqual([
      '[shop 2/3]', 'shop-db-1', 'shop-web-1', 'shop-worker-1',
    ]);
  });

  it('gives an empty list for no containers', () => {
    expect(buildListItems([], { showStopped: true, filter: '' })).toEqual([]);
  });
});

describe('matchesFilter', () => {
  const web = composed('shop', 'web', 'running', { image: 'nginx:1.25' });
  const killed = row('batch-runner', 'exited', { exitCode: 137 });

  it.each([
    ['name', web, 'web-1'],
    ['image', web, 'nginx'],
    ['project', web, 'shop'],
    ['service', web, 'web'],
    ['state', web, 'running'],
    ['state and exit code', killed, 'exited (137)'],
    ['exit code alone', killed, '137'],
    ['id prefix', web, web.id.slice(0, 6)],
    ['12-character id', web, web.id.slice(0, 12)],
    ['upper-case text', web, 'NGINX'],
    ['padded text', web, '  shop  '],
  ])('matches on %s', (_what, container, filter) => {
    expect(matchesFilter(container, filter)).toBe(true);
  });

  it('matches an id prefix longer than 12 characters', () => {
    expect(matchesFilter(web, web.id.slice(0, 16))).toBe(true);
    expect(matchesFilter(web, web.id)).toBe(true);
  });

  it('matches everything when the filter is blank', () => {
    expect(matchesFilter(web, '')).toBe(true);
    expect(matchesFilter(web, '   ')).toBe(true);
  });

  it('rejects text found nowhere', () => {
    expect(matchesFilter(web, 'postgres')).toBe(false);
    expect(matchesFilter(web, 'exited')).toBe(false);
    expect(matchesFilter(killed, '143')).toBe(false);
  });
});

describe('nearestContainerIndex', () => {
  const items = buildListItems(CONTAINERS, { showStopped: true, filter: '' });
  const batchHeader = items.findIndex((i) => i.kind === 'group' && i.project === 'batch');

  it('steps off a header downwards', () => {
    expect(nearestContainerIndex(items, 0, 1)).toBe(1);
    expect(nearestContainerIndex(items, batchHeader, 1)).toBe(batchHeader + 1);
  });

  it('steps off a header upwards', () => {
    expect(nearestContainerIndex(items, batchHeader, -1)).toBe(batchHeader - 1);
  });

  it('turns around when nothing selectable lies in the asked direction', () => {
    expect(nearestContainerIndex(items, 0, -1)).toBe(1);
  });

  it('keeps a container index as it is', () => {
    expect(nearestContainerIndex(items, 4, 1)).toBe(4);
    expect(nearestContainerIndex(items, 4, -1)).toBe(4);
  });

  it('clamps an index past either end', () => {
    expect(nearestContainerIndex(items, 99)).toBe(items.length - 1);
    expect(nearestContainerIndex(items, -5)).toBe(1);
  });

  it('returns -1 for an empty list or one without containers', () => {
    expect(nearestContainerIndex([], 0)).toBe(-1);
    expect(nearestContainerIndex([{ kind: 'group', key: 'project:x', project: 'x', running: 0, total: 0 }], 0)).toBe(-1);
  });
});

describe('scrollOffset', () => {
  it('is 0 when everything fits', () => {
    expect(scrollOffset(5, 9, 10, 10)).toBe(0);
  });

  it('keeps the window while the selection is inside it', () => {
    expect(scrollOffset(10, 10, 10, 100)).toBe(10);
    expect(scrollOffset(10, 19, 10, 100)).toBe(10);
  });

  it('moves down just enough to show a selection below', () => {
    expect(scrollOffset(10, 20, 10, 100)).toBe(11);
    expect(scrollOffset(0, 55, 10, 100)).toBe(46);
  });

  it('moves up just enough to show a selection above', () => {
    expect(scrollOffset(10, 9, 10, 100)).toBe(9);
    expect(scrollOffset(50, 0, 10, 100)).toBe(0);
  });

  it('pulls the window back when the list shrinks', () => {
    expect(scrollOffset(90, 25, 10, 30)).toBe(20);
    expect(scrollOffset(90, 29, 10, 30)).toBe(20);
  });

  it('is 0 for a zero height', () => {
    expect(scrollOffset(7, 20, 0, 100)).toBe(0);
  });

  it('always keeps the selection visible', () => {
    for (let selected = 0; selected < 40; selected++) {
      for (const previous of [0, 5, 20, 35]) {
        const offset = scrollOffset(previous, selected, 7, 40);
        expect(selected).toBeGreaterThanOrEqual(offset);
        expect(selected).toBeLessThan(offset + 7);
      }
    }
  });
});

describe('chooseColumns', () => {
  const DISPLAY_ORDER: ColumnId[] = ['name', 'state', 'health', 'image', 'ports', 'age', 'cpu', 'memory'];

  it('fills the width exactly, always with the name, in display order, from 20 to 250 columns', () => {
    for (let width = 20; width <= 250; width++) {
      const columns = chooseColumns(width);
      const ids = columns.map((c) => c.id);
      expect(ids, `width ${width}`).toContain('name');
      expect(columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1, `width ${width}`).toBe(width);
      expect(ids, `width ${width}`).toEqual(DISPLAY_ORDER.filter((id) => ids.includes(id)));
    }
  });

  it('shows every column at 100 columns', () => {
    expect(chooseColumns(100).map((c) => c.id)).toEqual(DISPLAY_ORDER);
  });

  it('keeps the name and state at 31 columns', () => {
    // STATE is wide enough for "exited (137) OOM".
    expect(chooseColumns(31).map((c) => [c.id, c.width])).toEqual([['name', 14], ['state', 16]]);
  });

  it('aligns figures right and text left', () => {
    const align = Object.fromEntries(chooseColumns(120).map((c) => [c.id, c.align]));
    expect(align).toEqual({
      name: 'left', state: 'left', health: 'left', image: 'left', ports: 'left',
      age: 'right', cpu: 'right', memory: 'right',
    });
  });

  it('gives extra width only to name, image and ports', () => {
    const narrow = Object.fromEntries(chooseColumns(100).map((c) => [c.id, c.width]));
    const wide = Object.fromEntries(chooseColumns(200).map((c) => [c.id, c.width]));
    for (const id of ['state', 'health', 'age', 'cpu', 'memory']) expect(wide[id], id).toBe(narrow[id]);
    for (const id of ['name', 'image', 'ports']) expect(wide[id]!, id).toBeGreaterThan(narrow[id]!);
  });
});

describe('cellText', () => {
  const nowMs = (CREATED + 3 * 3600) * 1000;
  const stats: StatsFigures = { cpuPercent: 12.5, memoryUsed: 80 * MiB, memoryLimit: 512 * MiB, memoryPercent: 15.625, pids: 4 };
  const context = { grouped: false, stats: undefined, nowMs, pending: undefined };
  const web = composed('shop', 'web', 'running', { health: 'healthy' });

  it('shows a failing or starting health check in STATE when no HEALTH column is on screen', () => {
    const sick = row('sick', 'running', { health: 'unhealthy' });
    expect(cellText('state', sick, { ...context, healthInState: true })).toBe('unhealthy');
    expect(cellText('state', row('boot', 'running', { health: 'starting' }), { ...context, healthInState: true })).toBe('starting');
    expect(cellText('state', web, { ...context, healthInState: true })).toBe('running');
    expect(cellText('state', sick, context)).toBe('running');
  });

  it('shortens a grouped Compose name under its project', () => {
    expect(cellText('name', web, { ...context, grouped: true })).toBe('  web-1');
  });

  it('shortens a Compose v1 name with an underscore', () => {
    expect(cellText('name', row('shop_web_1', 'running', { project: 'shop' }), { ...context, grouped: true })).toBe('  web_1');
  });

  it('indents a grouped name that does not start with the project', () => {
    expect(cellText('name', row('custom', 'running', { project: 'shop' }), { ...context, grouped: true })).toBe('  custom');
  });

  it('keeps the full name outside a group', () => {
    expect(cellText('name', web, context)).toBe('shop-web-1');
  });

  it('shows the state with its exit code', () => {
    expect(cellText('state', row('x', 'exited', { exitCode: 137 }), context)).toBe('exited (137)');
    expect(cellText('state', web, context)).toBe('running');
  });

  it('shows pending text in place of the state', () => {
    expect(cellText('state', web, { ...context, pending: 'stopping…' })).toBe('stopping…');
  });

  it('shows health, image and age', () => {
    expect(cellText('health', web, context)).toBe('healthy');
    expect(cellText('health', row('x', 'running'), context)).toBe('');
    expect(cellText('image', web, context)).toBe('busybox:latest');
    expect(cellText('age', web, context)).toBe('3h');
  });

  it('shows published ports', () => {
    const ported = row('x', 'running', { ports: [{ privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' }] });
    expect(cellText('ports', ported, context)).toBe('0.0.0.0:8080->80/tcp');
  });

  it('shows CPU and memory for a running container', () => {
    expect(cellText('cpu', web, { ...context, stats })).toBe('12.50%');
    expect(cellText('memory', web, { ...context, stats })).toBe('80MiB');
  });

  it('leaves CPU and memory empty before the first sample', () => {
    expect(cellText('cpu', web, context)).toBe('');
    expect(cellText('memory', web, context)).toBe('');
  });

  it.each<ContainerState>(['exited', 'paused', 'created', 'restarting', 'dead'])(
    'leaves CPU and memory empty for a %s container, even with figures',
    (state) => {
      const container = row('x', state);
      expect(cellText('cpu', container, { ...context, stats })).toBe('');
      expect(cellText('memory', container, { ...context, stats })).toBe('');
    },
  );
});

describe('cellTone', () => {
  it('marks a failed exit and an unhealthy check as errors, a running container and a healthy check as ok', () => {
    expect(cellTone('state', 'exited (137)', row('dead', 'exited', { exitCode: 137 }))).toBe('error');
    expect(cellTone('state', 'exited (0)', row('done', 'exited', { exitCode: 0 }))).toBe('dim');
    expect(cellTone('state', 'running', row('up', 'running'))).toBe('ok');
    expect(cellTone('state', 'unhealthy', row('sick', 'running', { health: 'unhealthy' }))).toBe('error');
    expect(cellTone('health', 'healthy', row('fine', 'running', { health: 'healthy' }))).toBe('ok');
    expect(cellTone('health', 'starting', row('boot', 'running', { health: 'starting' }))).toBe('warning');
    expect(cellTone('image', 'busybox', row('up', 'running'))).toBeUndefined();
  });
});
