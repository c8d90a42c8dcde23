import React from 'react';
import { Box, Text } from 'ink';
import type { KillSignal } from '../engine/types.js';
import { truncate } from './format.js';

export const KILL_SIGNALS: readonly KillSignal[] = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export interface DialogTarget {
  id: string;
  name: string;
  running: boolean;
}

export type DialogState =
  | { kind: 'stop'; target: DialogTarget }
  | { kind: 'remove'; target: DialogTarget; force: boolean; removeVolumes: boolean }
  | { kind: 'kill'; target: DialogTarget; signalIndex: number };

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
  switch (dialog.kind) {
    case 'stop': return borders + answerLine + 1;
    case 'remove': return borders + answerLine + 3 + (dialog.target.running && !dialog.force ? 1 : 0);
    case 'kill': return borders + answerLine + 1 + Math.ceil(SIGNAL_CELLS_WIDTH / inner);
  }
}

/** A confirmation that names its target and defaults to no: only `y` acts. */
export function Dialog({ dialog, cols }: { dialog: DialogState; cols: number }) {
  const width = dialogWidth(cols);
  const inner = Math.max(10, width - 4);
  const name = truncate(dialog.target.name, inner - 30);
  let lines: React.ReactNode;
  switch (dialog.kind) {
    case 'stop':
      lines = <Text>Stop container <Text bold>{name}</Text>?</Text>;
      break;
    case 'remove':
      lines = (
        <>
          <Text>Remove container <Text bold>{name}</Text>?</Text>
          <Text>  [f] force (kill it first if running): <Text bold>{onOff(dialog.force)}</Text></Text>
          <Text>  [v] also remove its anonymous volumes: <Text bold>{onOff(dialog.removeVolumes)}</Text></Text>
          {dialog.target.running && !dialog.force
            ? <Text color="yellow">  It is running: the engine refuses unless force is on.</Text>
            : null}
        </>
      );
      break;
    case 'kill':
      lines = (
        <>
          <Text>Send a signal to <Text bold>{name}</Text> (j/k to choose):</Text>
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
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width} height={dialogHeight(dialog, cols)}>
      {lines}
      <Text>
        <Text bold color="yellow">y</Text> yes   <Text bold>n</Text>/<Text bold>Esc</Text>/<Text bold>Enter</Text> no (default)
      </Text>
    </Box>
  );
}
