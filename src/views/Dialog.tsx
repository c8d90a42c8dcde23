import React from 'react';
import { Box, Text } from 'ink';
import type { KillSignal } from '../engine/types.js';
import { AnswerLine } from './AnswerLine.js';
import { truncate } from './format.js';
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
  const names = targets.map((t) => t.name);
  for (let shown = names.length; shown > 0; shown -= 1) {
    const rest = names.length - shown;
    const text = `  ${names.slice(0, shown).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    if (text.length <= width) return text;
  }
  return truncate(`  ${names.join(', ')}`, width);
}

const onOff = (value: boolean) => (value ? 'on ' : 'off');

const MAX_WIDTH = 72;
const SIGNAL_CELLS_WIDTH = KILL_SIGNALS.reduce((sum, s) => sum + s.length + 2, 0);

export function dialogWidth(cols: number): number {
  return Math.min(cols, MAX_WIDTH);
}

/** Rows the dialog takes, borders included, so the list above can give them up exactly. */
export function dialogHeight(dialog: DialogState, cols: number): number {
  const inner = Math.max(1, dialogWidth(cols) - 4);
  const borders = 2;
  const answerLine = 1;
  const names = dialog.others.length > 0 ? 1 : 0;
  switch (dialog.kind) {
    case 'stop': return borders + answerLine + 1 + names;
    case 'remove': return borders + answerLine + 3 + names + (dialogTargets(dialog).some((t) => t.running) && !dialog.force ? 1 : 0);
    case 'kill': return borders + answerLine + 1 + names + Math.ceil(SIGNAL_CELLS_WIDTH / inner);
  }
}

/** A confirmation that names its target and defaults to no: only `y` acts. */
export function Dialog({ dialog, cols }: { dialog: DialogState; cols: number }) {
  const width = dialogWidth(cols);
  const inner = Math.max(10, width - 4);
  const targets = dialogTargets(dialog);
  const many = targets.length > 1;
  // One container is named in the question; several are counted there and named below it.
  const what = many ? <Text bold>{targets.length} containers</Text> : <>container <Text bold>{truncate(dialog.target.name, inner - 30)}</Text></>;
  const names = many ? <Text>{namesLine(targets, inner)}</Text> : null;
  const running = targets.filter((t) => t.running).length;
  const warning = useTheme().style('warning');
  let lines: React.ReactNode;
  switch (dialog.kind) {
    case 'stop':
      lines = <><Text>Stop {what}?</Text>{names}</>;
      break;
    case 'remove':
      lines = (
        <>
          <Text>Remove {what}?</Text>
          {names}
          <Text>  [f] force (kill it first if running): <Text bold>{onOff(dialog.force)}</Text></Text>
          <Text>  [v] also remove its anonymous volumes: <Text bold>{onOff(dialog.removeVolumes)}</Text></Text>
          {running > 0 && !dialog.force
            ? <Text {...warning}>  {many ? `${running} of them ${running === 1 ? 'is' : 'are'}` : 'It is'} running: the engine refuses unless force is on.</Text>
            : null}
        </>
      );
      break;
    case 'kill':
      lines = (
        <>
          <Text>Send a signal to {many ? what : <Text bold>{truncate(dialog.target.name, inner - 30)}</Text>} (j/k to choose):</Text>
          {names}
          <Box flexDirection="row" flexWrap="wrap">
            {KILL_SIGNALS.map((signal, i) => (
              <Text key={signal} inverse={i === dialog.signalIndex}> {signal} </Text>
            ))}
          </Box>
        </>
      );
      break;
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={warning.color} paddingX={1} width={width} height={dialogHeight(dialog, cols)}>
      {lines}
      <AnswerLine scope={dialog.kind === 'kill' ? 'kill' : 'confirm'} />
    </Box>
  );
}
