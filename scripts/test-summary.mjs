// One closing line for the whole run, in the plain form CI reads: "N passed, N failed, N skipped".
// A suite that wrote no report (it crashed before running) counts as a failure, never as zero tests.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no test report at ${file}: that suite did not run`);
    missing += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails to load has no tests in it, only a failed suite.
  failed += (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
}
console.log(`${passed} passed, ${failed + missing} failed, ${skipped} skipped`);
// In CI a skipped test is a test that did not run on the real engine: that is a failed run.
const skippedInCi = process.env.CI === 'true' && skipped > 0;
if (skippedInCi) console.error('CI=true: skipped tests are not allowed (every real-engine test must run)');
process.exit(failed + missing > 0 || passed === 0 || skippedInCi ? 1 : 0);
