// Space marks containers and the lifecycle keys act on every marked one; o and O order the list.
import { describe, expect, test } from 'vitest';
import { lines, mountApp, press, waitForFrame } from '../support/app-harness.js';
import { makeContainer } from '../support/fake-engine.js';

const hoursAgo = (h: number) => Math.floor(Date.now() / 1000) - h * 3600;

function three() {
  return [
    makeContainer({ name: 'alpha', image: 'zeta:1', created: hoursAgo(3) }),
    makeContainer({ name: 'beta', image: 'eta:1', created: hoursAgo(1) }),
    makeContainer({ name: 'gamma', image: 'theta:1', created: hoursAgo(2) }),
  ];
}

/** The first cell of each list row, top to bottom. */
const names = (frame: string) => lines(frame).slice(2, 5).map((l) => (l.split('│')[0] ?? '').trim().split(/\s{2,}/)[0]);

describe('App: marks', () => {
  test('Space marks rows; s asks once naming every marked container, y stops them all, the marks go', async () => {
    const h = mountApp(three(), { size: { columns: 100, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, ' ', (f) => f.includes('● alpha'), 'alpha marked');
    await press(h, ' ', (f) => f.includes('● beta'), 'beta marked');
    const dialog = await press(h, 's', (f) => f.includes('Stop 2 containers?'), 'one dialog for both');
    expect(dialog).toContain('alpha, beta');
    await press(h, 'y', (f) => !f.includes('● alpha') && !f.includes('● beta') && (f.match(/exited/g) ?? []).length === 2, 'both stopped, marks cleared');
    expect(h.engine.actions.map((a) => a.action)).toEqual(['stop', 'stop']);
    expect(h.engine.find('gamma')?.state).toBe('running');
  });

  test('Esc unmarks all', async () => {
    const h = mountApp(three(), { size: { columns: 100, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, ' ', (f) => f.includes('● alpha'), 'alpha marked');
    await press(h, '\u001B', (f) => !f.includes('● alpha'), 'unmarked');
  });
});

describe('App: sorting the containers', () => {
  test('o goes through name, state, cpu, memory, age, image, with the arrow on that column; O reverses', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, 'o', (f) => f.includes('NAME▲'), 'by name');
    expect(names(h.frame())).toEqual(['alpha', 'beta', 'gamma']);
    await press(h, 'O', (f) => f.includes('NAME▼'), 'by name, reversed');
    expect(names(h.frame())).toEqual(['gamma', 'beta', 'alpha']);
    for (const title of ['STATE▲', 'CPU▼', 'MEM▼', 'AGE▼']) await press(h, 'o', (f) => f.includes(title), title);
    expect(names(h.frame())).toEqual(['beta', 'gamma', 'alpha']);
    await press(h, 'o', (f) => f.includes('IMAGE▲'), 'by image');
    expect(names(h.frame())).toEqual(['beta', 'gamma', 'alpha']);
    await press(h, 'o', (f) => !f.includes('▲') && !f.includes('▼'), 'back to the default order');
  });
});
