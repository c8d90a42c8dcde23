// Screen geometry as a pure function of the terminal size, so every size can be tested alone.

export interface Layout {
  cols: number;
  rows: number;
  /** Rows available to list entries (below the column titles). */
  listRows: number;
  listWidth: number;
  /** 0 when the terminal is too narrow for the side pane. */
  detailWidth: number;
}

/** Header, column titles, status line and key hints each take one row. */
const CHROME_ROWS = 4;
const MIN_LIST_WIDTH = 53;
const MIN_DETAIL_WIDTH = 24;
/** The smallest terminal the dashboard is drawn on: its chrome and one list row. */
export const MIN_COLS = 20;
export const MIN_ROWS = CHROME_ROWS + 1;

export function calculateLayout(cols: number, rows: number): Layout {
  const safeCols = Math.max(MIN_COLS, Math.floor(cols) || 80);
  const safeRows = Math.max(MIN_ROWS, Math.floor(rows) || 24);
  const listRows = safeRows - CHROME_ROWS;
  if (safeCols < MIN_LIST_WIDTH + MIN_DETAIL_WIDTH) {
    return { cols: safeCols, rows: safeRows, listRows, listWidth: safeCols, detailWidth: 0 };
  }
  const listWidth = Math.max(MIN_LIST_WIDTH, Math.round(safeCols * 0.6));
  return { cols: safeCols, rows: safeRows, listRows, listWidth, detailWidth: safeCols - listWidth };
}

/**
 * What a terminal smaller than MIN_COLS x MIN_ROWS shows instead of the dashboard, in lines that
 * fit it (a frame wider or taller than the terminal wraps or scrolls, and leaves pieces of itself
 * behind); undefined when the dashboard fits.
 */
export function tooSmallLines(cols: number, rows: number): string[] | undefined {
  if (cols >= MIN_COLS && rows >= MIN_ROWS) return undefined;
  const width = Math.max(1, cols);
  const lines: string[] = [];
  for (const word of `terminal too small: ${cols}x${rows}, need at least ${MIN_COLS}x${MIN_ROWS}`.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word.slice(0, width));
  }
  return lines.slice(0, Math.max(1, rows));
}
