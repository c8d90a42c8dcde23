// `npm run bench` at the smallest scale (20 containers, 2 s windows): the harness runs on an engine
// of its own and yields every figure with its reference. No timing is judged: a test run is not
// a quiet machine, and the figures are for `npm run bench` to state.
import { describe, expect, it } from 'vitest';
import { runBench, SMOKE_BENCH } from '../../bench/harness.js';
import { benchmarksSection, FIGURES, type FigureId } from '../../bench/report.js';
import { requireEngine } from '../support/docker.js';

describe('the benchmark harness', () => {
  it('measures every figure of the benchmark, each a number, with its reference where it has one', async () => {
    // The private engine gets its test image from the shared one.
    await requireEngine();
    const results = await runBench(SMOKE_BENCH);
    for (const id of Object.keys(FIGURES) as FigureId[]) {
      const figure = results.figures.find((f) => f.id === id);
      expect(figure?.value, id).toEqual(expect.any(Number));
      expect(Number.isFinite(figure?.value), `${id}: ${figure?.value}`).toBe(true);
      if (FIGURES[id].reference) expect(Number.isFinite(figure?.ratio), `${id} ratio: ${figure?.ratio}`).toBe(true);
    }
    for (const floor of Object.values(results.floors)) expect(Number.isFinite(floor)).toBe(true);
    const section = benchmarksSection(results);
    for (const { name } of Object.values(FIGURES)) expect(section).toContain(name);
  }, 300_000);
});
