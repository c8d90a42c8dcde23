// The Logs tab: one header line with the viewer's state, then exactly the rows that fit. Every
// decision (which rows, how wrapped, what is highlighted) is made by log-view.ts; this component
// is controlled (App owns the viewport, the search and the filter) and only paints, so it costs
// the same with 50 lines or 50,000.
import { Box, Text } from 'ink';
import { sanitize, truncate } from './format.js';
import {
  filterResult, fitSpans, logRows, searchStatus, terminalWidth, visibleRows,
  type EntrySource, type FilterSpec, type LogScreen, type LogViewport, type SearchSpec, type StyledSpan, type TextStyle, type TimestampMode,
} from './log-view.js';
import { useTheme } from './theme.js';

export interface LogsPaneProps {
  /** The LogBuffer itself (pass the same object every render: searches and filters are cached on it). */
  entries: EntrySource;
  /** Lines the buffer let go (LogBuffer.dropped). */
  dropped: number;
  width: number;
  /** The header line plus height - 1 rows. */
  height: number;
  viewport: LogViewport;
  wrap: boolean;
  /** Columns scrolled right when wrap is off. */
  hscroll: number;
  timestamps: TimestampMode;
  search: SearchSpec;
  filter: FilterSpec | undefined;
  /** The container's name, first in the header. */
  title?: string | undefined;
}

/** The pane's props as what log-view's helpers take: App scrolls with exactly what the pane draws. */
export function logScreen(props: Pick<LogsPaneProps, 'entries' | 'width' | 'height' | 'wrap' | 'hscroll' | 'timestamps' | 'search' | 'filter'>): LogScreen {
  return {
    source: props.entries,
    height: props.height,
    options: {
      width: props.width,
      wrap: props.wrap,
      hscroll: props.hscroll,
      timestamps: props.timestamps,
      filter: props.filter,
      search: props.search,
    },
  };
}

interface HeaderPart {
  text: string;
  style?: TextStyle;
  /** Lower goes first when the header does not fit. */
  priority: number;
}

const count = (n: number) => n.toLocaleString('en-US');
const quoted = (query: string) => truncate(sanitize(query), 24);

/** The header's parts, most important with the highest priority. */
function headerParts(props: LogsPaneProps, screen: LogScreen): HeaderPart[] {
  const parts: HeaderPart[] = [];
  if (props.title) parts.push({ text: sanitize(props.title), style: { bold: true }, priority: 3 });
  parts.push(props.viewport.follow
    ? { text: 'following', style: { fg: 'green' }, priority: 5 }
    : { text: 'paused — G resumes', style: { fg: 'yellow' }, priority: 5 });
  const search = searchStatus(screen);
  if (search) {
    const label = `${props.search.regex ? 're' : ''}/${quoted(props.search.query)}`;
    parts.push(search.error
      ? { text: `${label}: ${search.error}`, style: { fg: 'red' }, priority: 4 }
      : { text: `${label} ${search.counter}`, style: { fg: 'cyan' }, priority: 4 });
  }
  const filter = props.filter && props.filter.query !== '' ? props.filter : undefined;
  if (filter) {
    const result = filterResult(props.entries, filter);
    const label = `filter ${filter.regex ? 're' : ''}"${quoted(filter.query)}" ±${filter.context}`;
    parts.push(result.error
      ? { text: `${label}: ${result.error}`, style: { fg: 'red' }, priority: 4 }
      : { text: `${label}: ${count(result.matching)} matching`, style: { fg: 'magenta' }, priority: 4 });
  }
  if (props.dropped > 0) {
    parts.push({ text: `${count(props.dropped)} older line${props.dropped === 1 ? '' : 's'} dropped`, style: { dim: true }, priority: 2 });
  }
  parts.push({ text: `${count(props.entries.length)} line${props.entries.length === 1 ? '' : 's'}`, style: { dim: true }, priority: 1 });
  // Scrolled sideways, the column is what tells the user where they are.
  if (!props.wrap) parts.push(props.hscroll > 0 ? { text: `no wrap, col ${count(props.hscroll + 1)}`, style: { dim: true }, priority: 2 } : { text: 'no wrap', style: { dim: true }, priority: 0 });
  return parts;
}

const SEPARATOR = ' · ';

/** The parts that fit in `width`, least important dropped first, the last one cut if it still does not fit. */
function fitHeader(parts: readonly HeaderPart[], width: number): StyledSpan[] {
  let kept = [...parts];
  const widthOf = (list: readonly HeaderPart[]) =>
    list.reduce((sum, p) => sum + terminalWidth(p.text), 0) + Math.max(0, list.length - 1) * SEPARATOR.length;
  while (kept.length > 1 && widthOf(kept) > width) {
    const lowest = kept.reduce((min, p) => (p.priority < min.priority ? p : min));
    kept = kept.filter((p) => p !== lowest);
  }
  const spans = kept.flatMap((part, i) => [
    ...(i > 0 ? [{ text: SEPARATOR, style: { dim: true } }] : []),
    { text: part.text, style: part.style ?? {} },
  ]);
  return fitSpans(spans, width);
}

/**
 * Colours (the log's own, and the hues the viewer marks lines and matches with) are drawn through
 * the theme; a background the theme cannot draw becomes inverse video, so a highlight stays one.
 */
function SpanText({ span }: { span: StyledSpan }) {
  const { fg, bg, bold, dim, italic, underline, inverse, strikethrough } = span.style;
  const theme = useTheme();
  const background = theme.background(bg);
  return (
    <Text
      color={theme.color(fg)}
      backgroundColor={background}
      bold={bold}
      dimColor={dim}
      italic={italic}
      underline={underline}
      inverse={inverse || (bg !== undefined && background === undefined)}
      strikethrough={strikethrough}
    >
      {span.text}
    </Text>
  );
}

function Row({ spans }: { spans: readonly StyledSpan[] }) {
  return (
    <Text wrap="truncate">
      {spans.map((span, i) => <SpanText key={i} span={span} />)}
    </Text>
  );
}

export function LogsPane(props: LogsPaneProps) {
  const { width, height, entries } = props;
  const screen = logScreen(props);
  const view = visibleRows(screen, props.viewport);
  const header = fitHeader(headerParts(props, screen), width);
  const empty = view.rows.length === 0 && logRows(height) > 0;
  const emptyText = entries.length === 0 ? 'No log lines yet' : 'No line matches the filter';
  return (
    <Box flexDirection="column" width={width} height={height}>
      {height > 0 ? <Row spans={header} /> : null}
      {view.rows.map((row, i) => <Row key={i} spans={row.spans} />)}
      {empty ? <Text dimColor wrap="truncate">{truncate(emptyText, width)}</Text> : null}
    </Box>
  );
}
