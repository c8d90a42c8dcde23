// --read-only in the dashboard: the header says so, every key that would change the engine
// explains why it does nothing, and the engine is asked for nothing.
import { describe, expect, test } from 'vitest';
import { lines, mountApp, press, statusLine, waitForFrame } from '../support/app-harness.js';
import { makeContainer, makeImage, makeVolume } from '../support/fake-engine.js';

function mountReadOnly() {
  return mountApp([makeContainer({ name: 'web' }), makeContainer({ name: 'db', state: 'exited', status: 'Exited (0) 1 hour ago' })], {
    size: { columns: 100, rows: 24 },
    readOnly: true,
    setup: (engine) => {
      engine.images.push(makeImage({ tags: ['shop/web:1'] }), makeImage({ tags: [] }));
      engine.volumes.push(makeVolume({ name: 'scratch' }));
    },
  });
}

describe('App: --read-only', () => {
  test('the header says read-only; each lifecycle key is refused with its name, and nothing is acted on', async () => {
    const h = mountReadOnly();
    const first = await waitForFrame(h, (f) => f.includes('db') && f.includes('● live'), 'the list');
    expect(lines(first)[0]).toContain('read-only');
    for (const [key, what] of [['S', 'start'], ['s', 'stop'], ['r', 'restart'], ['p', 'pause'], ['K', 'kill'], ['d', 'remove'], ['E', 'shell'], ['a', 'attach']] as const) {
      const frame = await press(h, key, (f) => statusLine(f).includes(`read-only: ${key} (${what}`), `${key} refused`);
      expect(statusLine(frame)).toContain('is off: dockhand was started with --read-only');
      // No dialog opened: the refusal is the whole answer.
      expect(frame).not.toMatch(/\?\s+y yes/);
    }
    expect(h.engine.actions).toEqual([]);
  });

  test('images: d is refused; the prune preview still lists what would go, y deletes nothing', async () => {
    const h = mountReadOnly();
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    await press(h, '2', (f) => f.includes('shop/web'), 'images');
    await press(h, 'd', (f) => statusLine(f).includes('read-only: d (remove'), 'd refused on images');
    await press(h, 'D', (f) => f.includes('Reclaimable') || f.includes('RECLAIMABLE'), 'disk usage');
    await press(h, 'P', (f) => f.includes('<none>') || /dangling/i.test(f), 'the preview of everything');
    await press(h, 'y', (f) => statusLine(f).includes('read-only: y (delete what is listed'), 'y refused');
    expect(h.engine.images).toHaveLength(2);
    expect(h.engine.volumes).toHaveLength(1);
  });

  test('the help marks the keys that are off', async () => {
    const h = mountReadOnly();
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    const help = await press(h, '?', (f) => f.includes('read-only: ✕ keys are off'), 'the help');
    expect(help).toMatch(/✕ s +stop/);
    expect(help).toMatch(/ {2}j ↓ +next row|  j/);
  });

  test(':run is refused for your commands', async () => {
    const h = mountApp([makeContainer({ name: 'web' })], {
      size: { columns: 100, rows: 24 },
      readOnly: true,
    });
    await waitForFrame(h, (f) => f.includes('web'), 'the list');
    await press(h, ':', (f) => statusLine(f).startsWith(':'), 'the palette');
    for (const char of 'run hello') h.stdin.write(char);
    await waitForFrame(h, (f) => statusLine(f).includes('run hello'), 'typed');
    await press(h, '\r', (f) => statusLine(f).includes('read-only: your commands may change the engine'), ':run refused');
  });
});
