// A fleet in <App>: the HOST column, each host's state in the header, actions reaching the right
// engine, and the images list of the focused host (the selected container's, or the next with H).
import { describe, expect, test } from 'vitest';
import { lines, mountApp, press, statusLine, waitForFrame } from '../support/app-harness.js';
import { FakeEngine, makeContainer, makeImage } from '../support/fake-engine.js';

describe('App: a fleet of hosts', () => {
  test('lists every host\'s containers with a HOST column and each host\'s state in the header', async () => {
    const other = new FakeEngine([makeContainer({ name: 'db' })]);
    const harness = mountApp([makeContainer({ name: 'api' })], { size: { columns: 100, rows: 24 }, fleetWith: { edge: other } });
    const frame = await waitForFrame(harness, (f) => f.includes('db') && f.includes('api'), 'both hosts\' containers');
    expect(lines(frame)[1]).toMatch(/NAME\s+HOST\s+STATE/);
    expect(frame).toMatch(/api\s+main\s+running/);
    expect(frame).toMatch(/db\s+edge\s+running/);
    expect(lines(frame)[0]).toMatch(/main ● edge ●/);
    other.disconnect();
    await waitForFrame(harness, (f) => /edge ◌ +edge reconnecting/.test(lines(f)[0] ?? ''), 'edge reconnecting in the header');
    expect(harness.frame()).toContain('db');
  });

  test('p pauses the selected container on its own host', async () => {
    const other = new FakeEngine([makeContainer({ name: 'db' })]);
    const harness = mountApp([makeContainer({ name: 'api' })], { size: { columns: 100, rows: 24 }, fleetWith: { edge: other } });
    harness.stdin.write('/db\r');
    await waitForFrame(harness, (f) => statusLine(f).includes('filter: db'), 'db alone');
    await press(harness, 'p', (f) => /db\s+edge\s+paused/.test(f), 'db paused');
    expect(other.actions.map((a) => a.action)).toEqual(['pause']);
    expect(harness.engine.actions).toEqual([]);
  });

  test('images are the focused host\'s; H moves to the next host', async () => {
    const other = new FakeEngine([makeContainer({ name: 'db' })]);
    other.images.push(makeImage({ tags: ['edge-only:1'] }));
    const harness = mountApp([makeContainer({ name: 'api' })], {
      size: { columns: 100, rows: 24 },
      fleetWith: { edge: other },
      setup: (engine) => engine.images.push(makeImage({ tags: ['main-only:1'] })),
    });
    await waitForFrame(harness, (f) => f.includes('db') && f.includes('api'), 'the fleet');
    await press(harness, '2', (f) => f.includes('main-only:1') && lines(f)[0]?.includes('on main') === true, 'main\'s images');
    await press(harness, 'H', (f) => f.includes('edge-only:1') && lines(f)[0]?.includes('on edge') === true, 'edge\'s images');
  });
});
