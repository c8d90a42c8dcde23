// The command palette (:) in <App>: typed commands with spaces, Tab completion, and what they do.
import { describe, expect, test } from 'vitest';
import { mountApp, press, statusLine, waitForFrame } from '../support/app-harness.js';
import { makeContainer } from '../support/fake-engine.js';

describe('App: the command palette', () => {
  test(':sort cpu from the images list orders the containers by CPU; Tab completes', async () => {
    const h = mountApp([makeContainer({ name: 'api' }), makeContainer({ name: 'db' })], { size: { columns: 100, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    await press(h, '2', (f) => f.includes('REPOSITORY'), 'images');
    await press(h, ':', (f) => f.includes('Tab complete'), 'the palette');
    h.stdin.write('sort c');
    await waitForFrame(h, (f) => statusLine(f).includes(':sort c'), 'typed, space and all');
    await press(h, '\t', (f) => statusLine(f).includes(':sort cpu'), 'completed');
    await press(h, '\r', (f) => f.includes('CPU▼'), 'containers by CPU');
  });

  test(':filter TEXT filters the list on screen; a wrong command says so', async () => {
    const h = mountApp([makeContainer({ name: 'api' }), makeContainer({ name: 'db' })], { size: { columns: 100, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('db'), 'the list');
    await press(h, ':', (f) => f.includes('Tab complete'), 'the palette');
    h.stdin.write('filter api\r');
    await waitForFrame(h, (f) => statusLine(f).includes('filter: api') && !f.includes('db '), 'filtered');
    await press(h, ':', (f) => f.includes('Tab complete'), 'the palette again');
    h.stdin.write('imag\r');
    const frame = await waitForFrame(h, (f) => statusLine(f).includes('no command'), 'the error');
    expect(statusLine(frame)).toContain('no command "imag": did you mean images?');
  });
});
