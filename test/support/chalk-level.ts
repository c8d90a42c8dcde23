import chalk from 'chalk';
import { afterAll, beforeAll } from 'vitest';

/**
 * For a test file: Ink colours through chalk, which reads its level from the worker's stdout (not
 * a terminal), so frames would carry no SGR at all; raised, a colour (or its absence) can be seen.
 */
export function useChalkLevel(level: typeof chalk.level): void {
  let before: typeof chalk.level;
  beforeAll(() => {
    before = chalk.level;
    chalk.level = level;
  });
  afterAll(() => {
    chalk.level = before;
  });
}
