// What the disk usage view (D) shows, as lines: the `docker system df` table, a prune preview,
// and what a prune did. Pure, so every screen is tested without Ink; each screen is exactly the
// lines on screen, its long list cut to the visible window before anything is formatted.
import type { PlanOutcome } from '../engine/prune.js';
import type { DiskUsage, PruneCategory, PrunePreview, UsageFigures } from '../engine/resource-types.js';
import { formatDecimalBytes, pad, plural, truncate } from './format.js';
import { hintLine, type HintEntry } from './keymap.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';

export type DiskTarget = PruneCategory | 'everything';

/** The table's rows in `docker system df` order, networks after (df does not measure them), then all at once. */
export const DISK_ROWS: ReadonlyArray<{ target: DiskTarget; label: string }> = [
  { target: 'images', label: 'Images' },
  { target: 'containers', label: 'Containers' },
  { target: 'volumes', label: 'Local Volumes' },
  { target: 'buildCache', label: 'Build Cache' },
  { target: 'networks', label: 'Networks' },
  { target: 'everything', label: 'Everything (P)' },
];

const CATEGORY_TITLES: Record<PruneCategory, string> = {
  containers: 'Containers',
  networks: 'Networks',
  volumes: 'Local volumes',
  images: 'Images',
  buildCache: 'Build cache',
};

export interface DiskScreen {
  /** Exactly the lines to draw, at most the screen's height. */
  lines: PaneLine[];
  /** How far the list can scroll, and by how much a page moves it. */
  maxScroll: number;
  pageSize: number;
}

/** A list of `length` entries formatted only when visible. */
interface Body {
  length: number;
  line(index: number): PaneLine;
}

/** Which entries of a body of `length` show in `room` lines from `scroll`, kept within the body. */
function bodyWindow(length: number, room: number, scroll: number): { offset: number; end: number; pageSize: number; maxScroll: number } {
  const pageSize = Math.max(1, room);
  const maxScroll = Math.max(0, length - pageSize);
  const offset = Math.min(Math.max(0, scroll), maxScroll);
  return { offset, end: Math.min(length, offset + pageSize), pageSize, maxScroll };
}

/** Head, then the window of the body from `scroll`, then the foot at the bottom: `height` lines, each cut to `width`. */
function layoutScreen(head: readonly PaneLine[], body: Body, foot: readonly PaneLine[], scroll: number, size: { width: number; height: number }): DiskScreen {
  const { width, height } = size;
  const { offset, end, pageSize, maxScroll } = bodyWindow(body.length, height - head.length - foot.length, scroll);
  const lines = [...head];
  for (let i = offset; i < end; i++) lines.push(body.line(i));
  while (lines.length < height - foot.length) lines.push({ text: '' });
  lines.push(...foot);
  return { lines: lines.slice(0, Math.max(0, height)).map((line) => ({ ...line, text: truncate(line.text, width) })), maxScroll, pageSize };
}

const listBody = (lines: readonly PaneLine[]): Body => ({ length: lines.length, line: (i) => lines[i] ?? { text: '' } });

/** "1.2GB (45%)" as `docker system df` prints it: the share of the size, rounded down. */
export function formatReclaimable(figures: Pick<UsageFigures, 'size' | 'reclaimable'>): string {
  const bytes = formatDecimalBytes(figures.reclaimable);
  return figures.size > 0 ? `${bytes} (${Math.floor((figures.reclaimable * 100) / figures.size)}%)` : bytes;
}

const MARKER_WIDTH = 2;
const TYPE_WIDTH = 15;
const COUNT_WIDTH = 8;
const SIZE_WIDTH = 10;

function tableRow(cells: readonly [string, string, string, string, string], width: number): string {
  const [type, total, active, size, reclaimable] = cells;
  const fixed = TYPE_WIDTH + 2 * COUNT_WIDTH + SIZE_WIDTH;
  return pad(type, TYPE_WIDTH) + pad(total, COUNT_WIDTH) + pad(active, COUNT_WIDTH) + pad(size, SIZE_WIDTH)
    + truncate(reclaimable, Math.max(0, width - MARKER_WIDTH - fixed));
}

