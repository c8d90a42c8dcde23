import { Box, Text } from 'ink';
import type { ImageRow, NetworkRow, VolumeRow } from '../engine/resource-types.js';
import { AnswerLine } from './AnswerLine.js';
import { dialogBodyRoom, dialogWidth, fitDialogBody } from './Dialog.js';
import { formatDecimalBytes, shortId, wrapText } from './format.js';
import { useTheme } from './theme.js';

export type ResourceDialogState =
  | {
    kind: 'removeImage';
    image: ImageRow;
    /** The tag the row showed; undefined for a dangling image */
    tag: string | undefined;
    /** Remove the image by id (every tag) rather than untag `tag` */
    wholeImage: boolean;
    force: boolean;
    /** Keep the untagged parent images the engine would otherwise delete with it */
    noprune: boolean;
  }
  | { kind: 'removeVolume'; volume: VolumeRow; force: boolean }
  | { kind: 'removeNetwork'; network: NetworkRow };

export type RemoveImageDialog = Extract<ResourceDialogState, { kind: 'removeImage' }>;

/** What an image removal will do, in the engine's terms, for the dialog and the action alike. */
export interface ImageRemovalPlan {
  /** What DELETE /images/{name} is called with */
  reference: string;
  /** The image goes (not only a tag) */
  deletesImage: boolean;
  /** Tags removed with it */
  tags: string[];
  /** Tags the image keeps (untag only) */
  keeps: string[];
  /** The tag-only/whole choice exists: a tag was selected and the image has others */
  canChoose: boolean;
  warnings: Array<{ text: string; blocking: boolean }>;
}

export function planImageRemoval(dialog: RemoveImageDialog, runningIds: ReadonlySet<string>): ImageRemovalPlan {
  const { image, tag } = dialog;
  const canChoose = tag !== undefined && image.tags.length > 1;
  const untagOnly = canChoose && !dialog.wholeImage;
  const tags = untagOnly && tag ? [tag] : image.tags;
  const keeps = untagOnly ? image.tags.filter((t) => t !== tag) : [];
  // By tag when the image has only that one (or only that tag goes): no force needed for tags.
  const reference = untagOnly || (tag !== undefined && image.tags.length === 1) ? (tag ?? image.id) : image.id;
  const deletesImage = !untagOnly;
  const warnings: ImageRemovalPlan['warnings'] = [];
  if (deletesImage) {
    const running = image.containers.filter((c) => runningIds.has(c.id)).map((c) => c.name);
    const stopped = image.containers.filter((c) => !runningIds.has(c.id)).map((c) => c.name);
    if (running.length > 0) {
      warnings.push({ text: `Running ${running.join(', ')} use${running.length === 1 ? 's' : ''} it: the engine refuses even with force.`, blocking: true });
    }
    if (stopped.length > 0) {
      warnings.push({
        text: dialog.force
          ? `Stopped ${stopped.join(', ')} use${stopped.length === 1 ? 's' : ''} it: force removes it anyway (their files stay).`
          : `Stopped ${stopped.join(', ')} use${stopped.length === 1 ? 's' : ''} it: the engine refuses unless force is on.`,
        blocking: !dialog.force,
      });
    }
    if (reference === image.id && image.tags.length > 1 && !dialog.force) {
      warnings.push({ text: `${image.tags.length} tags: removing by id needs force.`, blocking: true });
    }
  }
  return { reference, deletesImage, tags, keeps, canChoose, warnings };
}

const onOff = (value: boolean) => (value ? 'on ' : 'off');

/** One line of the dialog's text, before wrapping. */
interface DialogLine {
  text: string;
  tone?: 'warning' | 'bold';
}

