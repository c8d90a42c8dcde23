#!/usr/bin/env bash
# The project's one test command (README: "npm ci && npm test"; .ci/run calls the same).
# A real Docker engine first, then the build, then every suite: fast ones in parallel, the
# ones that share the real engine and drive tmux one file at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/engine.sh
npm run --silent build
npx tsc -p tsconfig.test.json --noEmit

mkdir -p test-results
status=0
npx vitest run test/unit test/view \
  --reporter=default --reporter=json --outputFile.json=test-results/fast.json || status=1
npx vitest run test/integration test/e2e --no-file-parallelism \
  --reporter=default --reporter=json --outputFile.json=test-results/engine.json || status=1

node scripts/test-summary.mjs test-results/fast.json test-results/engine.json || status=1
exit "$status"
