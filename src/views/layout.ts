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

export function calculateLayout(cols: number, rows: number): Layout {
  const safeCols = Math.max(20, Math.floor(cols) || 80);
  const safeRows = Math.max(CHROME_ROWS + 1, Math.floor(rows) || 24);
  const listRows = safeRows - CHROME_ROWS;
  if (safeCols < MIN_LIST_WIDTH + MIN_DETAIL_WIDTH) {
    return { cols: safeCols, rows: safeRows, listRows, listWidth: safeCols, detailWidth: 0 };
  }
  const listWidth = Math.max(MIN_LIST_WIDTH, Math.round(safeCols * 0.6));
  return { cols: safeCols, rows: safeRows, listRows, listWidth, detailWidth: safeCols - listWidth };
}