export interface TableInput {
  usage: DiskUsage | undefined;
  /** Networks are not in /system/df: counted from the network list (active: with an endpoint). */
  networks: { count: number; active: number } | undefined;
  /** Why the engine has no build cache at all (Podman), said in its row instead of zeros. */
  noBuildCache?: string;
  selected: number;
  measuring: boolean;
  error: string | undefined;
  width: number;
  height: number;
}

function figuresOf(usage: DiskUsage, target: DiskTarget): UsageFigures | undefined {
  switch (target) {
    case 'images': return usage.images;
    case 'containers': return usage.containers;
    case 'volumes': return usage.volumes;
    case 'buildCache': return usage.buildCache;
    default: return undefined;
  }
}

/** The `docker system df` table with a selected row, networks, and "Everything" last. */
export function usageTableScreen({ usage, networks, noBuildCache, selected, measuring, error, width, height }: TableInput): DiskScreen {
  const head: PaneLine[] = [{ text: measuring ? 'Disk usage: measuring… (the engine adds up every layer and volume)' : 'Disk usage', tone: 'title' }];
  const rows: PaneLine[] = [{ text: ' '.repeat(MARKER_WIDTH) + tableRow(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], width), tone: 'dim' }];
  DISK_ROWS.forEach(({ target, label }, index) => {
    const figures = usage ? figuresOf(usage, target) : undefined;
    const cells: [string, string, string, string, string] = target === 'buildCache' && noBuildCache
      ? [label, '-', '-', '-', noBuildCache]
      : figures
      ? [label, String(figures.count), String(figures.active), formatDecimalBytes(figures.size), formatReclaimable(figures)]
      : target === 'networks' && networks
        ? [label, String(networks.count), String(networks.active), '-', '-']
        : [label, '', '', '', ''];
    const chosen = index === selected;
    rows.push({ text: (chosen ? '▸ ' : '  ') + tableRow(cells, width), ...(chosen ? { tone: 'title' as const } : {}) });
  });
  const foot: PaneLine[] = error ? wrapPaneLines([{ text: error, tone: 'error' }], width) : [];
  return layoutScreen(head, listBody(rows), foot, 0, { width, height });
}

export interface PreviewInput {
  target: DiskTarget;
  /** What the person asked for with `a`: every unused image, named volumes too. */
  all: boolean;
  /** undefined while the preview is being built */
  plan: PrunePreview[] | undefined;
  /** The engine's API prunes named volumes whatever is asked (below 1.42). */
  namedVolumesAlways: boolean;
  /** The engine changed between the preview shown and `y`: this plan is the fresh one. */
  changed: boolean;
  /** Deleting now: the key line says so instead. */
  deleting: boolean;
  error: string | undefined;
  scroll: number;
  width: number;
  height: number;
}

/** What `a` switches to, and whether it changes anything at all. */
export function toggleMeaning(target: DiskTarget, all: boolean, namedVolumesAlways: boolean): { label: string; changes: boolean } | undefined {
  switch (target) {
    case 'images':
      return { label: all ? 'dangling only' : 'every unused image', changes: true };
    case 'volumes':
      return namedVolumesAlways
        ? { label: 'no difference below API 1.42', changes: false }
        : { label: all ? 'anonymous only' : 'named ones too', changes: true };
    case 'everything': {
      const volumes = namedVolumesAlways ? '' : all ? ', anonymous volumes' : ', named volumes';
      return { label: (all ? 'dangling images' : 'every unused image') + volumes, changes: true };
    }
    default:
      return undefined;
  }
}

function previewTitle(target: DiskTarget, all: boolean, namedVolumes: boolean): string {
  const images = all ? 'every unused image' : 'dangling images only';
  switch (target) {
    case 'images': return `Prune images: ${images}`;
    case 'volumes': return `Prune volumes: ${namedVolumes ? 'unused, named ones too' : 'unused anonymous ones only'}`;
    case 'containers': return 'Prune containers: every stopped one';
    case 'networks': return 'Prune networks: unused ones';
    case 'buildCache': return 'Prune build cache: unused records';
    case 'everything': return `Prune everything: ${images}, ${namedVolumes ? 'named volumes too' : 'anonymous volumes only'}`;
  }
}

