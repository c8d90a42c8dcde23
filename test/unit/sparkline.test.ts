import { describe, expect, it } from 'vitest';
import { blockChart, sparkline } from '../../src/views/sparkline.js';

describe('sparkline', () => {
  it('uses the eight block characters from 0 to max', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8, 8)).toBe('▁▂▃▄▅▆▇█');
  });

  it('scales to the series peak by default, from 0', () => {
    expect(sparkline([10, 20, 40, 80], 4)).toBe('▁▂▄█');
    // Not from the series minimum: a flat high series stays high.
    expect(sparkline([70, 100, 80], 3)).toBe('▆█▇');
  });

  it('puts the newest value at the right and spaces where there is no data yet', () => {
    expect(sparkline([1, 8], 5, 8)).toBe('   ▁█');
    expect(sparkline([], 4)).toBe('    ');
  });

  it('draws any reading, even 0, at least one eighth high, so zero differs from no data', () => {
    expect(sparkline([0, 0, 8], 3, 8)).toBe('▁▁█');
    expect(sparkline([0.001, 8], 2, 8)).toBe('▁█');
  });

  it.each([
    ['all zeros', [0, 0, 0], undefined, '▁▁▁'],
    ['a max of 0', [1, 5, 3], 0, '▁▁▁'],
    ['a negative max', [1, 5, 3], -4, '▁▁▁'],
    ['a NaN max', [1, 8], Number.NaN, '▁▁'],
    ['negative values', [-5, 8], undefined, '▁█'],
  ])('draws a flat baseline for %s', (_what, values, max, expected) => {
    expect(sparkline(values, values.length, max)).toBe(expected);
  });

  it('clips values above max', () => {
    expect(sparkline([4, 16, 1000], 3, 8)).toBe('▄██');
  });

  it('shows NaN and infinite values as no data and scales to the finite ones', () => {
    expect(sparkline([Number.NaN, 4, Number.POSITIVE_INFINITY, 8], 4)).toBe(' ▄ █');
    expect(sparkline([Number.NaN, Number.NaN], 3)).toBe('   ');
  });

  it('is empty at width 0 or less, and floors fractional widths', () => {
    expect(sparkline([1, 2, 3], 0)).toBe('');
    expect(sparkline([1, 2, 3], -2)).toBe('');
    expect(sparkline([1, 2, 3], Number.NaN)).toBe('');
    expect(sparkline([8], 2.9, 8)).toBe(' █');
  });

  it('spreads a longer series over the width, each column showing the peak of its share', () => {
    // 8 values into 4 columns: pairs; the lone spike at the 3rd value survives.
    expect(sparkline([1, 1, 8, 1, 2, 2, 4, 4], 4, 8)).toBe('▁█▂▄');
    // The newest column holds the newest value.
    const rising = Array.from({ length: 600 }, (_, i) => i);
    expect(sparkline(rising, 10).at(-1)).toBe('█');
    expect(sparkline(rising, 10)).toHaveLength(10);
    // 7 values into 3 columns: shares of 2, 2 and 3, all used.
    expect(sparkline([8, 0, 0, 0, 0, 0, 4], 3, 8)).toBe('█▁▄');
  });
});

describe('blockChart', () => {
  it('returns `height` lines, top first, each exactly `width` columns', () => {
    const lines = blockChart([1, 2, 3], 7, 3);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect([...line]).toHaveLength(7);
  });

  it('stacks eighths over the rows: full cells below, the remainder on top', () => {
    // Two rows = 16 eighths; 16 = full; 8 = bottom full; 12 = bottom full + top half; 1 = one eighth.
    expect(blockChart([16, 8, 12, 1], 4, 2, 16)).toEqual([
      '█ ▄ ',
      '███▁',
    ]);
  });

  it('keeps the no-data columns blank on every row', () => {
    expect(blockChart([16], 3, 2, 16)).toEqual(['  █', '  █']);
  });

  it('gives a one-row chart equal to the sparkline', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    expect(blockChart(values, 6, 1)).toEqual([sparkline(values, 6)]);
  });

  it('has no lines at height 0 and empty lines at width 0', () => {
    expect(blockChart([1, 2], 5, 0)).toEqual([]);
    expect(blockChart([1, 2], 0, 2)).toEqual(['', '']);
  });

  it('draws zeros and a zero max as a baseline on the bottom row only', () => {
    expect(blockChart([0, 0], 2, 3, 0)).toEqual(['  ', '  ', '▁▁']);
  });
});
