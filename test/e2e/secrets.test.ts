// Secrets on the real engine: a password in a container's env, label and command line never
// reaches the screen unmasked (overview, inspect, env, events), and a whole session writes no
// file anywhere it could (home, config and temporary directories).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../support/docker.js';
import { filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

const SECRET = 'hunter2';
let dirs: { home: string; tmp: string };

beforeAll(async () => {
  dirs = { home: await mkdtemp(join(tmpdir(), 'dh-home-')), tmp: await mkdtemp(join(tmpdir(), 'dh-tmp-')) };
});

afterAll(async () => {
  await rm(dirs.home, { recursive: true, force: true });
  await rm(dirs.tmp, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
}

/** The screen, asserting the secret is not on it. */
async function screenWithout(session: TmuxSession, expected: string | RegExp): Promise<string> {
  const screen = await session.waitForText(expected);
  expect(screen).not.toContain(SECRET);
  return screen;
}

describe('secrets stay masked, and nothing is written', () => {
  it('env, label and command-line secrets are masked in the overview, inspect, env and events', async () => {
    const name = uniqueName('sec');
    const session = await startDockhand({
      cols: 120, rows: 40,
      env: { HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: join(dirs.home, '.config'), XDG_CACHE_HOME: join(dirs.home, '.cache') },
    });
    await session.waitForText('● live');
    // Created under dockhand's eyes, so its create event (with every label) is in the events list.
    await runContainer({
      name,
      args: ['-e', `DB_PASSWORD=${SECRET}-env`, '--label', `com.example.api-token=${SECRET}-label`],
      cmd: ['sh', '-c', 'sleep 3600', 'sh', `--password=${SECRET}-cmd`],
    });
    await filterTo(session, name);
    const overview = await screenWithout(session, 'com.example.api-token=••••••••');
    expect(overview).toContain('--password=•••');

    await session.type(']]]');
    await session.sendKeys('Enter');
    await session.type('/');
    await session.type('api-token');
    await session.sendKeys('Enter');
    await screenWithout(session, '"com.example.api-token": "••••••••"');
    await session.type('/');
    await session.type('DB_PASSWORD');
    await session.sendKeys('Enter');
    await screenWithout(session, '"DB_PASSWORD=••••••••"');
    await session.type('/');
    await session.type('--password');
    await session.sendKeys('Enter');
    await screenWithout(session, '"--password=••••••••"');
    // Back to the list before the next key: an Esc followed at once by ] would read as Alt+].
    await session.sendKeys('Escape');
    await session.waitForText(/NAME\s+STATE/);
    await session.type(']');
    await screenWithout(session, 'DB_PASSWORD');

    await session.type('8');
    await filterTo(session, name);
    await screenWithout(session, 'created from');
    await session.sendKeys('Enter');
    await screenWithout(session, 'com.example.api-token=••••••••');
    // m shows it, as in the container's tabs.
    await session.type('m');
    await session.waitForText(`com.example.api-token=${SECRET}-label`);

    await session.type('q');
    await session.waitForExit();
    expect(await filesUnder(dirs.home)).toEqual([]);
    expect(await filesUnder(dirs.tmp)).toEqual([]);
  });
});
