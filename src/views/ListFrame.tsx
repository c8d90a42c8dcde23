import React from 'react';
import { Box, Text } from 'ink';
import { pad } from './format.js';

interface Props {
  columns: ReadonlyArray<{ title: string; width: number; align: 'left' | 'right' }>;
  width: number;
  /** Rows below the column titles */
  height: number;
  empty: boolean;
  emptyText: string;
  children: React.ReactNode;
}

/** Column titles over the rows of a list, or a line saying why there are none. */
export function ListFrame({ columns, width, height, empty, emptyText, children }: Props) {
  const titles = columns.map((c) => pad(c.title, c.width, c.align)).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold dimColor wrap="truncate">{pad(titles, width)}</Text>
      {empty ? <Text dimColor wrap="truncate">{pad(emptyText, width)}</Text> : children}
    </Box>
  );
}
