// The pull/push progress view as lines, laid out for the rows on screen: pure, so the layout is
// tested without Ink. One line per layer, the overall bytes, then the outcome; the outcome and
// the overall line always stay on screen, layers give way first.
import path from 'node:path';
import type { BuildOutcome } from '../engine/build.js';
import { overallBytes, type LayerPhase, type LayerProgress, type TransferState } from '../engine/pull-progress.js';
import { displayWidth, formatDecimalBytes, pad, plural, shortId, wrapText } from './format.js';
import type { PaneLine } from './pane-lines.js';
import type { RunWords } from './project-lines.js';

export interface TransferView {
  /** What the user asked for, as typed or as listed */
  reference: string;
  state: TransferState;
  /** Esc was pressed and the engine has not ended the stream yet */
  cancelling: boolean;
}

/** `docker pull`/`docker push`'s words for each phase; mounted and retrying keep the engine's own. */
const PHASE_WORDS: Record<LayerPhase, string | undefined> = {
  waiting: 'waiting',
  downloading: 'downloading',
  verifying: 'verifying',
  downloaded: 'download complete',
  extracting: 'extracting',
  complete: 'pull complete',
  exists: 'already exists',
  uploading: 'pushing',
  pushed: 'pushed',
  mounted: undefined,
  retrying: undefined,
};
const PHASE_WIDTH = Math.max(...Object.values(PHASE_WORDS).map((word) => word?.length ?? 0));
const ID_WIDTH = 12;
/** A bar narrower than this says nothing: the bytes alone are shown. */
const MIN_BAR = 6;
const MAX_BAR = 40;

/** `[=====>      ]`, as the CLI draws it (plain ASCII, so every terminal and theme shows it). */
export function progressBar(current: number, total: number, width: number): string {
  const inside = width - 2;
  const filled = total > 0 ? Math.min(inside, Math.floor((inside * Math.min(current, total)) / total)) : 0;
  const head = filled > 0 && filled < inside ? `${'='.repeat(filled - 1)}>` : '='.repeat(filled);
  return `[${head}${' '.repeat(inside - filled)}]`;
}

/** "bar 1.2MB/3.4MB" in `width` columns, the bar dropped when there is no room for it. */
function bytesCell(current: number, total: number, width: number): string {
  const bytes = `${formatDecimalBytes(current)}/${formatDecimalBytes(total)}`;
  const barWidth = Math.min(MAX_BAR, width - displayWidth(bytes) - 1);
  return barWidth >= MIN_BAR ? `${progressBar(current, total, barWidth)} ${bytes}` : bytes;
}

function layerLine(layer: LayerProgress, width: number): PaneLine {
  const phase = PHASE_WORDS[layer.phase] ?? layer.status;
  const start = `${pad(layer.id.slice(0, ID_WIDTH), ID_WIDTH)}  ${pad(phase, PHASE_WIDTH)}`;
  const bytes = layer.current !== undefined && layer.total !== undefined && layer.total > 0
    ? `  ${bytesCell(layer.current, layer.total, width - displayWidth(start) - 2)}`
    : '';
  const finished = layer.phase === 'complete' || layer.phase === 'exists' || layer.phase === 'pushed' || layer.phase === 'mounted';
  return { text: `${start}${bytes}`.trimEnd(), ...(finished ? { tone: 'dim' as const } : {}) };
}

function outcomeLines(view: TransferView, width: number): PaneLine[] {
  const { state } = view;
  const verb = state.kind === 'pull' ? 'pull' : 'push';
  const outcome = state.outcome;
  if (outcome === undefined) {
    return [{ text: view.cancelling ? `Cancelling the ${verb}…` : `Esc cancels the ${verb}`, tone: 'dim' }];
  }
  switch (outcome.kind) {
    case 'done':
      return [{ text: `${state.kind === 'pull' ? 'Pulled' : 'Pushed'} ${view.reference}${outcome.digest ? `, digest ${outcome.digest}` : ''}`, tone: 'ok' }];
    case 'cancelled':
      return [{ text: `Cancelled: the ${verb} was stopped`, tone: 'warning' }];
    case 'failed': {
      const { message, hint } = outcome.error;
      return [
        ...wrapText(`The ${verb} failed: ${message}`, width, 3).map((text): PaneLine => ({ text, tone: 'error' })),
        ...(hint ? [{ text: `To fix: ${hint}` }] : []),
      ];
    }
  }
}

