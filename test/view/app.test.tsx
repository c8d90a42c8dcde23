// View tests: the whole <App> over an in-memory engine, with the real ContainerStore and
// StatsSampler, asserting on rendered frames the way a user reads the screen.
//
// CI=true: when `is-in-ci` says it runs in CI, Ink writes only the last frame, at exit, except
// in debug mode, which writes every frame whatever CI says. ink-testing-library renders in debug
// mode and so does the sized harness below, so these tests see the same frames with or without
// CI, and no env juggling is needed. What CI still changes in debug mode, nothing here relies on:
// Ink's own 'resize' listener (the app has its own) and one extra "\n" written at unmount (so
// no test reads a frame after the app has quit).
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import type { ContainerRow } from '../../src/engine/types.js';
import {
  descriptionOf, hasSelected, inFilterBox, KEY, lines, listEntries, mountApp, press, rowOf, selectedName, settle,
  statusLine, waitForFrame, type Harness, type MountOptions,
} from '../support/app-harness.js';
import { KEYMAP } from '../../src/views/keymap.js';
import { containerEvent, makeContainer } from '../support/fake-engine.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** Listed as: api, ▾ shop (db-1, web-1), legacy (paused), cron (exited 0), worker (exited 137). */
function standardContainers(): ContainerRow[] {
  return [
    makeContainer({ name: 'worker', state: 'exited', exitCode: 137 }),
    makeContainer({ name: 'shop-web-1', project: 'shop', service: 'web', image: 'nginx:1.25' }),
    makeContainer({ name: 'cron', state: 'exited', exitCode: 0 }),
    makeContainer({ name: 'api', image: 'node:20-alpine' }),
    makeContainer({ name: 'legacy', state: 'paused' }),
    makeContainer({ name: 'shop-db-1', project: 'shop', service: 'db', image: 'postgres:16' }),
  ];
}

async function mountStandard(options: MountOptions = {}): Promise<Harness> {
  const harness = mountApp(standardContainers(), options);
  await waitForFrame(harness, (f) => rowOf(f, 'worker') !== undefined && selectedName(f) === 'api', 'the first list');
  return harness;
}

function idOf(harness: Harness, name: string): string {
  const row = harness.engine.find(name);
  if (!row) throw new Error(`no container ${name}`);
  return row.id;
}

// ---------------------------------------------------------------------------------------------

describe('App: the container list', () => {
  test('lists running containers first, then paused, then stopped, with the exit code of exited ones', async () => {
    const h = await mountStandard();
    const frame = h.frame();
    expect(listEntries(frame)).toEqual(['api', '▾ shop', 'db-1', 'web-1', 'legacy', 'cron', 'worker']);
    expect(rowOf(frame, 'worker')).toContain('exited (137)');
    expect(rowOf(frame, 'cron')).toContain('exited (0)');
    expect(rowOf(frame, 'legacy')).toContain('paused');
    expect(lines(frame)[0]).toContain('3/6 running');
    expect(lines(frame)[0]).toContain('● live');
  });

  test('groups a Compose project under one header with its running count', async () => {
    const h = await mountStandard();
    const frame = h.frame();
    expect(frame).toContain('▾ shop  2/2 running');
    const entries = listEntries(frame);
    const header = entries.indexOf('▾ shop');
    expect(entries.slice(header + 1, header + 3)).toEqual(['db-1', 'web-1']);
  });

  test('shows CPU % derived from two consecutive stats readings, and no CPU for stopped containers', async () => {
    const h = mountApp(standardContainers());
    h.engine.setStats(idOf(h, 'api'), { cpuPercent: 37.5, memoryUsed: 96 * 1024 * 1024 });
    const frame = await waitForFrame(h, (f) => rowOf(f, 'api')?.includes('37.50%') ?? false, 'the CPU figure of api');
    expect(rowOf(frame, 'api')).toContain('96MiB');
    expect(rowOf(frame, 'web-1')).toContain('12.50%');
    expect(rowOf(frame, 'worker')).not.toMatch(/%/);
    // Only running containers are sampled: paused and exited ones cost the engine nothing.
    expect(h.engine.statsRequests.has(idOf(h, 'legacy'))).toBe(false);
    expect(h.engine.statsRequests.has(idOf(h, 'worker'))).toBe(false);
  });

  test('a container created outside dockhand appears without a key press', async () => {
    const h = await mountStandard();
    h.engine.addContainer(makeContainer({ name: 'fresh', image: 'redis:7' }));
    const frame = await waitForFrame(h, (f) => rowOf(f, 'fresh') !== undefined, 'the new container');
    expect(listEntries(frame)).toEqual(['api', 'fresh', '▾ shop', 'db-1', 'web-1', 'legacy', 'cron', 'worker']);
    expect(lines(frame)[0]).toContain('4/7 running');
  });
});

