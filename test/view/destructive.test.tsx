// Every destructive key asks first, names exactly what it would destroy, and defaults to no:
// Enter, n and Esc all cancel, and the engine is asked for nothing.
import { describe, expect, test } from 'vitest';
import { mountApp, press, waitForFrame, type Harness } from '../support/app-harness.js';
import { makeContainer, makeImage, makeNetwork, makeVolume } from '../support/fake-engine.js';

const CANCELS = ['\r', 'n', '\u001B'] as const;
/** Every confirmation's answer line: only y acts, and no is the default. */
const ANSWER = /y yes\s+n\/Esc\/Enter no \(default\)/;

function mount(): Harness {
  return mountApp([makeContainer({ name: 'web' }), makeContainer({ name: 'db' })], {
    size: { columns: 120, rows: 30 },
    setup: (engine) => {
      engine.images.push(makeImage({ tags: ['shop/web:1.0'] }));
      engine.volumes.push(makeVolume({ name: 'pgdata' }));
      engine.networks.push(makeNetwork({ name: 'shopnet' }));
    },
  });
}

/** What the engine holds: unchanged by a cancelled dialog. */
const holdings = (h: Harness) => JSON.stringify({
  actions: h.engine.actions,
  containers: h.engine.containers.map((c) => [c.id, c.state]),
  images: h.engine.images.map((i) => i.tags),
  volumes: h.engine.volumes.map((v) => v.name),
  networks: h.engine.networks.map((n) => n.name),
});

const CASES = [
  { what: 'stop a container', view: '1', select: 'web', key: 's', names: ['Stop container web?'] },
  { what: 'remove a container', view: '1', select: 'web', key: 'd', names: ['Remove container web?'] },
  { what: 'kill a container', view: '1', select: 'web', key: 'K', names: ['Send a signal to web', 'SIGKILL'] },
  { what: 'remove an image tag', view: '2', select: 'shop/web', key: 'd', names: ['shop/web:1.0'] },
  { what: 'remove a volume', view: '3', select: 'pgdata', key: 'd', names: ['pgdata'] },
  { what: 'remove a network', view: '4', select: 'shopnet', key: 'd', names: ['shopnet'] },
] as const;

describe('destructive keys ask first and default to no', () => {
  test.each(CASES)('$what: the dialog names it; Enter, n and Esc cancel', async ({ view, select, key, names }) => {
    const h = mount();
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    const before = holdings(h);
    await press(h, view, (f) => f.includes(select), 'the view');
    await press(h, '/', (f) => f.split('\n').at(-2)?.startsWith('/') ?? false, 'the filter box');
    for (const char of select) h.stdin.write(char);
    await press(h, '\r', (f) => f.includes(`filter: ${select}`), 'filtered');
    for (const cancel of CANCELS) {
      await press(h, key, (f) => ANSWER.test(f) && names.every((n) => f.includes(n)), `the dialog for ${key}, naming ${names.join(', ')}`);
      await press(h, cancel, (f) => !ANSWER.test(f), `cancelled with ${JSON.stringify(cancel)}`);
      expect(holdings(h)).toBe(before);
    }
  });

  test('prune: the preview lists every item; Enter, n and Esc go back without deleting', async () => {
    const h = mount();
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    const before = holdings(h);
    await press(h, 'D', (f) => f.includes('RECLAIMABLE'), 'disk usage');
    for (const cancel of CANCELS) {
      await press(h, 'P', (f) => f.includes('Prune everything') && f.includes('y delete'), 'the preview');
      await press(h, cancel, (f) => f.includes('RECLAIMABLE') && !f.includes('Prune everything'), `back with ${JSON.stringify(cancel)}`);
      expect(holdings(h)).toBe(before);
    }
  });
});
