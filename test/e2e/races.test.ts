// The real binary while containers change under it from outside (another terminal, a script,
// `docker compose up`): removed, renamed or recreated while selected, while their log streams
// full screen, while their stats graph shows, and between a confirmation and its `y`. The
// selection moves as a person expects, nothing is done to a container the user did not choose,
// and what went is said in words. Read off the screen in tmux, checked against the engine.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findComposeCli, type ComposeCli } from '../../src/engine/compose.js';
import { docker, inspect, runContainer, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

const run = promisify(execFile);
/** busybox sleep as PID 1 ignores SIGTERM: its stops take the whole grace period unless it is short. */
const STOP_FAST = ['--stop-timeout', '1'];
/** A log that keeps going, so a follower is live when its container goes. */
const TICKING = ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'];

let cli: ComposeCli;
const projects: string[] = [];

beforeAll(async () => {
  const found = await findComposeCli();
  if (!found) throw new Error('Neither `docker compose` nor `docker-compose` is on PATH: scripts/engine.sh installs docker-compose.');
  cli = found;
});

afterAll(async () => {
  for (const project of projects) {
    await docker('network', 'rm', `${project}_default`).catch(() => undefined);
    await rm(join('/tmp', project), { recursive: true, force: true });
  }
});

/** Three running containers PREFIX-a, -b, -c: listed in that order, a selected first. */
async function threeContainers(word: string, cmd?: string[]): Promise<{ prefix: string; ids: Record<'a' | 'b' | 'c', string> }> {
  const prefix = uniqueName(word);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (suffix) =>
    (await runContainer({ name: `${prefix}-${suffix}`, args: STOP_FAST, ...(cmd ? { cmd } : {}) })).id));
  return { prefix, ids: { a: a ?? '', b: b ?? '', c: c ?? '' } };
}

/** The Overview (beside the list) of the selected container shows this id. */
function paneShowsId(session: TmuxSession, id: string, timeoutMs = 5000): Promise<string> {
  return session.waitForText(new RegExp(`ID\\s+${id.slice(0, 12)}`), { timeoutMs });
}

/** Never an error dump: no stack frame, no raw errno, no daemon "No such container". */
function expectNoErrorDump(screen: string): void {
  expect(screen).not.toMatch(/\n\s+at |ENOENT|ECONNREFUSED|No such container|stats: /);
}

/** What `docker compose` does to a service's container on `up --force-recreate`, by hand (Compose v2's order). */
async function recreateAsCompose(name: string, cmd: string[] = ['sleep', '3600']): Promise<string> {
  const old = (await inspect(name)).Id as string;
  const replacement = await docker('create', '--name', `${old.slice(0, 12)}_${name}`, '--label', `${TEST_LABEL}=1`, ...STOP_FAST, TEST_IMAGE, ...cmd);
  await docker('rm', '--force', old);
  await docker('rename', replacement, name);
  await docker('start', replacement);
  return replacement;
}

