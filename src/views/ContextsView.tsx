import { Box, Text } from 'ink';
import type { ContextEntry } from '../engine/endpoint.js';
import { pad, sanitize, truncate } from './format.js';
import { fitColumns } from './list-model.js';
import { ListFrame } from './ListFrame.js';
import { useTheme } from './theme.js';

type ContextColumnId = 'name' | 'url' | 'description';

const COLUMNS = [
  { id: 'name', title: 'CONTEXT', min: 14, grow: 1, align: 'left' },
  { id: 'url', title: 'DOCKER ENDPOINT', min: 24, grow: 3, align: 'left' },
  { id: 'description', title: 'DESCRIPTION', min: 16, grow: 2, align: 'left' },
] as const;

const ORDER: readonly ContextColumnId[] = ['name', 'url', 'description'];

interface Props {
  contexts: readonly ContextEntry[];
  /** The context dockhand is connected to now */
  inUse: string;
  selectedIndex: number;
  width: number;
  /** Rows below the column titles */
  height: number;
}

/**
 * Every Docker context, as `docker context ls` lists them: ● marks the one dockhand uses,
 * * the one the docker CLI would use. A context that cannot be used says why.
 */
export function ContextsView({ contexts, inUse, selectedIndex, width, height }: Props) {
  const columns = fitColumns(COLUMNS, ORDER, width - 2);
  const offset = Math.max(0, Math.min(selectedIndex - height + 1, contexts.length - height));
  const visible = contexts.slice(Math.max(0, offset), Math.max(0, offset) + height);
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <ListFrame columns={[{ title: '', width: 1, align: 'left' }, ...columns]} width={width} height={height} empty={contexts.length === 0} emptyText="No contexts">
        {visible.map((context, i) => {
          const marker = context.name === inUse ? '●' : context.current ? '*' : ' ';
          const cells = columns.map((column) => {
            const text = column.id === 'description' && context.error ? `error: ${context.error}` : context[column.id];
            return pad(truncate(sanitize(text), column.width), column.width, column.align);
          });
          return (
            <Text key={context.name} inverse={Math.max(0, offset) + i === selectedIndex} {...theme.style(context.error ? 'warning' : undefined)} wrap="truncate">
              {pad(`${marker} ${cells.join(' ')}`, width)}
            </Text>
          );
        })}
      </ListFrame>
    </Box>
  );
}
