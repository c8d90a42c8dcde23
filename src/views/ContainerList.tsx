import React, { memo } from 'react';
import { Text } from 'ink';
import type { StatsFigures } from '../engine/types.js';
import { pad } from './format.js';
import { ListFrame } from './ListFrame.js';
import { cellText, cellTone, type Column, type ListItem } from './list-model.js';
import { useTheme } from './theme.js';

interface Props {
  items: readonly ListItem[];
  columns: readonly Column[];
  offset: number;
  height: number;
  width: number;
  selectedIndex: number;
  stats: ReadonlyMap<string, StatsFigures>;
  pending: ReadonlyMap<string, string>;
  nowMs: number;
  dimmed: boolean;
  /** A fleet's hosts that are not connected now: their rows are the last known, dimmed */
  unreachableHosts?: ReadonlySet<string>;
  /** Containers marked with Space */
  marked?: ReadonlySet<string>;
  emptyText: string;
}

/** Only the rows inside the window are rendered: 500 containers cost the same as 20. */
export function ContainerList(props: Props) {
  const { items, columns, offset, height, width, selectedIndex, dimmed } = props;
  const visible = items.slice(offset, offset + height);
  return (
    <ListFrame columns={columns} width={width} height={height} empty={visible.length === 0} emptyText={props.emptyText}>
      {visible.map((item, i) => (
        <Row
          key={item.key}
          item={item}
          columns={columns}
          width={width}
          selected={offset + i === selectedIndex}
          stats={item.kind === 'container' ? props.stats.get(item.row.id) : undefined}
          pending={item.kind === 'container' ? props.pending.get(item.row.id) : undefined}
          nowMs={props.nowMs}
          dimmed={dimmed || (item.kind === 'container' && item.row.host !== undefined && props.unreachableHosts?.has(item.row.host) === true)}
          marked={item.kind === 'container' && props.marked?.has(item.row.id) === true}
        />
      ))}
    </ListFrame>
  );
}

interface RowProps {
  item: ListItem;
  columns: readonly Column[];
  width: number;
  selected: boolean;
  stats: StatsFigures | undefined;
  pending: string | undefined;
  nowMs: number;
  dimmed: boolean;
  marked: boolean;
}

const Row = memo(function Row({ item, columns, width, selected, stats, pending, nowMs, dimmed, marked }: RowProps) {
  const theme = useTheme();
  if (item.kind === 'group') {
    const text = `▾ ${item.project}  ${item.running}/${item.total} running`;
    return <Text {...theme.style('heading')} dimColor={dimmed} wrap="truncate">{pad(text, width)}</Text>;
  }
  const { row, grouped } = item;
  const healthInState = !columns.some((c) => c.id === 'health');
  const cells = columns.map((column) => {
    const cell = cellText(column.id, row, { grouped, stats, nowMs, pending, healthInState });
    // A marked row says so where the eye starts: its name.
    const text = marked && column.id === 'name' ? `● ${cell.trimStart()}` : cell;
    return { column, text: pad(text, column.width, column.align), tone: pending ? undefined : cellTone(column.id, text, row) };
  });
  const used = columns.reduce((sum, c) => sum + c.width, 0) + Math.max(0, columns.length - 1);
  return (
    <Text inverse={selected} dimColor={dimmed && !selected} wrap="truncate">
      {cells.map(({ column, text, tone }, i) => (
        <React.Fragment key={column.id}>
          {i > 0 ? ' ' : ''}
          <Text {...theme.style(tone)}>{text}</Text>
        </React.Fragment>
      ))}
      {used < width ? ' '.repeat(width - used) : ''}
    </Text>
  );
});
