// The events list (8) and the problems alert in the whole <App> over the in-memory engine: the
// events since the start when the list opens, the header's count and notice when a container
// turns unhealthy, and `!` selecting it in the containers list from wherever it is hidden.
import { describe, expect, test } from 'vitest';
import { containerEvent, FakeEngine, makeContainer } from '../support/fake-engine.js';
import { lines, mountApp, press, rowOf, selectedName, statusLine, waitForFrame } from '../support/app-harness.js';

const SIZE = { size: { columns: 80, rows: 24 } };

describe('the events list in the app', () => {
  test('8 shows the events since the start, a death with its exit code, and 1 goes back', async () => {
    const web = makeContainer({ name: 'web-1' });
    const h = mountApp([web], SIZE);
    await waitForFrame(h, (f) => rowOf(f, 'web-1') !== undefined, 'the list');
    h.engine.emit({ ...containerEvent('die', web), attributes: { ...containerEvent('die', web).attributes, exitCode: '3' } });
    const frame = await press(h, '8', (f) => f.includes('web-1 died (exit 3, application-defined)'), 'the events list');
    expect(lines(frame)[0]).toContain('1 event');
    expect(frame).toContain('exitCode=3');
    await press(h, '1', (f) => rowOf(f, 'web-1') !== undefined, 'the containers again');
  });
});

describe('problems in the app', () => {
  test('the header counts a container that turns unhealthy, and ! selects it from another list', async () => {
    const web = makeContainer({ name: 'web-1', health: 'healthy' });
    const db = makeContainer({ name: 'db', health: 'healthy' });
    const h = mountApp([web, db], SIZE);
    const first = await waitForFrame(h, (f) => rowOf(f, 'web-1') !== undefined, 'the list');
    expect(lines(first)[0]).not.toContain('problem');
    await press(h, '/', (f) => statusLine(f).startsWith('/'), 'the filter box');
    await press(h, 'db\r', (f) => rowOf(f, 'web-1') === undefined, 'web-1 filtered out');

    h.engine.updateContainer(web.id, { health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' });
    h.engine.emit(containerEvent('health_status: unhealthy', web));
    const noticed = await waitForFrame(h, (f) => statusLine(f).includes('web-1 turned unhealthy'), 'the notice');
    const header = lines(noticed)[0] ?? '';
    // At 80 columns the count and "live" both fit: the endpoint gives way.
    expect(header).toMatch(/2\/2 running {2}⚠ 1 problem {2}● live$/);

    await press(h, '8', (f) => f.includes('web-1 turned unhealthy') && lines(f)[0]?.includes('event') === true, 'the events list');
    const selected = await press(h, '!', (f) => rowOf(f, 'db') !== undefined && selectedName(f) === 'web-1', 'web-1 selected, unfiltered');
    expect(statusLine(selected)).toContain('web-1: unhealthy: its health check fails (filter cleared)');
  });

  test('a fleet counts its hosts\' problems in the header, and its events say which host', async () => {
    const web = makeContainer({ name: 'web-1', health: 'unhealthy' });
    const h = mountApp([web], { ...SIZE, fleetWith: { spare: new FakeEngine([]) } });
    const first = await waitForFrame(h, (f) => lines(f)[0]?.includes('spare ●') === true, 'both hosts');
    expect(lines(first)[0]).toMatch(/⚠ 1 problem {2}1\/1 running$/);
    h.engine.emit(containerEvent('pause', web));
    const events = await press(h, '8', (f) => f.includes('web-1 paused'), 'the events list');
    expect(events).toMatch(/TIME +HOST +EVENT/);
    expect(events).toMatch(/\d\d:\d\d:\d\d main +web-1 paused/);
  });

  test('! says so when nothing is wrong', async () => {
    const h = mountApp([makeContainer({ name: 'web-1' })], SIZE);
    await waitForFrame(h, (f) => rowOf(f, 'web-1') !== undefined, 'the list');
    await press(h, '!', (f) => statusLine(f).includes('No problems'), 'the answer');
  });
});
