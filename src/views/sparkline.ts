// Text charts from a series of numbers, one terminal cell per column, drawn with the eight
// block characters. Pure: the Stats tab calls them each frame with the history's series.

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const LEVELS = BLOCKS.length;

function columnsOf(n: number): number {
  return Math.max(0, Math.floor(n) || 0);
}

/** The largest finite value over a set of values, NaN when there is none. */
function peakOf(values: readonly number[], from = 0, to = values.length): number {
  let peak = Number.NaN;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== undefined && Number.isFinite(v) && (Number.isNaN(peak) || v > peak)) peak = v;
  }
  return peak;
}

/**
 * At most `width` columns from the series, newest last: one value a column while they fit, else
 * the whole series spread over the width, each column showing the peak of its share (a
 * one-second spike stays visible when ten seconds share a column).
 */
function resample(values: readonly number[], width: number): number[] {
  const n = values.length;
  if (n <= width) return [...values];
  const out = new Array<number>(width);
  for (let column = 0; column < width; column++) {
    out[column] = peakOf(values, Math.floor((column * n) / width), Math.floor(((column + 1) * n) / width));
  }
  return out;
}

/**
 * A chart `height` rows tall, returned top row first, each line exactly `width` columns. The
 * newest value is at the right; columns without data yet are spaces on the left. The scale runs
 * from 0 to `max` (default: the series' peak); values above it are clipped. Any reading, even 0,
 * fills at least the lowest eighth, so "no data" and "zero" look different. NaN or infinite
 * values count as no data.
 */
export function blockChart(values: readonly number[], width: number, height: number, max?: number): string[] {
  const columns = columnsOf(width);
  const rows = columnsOf(height);
  if (rows === 0) return [];
  const points = resample(values, columns);
  const top = max ?? peakOf(points);
  const scale = Number.isFinite(top) && top > 0 ? top : 0;
  const levels = rows * LEVELS;
  // Eighths of the chart's height each column fills; 0 = no data.
  const filled = points.map((v) => {
    if (!Number.isFinite(v)) return 0;
    if (scale === 0 || v <= 0) return 1;
    return Math.min(levels, Math.max(1, Math.ceil((v / scale) * levels)));
  });

  const blank = ' '.repeat(columns - points.length);
  const lines: string[] = [];
  for (let row = rows - 1; row >= 0; row--) {
    let line = blank;
    for (const units of filled) {
      const cell = Math.min(LEVELS, Math.max(0, units - row * LEVELS));
      line += cell === 0 ? ' ' : BLOCKS[cell - 1];
    }
    lines.push(line);
  }
  return lines;
}

/** A one-row chart: see `blockChart`. */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  return blockChart(values, width, 1, max)[0] ?? '';
}
