// Pure shaping of the Compose projects list (5): a row per project with a row per service under
// it, the `/` filter, the sort, the columns that fit and each cell's text.
import { relative, isAbsolute } from 'node:path';
import type { ComposeProject, ComposeService } from '../engine/compose.js';
import type { ContainerRow } from '../engine/types.js';
import { plural } from './format.js';
import { fitColumns, projectKey, type Column, type ColumnSpec } from './list-model.js';
import type { Role } from './theme.js';

export type ProjectItem =
  | { kind: 'project'; key: string; project: ComposeProject }
  | { kind: 'service'; key: string; project: ComposeProject; service: ComposeService };

export type ProjectColumnId = 'name' | 'running' | 'services' | 'workingDir' | 'config';

/** name: A to Z; down: the most replicas not running first, so what needs a look is on top. */
export type ProjectSortKey = 'name' | 'down';

export interface ProjectSort {
  key: ProjectSortKey;
  descending: boolean;
}

export const DEFAULT_PROJECT_SORT: ProjectSort = { key: 'name', descending: false };

const SORT_KEYS: readonly ProjectSortKey[] = ['name', 'down'];
const SORT_COLUMN: Record<ProjectSortKey, ProjectColumnId> = { name: 'name', down: 'running' };

/** The next sort key, in its natural direction. */
export function nextProjectSort(sort: ProjectSort): ProjectSort {
  const key = SORT_KEYS[(SORT_KEYS.indexOf(sort.key) + 1) % SORT_KEYS.length] ?? 'name';
  return { key, descending: key === 'down' };
}

// In order of importance (see fitColumns): at 80 columns the list is 53 wide and shows four.
const COLUMN_SPECS: readonly ColumnSpec<ProjectColumnId>[] = [
  { id: 'name', title: 'PROJECT', min: 14, grow: 2, align: 'left' },
  { id: 'running', title: 'RUNNING', min: 8, grow: 0, align: 'right' },
  { id: 'services', title: 'SERVICES', min: 8, grow: 0, align: 'right' },
  { id: 'workingDir', title: 'WORKING DIR', min: 12, grow: 3, align: 'left' },
  { id: 'config', title: 'CONFIG', min: 12, grow: 2, align: 'left' },
];

const DISPLAY_ORDER: readonly ProjectColumnId[] = ['name', 'running', 'services', 'workingDir', 'config'];

/** The columns that fit, the sorted one's title carrying ▲ or ▼. */
export function projectColumns(width: number, sort: ProjectSort): Column<ProjectColumnId>[] {
  const sorted = SORT_COLUMN[sort.key];
  return fitColumns(COLUMN_SPECS, DISPLAY_ORDER, width).map((column) =>
    column.id === sorted ? { ...column, title: `${column.title}${sort.descending ? '▼' : '▲'}` } : column,
  );
}

/** The key the containers list and the project logs know a project by (per host in a fleet). */
export function keyOfProject(project: Pick<ComposeProject, 'name' | 'host'>): string {
  return projectKey({ project: project.name, ...(project.host ? { host: project.host } : {}) }) ?? project.name;
}

/** What a person calls the project: its name, and in a fleet where it runs. */
export function projectTitle(project: Pick<ComposeProject, 'name' | 'host'>): string {
  return project.host ? `${project.name} @${project.host}` : project.name;
}

/** What a row's actions act on: all the project's containers, or the service's. */
export function itemContainers(item: ProjectItem): ContainerRow[] {
  return item.kind === 'project' ? item.project.containers : item.service.containers.map((c) => c.row);
}

/** "project shop", "service web of shop": what dialogs and messages name. */
export function itemTitle(item: ProjectItem): string {
  return item.kind === 'project' ? `project ${projectTitle(item.project)}` : `service ${item.service.name} of ${projectTitle(item.project)}`;
}

/** Config files as short as they can be said: relative to the working dir when inside it. */
export function configFilesText(project: Pick<ComposeProject, 'workingDir' | 'configFiles'>): string {
  return project.configFiles.map((file) => {
    if (!project.workingDir) return file;
    const inside = relative(project.workingDir, file);
    return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
  }).join(', ');
}

/** A row's cell text, before padding. */
export function projectCell(column: ProjectColumnId, item: ProjectItem): string {
  const counted = item.kind === 'project' ? item.project : item.service;
  switch (column) {
    case 'name': return item.kind === 'project' ? projectTitle(item.project) : `  ${item.service.name}`;
    case 'running': return `${counted.running}/${counted.total}`;
    case 'services': return item.kind === 'project' ? String(item.project.services.length) : '';
    case 'workingDir': return item.kind === 'project' ? item.project.workingDir ?? '?' : '';
    case 'config': return item.kind === 'project' ? configFilesText(item.project) : '';
  }
}

/** RUNNING at a glance: all up ok, some down a warning, none up an error. */
export function projectCellTone(column: ProjectColumnId, item: ProjectItem): Role | undefined {
  if (column === 'name') return item.kind === 'project' ? 'heading' : undefined;
  if (column !== 'running') return undefined;
  const { running, total } = item.kind === 'project' ? item.project : item.service;
  if (total === 0) return 'dim';
  return running === total ? 'ok' : running === 0 ? 'error' : 'warning';
}

/** What `/` matches: the project, its host, directory and files, its services and containers. */
export function matchesProjectFilter(project: ComposeProject, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [
    project.name, project.host ?? '', project.workingDir ?? '', ...project.configFiles,
    ...project.services.map((s) => s.name), ...project.containers.map((c) => c.name),
  ];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

const notRunning = (project: ComposeProject) => project.total - project.running;

/** Projects filtered and sorted (ties by name), each followed by its services. */
export function buildProjectItems(projects: readonly ComposeProject[], filter: string, sort: ProjectSort): ProjectItem[] {
  const direction = sort.descending ? -1 : 1;
  const byName = (a: ComposeProject, b: ComposeProject) => projectTitle(a).localeCompare(projectTitle(b));
  const primary = sort.key === 'name' ? byName : (a: ComposeProject, b: ComposeProject) => notRunning(a) - notRunning(b);
  return projects
    .filter((project) => matchesProjectFilter(project, filter))
    .sort((a, b) => direction * primary(a, b) || byName(a, b))
    .flatMap((project): ProjectItem[] => {
      const key = keyOfProject(project);
      return [
        { kind: 'project', key, project },
        ...project.services.map((service): ProjectItem => ({ kind: 'service', key: `${key}\u0000${service.name}`, project, service })),
      ];
    });
}

/** The header's count: "3 projects · 7/9 running" (replicas; one-off containers aside). */
export function projectCounts(projects: readonly ComposeProject[]): string {
  const running = projects.reduce((sum, p) => sum + p.running, 0);
  const total = projects.reduce((sum, p) => sum + p.total, 0);
  return `${plural(projects.length, 'project')} · ${running}/${total} running`;
}

/** The selected row wherever it moved; when it is gone, the row nearest to where it was. */
export function projectSelectionIndex(items: readonly ProjectItem[], selectedKey: string | undefined, lastIndex: number): number {
  const found = items.findIndex((item) => item.key === selectedKey);
  if (found >= 0 || items.length === 0) return found;
  return Math.min(Math.max(0, lastIndex), items.length - 1);
}
