// useEventsView and useProblems over the in-memory engine, in a small component that routes keys
// as App does: the events since the start shown when the list opens, following the newest, held by
// k, a filter, a selected event's attributes, exec noise folded and redrawn at a bounded rate; the
// problems counted and a notice only for the ones that appear after the start, gone by itself
// unless replaced.
import { stripVTControlCharacters } from 'node:util';
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { EventLog } from '../../src/engine/event-log.js';
import type { ContainerRow, EngineEvent } from '../../src/engine/types.js';
import type { StatusMessage } from '../../src/hooks/useContainerActions.js';
import { useLatestState } from '../../src/hooks/useLatestState.js';
import { useProblems } from '../../src/hooks/useProblems.js';
import { commandFor, keyName } from '../../src/views/keymap.js';
import { ScrollPane } from '../../src/views/ScrollPane.js';
import { useEventsView } from '../../src/views/useEventsView.js';
import { containerEvent, FakeEngine, makeContainer } from '../support/fake-engine.js';

const PANE_WIDTH = 40;
const LIST_WIDTH = 58;
const NOTICE_MS = 150;

interface HarnessProps {
  store: ContainerStore;
  log: EventLog;
  /** The status line's text set from outside, as an action of App's would */
  onReady: (setStatus: (status: StatusMessage) => void) => void;
  onRender: () => void;
}

/** What App does with the hooks: 8 opens the list, `/` types a filter ending at Enter, other keys go to the list. */
function EventsHarness({ store, log, onReady, onRender }: HarnessProps) {
  onRender();
  const [ui, getUi, setUi] = useLatestState({ active: false, filter: '', typing: false });
  const [status, setStatus] = useState<StatusMessage | undefined>(undefined);
  onReady(setStatus);
  const problems = useProblems({ store, nowMs: Date.now(), setStatus, noticeMs: NOTICE_MS });
  const { active, filter } = ui;
  const view = useEventsView({
    log, active, filter, getFilter: () => getUi().filter, listWidth: LIST_WIDTH, paneWidth: active ? PANE_WIDTH : 0, fleet: false, revealSecrets: false,
  });
  useInput((input, key) => {
    const name = keyName(input, key);
    if (getUi().typing) {
      setUi((state) => (name === 'enter' ? { typing: false } : { filter: state.filter + input }));
    } else if (input === '8') {
      setUi({ active: true });
    } else if (input === '/') {
      setUi({ typing: true });
    } else {
      const command = commandFor(name, ['list']);
      if (command) view.handleListCommand(command);
    }
  });
  return (
    <Box flexDirection="column">
      <Text>{`problems: ${problems.map((p) => `${p.name} (${p.reason})`).join(', ') || 'none'}`}</Text>
      <Text>{active ? view.counts : 'not shown'}</Text>
      <Box>
        {active ? view.renderList(8, false) : null}
        <Box width={PANE_WIDTH + 2} flexDirection="column">
          <Text>│{view.paneTitle}</Text>
          <ScrollPane lines={view.paneLines} offset={0} width={PANE_WIDTH} height={16} />
        </Box>
      </Box>
      <Text>{`status: ${status?.text ?? ''}`}</Text>
    </Box>
  );
}

interface Mounted {
  engine: FakeEngine;
  renders(): number;
  frame(): string;
  type(keys: string): void;
  setStatus(status: StatusMessage): void;
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  cleanup();
});

