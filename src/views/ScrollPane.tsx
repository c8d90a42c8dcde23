import { Box, Text } from 'ink';
import { displayWidth, pad, truncate } from './format.js';
import { labelColumnWidth, type PaneLine } from './pane-lines.js';
import { useTheme } from './theme.js';

interface Props {
  lines: readonly PaneLine[];
  offset: number;
  width: number;
  height: number;
  /** Matches of this text are shown in inverse video. */
  highlight?: string;
}

/** Cuts `text` around the matches of `needle`, so they can be drawn in inverse video. */
function splitMatches(text: string, needle: string): Array<{ text: string; match: boolean }> {
  if (!needle) return [{ text, match: false }];
  const parts: Array<{ text: string; match: boolean }> = [];
  const lower = text.toLowerCase();
  const target = needle.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(target); at >= 0; at = lower.indexOf(target, at + target.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + target.length), match: true });
    from = at + target.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** A window of `height` lines from `offset`, each cut to `width`: only what is visible renders. */
export function ScrollPane({ lines, offset, width, height, highlight = '' }: Props) {
  const visible = lines.slice(offset, offset + height);
  const labelWidth = labelColumnWidth(lines, width);
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((line, i) => {
        const label = line.label === undefined ? '' : `${pad(line.label, labelWidth - 1)} `;
        const room = Math.max(0, width - displayWidth(label));
        const text = truncate(line.text, room);
        return (
          <Text key={offset + i} wrap="truncate" {...theme.style(line.tone)}>
            {label ? <Text dimColor>{label}</Text> : null}
            {splitMatches(text, highlight).map((part, j) => (
              <Text key={j} inverse={part.match}>{part.text}</Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