/**
 * The engine's rules for each category, the warnings first: a category whose rule is wider than
 * what was asked (named volumes below API 1.42) comes first and in yellow, so it is on screen
 * however long the list. With several categories, only those with something to delete speak.
 */
function noteLines(plan: readonly PrunePreview[], all: boolean, width: number): PaneLine[] {
  const several = plan.length > 1;
  const speaking = several ? plan.filter((p) => p.items.length > 0) : plan;
  const wider = (p: PrunePreview) => p.category === 'volumes' && p.all && !all;
  const ordered = [...speaking.filter(wider), ...speaking.filter((p) => !wider(p))];
  return wrapPaneLines(ordered.flatMap((p) => p.notes.map((note): PaneLine => ({
    text: several ? `${CATEGORY_TITLES[p.category]}: ${note}` : note,
    tone: wider(p) ? 'warning' : 'dim',
  }))), width);
}

/** Notes may take at most half of what is left, so the list always shows; the cut says so. */
function capped(lines: PaneLine[], room: number): PaneLine[] {
  if (lines.length <= room) return lines;
  const kept = lines.slice(0, Math.max(0, room));
  const last = kept.at(-1);
  if (last) kept[kept.length - 1] = { ...last, text: `${last.text.replace(/.$/u, '')}…` };
  return kept;
}

type Entry = { kind: 'header'; preview: PrunePreview } | { kind: 'item'; preview: PrunePreview; index: number };

function itemLine(preview: PrunePreview, index: number, width: number): PaneLine {
  const item = preview.items[index];
  if (!item) return { text: '' };
  // Networks take no space of their own: no size rather than a misleading 0B.
  const size = preview.category === 'networks' ? '' : formatDecimalBytes(item.size);
  return { text: `  ${pad(item.name, Math.max(1, width - 2 - 1 - SIZE_WIDTH))} ${pad(size, SIZE_WIDTH, 'right')}` };
}

function headerLine(preview: PrunePreview): PaneLine {
  const what = preview.items.length === 0 ? 'nothing' : `${plural(preview.items.length, 'item')}, ${formatDecimalBytes(preview.total)}`;
  return { text: `${CATEGORY_TITLES[preview.category]}: ${what}`, tone: 'title' };
}

/** Every item of the plan with its size; with several categories, each under a header of its own. */
function planBody(plan: readonly PrunePreview[], width: number): Body {
  const entries: Entry[] = [];
  for (const preview of plan) {
    if (plan.length > 1) entries.push({ kind: 'header', preview });
    preview.items.forEach((_, index) => entries.push({ kind: 'item', preview, index }));
  }
  return {
    length: entries.length,
    line: (i) => {
      const entry = entries[i];
      if (!entry) return { text: '' };
      return entry.kind === 'header' ? headerLine(entry.preview) : itemLine(entry.preview, entry.index, width);
    },
  };
}

