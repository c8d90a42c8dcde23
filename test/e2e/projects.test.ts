// The Compose projects view (5) of the real binary, in tmux, on the real engine: two projects made
// by the compose CLI (two replicas of web each), a project stop confirmed by the engine, and
// `compose up -d` run from the view with its command line, output and exit code on screen.
// Everything made here is named dh-<hex>, labelled dockhand.test=1, and removed afterwards.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findComposeCli, type ComposeCli } from '../../src/engine/compose.js';
import { docker, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { filterTo, startDockhand, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

const run = promisify(execFile);
const PREFIX = `dh-${randomBytes(3).toString('hex')}`;
const FIRST = `${PREFIX}-a`;
const SECOND = `${PREFIX}-b`;
/** Short paths: the command line is shown whole, wrapped in an 80-column terminal. */
const dirOf = (project: string) => join('/tmp', project);
const fileOf = (project: string) => join(dirOf(project), 'docker-compose.yml');

let cli: ComposeCli;

/** The compose CLI as a user would type it (its own endpoint: DOCKER_HOST or the CLI's context). */
function compose(project: string, ...args: string[]): Promise<unknown> {
  const prefix = cli.kind === 'plugin' ? [cli.path, 'compose'] : [cli.path];
  const [command = '', ...rest] = [...prefix, '--project-name', project, '--project-directory', dirOf(project), '-f', fileOf(project), ...args];
  return run(command, rest, { timeout: 120_000 });
}

const statesOf = async (project: string) =>
  (await docker('ps', '--all', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.State}}')).split('\n').sort();

/** Text as read across the lines it was wrapped on and the borders it was drawn in. */
const squash = (text: string) => text.replace(/[│\s]/g, '');

async function waitForSquashed(session: TmuxSession, expected: string, timeoutMs = 10_000): Promise<string> {
  return waitFor(async () => {
    const screen = await session.capture();
    return squash(screen).includes(squash(expected)) ? screen : undefined;
  }, { timeoutMs, message: `the screen to show ${JSON.stringify(expected)}` });
}

beforeAll(async () => {
  const found = await findComposeCli();
  if (!found) {
    throw new Error('Neither `docker compose` nor `docker-compose` is on PATH: scripts/engine.sh installs docker-compose (apt-get install -y docker-compose); run it as root.');
  }
  cli = found;
  for (const project of [FIRST, SECOND]) {
    await mkdir(dirOf(project), { recursive: true });
    // JSON is YAML too. busybox sleep as PID 1 ignores SIGTERM: a 1 s grace period keeps stops short.
    const web = { image: TEST_IMAGE, command: 'sleep 3600', scale: 2, stop_grace_period: '1s', labels: { [TEST_LABEL]: '1' } };
    await writeFile(fileOf(project), JSON.stringify({ version: '2.4', services: { web } }));
    await compose(project, 'up', '-d');
  }
}, 180_000);

afterAll(async () => {
  const ours = (await docker('ps', '--all', '--quiet', '--filter', `name=${PREFIX}`)).split('\n').filter(Boolean);
  if (ours.length > 0) await docker('rm', '--force', ...ours);
  for (const project of [FIRST, SECOND]) {
    await docker('network', 'rm', `${project}_default`).catch(() => undefined);
    await rm(dirOf(project), { recursive: true, force: true });
  }
});

describe('Compose projects in a terminal', () => {
  it('5 lists both projects; s then y stops only the selected one; u runs compose up -d with its output and exit code', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('5');
    await session.waitForText('PROJECT');
    await filterTo(session, PREFIX);
    await session.waitForText(new RegExp(`${FIRST}\\s+2/2\\s+1`));
    await session.waitForText(new RegExp(`${SECOND}\\s+2/2\\s+1`));

    // The first project is selected: s names its two containers, y stops them and nothing else.
    await session.type('s');
    await session.waitForText(`Stop 2 containers of project ${FIRST}?`);
    await session.type('y');
    await session.waitForText(`project ${FIRST}: stopped 2 containers`, { timeoutMs: 20_000 });
    expect(await statesOf(FIRST)).toEqual(['exited', 'exited']);
    expect(await statesOf(SECOND)).toEqual(['running', 'running']);
    await session.waitForText(new RegExp(`${FIRST}\\s+0/2`));

    // u shows the exact command line before anything runs.
    await session.type('u');
    await session.waitForText(`Create and start (up -d) project ${FIRST}?`);
    await waitForSquashed(session, `$ ${cli.path}`);
    await waitForSquashed(session, `--project-name ${FIRST} --project-directory ${dirOf(FIRST)} -f ${fileOf(FIRST)} up -d`);
    expect(await statesOf(FIRST)).toEqual(['exited', 'exited']);

    // y: the output pane, with compose's own output (1.x "Starting x_web_1", 2.x "Container x-web-1 Started") and the exit code.
    await session.type('y');
    const output = await session.waitForText('exit 0', { timeoutMs: 60_000 });
    expect(output).toMatch(new RegExp(`${FIRST}[-_]web[-_][12]`));
    expect(squash(output)).toContain(squash(`--project-name ${FIRST}`));
    await waitFor(async () => (await statesOf(FIRST)).every((s) => s === 'running'), { timeoutMs: 10_000, message: 'compose to start the project again' });

    await session.sendKeys('Escape');
    await session.waitForText(new RegExp(`${FIRST}\\s+2/2`));
    await session.waitForText(`project ${FIRST}: compose up -d: exit 0`);
  }, 120_000);
});