describe('containers changing under the selection', () => {
  it('removed while selected with its log beside the list: the neighbour is selected and shown, nothing breaks', async () => {
    const { prefix, ids } = await threeContainers('rm', TICKING);
    const session = await startOn(prefix, { cols: 120 });
    await paneShowsId(session, ids.a);
    await session.type('j');
    await paneShowsId(session, ids.b);
    await session.type(']');
    await session.waitForText(`${prefix}-b · following`);
    await session.waitForText(/tick \d+/);

    await docker('rm', '--force', ids.b);
    const screen = await session.waitForText(new RegExp(`${prefix}-[ac] · following`));
    expect(screen).not.toContain(`${prefix}-b`);
    expectNoErrorDump(screen);
    // The list still answers: the other neighbour is one key away.
    await session.type('[');
    const other = screen.includes(`${prefix}-c · following`) ? ids.a : ids.c;
    await session.type(other === ids.a ? 'k' : 'j');
    await paneShowsId(session, other);
  });

  it('renamed while selected: the selection stays on the same container under its new name', async () => {
    const { prefix, ids } = await threeContainers('mv');
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);

    await docker('rename', `${prefix}-b`, `${prefix}-z`);
    // Sorted by name it moves to the end of the list; the selection goes with it.
    const screen = await session.waitForText(new RegExp(`Name\\s+${prefix}-z`));
    expect(screen).toMatch(new RegExp(`ID\\s+${ids.b.slice(0, 12)}`));
    await session.type('s');
    await session.waitForText(`Stop container ${prefix}-z?`);
    await session.sendKeys('Escape');
  });

  it('recreated while selected (same name, new id): the selection follows the name, and s then y stops the new one', async () => {
    const { prefix, ids } = await threeContainers('re');
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);

    const fresh = await recreateAsCompose(`${prefix}-b`);
    await paneShowsId(session, fresh);
    // Compose creates the new container under a temporary name and renames it last: the selection
    // is on it from the start, and the name arrives with the rename.
    const screen = await session.waitForText(new RegExp(`Name\\s+${prefix}-b\\b`));
    expect(screen).toMatch(new RegExp(`ID\\s+${fresh.slice(0, 12)}`));
    expectNoErrorDump(screen);

    await session.type('s');
    await session.waitForText(`Stop container ${prefix}-b?`);
    await session.type('y');
    await waitFor(async () => (await inspect(fresh)).State.Running === false, { message: 'the new container stopped' });
    expect((await inspect(ids.a)).State.Running).toBe(true);
    expect((await inspect(ids.c)).State.Running).toBe(true);
  });

  it('recreated by docker compose up --force-recreate: the selection follows the service\'s container to its new id', async () => {
    const project = uniqueName('cp');
    projects.push(project);
    const dir = join('/tmp', project);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'docker-compose.yml');
    // JSON is YAML too. No network: nothing to remove afterwards but the containers.
    const web = { image: TEST_IMAGE, command: 'sleep 3600', stop_grace_period: '1s', network_mode: 'none', labels: { [TEST_LABEL]: '1' } };
    await writeFile(file, JSON.stringify({ version: '2.4', services: { web } }));
    const compose = (...args: string[]) => {
      const prefix = cli.kind === 'plugin' ? [cli.path, 'compose'] : [cli.path];
      const [command = '', ...rest] = [...prefix, '--project-name', project, '--project-directory', dir, '-f', file, ...args];
      return run(command, rest, { timeout: 120_000 });
    };
    await compose('up', '-d');
    const idsOf = async () => (await docker('ps', '--all', '--quiet', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`)).split('\n').filter(Boolean);
    const [old = ''] = await idsOf();

    const session = await startOn(project, { cols: 120 });
    await paneShowsId(session, old);
    await compose('up', '-d', '--force-recreate');
    const [fresh = ''] = await idsOf();
    expect(fresh).not.toBe(old);
    const screen = await paneShowsId(session, fresh, 10_000);
    expectNoErrorDump(screen);
    await compose('down', '--timeout', '1');
  }, 60_000);
});

describe('a confirmation whose container goes before y', () => {
  it('removed between s and y: "no longer exists", and nothing else is stopped', async () => {
    const { prefix, ids } = await threeContainers('dlg');
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);
    await session.type('s');
    await session.waitForText(`Stop container ${prefix}-b?`);

    await docker('rm', '--force', ids.b);
    // The dialog says so while it is open; y then acts on nothing.
    await session.waitForText(`${prefix}-b (no longer exists)`);
    await session.type('y');
    const screen = await session.waitForText(`${prefix}-b no longer exists: nothing was done`);
    expectNoErrorDump(screen);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await inspect(ids.a)).State.Running).toBe(true);
    expect((await inspect(ids.c)).State.Running).toBe(true);
  });

  it('recreated between s and y: the dialog was for the old container, so the new one is left running', async () => {
    const { prefix, ids } = await threeContainers('dlr');
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);
    await session.type('s');
    await session.waitForText(`Stop container ${prefix}-b?`);

    const fresh = await recreateAsCompose(`${prefix}-b`);
    await session.waitForText(`${prefix}-b (no longer exists)`);
    await session.type('y');
    await session.waitForText(`${prefix}-b no longer exists: nothing was done`);
    // Beneath the dialog the selection went on to the new container; it is left running.
    await paneShowsId(session, fresh);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await inspect(fresh)).State.Running).toBe(true);
    expect((await inspect(ids.a)).State.Running).toBe(true);
    expect((await inspect(ids.c)).State.Running).toBe(true);
  });
});

describe('a container going while its tab is open full screen', () => {
  it('its log says it was removed (no error), and Esc goes back to the list with a neighbour selected', async () => {
    const { prefix, ids } = await threeContainers('lg', TICKING);
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);
    await session.type(']');
    await session.sendKeys('Enter');
    await session.waitForText(`${prefix}-b · following`);
    await session.waitForText(/tick \d+/);

    await docker('rm', '--force', ids.b);
    const screen = await session.waitForText('The container was removed.');
    expect(screen).toContain(`${prefix}-b · `);
    expectNoErrorDump(screen);

    await session.sendKeys('Escape');
    const list = await session.waitForText(new RegExp(`${prefix}-[ac] · following`));
    expect(list).not.toContain(`${prefix}-b`);
    expectNoErrorDump(list);
  });

  it('its stats stop cleanly and the tab says it no longer exists; recreated, Esc shows the new one', async () => {
    const { prefix, ids } = await threeContainers('st');
    const session = await startOn(prefix, { cols: 120 });
    await session.type('j');
    await paneShowsId(session, ids.b);
    await session.type(']]');
    await session.sendKeys('Enter');
    // The figures need two readings of the stream: dockerd sends one a second, Podman one every 5 s.
    await session.waitForText('MEM USAGE', { timeoutMs: 10_000 });

    const fresh = await recreateAsCompose(`${prefix}-b`);
    const screen = await session.waitForText('This container no longer exists.');
    expectNoErrorDump(screen);
    await session.waitForText(`${prefix}-b was recreated: Esc goes back to the list, where the new one is selected`);

    await session.sendKeys('Escape');
    // The list back first: an Esc followed at once by [ would reach dockhand as one escape sequence.
    await session.waitForText(/NAME\s+STATE/);
    await session.type('[[');
    await paneShowsId(session, fresh);
  });
});