/** The preview: title, the engine's rules, every item with its size, the total, and the keys. */
export function previewScreen(input: PreviewInput): DiskScreen {
  const { target, all, plan, namedVolumesAlways, changed, deleting, error, scroll, width, height } = input;
  const namedVolumes = all || namedVolumesAlways;
  const head: PaneLine[] = wrapPaneLines([{ text: previewTitle(target, all, namedVolumes), tone: 'title' }], width);
  if (changed) {
    head.push(...wrapPaneLines([{ text: 'The engine changed since the preview: this is the fresh list; y deletes these', tone: 'warning' }], width));
  }
  if (error) head.push(...wrapPaneLines([{ text: error, tone: 'error' }], width));
  if (!plan) {
    return layoutScreen(head, listBody([{ text: 'Listing what would be deleted…', tone: 'dim' }]), [], 0, { width, height });
  }
  const count = plan.reduce((sum, p) => sum + p.items.length, 0);
  const total = plan.reduce((sum, p) => sum + p.total, 0);
  const toggle = toggleMeaning(target, all, namedVolumesAlways);
  const keys = [
    ...(count > 0 ? ['y delete these'] : []),
    ...(toggle ? [`a ${toggle.label}`] : []),
    count > 0 ? 'n/Esc cancel' : 'n/Esc back',
  ].join(' · ');
  const footHeight = count > 0 ? 2 : 1;
  head.push(...capped(noteLines(plan, all, width), Math.floor((height - head.length - footHeight) / 2)));
  if (count === 0) {
    return layoutScreen(head, listBody([{ text: 'Nothing to prune' }]), [{ text: keys, tone: 'title' }], 0, { width, height });
  }
  const body = planBody(plan, width);
  const shown = bodyWindow(body.length, height - head.length - footHeight, scroll);
  const where = shown.maxScroll > 0 ? `  (${shown.offset + 1}-${shown.end} of ${body.length}, j/k scroll)` : '';
  const foot: PaneLine[] = [
    { text: `${plural(count, 'item')}, ${formatDecimalBytes(total)} to free${where}`, tone: 'title' },
    deleting ? { text: 'Deleting… each item is checked again just before it goes', tone: 'warning' } : { text: keys, tone: 'title' },
  ];
  return layoutScreen(head, body, foot, scroll, { width, height });
}

export interface ResultInput {
  target: DiskTarget;
  outcome: Extract<PlanOutcome, { status: 'done' }>;
  scroll: number;
  width: number;
  height: number;
}

/** What the prune did: how many went, what it reclaimed, and each item it left with the reason. */
export function resultScreen({ target, outcome, scroll, width, height }: ResultInput): DiskScreen {
  const deleted = outcome.results.reduce((sum, { result }) => sum + result.deleted.length, 0);
  const listed = outcome.results.reduce((sum, { result }) => sum + result.deleted.length + result.skipped.length, 0);
  const head: PaneLine[] = [
    { text: target === 'everything' ? 'Pruned everything' : `Pruned ${CATEGORY_TITLES[target].toLowerCase()}`, tone: 'title' },
    { text: `Deleted ${deleted} of ${plural(listed, 'item')} · Reclaimed ${formatDecimalBytes(outcome.reclaimed)}`, tone: 'ok' },
  ];
  const body: PaneLine[] = [];
  for (const { category, result } of outcome.results) {
    if (outcome.results.length > 1) {
      body.push({ text: `${CATEGORY_TITLES[category]}: ${result.deleted.length} deleted, ${formatDecimalBytes(result.reclaimed)}` });
    }
    for (const { item, reason } of result.skipped) body.push({ text: `  skipped ${item.name}: ${reason}`, tone: 'warning' });
  }
  if (outcome.results.every(({ result }) => result.skipped.length === 0)) body.push({ text: 'Nothing was skipped.', tone: 'dim' });
  return layoutScreen(head, listBody(wrapPaneLines(body, width)), [{ text: 'Esc/Enter back to disk usage (measures again)', tone: 'title' }], scroll, { width, height });
}

export type DiskMode = 'table' | 'preview' | 'deleting' | 'result';

/** The bottom line's key hints; the preview's own keys are on its last line. */
export function diskHints(mode: DiskMode): string {
  const always: HintEntry[] = [['help', 'help'], ['quit', 'quit']];
  switch (mode) {
    case 'table':
      return hintLine(['disk', 'global'], [
        ...always, [['down', 'up'], 'choose'], ['pruneCategory', 'preview prune'], ['pruneEverything', 'all'], ['refreshDisk', 'measure'], ['closeDisk', 'back'],
      ]);
    case 'preview':
      return hintLine(['prune', 'global'], [
        ...always, [['down', 'up', 'pageUp', 'pageDown'], 'scroll'], ['confirmYes', 'delete'], ['toggleAllUnused', 'toggle'], ['confirmNo', 'cancel'],
      ]);
    case 'deleting': return `${hintLine(['global'], always)} · deleting…`;
    case 'result': return hintLine(['prune', 'global'], [...always, [['down', 'up'], 'scroll'], ['confirmNo', 'back']]);
  }
}
