import { Box, Text } from 'ink';
import { NODE_AVAILABILITIES, type NodeAvailability, type NodeRow, type ServiceRow } from '../engine/swarm.js';
import { AnswerLine } from './AnswerLine.js';
import { dialogBodyRoom, dialogWidth, fitDialogBody } from './Dialog.js';
import { plural } from './format.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { ScrollPane } from './ScrollPane.js';
import { AVAILABILITY_MEANING } from './swarm-lines.js';
import { formatMode } from './swarm-model.js';
import { useTheme } from './theme.js';

export type SwarmDialogState =
  | { kind: 'removeService'; service: ServiceRow }
  | { kind: 'scaleToZero'; service: ServiceRow }
  | {
    kind: 'availability';
    node: NodeRow;
    choice: NodeAvailability;
    /** Other nodes that take tasks: where drained tasks can go */
    otherActiveNodes: number;
  };

/** The next availability in the list, wrapping around. */
export function stepAvailability(choice: NodeAvailability, step: 1 | -1): NodeAvailability {
  const at = NODE_AVAILABILITIES.indexOf(choice);
  return NODE_AVAILABILITIES[(at + step + NODE_AVAILABILITIES.length) % NODE_AVAILABILITIES.length] ?? 'active';
}

function availabilityLines(dialog: Extract<SwarmDialogState, { kind: 'availability' }>): PaneLine[] {
  const { node, choice } = dialog;
  const lines: PaneLine[] = [
    { text: `Availability of node ${node.hostname} (now ${node.availability}):`, tone: 'title' },
    { text: `  ${NODE_AVAILABILITIES.map((a) => `${a === choice ? '●' : '○'} ${a}`).join('   ')}` },
    { text: `  ${choice}: ${AVAILABILITY_MEANING[choice]}.` },
  ];
  if (choice === 'drain' && dialog.otherActiveNodes === 0) {
    lines.push({ text: '  No other node takes tasks: its tasks have nowhere to go and wait as pending.', tone: 'warning' });
  }
  if (choice === 'drain' && node.role === 'manager') lines.push({ text: '  A drained manager still manages the swarm.', tone: 'dim' });
  if (choice === node.availability) lines.push({ text: `  It is ${choice} already.`, tone: 'dim' });
  return lines;
}

function bodyLines(dialog: SwarmDialogState): PaneLine[] {
  switch (dialog.kind) {
    case 'removeService': {
      const { service } = dialog;
      return [
        { text: `Remove service ${service.name} (${formatMode(service)}, ${plural(service.running, 'running task')})?`, tone: 'title' },
        { text: '  Its tasks stop and their containers are removed; the service is gone for good.' },
      ];
    }
    case 'scaleToZero': {
      const { service } = dialog;
      return [
        { text: `Scale ${service.name} to 0 replicas?`, tone: 'title' },
        { text: `  Its ${plural(service.running, 'running task')} stop; the service stays, and + starts one again.` },
      ];
    }
    case 'availability':
      return availabilityLines(dialog);
  }
}

function innerWidth(cols: number): number {
  return Math.max(10, dialogWidth(cols) - 4);
}

/** The body wrapped to the dialog's inside, as many lines as the terminal leaves room for. */
function wrappedBody(dialog: SwarmDialogState, cols: number, rows: number): PaneLine[] {
  return fitDialogBody(wrapPaneLines(bodyLines(dialog), innerWidth(cols)), dialogBodyRoom(rows), { text: '…' });
}

/** Rows the dialog takes, borders and answer line included, so the list above gives them up exactly. */
export function swarmDialogHeight(dialog: SwarmDialogState, cols: number, rows: number): number {
  return 2 + wrappedBody(dialog, cols, rows).length + 1;
}

/** Confirms a Swarm action, naming what it touches; only `y` acts. */
export function SwarmDialog({ dialog, cols, rows }: { dialog: SwarmDialogState; cols: number; rows: number }) {
  const lines = wrappedBody(dialog, cols, rows);
  const border = useTheme().style('warning').color;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={border} paddingX={1} width={dialogWidth(cols)} height={lines.length + 3}>
      <ScrollPane lines={lines} offset={0} width={innerWidth(cols)} height={lines.length} />
      <AnswerLine>
        {dialog.kind === 'availability' ? <><Text bold>j</Text>/<Text bold>k</Text> choose   </> : null}
      </AnswerLine>
    </Box>
  );
}
