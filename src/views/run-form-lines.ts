// The Run form (R in the images list) as lines, laid out for the rows on screen: pure, so the
// layout is tested without Ink. One row per field with its label; the fields scroll around the
// focused one when they do not all fit, and the `docker run` line of the confirm step is wrapped,
// never cut, as it is there to be read (and typed again).
import { displayWidth, sanitize, truncate, wrapText } from './format.js';
import { keyLabel, keysFor } from './keymap.js';
import type { Role } from './theme.js';

export type FieldId = 'image' | 'name' | 'command' | 'env' | 'ports' | 'volumes' | 'network' | 'restart' | 'memory' | 'cpus';

export interface RunField {
  id: FieldId;
  label: string;
  /** Shown dim while the field is empty: what the field takes, by example */
  placeholder: string;
}

export const RUN_FIELDS: readonly RunField[] = [
  { id: 'image', label: 'image', placeholder: 'busybox:1.36 (pulled first when not here)' },
  { id: 'name', label: 'name', placeholder: 'none: the engine picks one' },
  { id: 'command', label: 'command', placeholder: "the image's own; sh -c 'echo hi'" },
  { id: 'env', label: 'env -e', placeholder: 'KEY=value A="hello world"' },
  { id: 'ports', label: 'ports -p', placeholder: '8080:80 53:53/udp 127.0.0.1::80' },
  { id: 'volumes', label: 'volumes -v', placeholder: 'data:/data /host/dir:/in:ro' },
  { id: 'network', label: 'network', placeholder: 'the default bridge' },
  { id: 'restart', label: 'restart', placeholder: 'no|always|unless-stopped|on-failure[:N]' },
  { id: 'memory', label: 'memory', placeholder: 'no limit; 64m, 1g' },
  { id: 'cpus', label: 'cpus', placeholder: 'no limit; 0.5, 2' },
];

export type FieldValues = Readonly<Record<FieldId, string>>;

export interface RunFormView {
  step: 'edit' | 'confirm' | 'running';
  values: FieldValues;
  focus: FieldId;
  /** Why Enter did not take a field, by field */
  errors: Partial<Record<FieldId, string>>;
  /** The engine's refusal of the last run (a name in use…), in its words */
  refusal?: string;
  /** The `docker run` equivalent, once every field was taken */
  commandLine?: string;
}

export interface Segment {
  text: string;
  role?: Role;
  inverse?: boolean;
}

/** One screen row: segments drawn side by side, together at most the width asked for. */
export type FormLine = readonly Segment[];

const MARKER = '› ';
const LABEL_WIDTH = Math.max(...RUN_FIELDS.map((f) => f.label.length)) + 2;
/** Below this many columns for the value, error lines start under the label rather than under the value. */
const MIN_INDENTED_ERROR = 24;
const MAX_ERROR_LINES = 4;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The end of sanitized `text` in at most `width` columns, "…" first when the start was cut: where typing goes on. */
function tail(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const kept: string[] = [];
  let used = 1;
  for (const { segment } of [...graphemes.segment(text)].reverse()) {
    used += displayWidth(segment);
    if (used > width) break;
    kept.unshift(segment);
  }
  return `…${kept.join('')}`;
}

function fieldBlock(field: RunField, view: RunFormView, width: number): FormLine[] {
  const focused = field.id === view.focus;
  const head: Segment = {
    text: `${focused ? MARKER : ' '.repeat(MARKER.length)}${field.label.padEnd(LABEL_WIDTH)}`.slice(0, width),
    role: focused ? 'accent' : 'dim',
  };
  const room = Math.max(0, width - displayWidth(head.text));
  const value = sanitize(view.values[field.id]);
  const cursor: Segment[] = focused && room > 0 ? [{ text: ' ', inverse: true }] : [];
  const textRoom = room - cursor.length;
  const shown: Segment[] = value === ''
    ? [...cursor, { text: truncate(field.placeholder, textRoom), role: 'dim' }]
    : [{ text: focused ? tail(value, textRoom) : truncate(value, textRoom) }, ...cursor];
  const error = view.errors[field.id];
  if (error === undefined) return [[head, ...shown]];
  const indent = room >= MIN_INDENTED_ERROR ? width - room : MARKER.length;
  const errorLines = wrapText(error, width - indent, MAX_ERROR_LINES)
    .map((text): FormLine => [{ text: ' '.repeat(indent) }, { text, role: 'error' }]);
  return [[head, ...shown], ...errorLines];
}

