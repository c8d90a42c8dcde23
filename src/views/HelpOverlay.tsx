import { Box, Text } from 'ink';
import { bindingsByScope, keyLabel, keysFor } from './keymap.js';
import { truncate } from './format.js';
import { useTheme } from './theme.js';

export interface HelpLine {
  text: string;
  title?: boolean;
}

/** The help's lines, generated from the keymap table like the README's key list. */
export function helpLines(readOnly = false): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const group of bindingsByScope()) {
    if (group.scope === 'help') continue;
    lines.push({ text: group.title, title: true });
    for (const binding of group.bindings) {
      // In the indent, so the mark costs no room on a line cut to its column.
      const indent = readOnly && binding.mutates ? '✕ ' : '  ';
      lines.push({ text: `${indent}${binding.keys.map(keyLabel).join(' ').padEnd(11)} ${binding.description}` });
    }
  }
  return lines;
}

/** Narrower columns would cut the descriptions. */
const MIN_COLUMN_WIDTH = 38;

/** How the help lays out in a box: as many columns as fit, each `rows` tall. */
export function helpGeometry(width: number, height: number): { columns: number; rows: number; columnWidth: number } {
  const inner = Math.max(1, width - 4);
  const rows = Math.max(1, height - 3);
  const columns = Math.max(1, Math.floor(inner / MIN_COLUMN_WIDTH));
  return { columns, rows, columnWidth: Math.floor(inner / columns) };
}

/** The furthest the help scrolls: its last line at the bottom of the last column. */
export function maxHelpOffset(width: number, height: number): number {
  const { columns, rows } = helpGeometry(width, height);
  return Math.max(0, helpLines().length - columns * rows);
}

export function HelpOverlay({ width, height, offset, readOnly }: { width: number; height: number; offset: number; readOnly: boolean }) {
  const lines = helpLines(readOnly);
  const { columns, rows, columnWidth } = helpGeometry(width, height);
  const start = Math.min(offset, maxHelpOffset(width, height));
  const shown = lines.slice(start, start + columns * rows);
  const more = start + shown.length < lines.length;
  const scroll = start > 0 || more ? `  j/k scroll${more ? ' ↓ more' : ''}` : '';
  const off = readOnly ? '  read-only: ✕ keys are off' : '';
  const title = `Keys  (${keysFor('helpClose', 'help').slice(0, 2).map(keyLabel).join(' or ')} closes)${off}${scroll}`;
  const border = useTheme().style('border');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={border.color} paddingX={1}>
      <Text bold {...border} wrap="truncate">{title}</Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {shown.slice(c * rows, (c + 1) * rows).map((line, i) => (
              <Text key={i} bold={line.title} wrap="truncate">{truncate(line.text, columnWidth - 1)}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
