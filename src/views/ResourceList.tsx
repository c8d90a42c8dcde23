import React, { memo } from 'react';
import { Text } from 'ink';
import { pad } from './format.js';
import { ListFrame } from './ListFrame.js';
import type { Column } from './list-model.js';
import { resourceCell, resourceCellTone, type ResourceColumnId, type ResourceItem } from './resource-model.js';
import { useTheme } from './theme.js';

interface Props {
  items: readonly ResourceItem[];
  columns: readonly Column<ResourceColumnId>[];
  offset: number;
  height: number;
  width: number;
  selectedIndex: number;
  nowMs: number;
  dimmed: boolean;
  emptyText: string;
  /** Keys of rows an action is working on, with what it is doing */
  pending: ReadonlyMap<string, string>;
}

/** The images, volumes or networks list; like the containers list, only the window is rendered. */
export function ResourceList({ items, columns, offset, height, width, selectedIndex, nowMs, dimmed, emptyText, pending }: Props) {
  const visible = items.slice(offset, offset + height);
  return (
    <ListFrame columns={columns} width={width} height={height} empty={visible.length === 0} emptyText={emptyText}>
      {visible.map((item, i) => (
        <Row
          key={item.key}
          item={item}
          columns={columns}
          width={width}
          selected={offset + i === selectedIndex}
          nowMs={nowMs}
          dimmed={dimmed}
          pending={pending.get(item.key)}
        />
      ))}
    </ListFrame>
  );
}

interface RowProps {
  item: ResourceItem;
  columns: readonly Column<ResourceColumnId>[];
  width: number;
  selected: boolean;
  nowMs: number;
  dimmed: boolean;
  pending: string | undefined;
}

const Row = memo(function Row({ item, columns, width, selected, nowMs, dimmed, pending }: RowProps) {
  const used = columns.reduce((sum, c) => sum + c.width, 0) + Math.max(0, columns.length - 1);
  const theme = useTheme();
  return (
    <Text inverse={selected} dimColor={(dimmed || pending !== undefined) && !selected} wrap="truncate">
      {columns.map((column, i) => {
        // The first cell says what an action is doing to the row while it runs.
        const text = i === 0 && pending ? `${pending} ${resourceCell(column.id, item, nowMs)}` : resourceCell(column.id, item, nowMs);
        return (
          <React.Fragment key={column.id}>
            {i > 0 ? ' ' : ''}
            <Text {...theme.style(resourceCellTone(column.id, item))}>{pad(text, column.width, column.align)}</Text>
          </React.Fragment>
        );
      })}
      {used < width ? ' '.repeat(width - used) : ''}
    </Text>
  );
});
