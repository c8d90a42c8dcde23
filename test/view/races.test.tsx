// Containers that go while the user has them selected or in a confirmation: where the selection
// goes, what the dialog says, and that nothing is done to another container in their stead.
import { describe, expect, test } from 'vitest';
import { hasSelected, mountApp, press, selectedName, settle, statusLine, waitForFrame } from '../support/app-harness.js';
import { makeContainer } from '../support/fake-engine.js';

function three() {
  return [makeContainer({ name: 'alpha' }), makeContainer({ name: 'beta' }), makeContainer({ name: 'gamma' })];
}

/** The Overview beside the list names the container by the first 12 digits of its id. */
const showsId = (id: string) => (frame: string) => new RegExp(`ID\\s+${id.slice(0, 12)}`).test(frame);

describe('App: the selected container goes', () => {
  test('recreated (removed, then a new one of its name): the selection goes to the neighbour, then back to the new one', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, 'j', hasSelected('beta'), 'beta');
    h.engine.removeContainer('beta');
    await waitForFrame(h, (f) => !f.includes('beta') && ['alpha', 'gamma'].includes(selectedName(f) ?? ''), 'a neighbour selected');
    const fresh = h.engine.addContainer(makeContainer({ name: 'beta' }));
    await waitForFrame(h, (f) => hasSelected('beta')(f) && showsId(fresh.id)(f), 'the new beta selected');
    await press(h, 's', (f) => f.includes('Stop container beta?'), 'the dialog names it');
    await press(h, 'y', (f) => /beta\s+exited/.test(f), 'the new beta stopped');
    expect(h.engine.actions.map((a) => [a.action, a.id])).toEqual([['stop', fresh.id]]);
  });

  test('once the user moved on, a new container of the vanished one\'s name does not take the selection', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, 'j', hasSelected('beta'), 'beta');
    h.engine.removeContainer('beta');
    await waitForFrame(h, (f) => !f.includes('beta') && selectedName(f) !== undefined, 'a neighbour selected');
    await press(h, 'g', hasSelected('alpha'), 'the user moves to alpha');
    h.engine.addContainer(makeContainer({ name: 'beta' }));
    await waitForFrame(h, (f) => f.includes('beta'), 'the new beta listed');
    await settle(150);
    expect(selectedName(h.frame())).toBe('alpha');
  });
});

describe('App: a confirmation whose container goes', () => {
  test('removed while the dialog is open: it says so, and y does nothing to anyone', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, 'j', hasSelected('beta'), 'beta');
    await press(h, 's', (f) => f.includes('Stop container beta?'), 'the dialog');
    h.engine.removeContainer('beta');
    await waitForFrame(h, (f) => f.includes('beta (no longer exists)'), 'the dialog says it went');
    await press(h, 'y', (f) => statusLine(f).includes('beta no longer exists: nothing was done'), 'y answered');
    await settle(100);
    expect(h.engine.actions).toEqual([]);
  });

  test('recreated while the dialog is open: y leaves the new one running', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    await press(h, 'j', hasSelected('beta'), 'beta');
    await press(h, 's', (f) => f.includes('Stop container beta?'), 'the dialog');
    h.engine.removeContainer('beta');
    const fresh = h.engine.addContainer(makeContainer({ name: 'beta' }));
    await waitForFrame(h, (f) => f.includes('beta (no longer exists)'), 'the dialog says its container went');
    await press(h, 'y', (f) => statusLine(f).includes('beta no longer exists: nothing was done'), 'y answered');
    await waitForFrame(h, showsId(fresh.id), 'the new beta selected beneath');
    await settle(100);
    expect(h.engine.actions).toEqual([]);
    expect(h.engine.find(fresh.id)?.state).toBe('running');
  });
});

describe('App: keys while the engine is away', () => {
  test('lifecycle keys say why nothing happens and open no dialog; the list answers again once it is back', async () => {
    const h = mountApp(three(), { size: { columns: 120, rows: 24 } });
    await waitForFrame(h, (f) => f.includes('gamma'), 'the list');
    h.engine.disconnect();
    await waitForFrame(h, (f) => f.includes('reconnecting'), 'reconnecting');
    // Alternately on alpha and beta, so that each answer is a new one.
    for (const [i, key] of ['s', 'd', 'K', 'r', 'S', 'p'].entries()) {
      const name = i % 2 === 0 ? 'alpha' : 'beta';
      await press(h, i % 2 === 0 ? 'k' : 'j', hasSelected(name), name);
      await press(h, key, (f) => statusLine(f).includes(`${name}: nothing done, the engine cannot be reached (reconnecting)`), key);
      expect(h.frame()).not.toMatch(/Stop container|Remove container|Send a signal/);
    }
    expect(h.engine.actions).toEqual([]);
    h.engine.reconnect();
    await waitForFrame(h, (f) => f.includes('● live'), 'live again');
    await press(h, 'p', (f) => /beta\s+paused/.test(f), 'p pauses once it is back');
  });
});
