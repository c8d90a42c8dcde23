// The configuration file, read by the real binary from $XDG_CONFIG_HOME in a real terminal.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inspect, runContainer, waitFor } from '../support/docker.js';
import { BIN, startDockhand, startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';

const run = promisify(execFile);
useRealEngineAndTerminal();

const xdg = mkdtempSync(join(tmpdir(), 'dockhand-config-'));
const file = join(xdg, 'dockhand', 'config.yml');
mkdirSync(join(xdg, 'dockhand'));
afterAll(() => rmSync(xdg, { recursive: true, force: true }));

/** NO_COLOR from the environment of the run would make every theme none. */
const env = { XDG_CONFIG_HOME: xdg, NO_COLOR: '' };

function writeConfig(text: string): void {
  writeFileSync(file, text);
}

/** A container that stops at once on SIGTERM (sleep as PID 1 would wait out the stop timeout). */
const STOPPABLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

/** The SGR parameters that set a colour (foreground or background, basic, bright, 256 or RGB). */
function colourParameters(styled: string): number[] {
  return [...styled.matchAll(/\u001B\[([\d;]*)m/g)]
    .flatMap((m) => (m[1] ?? '').split(';').map(Number))
    .filter((p) => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 107));
}

describe('the configuration file', () => {
  it('remaps a key and chooses the columns', async () => {
    // X is free in the list scope; s stops no more.
    writeConfig('keys:\n  list:\n    stop: X\ncolumns:\n  containers: [name, state, image]\n');
    const { id, name } = await runContainer({ name: uniqueName('keys'), cmd: STOPPABLE });
    const session = await startOn(name, { cols: 120, env });
    const titles = (await session.captureLines()).find((line) => line.trimStart().startsWith('NAME')) ?? '';
    expect(titles.split('│')[0]?.trim().split(/\s+/)).toEqual(['NAME', 'STATE', 'IMAGE']);

    await session.type('s');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await session.capture()).not.toContain('Stop container');
    await session.type('X');
    await session.waitForText(`Stop container ${name}?`);
    await session.type('y');
    await waitFor(async () => (await inspect(id)).State.Running === false, { message: 'X then y did not stop it' });
  });

  it('theme none: not one colour on the screen, where the default theme has some', async () => {
    const { name } = await runContainer({ name: uniqueName('theme') });
    writeConfig('theme: default\n');
    const coloured = await startOn(name, { env });
    expect(colourParameters(await coloured.captureStyled())).not.toEqual([]);
    await coloured.kill();

    writeConfig('theme: none\n');
    const plain = await startOn(name, { env });
    const styled = await plain.captureStyled();
    expect(colourParameters(styled)).toEqual([]);
    // The selected row is still told by inverse video.
    expect(styled).toMatch(/\u001B\[[\d;]*\b7[;m]/);
  });

  it('an invalid file: says what and where, and exits with 2', async () => {
    writeConfig('theme: dark\nkeys:\n  list:\n    stop: ss\n');
    const session = await startDockhand({ cols: 220, env });
    expect(await session.waitForExit()).toBe(2);
    const screen = await session.capture();
    expect(screen).toContain(`${file}: theme: "dark" is not one of: default, light, none`);
    expect(screen).toContain(`${file}: keys.list.stop: "ss" is not a key name (use a single character, or one of: enter, escape, tab,`);
    expect(screen).toContain('fix: correct the file, or start with the defaults in their place: dockhand --ignore-config-errors');
  });

  it('--print-config prints the file over the defaults, without a terminal', async () => {
    writeConfig('theme: light\nlogs:\n  since: 1h\nkeys:\n  list:\n    stop: X\n');
    const { stdout } = await run('node', [BIN, '--print-config'], { env: { ...process.env, ...env } });
    expect(stdout.split('\n')[0]).toBe(`# dockhand's configuration in effect: ${file} over the defaults`);
    const printed = parse(stdout);
    expect(printed.theme).toBe('light');
    expect(printed.logs).toEqual({ tail: 500, since: '1h', timestamps: 'off' });
    expect(printed.keys.list.stop).toBe('X');
    expect(printed.keys.global.quit).toEqual(['q', 'ctrl+c']);
  });

  it('runs a command of the user\'s own on the selected container from the palette, its output in a pane', async () => {
    // {{Name}} and {{ID}} are dockhand's; {{.State.Status}} is docker's own template, left alone.
    writeConfig([
      'commands:',
      '  containers:',
      '    - name: state',
      '      argv: [docker, inspect, --format, "{{.State.Status}} is the state of {{Name}}", "{{ID}}"]',
    ].join('\n'));
    const { name } = await runContainer({ name: uniqueName('own') });
    const session = await startOn(name, { env });
    await session.type(':run st');
    await session.sendKeys('Tab');
    await session.waitForText(':run state');
    await session.sendKeys('Enter');
    const screen = await session.waitForText(`running is the state of ${name}`);
    expect(screen).toContain('$ docker inspect --format');
    await session.waitForText('exit 0');
    await session.sendKeys('Escape');
    await session.waitForText('NAME');
  });
});
