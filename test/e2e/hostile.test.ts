// Hostile engine text on the real engine, read off a real terminal: a container whose labels, env
// values and command carry escape sequences, bidi controls, RTL, CJK, emoji, zero-width characters
// and a 1,000-character value, whose log clears the screen, moves the cursor and sets the window
// title, and an image built with such a LABEL. dockhand in tmux (80x24) must keep every screen in
// place: the header on the first row, the hints on the last, the details pane's border in one
// column, no line wider than the terminal, nothing of an OSC payload on screen, and tmux's pane
// title as it was.
//
// Emoji outside the log are the ones tmux 3.3 draws as wide as string-width counts them (and Ink
// places them): tmux draws ❤️ and 1️⃣ a column narrower and 👍🏽 two columns wider, a difference no
// layout by string-width can absorb. The log view counts such sequences by their widest reading,
// so the log prints them all.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ENGINE_URL, ON_PODMAN, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { escapeRegExp, expectWithin, filterTo, startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

const run = promisify(execFile);

useRealEngineAndTerminal();

const ESC = '\u001B';
const BEL = '\u0007';
const COLS = 80;
const ROWS = 24;

const ESCAPES = `${ESC}[2J${ESC}[H${ESC}[10;10Hmoved ${ESC}]0;pwned${BEL}osc ${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ bare${ESC} \u009B2J c1 \u0085nel ${ESC}c`;
const WORLD = 'مرحبا بالعالم שלום עולם \u202Eevil\u202C 日本語のラベル 🐳 👨‍👩‍👧‍👦 🇯🇵 ☺︎ e\u0301 zero\u200Bwidth\uFEFF\u2060';
const LONG = 'ab日🐳'.repeat(250);

/** What the container prints: every kind of trouble on a line of its own, colours kept, then a marker. */
const SCRIPT = [
  "printf '\\033[2J\\033[H\\033[10;10Hmoved the cursor\\n'",
  // The title's word in octal, so that only the printed sequence (never the command line) spells it.
  "printf '\\033]0;\\160wned\\007after an OSC title\\n'",
  "printf '\\033[31mred\\033[0m stays red\\n'",
  "printf 'bare \\033 escape, \\302\\233 C1 CSI, \\302\\205 NEL, bell \\007, back\\bspace\\n'",
  "printf 'rtl مرحبا שלום \\342\\200\\256evil\\342\\200\\254 cjk 日本語 emoji 🐳👨‍👩‍👧‍👦🇯🇵❤️👍🏽1️⃣ zero\\342\\200\\213width\\n'",
  "printf 'progress 10%%\\rprogress 100%%\\n'",
  "printf 'long %s\\n' \"$(head -c 1000 /dev/zero | tr '\\000' 'x')\"",
  // Printed as END_OF_LOG; the command line (on the Overview) spells it otherwise.
  "printf 'end-of-\\154og\\n'",
  'sleep 3600',
].join('; ');

const END_OF_LOG = 'end-of-log';
/** The tab bar of a tab open full screen (beside the list, only some tabs fit). */
const FULL_SCREEN = /Overview\s+Logs\s+Stats\s+Inspect\s+Env\s+Top/;

const work = mkdtempSync(join(tmpdir(), 'dh-hostile-'));
const IMAGE = `dockhand-test/hostile-${randomBytes(3).toString('hex')}:latest`;

beforeAll(async () => {
  // The classic builder, as `docker build` on an engine without BuildKit: the LABEL goes into the image config as written.
  writeFileSync(join(work, 'Dockerfile'), `FROM ${TEST_IMAGE}\nLABEL hostile.image="${ESCAPES} ${WORLD}" hostile.long="${LONG}"\n`);
  await run('docker', ['build', '--quiet', '--tag', IMAGE, '--label', `${TEST_LABEL}=1`, work], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
}, 120_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  // Its containers go first (useRealEngineAndTerminal), so the image is no longer used by then.
  await docker('rmi', '--force', IMAGE).catch(() => undefined);
});

/** tmux's title of the pane, which an OSC 0 or 2 that reached the terminal would change. */
async function paneTitle(session: TmuxSession): Promise<string> {
  const { stdout } = await run('tmux', ['-S', session.socket, 'display-message', '-p', '-t', session.name, '#{pane_title}']);
  return stdout.trim();
}

/** Display column of the first `│` in `line`, or -1. */
function borderColumn(line: string): number {
  const at = line.indexOf('│');
  return at < 0 ? -1 : stringWidth(line.slice(0, at));
}

/**
 * The screen as dockhand lays it out: within the terminal, the header on the first row and the
 * hints on the last, no OSC payload shown, and beside the list the pane's border on every row
 * in the column it has on the titles row.
 */
