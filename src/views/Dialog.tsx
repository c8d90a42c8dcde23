import { Box, Text } from 'ink';
import type { KillSignal } from '../engine/types.js';
import { AnswerLine } from './AnswerLine.js';
import { displayWidth, sanitize, truncate, wrapText } from './format.js';
import { MIN_ROWS } from './layout.js';
import { useTheme } from './theme.js';

export const KILL_SIGNALS: readonly KillSignal[] = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export interface DialogTarget {
  id: string;
  name: string;
  running: boolean;
}

/** `others`: the rest of the containers marked with Space, which the action takes too. */
export type DialogState =
  | { kind: 'stop'; target: DialogTarget; others: DialogTarget[] }
  | { kind: 'remove'; target: DialogTarget; others: DialogTarget[]; force: boolean; removeVolumes: boolean }
  | { kind: 'kill'; target: DialogTarget; others: DialogTarget[]; signalIndex: number };

export function dialogTargets(dialog: DialogState): DialogTarget[] {
  return [dialog.target, ...dialog.others];
}

/** Every name, as many as fit, and how many did not. */
function namesLine(targets: readonly DialogTarget[], width: number): string {
  const names = targets.map((t) => sanitize(t.name));
  for (let shown = names.length; shown > 0; shown -= 1) {
    const rest = names.length - shown;
    const text = `  ${names.slice(0, shown).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    if (displayWidth(text) <= width) return text;
  }
  return truncate(`  ${names.join(', ')}`, width);
}

const onOff = (value: boolean) => (value ? 'on ' : 'off');

const MAX_WIDTH = 72;
/** Borders and the answer line. */
const FRAME_ROWS = 3;

export function dialogWidth(cols: number): number {
  return Math.min(cols, MAX_WIDTH);
}

/**
 * Rows a dialog's body may take on a terminal `rows` high: the dashboard keeps its chrome and one
 * list row beside the dialog's frame, so no dialog makes the frame taller than the terminal.
 */
export function dialogBodyRoom(rows: number): number {
  return Math.max(1, rows - MIN_ROWS - FRAME_ROWS);
}

/** A dialog body's first lines within `room`, the last one `more` when lines were left out (the question, first, stays). */
export function fitDialogBody<T>(lines: readonly T[], room: number, more: T): T[] {
  if (lines.length <= room) return [...lines];
  return room > 1 ? [...lines.slice(0, room - 1), more] : lines.slice(0, 1);
}

/** One row of the dialog's body, in pieces drawn bold or inverse. */
interface BodyRow {
  parts: Array<{ text: string; bold?: boolean; inverse?: boolean }>;
  warning?: boolean;
}

/** The signals as the rows they fill, whole cells only; the chosen one in inverse video. */
function signalRows(signalIndex: number, inner: number): BodyRow[] {
  const rows: BodyRow[] = [];
  let used = inner;
  KILL_SIGNALS.forEach((signal, i) => {
    const cell = { text: ` ${signal} `, inverse: i === signalIndex };
    if (used + cell.text.length > inner) {
      rows.push({ parts: [] });
      used = 0;
    }
    rows.at(-1)?.parts.push(cell);
    used += cell.text.length;
  });
  return rows;
}

/**
 * `compact`, for a terminal too short for the whole body: several targets are not named on a row
 * of their own (the question counts them), and the options and the warning say less.
 */
function bodyRows(dialog: DialogState, inner: number, compact: boolean): BodyRow[] {
  const targets = dialogTargets(dialog);
  const many = targets.length > 1;
  // One container is named in the question, cut to what its other words leave of the line; several
  // are counted there and named below it.
  const question = (before: string, after: string): BodyRow => ({
    parts: [{ text: before }, { text: many ? `${targets.length} containers` : truncate(dialog.target.name, inner - displayWidth(before + after)), bold: true }, { text: after }],
  });
  const names: BodyRow[] = many && !compact ? [{ parts: [{ text: namesLine(targets, inner) }] }] : [];
  const one = many ? '' : 'container ';
  switch (dialog.kind) {
    case 'stop':
      return [question(`Stop ${one}`, '?'), ...names];
    case 'remove': {
      const running = targets.filter((t) => t.running).length;
      return [
        question(`Remove ${one}`, '?'),
        ...names,
        { parts: [{ text: compact ? '  [f] force: ' : '  [f] force (kill it first if running): ' }, { text: onOff(dialog.force), bold: true }] },
        { parts: [{ text: compact ? '  [v] its volumes: ' : '  [v] also remove its anonymous volumes: ' }, { text: onOff(dialog.removeVolumes), bold: true }] },
        ...(running > 0 && !dialog.force ? [{ parts: [{ text: `  ${runningWarning(running, many, compact)}` }], warning: true }] : []),
      ];
    }
    case 'kill':
      // The names last: on a short terminal they are what the dialog leaves out, never the signals.
      return [question('Send a signal to ', ' (j/k to choose):'), ...signalRows(dialog.signalIndex, inner), ...names];
  }
}

/** A row wider than the dialog's inside on as many rows as it takes, each piece in its own style. */
function wrapRow(row: BodyRow, inner: number): BodyRow[] {
  const text = row.parts.map((part) => part.text).join('');
  if (displayWidth(text) <= inner) return [row];
  let end = 0;
  return wrapText(text, inner).map((line) => {
    const start = Math.max(end, text.indexOf(line, end));
    end = start + line.length;
    const parts: BodyRow['parts'] = [];
    let offset = 0;
    for (const part of row.parts) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + part.text.length);
      if (from < to) parts.push({ ...part, text: text.slice(from, to) });
      offset += part.text.length;
    }
    return { ...row, parts };
  });
}

/** Why the engine will refuse a removal without force. */
function runningWarning(running: number, many: boolean, compact: boolean): string {
  if (compact) return `${many ? `${running} running` : 'Running'}: the engine needs force`;
  return `${many ? `${running} of them ${running === 1 ? 'is' : 'are'}` : 'It is'} running: the engine refuses unless force is on.`;
}

/**
 * The body within the room the terminal leaves. Where it is short, the compact body, so that the
 * signals and the options stay on screen rather than the names.
 */
function fittedRows(dialog: DialogState, cols: number, rows: number): BodyRow[] {
  const inner = Math.max(10, dialogWidth(cols) - 4);
  const room = dialogBodyRoom(rows);
  const wrapped = (compact: boolean) => bodyRows(dialog, inner, compact).flatMap((row) => wrapRow(row, inner));
  const whole = wrapped(false);
  return fitDialogBody(whole.length <= room ? whole : wrapped(true), room, { parts: [{ text: '…' }] });
}

/** Rows the dialog takes, borders included, so the list above can give them up exactly. */
export function dialogHeight(dialog: DialogState, cols: number, rows: number): number {
  return fittedRows(dialog, cols, rows).length + FRAME_ROWS;
}

/** A confirmation that names its target and defaults to no: only `y` acts. */
export function Dialog({ dialog, cols, rows }: { dialog: DialogState; cols: number; rows: number }) {
  const body = fittedRows(dialog, cols, rows);
  const warning = useTheme().style('warning');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={warning.color} paddingX={1} width={dialogWidth(cols)} height={body.length + FRAME_ROWS}>
      {body.map((row, i) => (
        <Text key={i} wrap="truncate" {...(row.warning ? warning : {})}>
          {row.parts.map((part, j) => <Text key={j} bold={part.bold} inverse={part.inverse}>{part.text}</Text>)}
        </Text>
      ))}
      <AnswerLine scope={dialog.kind === 'kill' ? 'kill' : 'confirm'} />
    </Box>
  );
}
