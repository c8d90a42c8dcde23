// `npm run bench`: every figure of issue #9 on an engine of the bench's own, written to
// bench/results/latest.json and to the generated sections of docs/BENCHMARKS.md and README.md.
import { mkdirSync } from 'node:fs';
import { test } from 'vitest';
import { FULL_BENCH, runBench } from './harness.js';
import { writeReport } from './report.js';

test('dockhand against the Docker CLI', async () => {
  const results = await runBench(FULL_BENCH, (line) => console.log(line));
  mkdirSync('bench/results', { recursive: true });
  writeReport(results, { json: 'bench/results/latest.json', benchmarks: 'docs/BENCHMARKS.md', readme: 'README.md' });
});