function imageLines(dialog: RemoveImageDialog, runningIds: ReadonlySet<string>): DialogLine[] {
  const plan = planImageRemoval(dialog, runningIds);
  const { image } = dialog;
  const what = `${shortId(image.id)}, ${formatDecimalBytes(image.size)}`;
  const lines: DialogLine[] = [];
  if (!plan.deletesImage) {
    lines.push({ text: `Untag ${dialog.tag ?? ''} (${what})?`, tone: 'bold' });
    lines.push({ text: `  The image stays with ${plan.keeps.join(', ')}.` });
  } else {
    lines.push({ text: `Remove image ${plan.tags.length > 0 ? plan.tags.join(', ') : '<none>'} (${what})?`, tone: 'bold' });
  }
  if (plan.canChoose) {
    lines.push({ text: `  [t] ${plan.deletesImage ? `the whole image, all ${image.tags.length} tags` : 'only this tag'} (t: ${plan.deletesImage ? 'only this tag' : 'whole image'})` });
  }
  if (plan.deletesImage) {
    lines.push({ text: `  [f] force: ${onOff(dialog.force)}   [p] keep untagged parents: ${onOff(dialog.noprune)}` });
    const users = image.containers.map((c) => c.name);
    lines.push({ text: `  Containers using it: ${users.length > 0 ? users.join(', ') : 'none'}` });
  }
  for (const warning of plan.warnings) lines.push({ text: `  ${warning.text}`, tone: 'warning' });
  return lines;
}

function dialogLines(dialog: ResourceDialogState, runningIds: ReadonlySet<string>): DialogLine[] {
  switch (dialog.kind) {
    case 'removeImage':
      return imageLines(dialog, runningIds);
    case 'removeVolume': {
      const { volume } = dialog;
      const size = volume.size < 0 ? 'size unknown' : formatDecimalBytes(volume.size);
      return [
        { text: `Remove volume ${volume.name} (${volume.anonymous ? 'anonymous' : 'named'}, ${size})?`, tone: 'bold' },
        { text: '  Its data is deleted for good.' },
        { text: `  [f] force (forget it even if its driver fails): ${onOff(dialog.force)}` },
      ];
    }
    case 'removeNetwork': {
      const { network } = dialog;
      const subnets = network.subnets.map((s) => s.subnet).filter(Boolean).join(', ');
      return [{ text: `Remove network ${network.name} (${network.driver}${subnets ? `, ${subnets}` : ''})?`, tone: 'bold' }];
    }
  }
}

/** A value wider than this many rows (a 1,000-character tag) ends in "…" rather than push the rest out. */
const ROWS_PER_LINE = 3;

/** Lines wrap to the dialog's inner width, as many as the terminal leaves room for. */
function bodyRows(dialog: ResourceDialogState, runningIds: ReadonlySet<string>, cols: number, rows: number): DialogLine[] {
  const inner = Math.max(10, dialogWidth(cols) - 4);
  const wrapped = dialogLines(dialog, runningIds).flatMap((line) => wrapText(line.text, inner, ROWS_PER_LINE).map((text) => ({ ...line, text })));
  return fitDialogBody(wrapped, dialogBodyRoom(rows), { text: '…' });
}

/** Rows the dialog takes, borders included, so the list above gives up exactly that. */
export function resourceDialogHeight(dialog: ResourceDialogState, runningIds: ReadonlySet<string>, cols: number, rows: number): number {
  return bodyRows(dialog, runningIds, cols, rows).length + 3;
}

/** Confirms a removal, naming what goes and what it touches; only `y` acts. */
export function ResourceDialog({ dialog, runningIds, cols, rows }: { dialog: ResourceDialogState; runningIds: ReadonlySet<string>; cols: number; rows: number }) {
  const body = bodyRows(dialog, runningIds, cols, rows);
  const warning = useTheme().style('warning');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={warning.color} paddingX={1} width={dialogWidth(cols)} height={body.length + 3}>
      {body.map((line, i) => (
        <Text key={i} bold={line.tone === 'bold'} {...(line.tone === 'warning' ? warning : {})}>{line.text}</Text>
      ))}
      <AnswerLine />
    </Box>
  );
}