describe('App: moving the selection', () => {
  test('j and k move the selection over the group header, and the detail pane follows', async () => {
    const h = await mountStandard();
    await press(h, 'j', hasSelected('shop-db-1'), 'j skips the group header');
    await press(h, 'j', hasSelected('shop-web-1'), 'j');
    await press(h, 'j', hasSelected('legacy'), 'j');
    await press(h, 'k', hasSelected('shop-web-1'), 'k');
    await press(h, 'k', hasSelected('shop-db-1'), 'k');
    await press(h, 'k', hasSelected('api'), 'k skips the group header');
  });

  test('arrow keys move the selection like j and k', async () => {
    const h = await mountStandard();
    await press(h, KEY.down, hasSelected('shop-db-1'), 'down arrow');
    await press(h, KEY.up, hasSelected('api'), 'up arrow');
  });

  test('k on the first container and j on the last keep the selection', async () => {
    const h = await mountStandard();
    h.stdin.write('k');
    await settle();
    expect(selectedName(h.frame())).toBe('api');
    await press(h, 'G', hasSelected('worker'), 'G');
    h.stdin.write('j');
    await settle();
    expect(selectedName(h.frame())).toBe('worker');
  });

  test('G selects the last container and g the first', async () => {
    const h = await mountStandard();
    await press(h, 'G', hasSelected('worker'), 'G');
    await press(h, 'g', hasSelected('api'), 'g');
  });

  test('the detail pane shows the inspected state of the selected container', async () => {
    const h = await mountStandard();
    await press(h, 'G', hasSelected('worker'), 'G');
    const frame = await waitForFrame(h, (f) => /Exit code\s+137/.test(f), 'the inspected exit code');
    expect(frame).toContain('busybox');
  });
});

