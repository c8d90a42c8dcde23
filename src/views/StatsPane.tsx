// The Stats tab: `docker stats`'s figures for one container and graphs of its recent history.
// The layout is a pure function of the data and the pane's size (statsPaneLines), so every size
// is tested without Ink; the component only streams and paints.
import { Box, Text } from 'ink';
import type { Engine } from '../engine/engine.js';
import type { StatsHistory, StatsMetric, StatsPoint } from '../engine/stats-history.js';
import { useStatsStream } from '../hooks/useStatsStream.js';
import { displayWidth, formatBytes, formatDecimalBytes, formatDuration, formatPercent, pad, truncate } from './format.js';
import { blockChart, sparkline } from './sparkline.js';
import { useTheme, type Role } from './theme.js';

export interface StatsPaneProps {
  engine: Engine;
  containerId: string | undefined;
  /** Streams only while true: a stopped container's stream sends nothing but zeroes. */
  running: boolean;
  width: number;
  height: number;
  /** How far back the graphs go (default ten minutes) */
  historyMinutes?: number | undefined;
}

export interface Segment {
  text: string;
  tone?: Role;
}

/** One screen line: segments whose texts together are exactly the pane's width. */
export type PaneLine = Segment[];

export interface StatsView {
  running: boolean;
  latest: StatsPoint | undefined;
  history: StatsHistory;
  error?: string | undefined;
}

interface ChartSpec {
  metric: StatsMetric;
  /** Above a tall chart. */
  title: string;
  /** Before a one-line sparkline, where columns are scarce. */
  short: string;
  /** Four distinct hues, each tuned by every theme for its background; the roles lend them. */
  tone: Role;
  format: (value: number) => string;
  /** The scale never goes below this, so an idle container's noise is not drawn as full bars. */
  minScale: number;
}

// docker stats prints I/O in decimal units (kB, MB) and memory in binary ones (KiB, MiB).
const perSecond = (bytes: number) => `${formatDecimalBytes(bytes)}/s`;

/** Paired so that two columns put CPU beside memory, rx beside tx, read beside write. */
const CHARTS: readonly ChartSpec[] = [
  { metric: 'cpuPercent', title: 'CPU', short: 'CPU', tone: 'accent', format: formatPercent, minScale: 100 },
  { metric: 'memoryUsed', title: 'MEM', short: 'MEM', tone: 'special', format: formatBytes, minScale: 0 },
  { metric: 'netRxRate', title: 'NET rx', short: 'rx', tone: 'ok', format: perSecond, minScale: 0 },
  { metric: 'netTxRate', title: 'NET tx', short: 'tx', tone: 'ok', format: perSecond, minScale: 0 },
  { metric: 'blockReadRate', title: 'BLOCK read', short: 'rd', tone: 'warning', format: perSecond, minScale: 0 },
  { metric: 'blockWriteRate', title: 'BLOCK write', short: 'wr', tone: 'warning', format: perSecond, minScale: 0 },
];

const GAP = 2;
/** Two chart columns from this width on; below it a column would be too short a time axis. */
const TWO_COLUMNS_FROM = 80;
/** Labels like "BLOCK I/O" from this width on, "BLK" below it. */
const LONG_LABELS_FROM = 40;
const SHORT_LABEL_WIDTH = 3;

const line = (text: string, tone?: Role): PaneLine => [tone ? { text, tone } : { text }];

/** The first of the renderings (richest first) that fits; the last one truncated if none does. */
function firstThatFits(candidates: readonly string[], width: number): string {
  return candidates.find((text) => displayWidth(text) <= width) ?? candidates.at(-1) ?? '';
}

/** The figures `docker stats` prints, one per line, dropping detail as the pane narrows. */
function figureLines(p: StatsPoint, width: number): PaneLine[] {
  const long = width >= LONG_LABELS_FROM;
  const labelWidth = long ? 11 : 5;
  const cpu = formatPercent(p.cpuPercent);
  // docker stats scales CPU % by the online CPUs, so the ceiling is worth saying.
  const cpuCapacity = p.onlineCpus > 0 ? `  max ${p.onlineCpus * 100}% (${p.onlineCpus} CPU${p.onlineCpus === 1 ? '' : 's'})` : '';
  const memory = `${formatBytes(p.memoryUsed)} / ${formatBytes(p.memoryLimit)}`;
  const rx = perSecond(p.netRxRate);
  const tx = perSecond(p.netTxRate);
  const read = perSecond(p.blockReadRate);
  const write = perSecond(p.blockWriteRate);
  const netRates = `rx ${rx}  tx ${tx}`;
  const blockRates = `read ${read}  write ${write}`;
  const rows: Array<[long: string, short: string, candidates: string[]]> = [
    ['CPU %', 'CPU', [`${cpu}${cpuCapacity}`, cpu]],
    ['MEM USAGE', 'MEM', [`${memory}  ${formatPercent(p.memoryPercent)}`, memory]],
    ['NET I/O', 'NET', [
      `${netRates}  total ${formatDecimalBytes(p.netRxBytes)} / ${formatDecimalBytes(p.netTxBytes)}`,
      netRates,
      `rx ${rx} tx ${tx}`,
      `${rx} ${tx}`,
    ]],
    ['BLOCK I/O', 'BLK', [
      `${blockRates}  total ${formatDecimalBytes(p.blockReadBytes)} / ${formatDecimalBytes(p.blockWriteBytes)}`,
      blockRates,
      `r ${read} w ${write}`,
      `${read} ${write}`,
    ]],
    ['PIDS', 'PIDS', [String(p.pids)]],
  ];
  return rows.map(([longLabel, shortLabel, candidates]) => [
    { text: pad(long ? longLabel : shortLabel, labelWidth), tone: 'dim' },
    { text: firstThatFits(candidates, width - labelWidth) },
  ]);
}

