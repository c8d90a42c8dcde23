import { describe, expect, it } from 'vitest';
import { calculateLayout } from '../../src/views/layout.js';

describe('calculateLayout', () => {
  it('splits 80x24 into a 53-column list (name, state, CPU, memory, age) and a 27-column side pane', () => {
    expect(calculateLayout(80, 24)).toEqual({ cols: 80, rows: 24, listRows: 20, listWidth: 53, detailWidth: 27 });
  });

  it('gives the list 60% of 200x60', () => {
    expect(calculateLayout(200, 60)).toEqual({ cols: 200, rows: 60, listRows: 56, listWidth: 120, detailWidth: 80 });
  });

  it('drops the detail pane at 40x12', () => {
    expect(calculateLayout(40, 12)).toEqual({ cols: 40, rows: 12, listRows: 8, listWidth: 40, detailWidth: 0 });
  });

  it('shows the detail pane from 77 columns, when both panes reach their minimum', () => {
    expect(calculateLayout(76, 24)).toMatchObject({ listWidth: 76, detailWidth: 0 });
    expect(calculateLayout(77, 24)).toMatchObject({ listWidth: 53, detailWidth: 24 });
  });

  it('falls back to 80x24 for 0x0', () => {
    expect(calculateLayout(0, 0)).toEqual(calculateLayout(80, 24));
  });

  it('falls back to 80x24 for NaN', () => {
    expect(calculateLayout(Number.NaN, Number.NaN)).toEqual(calculateLayout(80, 24));
  });

  it('rounds fractional sizes down', () => {
    expect(calculateLayout(80.9, 24.9)).toEqual(calculateLayout(80, 24));
  });

  it('keeps at least one list row and no detail pane on a tiny terminal', () => {
    expect(calculateLayout(10, 3)).toMatchObject({ listRows: 1, detailWidth: 0 });
  });

  it('fills the width and leaves four rows of chrome at every size', () => {
    for (let cols = 20; cols <= 250; cols++) {
      for (const rows of [5, 12, 24, 60]) {
        const layout = calculateLayout(cols, rows);
        expect(layout.listWidth + layout.detailWidth, `${cols}x${rows}`).toBe(cols);
        expect(layout.listRows, `${cols}x${rows}`).toBe(rows - 4);
        expect(layout.detailWidth === 0 || layout.detailWidth >= 24, `${cols}x${rows}`).toBe(true);
      }
    }
  });
});
