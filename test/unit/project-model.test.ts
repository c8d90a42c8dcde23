// The projects list without Ink: rows, cells, filter, sort, columns, counts and the selection.
import { describe, expect, it } from 'vitest';
import { COMPOSE_LABELS, composeProjects } from '../../src/engine/compose.js';
import type { ContainerRow } from '../../src/engine/types.js';
import {
  buildProjectItems, configFilesText, DEFAULT_PROJECT_SORT, keyOfProject, nextProjectSort, projectCell, projectCellTone,
  projectColumns, projectCounts, projectSelectionIndex,
} from '../../src/views/project-model.js';
import { makeContainer } from '../support/fake-engine.js';

function replica(project: string, service: string, number: number, state: ContainerRow['state'] = 'running'): ContainerRow {
  return makeContainer({
    name: `${project}-${service}-${number}`,
    state,
    labels: {
      [COMPOSE_LABELS.project]: project,
      [COMPOSE_LABELS.service]: service,
      [COMPOSE_LABELS.containerNumber]: String(number),
      [COMPOSE_LABELS.workingDir]: `/srv/${project}`,
      [COMPOSE_LABELS.configFiles]: `/srv/${project}/docker-compose.yml,/etc/${project}.yml`,
    },
  });
}

const projects = composeProjects([
  replica('shop', 'web', 1), replica('shop', 'web', 2), replica('shop', 'db', 1, 'exited'),
  replica('blog', 'app', 1), replica('blog', 'app', 2),
  replica('wiki', 'app', 1, 'exited'),
]);

const firstCells = (items: ReturnType<typeof buildProjectItems>) => items.map((item) => projectCell('name', item));

describe('buildProjectItems', () => {
  it('lists each project by name, its services under it', () => {
    const items = buildProjectItems(projects, '', DEFAULT_PROJECT_SORT);
    expect(firstCells(items)).toEqual(['blog', '  app', 'shop', '  db', '  web', 'wiki', '  app']);
    expect(items.map((i) => projectCell('running', i))).toEqual(['2/2', '2/2', '2/3', '0/1', '2/2', '0/1', '0/1']);
    expect(items.map((i) => projectCell('services', i))).toEqual(['1', '', '2', '', '', '1', '']);
    expect(projectCell('workingDir', items[2]!)).toBe('/srv/shop');
    expect(projectCell('config', items[2]!)).toBe('docker-compose.yml, /etc/shop.yml');
  });

  it('sorting by what is down puts the projects that need a look first', () => {
    const sort = nextProjectSort(DEFAULT_PROJECT_SORT);
    expect(sort).toEqual({ key: 'down', descending: true });
    const items = buildProjectItems(projects, '', sort).filter((i) => i.kind === 'project');
    expect(firstCells(items)).toEqual(['shop', 'wiki', 'blog']);
    expect(nextProjectSort(sort)).toEqual(DEFAULT_PROJECT_SORT);
  });

  it('/ finds a project by its name, directory, a service or a container', () => {
    const projectsMatching = (filter: string) => firstCells(buildProjectItems(projects, filter, DEFAULT_PROJECT_SORT).filter((i) => i.kind === 'project'));
    expect(projectsMatching('SHOP')).toEqual(['shop']);
    expect(projectsMatching('db')).toEqual(['shop']);
    expect(projectsMatching('blog-app-2')).toEqual(['blog']);
    expect(projectsMatching('/srv/wiki')).toEqual(['wiki']);
    expect(projectsMatching('nothing')).toEqual([]);
  });

  it('keys a project as the containers list and the project logs do; in a fleet with its host', () => {
    expect(keyOfProject({ name: 'shop' })).toBe('shop');
    expect(keyOfProject({ name: 'shop', host: 'a' })).toBe('a/shop');
    const [fleetProject] = composeProjects([{ ...replica('shop', 'web', 1), host: 'a' }]);
    const items = buildProjectItems([fleetProject!], '', DEFAULT_PROJECT_SORT);
    expect(projectCell('name', items[0]!)).toBe('shop @a');
    expect(items.map((i) => i.key)).toEqual(['a/shop', 'a/shop\u0000web']);
  });
});

describe('cells, columns and counts', () => {
  it('colours RUNNING: all up green, some down yellow, none up red', () => {
    const items = buildProjectItems(projects, '', DEFAULT_PROJECT_SORT);
    expect(items.filter((i) => i.kind === 'project').map((i) => projectCellTone('running', i))).toEqual(['ok', 'warning', 'error']);
  });

  it('says config files relative to the working dir when inside it', () => {
    expect(configFilesText({ workingDir: '/srv/shop', configFiles: ['/srv/shop/a.yml', '/srv/shop/sub/b.yml', '/srv/shopping/c.yml'] }))
      .toBe('a.yml, sub/b.yml, /srv/shopping/c.yml');
  });

  it('fits four columns in the 53 of an 80-column terminal, five when wider; the sorted one has an arrow', () => {
    expect(projectColumns(53, DEFAULT_PROJECT_SORT).map((c) => c.title)).toEqual(['PROJECT▲', 'RUNNING', 'SERVICES', 'WORKING DIR']);
    expect(projectColumns(100, { key: 'down', descending: true }).map((c) => c.title)).toEqual(['PROJECT', 'RUNNING▼', 'SERVICES', 'WORKING DIR', 'CONFIG']);
    expect(projectColumns(100, DEFAULT_PROJECT_SORT).reduce((sum, c) => sum + c.width + 1, -1)).toBe(100);
  });

  it('counts projects and running replicas for the header', () => {
    expect(projectCounts(projects)).toBe('3 projects · 4/6 running');
    expect(projectCounts([])).toBe('0 projects · 0/0 running');
  });

  it('keeps the selection on its row, else near where it was', () => {
    const items = buildProjectItems(projects, '', DEFAULT_PROJECT_SORT);
    expect(projectSelectionIndex(items, 'shop', 0)).toBe(2);
    expect(projectSelectionIndex(items, 'gone', 4)).toBe(4);
    expect(projectSelectionIndex(items, 'gone', 99)).toBe(items.length - 1);
    expect(projectSelectionIndex([], 'shop', 3)).toBe(-1);
  });
});