function peakOf(values: readonly number[]): number {
  return values.reduce((peak, v) => (Number.isFinite(v) && v > peak ? v : peak), 0);
}

/**
 * One cell of the chart grid, every line exactly `width` columns: a title and `chartRows` rows
 * of chart, or (chartRows 0) one labelled sparkline.
 */
function chartCell(spec: ChartSpec, p: StatsPoint, history: StatsHistory, width: number, chartRows: number): PaneLine[] {
  const values = history.series(spec.metric);
  const peak = peakOf(values);
  const scale = Math.max(peak, spec.minScale);
  if (chartRows === 0) {
    const chartWidth = Math.max(0, width - SHORT_LABEL_WIDTH - 1);
    return [[
      { text: pad(spec.short, width - chartWidth), tone: 'dim' },
      { text: sparkline(values, chartWidth, scale), tone: spec.tone },
    ]];
  }
  const title = `${spec.title} ${spec.format(p[spec.metric])}  peak ${spec.format(peak)}`;
  // Padded to the cell so that a second column starts where it should.
  return [
    line(pad(title, width)),
    ...blockChart(values, width, chartRows, scale).map((row) => [{ text: row, tone: spec.tone }]),
  ];
}

/** Lays cells side by side, `columns` to a row, separated by GAP columns. */
function grid(cells: PaneLine[][], columns: number): PaneLine[] {
  const out: PaneLine[] = [];
  for (let i = 0; i < cells.length; i += columns) {
    const row = cells.slice(i, i + columns);
    const height = Math.max(...row.map((cell) => cell.length));
    for (let r = 0; r < height; r++) {
      const segments: PaneLine = [];
      row.forEach((cell, c) => {
        if (c > 0) segments.push({ text: ' '.repeat(GAP) });
        segments.push(...(cell[r] ?? []));
      });
      out.push(segments);
    }
  }
  return out;
}

/** How the graphs share `rows` rows: tall charts when each gets a title and 2+ rows, else sparklines. */
function chartLines(p: StatsPoint, history: StatsHistory, width: number, rows: number): PaneLine[] {
  if (rows <= 0) return [];
  const wideColumns = width >= TWO_COLUMNS_FROM ? 2 : 1;
  const perCell = Math.floor(rows / Math.ceil(CHARTS.length / wideColumns));
  // Sparklines fall back to two columns when one per line would not fit: CPU and memory come first.
  const columns = perCell >= 2 || rows >= CHARTS.length ? wideColumns : 2;
  const chartRows = perCell >= 2 ? perCell - 1 : 0;
  const cellWidth = Math.floor((width - GAP * (columns - 1)) / columns);
  const cells = CHARTS.map((spec) => chartCell(spec, p, history, cellWidth, chartRows));
  return grid(cells, columns).slice(0, rows);
}

/** The time the graphs span, oldest reading to newest. */
function historyHeader(history: StatsHistory): PaneLine {
  const times = history.series('readAt');
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return line(`history, last ${formatDuration(span / 1000)}`, 'dim');
}

/** Cuts (and sanitises: error texts come from the engine) or pads a line to exactly `width` columns. */
function fitLine(segments: PaneLine, width: number): PaneLine {
  const out: PaneLine = [];
  let used = 0;
  for (const segment of segments) {
    const room = width - used;
    if (room <= 0) break;
    const text = truncate(segment.text, room);
    used += displayWidth(text);
    out.push({ ...segment, text });
  }
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/**
 * The pane as exactly `height` lines of exactly `width` columns: figures first, then as much
 * history as fits (tall charts at large sizes, one-line sparklines at small ones).
 */
export function statsPaneLines(view: StatsView, width: number, height: number): PaneLine[] {
  const columns = Math.max(0, Math.floor(width) || 0);
  const rows = Math.max(0, Math.floor(height) || 0);
  const { latest, history, error } = view;
  const errorLines = error ? [line(`stats: ${error}`, 'error')] : [];
  let lines: PaneLine[];
  if (!view.running) {
    lines = [line('not running: no stats', 'dim')];
  } else if (!latest) {
    lines = [...errorLines, line('waiting for the first readings…', 'dim')];
  } else {
    const top = [...figureLines(latest, columns), ...errorLines];
    const room = rows - top.length;
    // Below four rows a header would cost more history than it explains.
    const header = room >= 4 ? [historyHeader(history)] : [];
    lines = [...top, ...header, ...chartLines(latest, history, columns, room - header.length)];
  }
  lines = lines.slice(0, rows);
  while (lines.length < rows) lines.push([]);
  return lines.map((segments) => fitLine(segments, columns));
}

export function StatsPane({ engine, containerId, running, width, height, historyMinutes }: StatsPaneProps) {
  // The daemon sends one reading a second.
  const { history, latest, error } = useStatsStream(engine, containerId, running, historyMinutes === undefined ? undefined : historyMinutes * 60);
  const lines = statsPaneLines({ running, latest, history, error }, width, height);
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map((segments, i) => (
        <Text key={i} wrap="truncate">
          {segments.map((s, j) => (
            <Text key={j} {...theme.style(s.tone)}>{s.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
