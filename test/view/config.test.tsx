// The configuration file as the dashboard sees it: remapped keys, themes, columns, the view to
// start with, asking before quitting, and what a start with remarks says.
import { afterEach, describe, expect, test } from 'vitest';
import { podmanEndpoint } from '../../src/engine/podman-socket.js';
import type { ContainerRow } from '../../src/engine/types.js';
import { applyKeyOverrides, KEYMAP, setActiveKeymap } from '../../src/views/keymap.js';
import { makeTheme } from '../../src/views/theme.js';
import { lines, mountApp, press, rowOf, selectedName, settle, statusLine, waitForFrame, type MountOptions } from '../support/app-harness.js';
import { useChalkLevel } from '../support/chalk-level.js';
import { makeContainer, type FakeEngine } from '../support/fake-engine.js';

function containers(): ContainerRow[] {
  return [
    makeContainer({ name: 'api', image: 'node:20-alpine', health: 'unhealthy' }),
    makeContainer({ name: 'legacy', state: 'paused' }),
    makeContainer({ name: 'worker', state: 'exited', exitCode: 137 }),
  ];
}

async function mount(options: MountOptions = {}) {
  const harness = mountApp(containers(), options);
  await waitForFrame(harness, (f) => rowOf(f, 'worker') !== undefined && selectedName(f) === 'api', 'the first list');
  return harness;
}

afterEach(() => setActiveKeymap(KEYMAP));

describe('remapped keys', () => {
  test('act where the table had other keys, and the help and the dialog name them', async () => {
    setActiveKeymap(applyKeyOverrides([
      { scope: 'list', id: 'stop', keys: ['X'] },
      { scope: 'confirm', id: 'confirmYes', keys: ['o'] },
    ]).keymap);
    const h = await mount();
    h.stdin.write('s');
    await settle();
    expect(h.frame()).not.toContain('Stop container');

    let frame = await press(h, 'X', (f) => f.includes('Stop container api?'), 'the stop confirmation');
    expect(frame).toContain('o yes   n/Esc/Enter no (default)');
    h.stdin.write('y');
    await settle();
    expect(h.engine.actions).toEqual([]);
    await press(h, 'o', (f) => !f.includes('Stop container'), 'the confirmation closed');
    expect(h.engine.actions).toEqual([{ id: h.engine.find('api')?.id, action: 'stop', options: undefined }]);

    frame = await press(h, '?', (f) => f.includes('Keys  (Esc or ? closes)'), 'the help overlay');
    expect(frame).toMatch(/ X +stop \(asks first\)/);
  });
});

useChalkLevel(3);

/** Every SGR parameter written: 1 bold, 2 dim, 7 inverse and their resets are no colour; 30–49 and 90–107 are. */
const sgrParameters = (raw: string) => [...raw.matchAll(/\u001B\[([\d;]*)m/g)].flatMap((m) => (m[1] ?? '').split(';').map(Number));
const isColour = (p: number) => (p >= 30 && p <= 49) || (p >= 90 && p <= 107);

describe('themes', () => {
  test('none writes no colour at all, and keeps inverse for the selection and bold and dim', async () => {
    const coloured = await mount({ size: { columns: 120, rows: 20 } });
    expect(sgrParameters(coloured.raw()).some(isColour)).toBe(true);
    coloured.unmount();

    const h = await mount({ size: { columns: 120, rows: 20 }, theme: makeTheme('none', 'extended') });
    const parameters = sgrParameters(h.raw());
    expect(parameters.filter(isColour)).toEqual([]);
    expect(parameters).toContain(7);
    expect(parameters).toContain(1);
    expect(parameters).toContain(2);
  });
});

describe('settings', () => {
  test('columns: only the configured ones, in the list order', async () => {
    const h = await mount({ settings: { columns: { containers: ['name', 'state', 'image'] } } });
    const titles = lines(h.frame())[1] ?? '';
    expect(titles.split('│')[0]?.trim().split(/\s+/)).toEqual(['NAME', 'STATE', 'IMAGE']);
  });

  test('defaultView: the list shown at start', async () => {
    const h = mountApp(containers(), { settings: { defaultView: 'images' } });
    await waitForFrame(h, (f) => /\d+ images?/.test(lines(f)[0] ?? ''), 'the images list');
  });

  test('confirmQuit: q asks first, n stays, y quits; Ctrl-C never asks', async () => {
    const h = await mount({ settings: { confirmQuit: true } });
    await press(h, 'q', (f) => statusLine(f).includes('Quit dockhand? y/n'), 'the question');
    await press(h, 'n', (f) => !statusLine(f).includes('Quit dockhand?'), 'the question gone');
    expect(h.exited()).toBe(false);
    h.stdin.write('q');
    await settle();
    h.stdin.write('y');
    await waitForFrame(h, () => h.exited(), 'the app to exit');

    const again = await mount({ settings: { confirmQuit: true } });
    again.stdin.write('\u0003');
    await waitForFrame(again, () => again.exited(), 'the app to exit at Ctrl-C');
  });

  test('the start notice is the first status line', async () => {
    const h = await mount({ settings: { notice: '~/.config/dockhand/config.yml: keys.list.stop: "x" was composeDown\'s key in list, now stop\'s' } });
    expect(statusLine(h.frame())).toContain('"x" was composeDown');
  });

  test('an engine found at Podman\'s socket is said at start, after what the configuration says', async () => {
    const podman = (engine: FakeEngine) => Object.assign(engine, {
      info: { ...engine.info, endpoint: podmanEndpoint(engine.info.endpoint, '/run/podman/podman.sock') },
    });
    const h = await mount({ setup: podman });
    expect(statusLine(h.frame())).toContain("using Podman's socket unix:///run/podman/podman.sock: no Docker engine at /var/run/docker.sock");
    const withRemarks = await mount({ setup: podman, settings: { notice: 'config.yml: theme: "neon" is not a theme' } });
    expect(statusLine(withRemarks.frame())).toContain('"neon" is not a theme');
  });
});