function expectInPlace(screen: string, besideList: boolean): void {
  expectWithin(screen, COLS, ROWS);
  const lines = screen.split('\n');
  expect(lines[0], screen).toMatch(new RegExp(`${escapeRegExp(ENGINE_URL)}.*live`));
  expect(lines.at(-1), screen).toMatch(/^\? help/);
  // Inspect shows the sequences JSON-escaped, as `docker inspect` does: text, not a sequence.
  const unescaped = screen.replace(/\\u001b\](0;pwned|8;;https:\/\/evil\.example)/g, '');
  expect(unescaped).not.toContain('pwned');
  expect(unescaped).not.toContain('evil.example');
  if (!besideList) return;
  const border = borderColumn(lines[1] ?? '');
  expect(border, screen).toBeGreaterThan(0);
  for (const line of lines.slice(1, -2)) expect(borderColumn(line), `${line}\n${screen}`).toBe(border);
}

/**
 * The screen once a whole frame showing `expected` is on it, known by its last row. waitForText
 * already waits for two captures that agree (tmux may read a large frame in pieces); these screens'
 * layout is what is asserted, so here the frame's end is required, not likely.
 */
function waitForFrame(session: TmuxSession, expected: string | RegExp = ''): Promise<string> {
  const source = typeof expected === 'string' ? escapeRegExp(expected) : expected.source;
  return session.waitForText(new RegExp(`${source}[\\s\\S]*\\n\\? help[^\\n]*$`));
}

describe('hostile engine text in a real terminal', () => {
  it('keeps the list, the details, inspect, env and logs panes and the image details in place, and the pane title untouched', async () => {
    const name = uniqueName('hostile');
    // From the hostile image, whose labels the container inherits; the last word is the script's $0:
    // escape sequences in the command line itself.
    await docker(
      'run', '--detach', '--name', name, '--label', `${TEST_LABEL}=1`,
      '--label', `hostile.escapes=${ESCAPES}`, '--label', `hostile.world=${WORLD}`, '--label', `hostile.long=${LONG}`,
      '--env', `HOSTILE_ESCAPES=${ESCAPES}`, '--env', `HOSTILE_WORLD=${WORLD}`, '--env', `HOSTILE_LONG=${LONG}`,
      IMAGE, 'sh', '-c', SCRIPT, `${ESC}]0;pwned${BEL}${ESC}[2J`,
    );
    const session = await startOn(name, { cols: COLS, rows: ROWS });
    const title = await paneTitle(session);

    // Overview beside the list, the command first; full screen, at its end the labels (the image's too).
    expectInPlace(await waitForFrame(session, /Command\s+sh -c/), true);
    await session.sendKeys('Enter');
    await waitForFrame(session, FULL_SCREEN);
    await session.type('G');
    expectInPlace(await waitForFrame(session, /Label\s+hostile\.world/), false);
    await session.sendKeys('Escape');
    await waitForFrame(session, /NAME\s+STATE/);

    // Logs beside the list, then full screen.
    await session.type(']');
    expectInPlace(await waitForFrame(session, END_OF_LOG), true);
    await session.sendKeys('Enter');
    await waitForFrame(session, FULL_SCREEN);
    const logs = await waitForFrame(session, END_OF_LOG);
    expectInPlace(logs, false);
    await session.type('g');
    const top = await waitForFrame(session, 'moved the cursor');
    expectInPlace(top, false);
    expect(top).toContain('after an OSC title');
    expect(top).toContain('red stays red');
    expect(await paneTitle(session)).toBe(title);
    await session.sendKeys('Escape');
    await waitForFrame(session, /NAME\s+STATE/);

    // Inspect and Env, beside the list and full screen, at their top and their end. (Inspect has
    // the env too, as KEY=value: the Env tab's own lines are the key, spaces, the value.)
    for (const [keys, shows] of [[']]', /"Id": "/], [']', /HOSTILE_ESCAPES +\S/]] as const) {
      await session.type(keys);
      expectInPlace(await waitForFrame(session, shows), true);
      await session.sendKeys('Enter');
      await waitForFrame(session, FULL_SCREEN);
      expectInPlace(await waitForFrame(session, shows), false);
      await session.type('G');
      expectInPlace(await waitForFrame(session), false);
      await session.sendKeys('Escape');
      await waitForFrame(session, /NAME\s+STATE/);
    }

    // The image with its hostile LABEL, in the images list's details.
    await session.type('2');
    await waitForFrame(session, 'REPOSITORY:TAG');
    await filterTo(session, IMAGE.split(':')[0] ?? IMAGE);
    // Podman gives a local image a digest, whose line wraps over six rows beside the list and pushes
    // the labels below the pane's end: there the hostile labels are read full screen only.
    expectInPlace(await waitForFrame(session, ON_PODMAN ? /Digest\s+\S+/ : /Label\s+hostile/), true);
    await session.sendKeys('Enter');
    expectInPlace(await waitForFrame(session, /hostile\.image/), false);
    await session.type('G');
    expectInPlace(await waitForFrame(session), false);

    expect(await paneTitle(session)).toBe(title);
  }, 60_000);
});
