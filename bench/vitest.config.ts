import { defineConfig } from 'vitest/config';

// `npm run bench` runs as a vitest file so that it shares the tests' TypeScript toolchain and
// their helpers (private engine, tmux sessions); there is no other TypeScript runner here.
export default defineConfig({
  test: {
    include: ['bench/bench.ts'],
    // A full run takes about half an hour; each wait inside it has a timeout of its own.
    testTimeout: 3 * 60 * 60 * 1000,
    hookTimeout: 5 * 60 * 1000,
    // Progress lines as they come, not gathered under the test at its end.
    disableConsoleIntercept: true,
  },
});