describe('App: showing and filtering', () => {
  test('e hides stopped containers and e shows them again', async () => {
    const h = await mountStandard();
    let frame = await press(h, 'e', (f) => rowOf(f, 'worker') === undefined, 'stopped ones hidden');
    expect(listEntries(frame)).toEqual(['api', '▾ shop', 'db-1', 'web-1', 'legacy']);
    frame = await press(h, 'e', (f) => rowOf(f, 'worker') !== undefined, 'stopped ones shown');
    expect(listEntries(frame)).toContain('cron');
  });

  test('/ opens the filter, typing narrows the list, Enter keeps the filter', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    await press(h, 'w', (f) => f.includes('/w'), 'typed w');
    await press(h, 'e', (f) => f.includes('/we'), 'typed e');
    let frame = await press(h, 'b', (f) => listEntries(f).length === 2, 'the narrowed list');
    expect(listEntries(frame)).toEqual(['▾ shop', 'web-1']);
    frame = await press(h, KEY.enter, (f) => f.includes('filter: web'), 'the kept filter');
    expect(listEntries(frame)).toEqual(['▾ shop', 'web-1']);
    expect(inFilterBox(frame)).toBe(false);
    // Back in the list: keys move the selection again, within the filtered list.
    expect(selectedName(frame)).toBe('shop-web-1');
  });

  test('/ then Esc clears a kept filter and brings every container back', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    h.stdin.write('web');
    await waitForFrame(h, (f) => listEntries(f).length === 2, 'the narrowed list');
    await press(h, KEY.enter, (f) => f.includes('filter: web'), 'the kept filter');
    await press(h, '/', inFilterBox, 'the filter box again');
    const frame = await press(h, KEY.escape, (f) => !inFilterBox(f), 'the filter closed');
    expect(frame).not.toContain('filter: web');
    expect(listEntries(frame)).toEqual(['api', '▾ shop', 'db-1', 'web-1', 'legacy', 'cron', 'worker']);
  });

  test('the filter matches the exit code shown in the state column', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    h.stdin.write('137');
    const frame = await waitForFrame(h, (f) => listEntries(f).length === 1, 'the narrowed list');
    expect(listEntries(frame)).toEqual(['worker']);
  });

  test('typing q in the filter box types it instead of quitting (key bubbling regression)', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    await press(h, 'q', (f) => f.includes('/q'), 'q typed into the filter');
    await settle();
    expect(h.exited()).toBe(false);
    expect(h.frame()).toContain('No container matches "q"');
    // Still alive and listening: Esc clears the filter.
    await press(h, KEY.escape, (f) => listEntries(f).length === 7, 'the filter cleared');
    expect(h.exited()).toBe(false);
  });

  test('typing j or k in the filter box types them instead of moving the selection (key bubbling regression)', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    await press(h, 'j', (f) => f.includes('/j'), 'j typed into the filter');
    await press(h, 'k', (f) => f.includes('/jk'), 'k typed into the filter');
    await press(h, KEY.escape, (f) => listEntries(f).length === 7, 'the filter cleared');
    await settle();
    expect(selectedName(h.frame())).toBe('api');
  });

  test('Backspace deletes the last character of the filter', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    h.stdin.write('webx');
    await waitForFrame(h, (f) => f.includes('No container matches "webx"'), 'no match for webx');
    const frame = await press(h, '\u007F', (f) => listEntries(f).length === 2, 'the filter back to web');
    expect(statusLine(frame)).toMatch(/^\/web\b/);
  });

  test('keys typed ahead in one chunk act in order: / w e b Enter keeps the filter "web"', async () => {
    const h = await mountStandard();
    const frame = await press(h, '/web\r', (f) => f.includes('filter: web'), 'the kept filter');
    expect(listEntries(frame)).toEqual(['▾ shop', 'web-1']);
    expect(inFilterBox(frame)).toBe(false);
  });

  test('keys typed ahead in one chunk act in order: j j selects the second container down', async () => {
    const h = await mountStandard();
    await press(h, 'jj', hasSelected('shop-web-1'), 'two moves');
  });

  test('Ctrl-C quits even from the filter box', async () => {
    const h = await mountStandard();
    await press(h, '/', inFilterBox, 'the filter box');
    h.stdin.write('\u0003');
    await waitForFrame(h, () => h.exited(), 'the app to exit');
  });

  test('q quits from the list', async () => {
    const h = await mountStandard();
    h.stdin.write('q');
    await waitForFrame(h, () => h.exited(), 'the app to exit');
  });
});

describe('App: help', () => {
  test('? shows the keys from KEYMAP and Esc closes the help', async () => {
    const h = await mountStandard();
    const frame = await press(h, '?', (f) => f.includes('Keys  (Esc or ? closes)'), 'the help overlay');
    for (const id of ['filter', 'toggleStopped', 'kill', 'pauseToggle'] as const) {
      expect(frame).toContain(descriptionOf(id));
    }
    // Further down the help than one 24-row screen: j scrolls to it.
    const force = descriptionOf('toggleForce', 'confirm');
    for (let i = 0; i < 60 && !h.frame().includes(force); i += 1) {
      h.stdin.write('j');
      await settle(5);
    }
    expect(h.frame()).toContain(force);
    const closed = await press(h, KEY.escape, (f) => !f.includes('Keys  (Esc or ?'), 'the help closed');
    expect(listEntries(closed)).toContain('api');
    expect(h.exited()).toBe(false);
  });

  test('on a large terminal the help lists every binding outside the help scope', async () => {
    const h = mountApp(standardContainers(), { size: { columns: 200, rows: 60 } });
    await waitForFrame(h, (f) => rowOf(f, 'worker') !== undefined, 'the first list');
    const frame = await press(h, '?', (f) => f.includes('Keys  (Esc or ? closes)'), 'the help overlay');
    for (const binding of KEYMAP.filter((b) => b.scope !== 'help')) {
      expect(frame, `help line for ${binding.scope}/${binding.id}`).toContain(binding.description);
    }
  });
});

