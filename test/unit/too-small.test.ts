import { describe, expect, it } from 'vitest';
import { calculateLayout, MIN_COLS, MIN_ROWS, tooSmallLines } from '../../src/views/layout.js';

describe('tooSmallLines', () => {
  it('is nothing from MIN_COLS x MIN_ROWS, where the layout needs no clamping', () => {
    expect(tooSmallLines(MIN_COLS, MIN_ROWS)).toBeUndefined();
    expect(tooSmallLines(40, 12)).toBeUndefined();
    expect(calculateLayout(MIN_COLS, MIN_ROWS)).toMatchObject({ cols: MIN_COLS, rows: MIN_ROWS });
  });

  it('says how small the terminal is and what it needs, in words that fit the width', () => {
    expect(tooSmallLines(19, 12)).toEqual(['terminal too small:', '19x12, need at', 'least 20x5']);
    expect(tooSmallLines(40, 4)).toEqual(['terminal too small: 40x4, need at least', '20x5']);
  });

  it('never draws a line wider or more lines than the terminal has, down to 1x1', () => {
    for (let cols = 1; cols < 60; cols++) {
      for (let rows = 1; rows < 8; rows++) {
        const lines = tooSmallLines(cols, rows);
        if (!lines) continue;
        expect(lines.length, `${cols}x${rows}`).toBeLessThanOrEqual(rows);
        for (const line of lines) expect(line.length, `${cols}x${rows}: ${line}`).toBeLessThanOrEqual(cols);
      }
    }
  });
});
