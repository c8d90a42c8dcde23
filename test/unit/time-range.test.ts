import { describe, expect, it } from 'vitest';
import { describeUntil, parseUntil } from '../../src/views/time-range.js';

const NOW = new Date(2024, 5, 10, 12, 0, 0).getTime(); // 10 June 2024, 12:00 local

describe('parseUntil', () => {
  it('reads a duration as that long ago', () => {
    expect(parseUntil('10m', NOW)).toEqual({ ms: NOW - 600_000 });
    expect(parseUntil('2h', NOW)).toEqual({ ms: NOW - 7_200_000 });
    expect(parseUntil('30s', NOW)).toEqual({ ms: NOW - 30_000 });
  });

  it('reads a time of day as today, or yesterday when it is still to come', () => {
    expect(parseUntil('11:30', NOW)).toEqual({ ms: new Date(2024, 5, 10, 11, 30).getTime() });
    expect(parseUntil('13:00:05', NOW)).toEqual({ ms: new Date(2024, 5, 9, 13, 0, 5).getTime() });
  });

  it('reads a date and time, local or UTC', () => {
    expect(parseUntil('2024-06-09 08:15', NOW)).toEqual({ ms: new Date(2024, 5, 9, 8, 15).getTime() });
    expect(parseUntil('2024-06-09T08:15:00Z', NOW)).toEqual({ ms: Date.UTC(2024, 5, 9, 8, 15) });
  });

  it('takes nothing as no end, and says what it accepts otherwise', () => {
    expect(parseUntil('  ', NOW)).toEqual({ none: true });
    expect(parseUntil('25:00', NOW)).toEqual({ error: '"25:00" is not a time of day' });
    expect(parseUntil('yesterday', NOW)).toMatchObject({ error: expect.stringContaining('10m (ago)') });
  });
});

describe('describeUntil', () => {
  it('gives the time alone today and the date otherwise', () => {
    expect(describeUntil(new Date(2024, 5, 10, 11, 30).getTime(), NOW)).toBe('until 11:30:00');
    expect(describeUntil(new Date(2024, 5, 9, 8, 15).getTime(), NOW)).toBe('until 2024-06-09 08:15:00');
  });
});