function mount(containers: ContainerRow[]): Mounted {
  const engine = new FakeEngine(containers);
  const store = new ContainerStore(engine, { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  // As the session does: the log follows the store from before its start.
  const { log, stop } = EventLog.follow(store);
  store.start();
  stops.push(stop, () => store.stop());
  let setStatus: (status: StatusMessage) => void = () => undefined;
  let renders = 0;
  const instance = render(<EventsHarness store={store} log={log} onReady={(set) => { setStatus = set; }} onRender={() => { renders += 1; }} />);
  return {
    engine,
    renders: () => renders,
    frame: () => stripVTControlCharacters(instance.lastFrame() ?? ''),
    type: (keys) => { for (const key of keys) instance.stdin.write(key); },
    setStatus: (status) => setStatus(status),
  };
}

async function waitFor(view: Mounted, predicate: (frame: string) => boolean, what: string, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = view.frame();
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const has = (text: string) => (frame: string) => frame.includes(text);
const statusOf = (frame: string) => frame.split('\n').at(-1) ?? '';
/** The list's rows, left of the pane (the list is LIST_WIDTH wide, below its column titles). */
const listRows = (frame: string) => frame.split('\n').slice(3, 11).map((line) => line.slice(0, LIST_WIDTH).trim()).filter(Boolean);

function withAttributes(event: EngineEvent, attributes: Record<string, string>): EngineEvent {
  return { ...event, attributes: { ...event.attributes, ...attributes } };
}

/** Waits until the engine's event stream has a subscriber (the store is live). */
async function live(view: Mounted): Promise<void> {
  const deadline = Date.now() + 3000;
  while (view.engine.subscriberCount === 0) {
    if (Date.now() > deadline) throw new Error('the store never subscribed');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the events list', () => {
  test('shows what happened before it was opened, a death with its exit code in words', async () => {
    const web = makeContainer({ name: 'web-1' });
    const view = mount([web]);
    await live(view);
    view.engine.emit(containerEvent('start', web));
    view.engine.emit(withAttributes(containerEvent('die', web), { exitCode: '3' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(view.frame()).toContain('not shown');
    view.type('8');
    const frame = await waitFor(view, has('web-1 died (exit 3, application-defined)'), 'the death');
    expect(listRows(frame)).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d web-1 started$/), expect.stringMatching(/web-1 died \(exit 3/)]);
    expect(frame).toContain('2 events');
    // The newest is selected, and its attributes are in the pane.
    expect(frame).toContain('exitCode=3');
    expect(frame).toContain('Exited with code 3 (application-defined)');
  });

  test('follows the newest, holds the selection after k, and G follows again', async () => {
    const web = makeContainer({ name: 'web-1' });
    const view = mount([web]);
    await live(view);
    view.type('8');
    view.engine.emit(containerEvent('pause', web));
    view.engine.emit(containerEvent('unpause', web));
    await waitFor(view, (f) => /Action +unpause/.test(f), 'the newest selected');
    view.type('k');
    await waitFor(view, (f) => /Action +pause/.test(f), 'the previous one selected');
    view.engine.emit(containerEvent('restart', web));
    const held = await waitFor(view, has('3 events · 2 newer'), 'a new event below the held selection');
    expect(held).toMatch(/Action +pause/);
    view.type('G');
    await waitFor(view, (f) => /Action +restart/.test(f) && f.includes('3 events') && !f.includes('newer'), 'following again');
    view.engine.emit(containerEvent('stop', web));
    await waitFor(view, (f) => /Action +stop/.test(f), 'the newest followed');
  });

  test('folds exec noise into one line that counts it, and filters by name', async () => {
    const web = makeContainer({ name: 'web-1' });
    const db = makeContainer({ name: 'db' });
    const view = mount([web, db]);
    await live(view);
    view.type('8');
    view.engine.emit(containerEvent('start', db));
    for (const action of ['exec_create: sh -c false', 'exec_start: sh -c false', 'exec_die']) view.engine.emit(containerEvent(action, web));
    view.engine.emit(withAttributes(containerEvent('health_status: unhealthy', web), {}));
    const frame = await waitFor(view, has('web-1 turned unhealthy'), 'the health event');
    expect(listRows(frame).map((row) => row.replace(/^\S+\s+/, ''))).toEqual([
      'db started',
      '3 exec events folded (web-1)',
      'web-1 turned unhealthy',
    ]);
    view.type('/db\r');
    const filtered = await waitFor(view, has('1/3 events'), 'the filter');
    expect(listRows(filtered)).toEqual([expect.stringMatching(/db started$/)]);
  });

  test('redraws a flood of health probes ten times a second, not once per event', async () => {
    const web = makeContainer({ name: 'web-1' });
    const view = mount([web]);
    await live(view);
    view.type('8');
    await waitFor(view, has('0 events'), 'the list open');
    const before = view.renders();
    // 3 events per probe, 100 probes over about half a second.
    for (let probe = 0; probe < 100; probe += 1) {
      for (const action of ['exec_create: true', 'exec_start: true', 'exec_die']) view.engine.emit(containerEvent(action, web));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(view, has('300 exec events folded (web-1)'), 'the whole run counted');
    expect(view.renders() - before).toBeLessThan(20);
  });
});

describe('problems', () => {
  test('counts the ones there at the start without a notice, and notices one that appears', async () => {
    const sick = makeContainer({ name: 'sick', health: 'unhealthy' });
    const web = makeContainer({ name: 'web-1', health: 'healthy' });
    const view = mount([sick, web]);
    await waitFor(view, has('problems: sick (unhealthy: its health check fails)'), 'the problem there at the start');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(statusOf(view.frame())).toBe('status:');
    view.engine.updateContainer(web.id, { health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' });
    view.engine.emit(containerEvent('health_status: unhealthy', web));
    const frame = await waitFor(view, has('status: ⚠ web-1 turned unhealthy · ! selects it'), 'the notice');
    expect(frame).toContain('problems: sick (unhealthy: its health check fails), web-1 (unhealthy');
    // It leaves by itself.
    await waitFor(view, (f) => statusOf(f) === 'status:', 'the notice gone');
  });

  test('leaves a message that replaced the notice in place', async () => {
    const web = makeContainer({ name: 'web-1', state: 'running' });
    const view = mount([web]);
    await live(view);
    await waitFor(view, has('problems: none'), 'the first list');
    view.engine.updateContainer(web.id, { state: 'exited', exitCode: 137, status: 'Exited (137) 1 second ago' });
    view.engine.emit(containerEvent('oom', web));
    view.engine.emit(containerEvent('die', web));
    await waitFor(view, has('web-1 was killed by the out-of-memory killer'), 'the notice');
    view.setStatus({ text: 'web-1 started', tone: 'info' });
    await new Promise((resolve) => setTimeout(resolve, NOTICE_MS * 2));
    expect(view.frame()).toContain('status: web-1 started');
  });
});
