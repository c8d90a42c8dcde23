// What every end-to-end test of the real binary shares: the binary, the engine and tmux set up and
// torn down around each file, and the first steps a person takes on the dashboard.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { inspect, removeTestContainers, requireEngine, waitFor } from './docker.js';
import { TmuxSession } from './tmux.js';

export const BIN = resolve('dist/cli.js');

/** Short enough for the NAME column at 80 columns, unique across runs. */
export function uniqueName(word: string): string {
  return `dh-${word}-${randomBytes(2).toString('hex')}`;
}

/** For a test file: a real engine before, no tmux session after each test, no test container after all. */
export function useRealEngineAndTerminal(): void {
  beforeAll(async () => {
    await requireEngine();
  });
  afterEach(async () => {
    await TmuxSession.killAll();
  });
  afterAll(async () => {
    await removeTestContainers();
  });
}

export interface DockhandOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
  args?: string[];
  cwd?: string;
}

/** The built binary in a terminal of its own (80x24 unless told otherwise). */
export function startDockhand(opts: DockhandOptions = {}): Promise<TmuxSession> {
  return TmuxSession.start({
    command: ['node', BIN, ...(opts.args ?? [])],
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    env: opts.env ?? {},
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
}

/** Narrows the list to one container, which selects it. */
export async function filterTo(session: TmuxSession, name: string): Promise<void> {
  await session.type('/');
  await session.type(name);
  await session.sendKeys('Enter');
  await session.waitForText(`filter: ${name}`);
}

/** dockhand live on the engine with the list narrowed to `name`. */
export async function startOn(name: string, opts: DockhandOptions = {}): Promise<TmuxSession> {
  const session = await startDockhand(opts);
  await session.waitForText('● live');
  await filterTo(session, name);
  return session;
}

/** `p` pauses the selected container (as the engine reports it) and `p` again resumes it. */
export async function expectPauseAndResume(session: TmuxSession, id: string): Promise<void> {
  await session.type('p');
  await session.waitForText(/paused/);
  await waitFor(async () => (await inspect(id)).State.Paused === true, { message: 'engine never reported Paused' });
  await session.type('p');
  await waitFor(async () => (await inspect(id)).State.Paused === false, { message: 'engine never resumed' });
  await session.waitForText(/running/);
}

/** No line wider than the terminal, and no more lines than it has. */
export function expectWithin(screen: string, cols: number, rows?: number): void {
  const lines = screen.split('\n');
  if (rows !== undefined) expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(cols);
}

/** Types into the focused field of the run form, then waits for its row to show it (the form echoes every key). */
export async function fillField(session: TmuxSession, label: string, text: string): Promise<void> {
  await session.waitForText(new RegExp(`› ${label} `));
  await session.type(text);
  await session.waitForText(new RegExp(`› ${label} +.*${escapeRegExp(text.slice(-6))}`));
}

/** Tab to the run form's next field, once the focus is seen to move. */
export async function nextField(session: TmuxSession, label: string): Promise<void> {
  await session.sendKeys('Tab');
  await session.waitForText(new RegExp(`› ${label} `));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