/** The confirm step's keys as the keymap has them now: "y run · n/Esc back to the form". */
export function confirmKeysText(): string {
  const yes = keysFor('confirmYes', 'confirm').slice(0, 1).map(keyLabel).join('/');
  const no = keysFor('confirmNo', 'confirm').slice(0, 2).map(keyLabel).join('/');
  return `${yes} run · ${no} back to the form`;
}

function plain(text: string, width: number, role?: Role): FormLine {
  return [{ text: truncate(text, width), ...(role ? { role } : {}) }];
}

function commandLines(view: RunFormView, width: number, height: number, title: string, footer: string | undefined): FormLine[] {
  const command = wrapText(view.commandLine ?? '', width).map((text): FormLine => [{ text, role: view.step === 'running' ? 'dim' : 'accent' }]);
  // When rows are short, the blank rows give way first, then the keys (the hint line has them too), then the title.
  const room = height - command.length;
  const keys = footer === undefined ? [] : [plain(footer, width)];
  return [
    ...(room >= 1 ? [plain(title, width, 'title')] : []),
    ...(room >= 2 + keys.length ? [[]] : []),
    ...command.slice(0, height),
    ...(room >= 3 + keys.length && keys.length > 0 ? [[]] : []),
    ...(room >= 2 ? keys : []),
  ];
}

/**
 * The form in `height` rows of `width` columns. Editing: a title (with which fields are shown
 * when not all fit), the engine's refusal if the last run had one, then the fields; the focused
 * field and its error always on screen. Confirming or running: the `docker run` line whole.
 */
export function runFormLines(view: RunFormView, width: number, height: number): FormLine[] {
  if (height <= 0 || width <= 0) return [];
  if (view.step === 'confirm') return commandLines(view, width, height, 'Run this? The same as:', confirmKeysText());
  if (view.step === 'running') return commandLines(view, width, height, 'Creating and starting the container…', undefined);

  const blocks = RUN_FIELDS.map((field) => fieldBlock(field, view, width));
  const focusIndex = Math.max(0, RUN_FIELDS.findIndex((f) => f.id === view.focus));
  const focusBlock = blocks[focusIndex] ?? [];
  const refusal = view.refusal === undefined ? [] : wrapText(`The engine refused: ${view.refusal}`, width, 3).map((text): FormLine => [{ text, role: 'error' }]);
  const total = blocks.reduce((n, block) => n + block.length, 0);
  const header = (shown: string) => plain(`Run a container (docker run -d)${shown}`, width, 'title');
  if (1 + refusal.length + total <= height) return [header(''), ...refusal, ...blocks.flat()];

  // Not all fit: a window of whole fields around the focused one, which is never squeezed out.
  const fixed = [header(''), ...refusal].slice(0, Math.max(0, height - focusBlock.length));
  const room = height - fixed.length;
  let first = focusIndex;
  let last = focusIndex;
  let used = focusBlock.length;
  for (let grown = true; grown;) {
    grown = false;
    const below = blocks[last + 1];
    if (below && used + below.length <= room) { last += 1; used += below.length; grown = true; }
    const above = blocks[first - 1];
    if (above && used + above.length <= room) { first -= 1; used += above.length; grown = true; }
  }
  if (fixed.length > 0) fixed[0] = header(` · fields ${first + 1}-${last + 1} of ${blocks.length}`);
  return [...fixed, ...blocks.slice(first, last + 1).flat()].slice(0, height);
}