describe('App: container actions', () => {
  test('p pauses the selected container and p on a paused container unpauses it', async () => {
    const h = await mountStandard();
    await press(h, 'j', hasSelected('shop-db-1'), 'j');
    await press(h, 'j', hasSelected('shop-web-1'), 'j');
    const web = idOf(h, 'shop-web-1');
    let frame = await press(h, 'p', (f) => /paused/.test(rowOf(f, 'web-1') ?? ''), 'web-1 paused');
    expect(h.engine.actions).toEqual([{ id: web, action: 'pause', options: undefined }]);
    expect(frame).toContain('▾ shop  1/2 running');
    expect(selectedName(frame)).toBe('shop-web-1');
    frame = await press(h, 'p', (f) => /running/.test(rowOf(f, 'web-1') ?? ''), 'web-1 running again');
    expect(h.engine.actions.map((a) => [a.id, a.action])).toEqual([[web, 'pause'], [web, 'unpause']]);
    expect(statusLine(frame)).toContain('shop-web-1 unpaused');
  });

  test('s asks before stopping, naming the container; Enter answers no', async () => {
    const h = await mountStandard();
    const frame = await press(h, 's', (f) => f.includes('Stop container'), 'the stop confirmation');
    expect(frame).toContain('Stop container api?');
    await press(h, KEY.enter, (f) => !f.includes('Stop container'), 'the confirmation closed');
    await settle();
    expect(h.engine.actions).toEqual([]);
    expect(rowOf(h.frame(), 'api')).toContain('running');
  });

  test('s then y stops the selected container', async () => {
    const h = await mountStandard();
    await press(h, 's', (f) => f.includes('Stop container api?'), 'the stop confirmation');
    const frame = await press(h, 'y', (f) => rowOf(f, 'api')?.includes('exited (0)') ?? false, 'api stopped');
    expect(h.engine.actions).toEqual([{ id: idOf(h, 'api'), action: 'stop', options: undefined }]);
    expect(statusLine(frame)).toContain('api stopped');
    expect(listEntries(frame)).toEqual(['▾ shop', 'db-1', 'web-1', 'legacy', 'api', 'cron', 'worker']);
  });

  test('a selected container that moves in the list keeps the selection (stop moves it among the stopped ones)', async () => {
    const h = await mountStandard();
    await press(h, 'j', hasSelected('shop-db-1'), 'j');
    await press(h, 'k', hasSelected('api'), 'k back to api');
    await press(h, 's', (f) => f.includes('Stop container api?'), 'the stop confirmation');
    const frame = await press(h, 'y', (f) => rowOf(f, 'api')?.includes('exited (0)') ?? false, 'api stopped');
    expect(selectedName(frame)).toBe('api');
  });

  // Regression: until the first movement key the highlight was tied to the row number, not to a
  // container, so the list reordering under it silently changed which container `s`, `p`, `d`
  // and `K` act on.
  test('the first selection, before any key, stays on its container when the list reorders after its action', async () => {
    const h = await mountStandard();
    await press(h, 's', (f) => f.includes('Stop container api?'), 'the stop confirmation');
    const frame = await press(h, 'y', (f) => rowOf(f, 'api')?.includes('exited (0)') ?? false, 'api stopped');
    expect(selectedName(frame)).toBe('api');
  });

  test('the first selection, before any key, stays on its container when a new one sorts above it', async () => {
    const h = await mountStandard();
    h.engine.addContainer(makeContainer({ name: 'aardvark' }));
    const frame = await waitForFrame(h, (f) => listEntries(f)[0] === 'aardvark', 'the new container on top');
    expect(selectedName(frame)).toBe('api');
    // The next action must go to the container the user saw selected.
    await press(h, 'p', (f) => /paused/.test(rowOf(f, 'api') ?? '') || /paused/.test(rowOf(f, 'aardvark') ?? ''), 'a pause');
    expect(h.engine.actions.map((a) => a.id)).toEqual([idOf(h, 'api')]);
  });

  test('d then f turns force on, and y removes the running container with force', async () => {
    const h = await mountStandard();
    const api = idOf(h, 'api');
    let frame = await press(h, 'd', (f) => f.includes('Remove container api?'), 'the remove confirmation');
    expect(frame).toMatch(/\[f\] force.*: off/);
    expect(frame).toContain('the engine refuses unless force is on');
    frame = await press(h, 'f', (f) => /\[f\] force.*: on/.test(f), 'force on');
    expect(frame).not.toContain('the engine refuses unless force is on');
    frame = await press(h, 'y', (f) => rowOf(f, 'api') === undefined, 'api removed');
    expect(h.engine.actions).toEqual([{ id: api, action: 'remove', options: { remove: { force: true, removeVolumes: false } } }]);
    // The selection moves on to a container that still exists.
    expect(selectedName(frame)).toBe('shop-db-1');
  });

  test('the remove dialog warns about a container that started while it was open', async () => {
    const h = await mountStandard();
    const api = idOf(h, 'api');
    await press(h, 'd', (f) => f.includes('Remove container api?'), 'the remove confirmation');
    h.engine.updateContainer(api, { state: 'exited', status: 'Exited (0) 1 second ago', exitCode: 0 });
    h.engine.emit(containerEvent('die', { id: api, name: 'api', image: 'busybox', labels: {} }));
    await waitForFrame(h, (f) => !f.includes('the engine refuses unless force is on'), 'the warning gone once api stopped');
    h.engine.updateContainer(api, { state: 'running', status: 'Up 1 second' });
    h.engine.emit(containerEvent('start', { id: api, name: 'api', image: 'busybox', labels: {} }));
    await waitForFrame(h, (f) => f.includes('the engine refuses unless force is on'), 'the warning back once api started');
  });

  test('d then y without force shows the engine refusing to remove a running container', async () => {
    const h = await mountStandard();
    await press(h, 'd', (f) => f.includes('Remove container api?'), 'the remove confirmation');
    const frame = await press(h, 'y', (f) => statusLine(f).includes('You cannot remove a running container'), 'the refusal');
    expect(statusLine(frame)).toMatch(/^remove api: /);
    expect(rowOf(frame, 'api')).toContain('running');
  });

  test('K opens the signal chooser; j then y sends SIGTERM', async () => {
    const h = await mountStandard();
    const frame = await press(h, 'K', (f) => f.includes('Send a signal to api'), 'the signal chooser');
    expect(frame).toContain('SIGKILL');
    expect(frame).toContain('SIGTERM');
    // The chosen signal is shown in inverse video only, which a plain-text frame cannot show:
    // give the key time to land, then let the recorded action say which signal was chosen.
    h.stdin.write('j');
    await settle();
    const after = await press(h, 'y', (f) => rowOf(f, 'api')?.includes('exited (143)') ?? false, 'api ended by SIGTERM');
    expect(h.engine.actions).toEqual([{ id: idOf(h, 'api'), action: 'kill', options: { signal: 'SIGTERM' } }]);
    expect(statusLine(after)).toContain('api signalled with SIGTERM');
  });

  test('K then y sends SIGKILL, the default signal', async () => {
    const h = await mountStandard();
    await press(h, 'K', (f) => f.includes('Send a signal to api'), 'the signal chooser');
    await press(h, 'y', (f) => rowOf(f, 'api')?.includes('exited (137)') ?? false, 'api killed');
    expect(h.engine.actions).toEqual([{ id: idOf(h, 'api'), action: 'kill', options: { signal: 'SIGKILL' } }]);
  });

  test('an engine error from an action shows the daemon message in the status line and the app keeps running', async () => {
    const h = await mountStandard();
    h.engine.failNext('Cannot pause container: OCI runtime pause failed: unknown', 500);
    const frame = await press(h, 'p', (f) => statusLine(f).includes('OCI runtime pause failed'), 'the error');
    expect(statusLine(frame)).toContain('pause api: Cannot pause container: OCI runtime pause failed: unknown');
    expect(rowOf(frame, 'api')).toContain('running');
    expect(h.exited()).toBe(false);
    await press(h, 'j', hasSelected('shop-db-1'), 'j after the error');
    await press(h, 'p', (f) => /paused/.test(rowOf(f, 'db-1') ?? ''), 'the next action works');
  });

  test('a start refused for a missing command says exit code 127 before the daemon\'s words (Podman keeps no trace of it)', async () => {
    const h = await mountStandard();
    const podmanRefusal = 'runc: runc create failed: unable to start container process: exec: "no-such-command": '
      + 'executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found';
    h.engine.failNext(podmanRefusal, 500);
    const frame = await press(h, 'S', (f) => statusLine(f).includes('start api:'), 'the error');
    expect(statusLine(frame)).toContain('start api: command not found (exit code 127): runc: runc create failed');
  });
});