/**
 * At most `room` layer lines, in the engine's order: the layers still moving matter most, so
 * finished ones give way first, and a last line counts those not shown.
 */
function fitLayers(lines: readonly PaneLine[], room: number): PaneLine[] {
  if (lines.length <= room) return [...lines];
  if (room === 0) return [];
  const byInterest = lines.map((line, index) => ({ line, index })).sort((a, b) => Number(a.line.tone === 'dim') - Number(b.line.tone === 'dim'));
  const kept = byInterest.slice(0, room - 1).sort((a, b) => a.index - b.index).map(({ line }) => line);
  return [...kept, { text: `… and ${lines.length - kept.length} more`, tone: 'dim' }];
}

/** The view in at most `height` lines, none wider than `width` once ScrollPane cuts them. */
export function transferLines(view: TransferView, width: number, height: number): PaneLine[] {
  const { state } = view;
  const title: PaneLine = { text: `${state.kind === 'pull' ? 'Pulling' : 'Pushing'} ${view.reference}`, tone: 'title' };
  const message = state.messages.at(-1);
  const overall = overallBytes(state);
  // Podman's Docker-compatible push reports no layers at all, where "0 layers" would read as
  // nothing sent.
  const layerCount = state.outcome?.kind === 'done' && state.layers.length === 0 ? 'the engine reported no layers' : plural(state.layers.length, 'layer');
  const total: PaneLine = {
    text: overall.total > 0 ? `Overall  ${bytesCell(overall.current, overall.total, width - 9 - layerCount.length - 2)}  ${layerCount}` : `Overall  ${layerCount}`,
  };
  const footer = [total, ...outcomeLines(view, width)];
  const head = [title, ...(message !== undefined ? [{ text: message, tone: 'dim' as const }] : [])];
  const room = Math.max(0, height - head.length - footer.length);
  const layers = fitLayers(state.layers.map((layer) => layerLine(layer, width)), room);
  return [...head, ...layers, ...footer].slice(0, height);
}

/** What the output pane says of a build of `tag`: its steps above, how it is going or ended below. */
export function buildWords(tag: string): RunWords<BuildOutcome> {
  return {
    ended: (outcome) => {
      switch (outcome.status) {
        case 'built': return { text: `Built ${tag} (${shortId(outcome.imageId)})`, tone: 'ok' };
        case 'failed': return { text: `The build failed: ${outcome.reason}`, tone: 'error' };
        case 'cancelled': return { text: 'Cancelled: the build was stopped', tone: 'warning' };
      }
    },
    running: `building ${tag}… · Esc cancels the build`,
    cancelling: 'cancelling the build…',
    cancelHint: 'cancel the build',
  };
}

/**
 * A directory as typed in the build box: `~` is the home directory, a relative path is from where
 * dockhand was started, as a shell would read it.
 */
export function contextDirectory(typed: string, cwd: string, home: string): string {
  const text = typed.trim();
  if (text === '~' || text.startsWith('~/')) return path.join(home, text.slice(1));
  return path.resolve(cwd, text === '' ? '.' : text);
}

/** The tag a build of `directory` is offered: the directory's name as a repository, `:latest`. */
export function defaultBuildTag(directory: string): string {
  // Dashes alone join the parts: runs of dots or underscores are not valid in a repository name.
  const name = path.basename(directory).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${name === '' ? 'image' : name}:latest`;
}
