import React from 'react';
import { Box, Text } from 'ink';
import { bindingsByScope, keyLabel } from './keymap.js';
import { truncate } from './format.js';

/** Generated from the keymap table, like the README's key list. */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const lines: Array<{ text: string; title?: boolean }> = [];
  for (const group of bindingsByScope()) {
    if (group.scope === 'help') continue;
    lines.push({ text: group.title, title: true });
    for (const binding of group.bindings) {
      const keys = binding.keys.map(keyLabel).join(' ');
      lines.push({ text: `  ${keys.padEnd(11)} ${binding.description}` });
    }
  }
  const inner = Math.max(0, width - 4);
  const room = height - 3;
  // A second column before anything is cut, as long as each stays wide enough to read.
  const columns = lines.length > room && inner >= 70 ? 2 : 1;
  const perColumn = Math.ceil(lines.length / columns);
  const columnWidth = Math.floor(inner / columns);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">Keys  (Esc or ? closes)</Text>
      <Box>
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {lines.slice(c * perColumn, c * perColumn + perColumn).slice(0, room).map((line, i) => (
              <Text key={i} bold={line.title} wrap="truncate">{truncate(line.text, columnWidth - 1)}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