describe('App: a live engine', () => {
  test('a dropped engine connection shows reconnecting, and reconnecting restores live with a fresh list', async () => {
    const h = await mountStandard();
    h.engine.disconnect('connection reset by peer');
    const down = await waitForFrame(h, (f) => (lines(f)[0] ?? '').includes('reconnecting'), 'the reconnecting header');
    expect(lines(down)[0]).toContain('connection reset by peer');
    expect(lines(down)[0]).not.toContain('● live');

    // What changed while the link was down shows up only through the fresh list.
    h.engine.setContainers([
      ...h.engine.containers.filter((row) => row.name !== 'cron'),
      makeContainer({ name: 'newcomer' }),
    ]);
    h.engine.reconnect();
    const up = await waitForFrame(h, (f) => (lines(f)[0] ?? '').includes('● live'), 'the live header');
    expect(lines(up)[0]).not.toContain('reconnecting');
    expect(listEntries(up)).toEqual(['api', 'newcomer', '▾ shop', 'db-1', 'web-1', 'legacy', 'worker']);
    // And events flow again on the new subscription.
    h.engine.addContainer(makeContainer({ name: 'later' }));
    await waitForFrame(h, (f) => rowOf(f, 'later') !== undefined, 'an event after the reconnect');
  });

  test('details that failed to load while the engine was away are read again once it is back', async () => {
    const h = await mountStandard();
    h.engine.disconnect('connection reset by peer');
    await waitForFrame(h, (f) => (lines(f)[0] ?? '').includes('reconnecting'), 'the reconnecting header');
    // Moving while disconnected: the inspect of the newly selected container fails.
    await press(h, 'G', hasSelected('worker'), 'G while disconnected');
    await waitForFrame(h, (f) => lines(f).some((l) => /│ .*connection reset by peer/.test(l)), 'the inspect error in the pane');
    h.engine.reconnect();
    await waitForFrame(h, (f) => (lines(f)[0] ?? '').includes('● live'), 'the live header');
    const frame = await waitForFrame(h, (f) => /Exit code\s+137/.test(f), 'the details of worker after the reconnect');
    expect(lines(frame).filter((l) => /│ .*connection reset by peer/.test(l))).toEqual([]);
  });

  test('an event stream the daemon closes is reopened', async () => {
    const h = await mountStandard();
    h.engine.closeEventStreams();
    await waitForFrame(h, () => h.engine.subscriberCount === 1, 'a new subscription');
    h.engine.addContainer(makeContainer({ name: 'after-close' }));
    const frame = await waitForFrame(h, (f) => rowOf(f, 'after-close') !== undefined, 'an event on the new stream');
    expect(lines(frame)[0]).toContain('● live');
  });

  test('the selected container removed from outside leaves a neighbour selected, without a crash', async () => {
    const h = await mountStandard();
    await press(h, 'j', hasSelected('shop-db-1'), 'j');
    await press(h, 'j', hasSelected('shop-web-1'), 'j');
    h.engine.removeContainer('shop-web-1');
    const frame = await waitForFrame(h, (f) => rowOf(f, 'web-1') === undefined, 'web-1 gone');
    expect(frame).toContain('▾ shop  1/1 running');
    const selected = selectedName(frame);
    expect(['shop-db-1', 'legacy']).toContain(selected);
    // The pane describes the container it names, not the vanished one.
    await settle(150);
    expect(h.frame()).not.toContain('no longer exists');
    expect(selectedName(h.frame())).toBe(selected);
    // The list still answers keys.
    await press(h, 'g', hasSelected('api'), 'g after the removal');
  });
});

