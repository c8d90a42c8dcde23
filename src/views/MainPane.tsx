import React from 'react';
import { Box, Text } from 'ink';
import { displayWidth, pad, sanitize, truncate } from './format.js';
import type { PaneLine } from './pane-lines.js';
import { ScrollPane } from './ScrollPane.js';
import { TABS, type TabId } from './tabs.js';
import { useTheme } from './theme.js';

interface Props {
  tab: TabId;
  /** Lines of a line-based tab; a tab with its own component passes `custom`. */
  lines: readonly PaneLine[] | undefined;
  custom?: React.ReactNode;
  /** Instead of the container tabs: what the pane shows (an image, a volume, a network) */
  title?: string;
  offset: number;
  highlight: string;
  width: number;
  height: number;
  /** Drawn with a border on its left when beside the list; full width when zoomed. */
  besideList: boolean;
  /** e.g. "3/41" while a search has matches */
  searchStatus?: string;
}

/**
 * The tabs that fit in `width`, always including the current one: a window that grows around
 * it, so a narrow pane shows its neighbours rather than skipping tabs in the middle.
 */
export function visibleTabs(current: TabId, width: number): { tabs: typeof TABS[number][]; before: boolean; after: boolean } {
  const cell = (i: number) => (TABS[i]?.title.length ?? 0) + 2;
  const at = Math.max(0, TABS.findIndex((t) => t.id === current));
  let from = at;
  let to = at + 1;
  // One column each side is kept for the ‹ › markers of hidden tabs.
  let used = cell(at) + 2;
  for (let grew = true; grew;) {
    grew = false;
    if (to < TABS.length && used + cell(to) <= width) { used += cell(to); to += 1; grew = true; }
    if (from > 0 && used + cell(from - 1) <= width) { from -= 1; used += cell(from); grew = true; }
  }
  return { tabs: TABS.slice(from, to), before: from > 0, after: to < TABS.length };
}

/** The tab bar; the current tab in inverse video. */
function TabBar({ tab, width, searchStatus }: { tab: TabId; width: number; searchStatus?: string }) {
  const right = searchStatus ? ` ${searchStatus}` : '';
  const { tabs, before, after } = visibleTabs(tab, width - right.length);
  const used = tabs.reduce((sum, t) => sum + t.title.length + 2, 0) + 2;
  const theme = useTheme();
  return (
    <Text wrap="truncate">
      <Text dimColor>{before ? '‹' : ' '}</Text>
      {tabs.map((t) => (
        <Text key={t.id} inverse={t.id === tab} bold={t.id === tab} dimColor={t.id !== tab}>{` ${t.title} `}</Text>
      ))}
      <Text dimColor>{after ? '›' : ' '}</Text>
      <Text>{pad('', Math.max(0, width - used - right.length))}</Text>
      <Text {...theme.style('accent')}>{right}</Text>
    </Text>
  );
}

function TitleBar({ title, width, searchStatus }: { title: string; width: number; searchStatus?: string }) {
  const right = searchStatus ? ` ${searchStatus}` : '';
  const shown = ` ${truncate(sanitize(title), Math.max(0, width - right.length - 2))} `;
  const theme = useTheme();
  return (
    <Text wrap="truncate">
      <Text bold inverse>{shown}</Text>
      <Text>{pad('', Math.max(0, width - displayWidth(shown) - right.length))}</Text>
      <Text {...theme.style('accent')}>{right}</Text>
    </Text>
  );
}

export function MainPane({ tab, lines, custom, title, offset, highlight, width, height, besideList, searchStatus }: Props) {
  const inner = Math.max(0, width - (besideList ? 2 : 0));
  const bodyHeight = Math.max(0, height - 1);
  const body = custom ?? (
    lines === undefined
      ? <Text dimColor>{truncate('Loading…', inner)}</Text>
      : <ScrollPane lines={lines} offset={offset} width={inner} height={bodyHeight} highlight={highlight} />
  );
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      {...(besideList
        ? { borderStyle: 'single' as const, borderTop: false, borderBottom: false, borderRight: false, borderDimColor: true, paddingLeft: 1 }
        : {})}
    >
      {title !== undefined
        ? <TitleBar title={title} width={inner} {...(searchStatus ? { searchStatus } : {})} />
        : <TabBar tab={tab} width={inner} {...(searchStatus ? { searchStatus } : {})} />}
      <Box height={bodyHeight} flexDirection="column">{body}</Box>
    </Box>
  );
}
