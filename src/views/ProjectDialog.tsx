import { Box } from 'ink';
import { composeArgv, type ComposeCommand, type ComposeProject } from '../engine/compose.js';
import type { ActionTarget } from '../engine/project-actions.js';
import { answerText } from './AnswerLine.js';
import { dialogBodyRoom, dialogWidth, fitDialogBody } from './Dialog.js';
import { plural } from './format.js';
import { wrapPaneLines, type PaneLine } from './pane-lines.js';
import { commandLineText } from './project-lines.js';
import { ScrollPane } from './ScrollPane.js';
import { useTheme } from './theme.js';

/** What the compose CLI is run with for one project: everything but the subcommand. */
export interface ComposeInvocation {
  prefix: string[];
  env: Record<string, string>;
  project: Pick<ComposeProject, 'name' | 'workingDir' | 'configFiles'>;
  /** The selected service, for the commands that take one */
  services: string[];
}

/** `key`: the row it was opened on (which shows the progress); `title`: what it names ("project shop"). */
export type ProjectDialogState =
  | { kind: 'stop'; key: string; title: string; targets: ActionTarget[] }
  | { kind: 'remove'; key: string; title: string; targets: Array<ActionTarget & { up: boolean }>; force: boolean; removeVolumes: boolean }
  /** `down` and `downVolumes` are one dialog: v switches between them */
  | { kind: 'compose'; key: string; title: string; command: ComposeCommand; invocation: ComposeInvocation };

export function dialogArgv(dialog: Extract<ProjectDialogState, { kind: 'compose' }>): string[] {
  const { prefix, project, services } = dialog.invocation;
  return composeArgv(prefix, project, dialog.command, services);
}

const onOff = (value: boolean) => (value ? 'on' : 'off');

const COMPOSE_QUESTIONS: Record<ComposeCommand, string> = {
  up: 'Create and start (up -d)',
  recreate: 'Recreate the containers of',
  pull: 'Pull the images of',
  down: 'Take down (stop and remove containers and networks of)',
  downVolumes: 'Take down (stop and remove containers, networks and volumes of)',
};

function bodyLines(dialog: ProjectDialogState): PaneLine[] {
  const names = (targets: readonly ActionTarget[]) => ({ text: `  ${targets.map((t) => t.name).join(', ')}` });
  switch (dialog.kind) {
    case 'stop':
      return [{ text: `Stop ${plural(dialog.targets.length, 'container')} of ${dialog.title}?`, tone: 'title' }, names(dialog.targets)];
    case 'remove': {
      const up = dialog.targets.filter((t) => t.up).length;
      return [
        { text: `Remove ${plural(dialog.targets.length, 'container')} of ${dialog.title}?`, tone: 'title' },
        names(dialog.targets),
        { text: `  [f] force (kill running ones first): ${onOff(dialog.force)}` },
        { text: `  [v] also remove their anonymous volumes: ${onOff(dialog.removeVolumes)}` },
        ...(up > 0 && !dialog.force
          ? [{ text: `  ${up} ${up === 1 ? 'is' : 'are'} up: the engine refuses ${up === 1 ? 'it' : 'those'} unless force is on.`, tone: 'warning' } satisfies PaneLine]
          : []),
      ];
    }
    case 'compose': {
      const down = dialog.command === 'down' || dialog.command === 'downVolumes';
      return [
        { text: `${COMPOSE_QUESTIONS[dialog.command]} ${dialog.title}?`, tone: 'title' },
        { text: `  $ ${commandLineText(dialogArgv(dialog))}` },
        ...(down ? [{ text: `  [v] also remove volumes (named ones in its files too): ${onOff(dialog.command === 'downVolumes')}` }] : []),
      ];
    }
  }
}

/** The dialog's lines wrapped to its inside, as many as the terminal leaves room for, the answer line last: what is drawn and counted. */
function dialogLines(dialog: ProjectDialogState, cols: number, rows: number): PaneLine[] {
  const inner = Math.max(10, dialogWidth(cols) - 4);
  return [...fitDialogBody(wrapPaneLines(bodyLines(dialog), inner), dialogBodyRoom(rows), { text: '…' }), { text: answerText(), tone: 'title' }];
}

/** Rows the dialog takes, borders included, so the list above can give them up exactly. */
export function projectDialogHeight(dialog: ProjectDialogState, cols: number, rows: number): number {
  return dialogLines(dialog, cols, rows).length + 2;
}

/** Confirms a project action or a compose command, naming every container or the exact command line; only `y` acts. */
export function ProjectDialog({ dialog, cols, rows }: { dialog: ProjectDialogState; cols: number; rows: number }) {
  const lines = dialogLines(dialog, cols, rows);
  const border = useTheme().style('warning').color;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={border} paddingX={1} width={dialogWidth(cols)} height={lines.length + 2}>
      <ScrollPane lines={lines} offset={0} width={Math.max(10, dialogWidth(cols) - 4)} height={lines.length} />
    </Box>
  );
}