describe('App: terminal size', () => {
  function manyContainers(count: number): ContainerRow[] {
    return Array.from({ length: count }, (_, i) => makeContainer({ name: `svc-${String(i).padStart(3, '0')}` }));
  }

  test('500 containers render only the rows that fit an 80x24 terminal, and G reaches the last one', async () => {
    const h = mountApp(manyContainers(500), { size: { columns: 80, rows: 24 } });
    let frame = await waitForFrame(h, (f) => rowOf(f, 'svc-000')?.includes('%') ?? false, 'the first rows with CPU');
    expect(lines(frame).length).toBeLessThanOrEqual(24);
    const shown = listEntries(frame);
    expect(shown[0]).toBe('svc-000');
    expect(shown.length).toBeLessThan(24);
    expect(frame).not.toContain('svc-499');
    // Stats are taken for the visible rows only, not for 500 containers.
    const visibleIds = new Set(shown.map((name) => idOf(h, name)));
    expect([...h.engine.statsRequests.keys()].every((id) => visibleIds.has(id))).toBe(true);

    frame = await press(h, 'G', hasSelected('svc-499'), 'G to the last container');
    expect(lines(frame).length).toBeLessThanOrEqual(24);
    expect(listEntries(frame).at(-1)).toBe('svc-499');
    expect(frame).not.toContain('svc-000');
  });

  test('at 80x24 no line of any screen is wider than 80 columns or the frame taller than 24 lines', async () => {
    const containers = [
      ...standardContainers(),
      makeContainer({
        name: 'a-container-with-a-name-far-too-long-for-any-column',
        image: 'registry.example.com:5000/team/some-very-long-image-name:2024.10.01-build.1234',
        labels: { 'org.example.owner': '数据库チーム 🚀🚀🚀 with a long label value that must be cut' },
        ports: [
          { privatePort: 8080, publicPort: 18080, ip: '0.0.0.0', type: 'tcp' },
          { privatePort: 8443, publicPort: 18443, ip: '127.0.0.1', type: 'tcp' },
          { privatePort: 53, type: 'udp' },
        ],
      }),
    ];
    const h = mountApp(containers, { size: { columns: 80, rows: 24 } });
    const screens: Array<[string, string]> = [];
    const check = async (name: string, until: (frame: string) => boolean) => {
      screens.push([name, await waitForFrame(h, until, name)]);
    };

    await check('list', (f) => rowOf(f, 'worker') !== undefined);
    // It sorts first, so g selects it (and ties the selection to it).
    await press(h, 'g', (f) => (selectedName(f) ?? '').startsWith('a-container'), 'the long one selected');
    await check('long name selected, inspected', (f) => f.includes('Limits'));
    h.stdin.write('/');
    await check('filter', inFilterBox);
    h.stdin.write('a-container-with');
    await check('filter typed', (f) => listEntries(f).length === 1);
    h.stdin.write(KEY.escape);
    await check('filter cleared', (f) => listEntries(f).length === 8);
    h.stdin.write('?');
    await check('help', (f) => f.includes('Keys  (Esc or'));
    h.stdin.write(KEY.escape);
    await check('help closed', (f) => !f.includes('Keys  (Esc or'));
    h.stdin.write('s');
    await check('stop dialog', (f) => f.includes('Stop container'));
    h.stdin.write('n');
    await check('stop dialog closed', (f) => !f.includes('Stop container'));
    h.stdin.write('d');
    await check('remove dialog', (f) => f.includes('Remove container'));
    h.stdin.write('n');
    await check('remove dialog closed', (f) => !f.includes('Remove container'));
    h.stdin.write('K');
    await check('kill dialog', (f) => f.includes('Send a signal'));
    h.stdin.write(KEY.escape);
    await check('kill dialog closed', (f) => !f.includes('Send a signal'));
    h.engine.failNext(`Cannot pause container: ${'OCI runtime pause failed, and the message goes on '.repeat(3)}`);
    h.stdin.write('p');
    await check('long error', (f) => f.includes('pause a-container'));
    h.engine.disconnect('dial unix /var/run/docker.sock: connect: no such file or directory (is the daemon running?)');
    await check('reconnecting', (f) => (lines(f)[0] ?? '').includes('reconnecting'));

    for (const [name, frame] of screens) {
      expect(lines(frame).length, `${name}: frame height\n${frame}`).toBeLessThanOrEqual(24);
      for (const line of lines(frame)) {
        expect(stringWidth(line), `${name}: line too wide:\n${line}\n\n${frame}`).toBeLessThanOrEqual(80);
      }
    }
  });

  test('a resize from 80x24 to 200x60 fills the new size and adds the columns that now fit', async () => {
    const h = mountApp(standardContainers(), { size: { columns: 80, rows: 24 } });
    let frame = await waitForFrame(h, (f) => rowOf(f, 'worker') !== undefined, 'the first list');
    expect(lines(frame)[1]).not.toContain('IMAGE');
    h.resize(200, 60);
    frame = await waitForFrame(h, (f) => (lines(f)[1] ?? '').includes('IMAGE'), 'the wide layout');
    expect(lines(frame)[1]).toContain('PORTS');
    expect(lines(frame).length).toBe(60);
    expect(Math.max(...lines(frame).map((line) => stringWidth(line)))).toBeLessThanOrEqual(200);
    expect(rowOf(frame, 'api')).toContain('node:20-alpine');
  });
});

describe('App: main pane tabs', () => {
  test('] walks the tabs; Env masks secret values until m, and masks them again on another container', async () => {
    const h = await mountStandard();
    h.engine.setEnv('api', ['DB_PASSWORD=hunter2', 'PLAIN=visible']);
    h.engine.setEnv('shop-db-1', ['POSTGRES_PASSWORD=s3cret']);
    for (let i = 0; i < 4; i += 1) h.stdin.write(']');
    let frame = await waitForFrame(h, (f) => f.includes('DB_PASSWORD'), 'the Env tab');
    expect(frame).toContain('PLAIN');
    expect(frame).not.toContain('hunter2');
    frame = await press(h, 'm', (f) => f.includes('hunter2'), 'the revealed value');
    frame = await press(h, 'j', (f) => f.includes('POSTGRES_PASSWORD'), 'the next container');
    expect(frame).not.toContain('s3cret');
  });

  test('Enter opens the tab full screen, Esc goes back to the list', async () => {
    const h = await mountApp(standardContainers(), { size: { columns: 80, rows: 24 } });
    await waitForFrame(h, (f) => rowOf(f, 'worker') !== undefined, 'the first list');
    const zoomed = await press(h, KEY.enter, (f) => !f.includes('│'), 'the full-screen tab');
    expect(zoomed).toContain('Overview');
    expect(zoomed).toMatch(/Name +api/);
    const back = await press(h, KEY.escape, (f) => rowOf(f, 'worker') !== undefined, 'the list again');
    expect(selectedName(back)).toBe('api');
  });

  test('/ in a full-screen tab searches it and counts the matches; n moves to the next', async () => {
    const h = await mountStandard();
    // shop-db-1 carries two com.docker.compose labels: two matches.
    await press(h, 'j', hasSelected('shop-db-1'), 'j');
    h.stdin.write(']');
    h.stdin.write(']');
    h.stdin.write(']');
    await waitForFrame(h, (f) => f.includes('"Config"'), 'the Inspect tab');
    h.stdin.write(KEY.enter);
    await settle();
    // Typed ahead in one chunk, as a fast typist or a paste delivers it.
    h.stdin.write('/com.docker');
    await waitForFrame(h, (f) => statusLine(f).startsWith('/com.docker'), 'the search box');
    h.stdin.write(KEY.enter);
    // The counter stands at the right end of the tab bar, the second line.
    const counter = (f: string) => / (\d+)\/(\d+)\s*$/.exec(lines(f)[1] ?? '');
    const frame = await waitForFrame(h, (f) => counter(f) !== null, 'the match counter');
    expect(counter(frame)?.[1]).toBe('1');
    const total = Number(counter(frame)?.[2]);
    expect(total).toBeGreaterThan(1);
    const next = await press(h, 'n', (f) => counter(f)?.[1] === '2', 'the second match');
    expect(next).toContain('com.docker');
  });

  test('Top lists the processes of a running container and says so for a stopped one', async () => {
    const h = await mountStandard();
    // Backwards from Overview, the last tab comes first.
    await press(h, '[', (f) => f.includes('CMD'), 'the Top tab');
    const frame = await press(h, 'G', (f) => f.includes('worker is not running: no processes'), 'the exited worker');
    expect(frame).not.toContain('CMD');
  });
});

describe('App: the Logs tab', () => {
  test('remembers the last search per container for the session', async () => {
    const h = await mountStandard();
    h.engine.setLogs('api', [{ stream: 'stdout', text: 'api says needle' }, { stream: 'stdout', text: 'api says hay' }]);
    h.engine.setLogs('shop-db-1', [{ stream: 'stdout', text: 'db says hay' }]);
    await press(h, ']', (f) => f.includes('api says needle'), 'the Logs tab');
    await press(h, KEY.enter, (f) => !f.includes('│ '), 'the Logs tab full screen');
    h.stdin.write('/needle');
    await waitForFrame(h, (f) => statusLine(f).includes('needle'), 'the search box');
    await press(h, KEY.enter, (f) => /needle 1\/1/.test(f), 'the search counter');
    // Away to another container and back: the search is still there.
    await press(h, KEY.escape, (f) => rowOf(f, 'worker') !== undefined, 'the list');
    await press(h, 'j', (f) => f.includes('db says hay'), 'the next container');
    await press(h, 'k', (f) => f.includes('api says needle'), 'back to api');
    await press(h, KEY.enter, (f) => /needle/.test(lines(f)[2] ?? ''), 'the remembered search in the header');
  });
});
