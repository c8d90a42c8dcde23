// useSwarmView over the in-memory engine, in a small component that routes keys as App does:
// the Swarm lists only on a manager, scaling with progress on the row and the engine's refusal of
// a stale version, the `=` prompt, confirmations for scaling to 0 and removal, tasks read while
// the pane shows them, node availability, and `L` handing a service's log to the Logs tab.
import { stripVTControlCharacters } from 'node:util';
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { StatusMessage } from '../../src/hooks/useContainerActions.js';
import { commandFor, keyName } from '../../src/views/keymap.js';
import { ScrollPane } from '../../src/views/ScrollPane.js';
import type { SwarmKind } from '../../src/views/swarm-model.js';
import { useSwarmView, type ServiceLogTarget } from '../../src/views/useSwarmView.js';
import { FakeEngine } from '../support/fake-engine.js';

const PANE_WIDTH = 44;

interface HarnessProps {
  engine: FakeEngine;
  store: ContainerStore;
  onLogs: (service: ServiceLogTarget) => void;
}

/** What App does with the hook: 6 and 7 open the lists on a manager, keys routed dialog > prompt > list. */
function SwarmHarness({ engine, store, onLogs }: HarnessProps) {
  const [kind, setKind] = useState<SwarmKind | undefined>(undefined);
  const [status, setStatus] = useState<StatusMessage | undefined>(undefined);
  const view = useSwarmView({
    engine, store, kind, filter: '', getFilter: () => '', listWidth: 54, cols: 100, rows: 24, paneWidth: kind ? PANE_WIDTH : 0,
    nowMs: Date.now(), setStatus, scope: '', openServiceLogs: onLogs,
  });
  useInput((input, key) => {
    const name = keyName(input, key);
    if (view.hasDialog()) {
      const command = commandFor(name, ['confirm', 'list']);
      if (command) view.handleDialogCommand(command);
      return;
    }
    if (view.handleTextKey(name, input)) return;
    const command = commandFor(name, ['list']);
    if (command === 'viewServices' || command === 'viewNodes') {
      const next = command === 'viewServices' ? 'services' : 'nodes';
      void view.checkAvailable().then(({ available, reason }) => (available ? setKind(next) : setStatus({ text: reason, tone: 'info' })));
    } else if (command && kind) {
      view.handleListCommand(command, kind);
    }
  });
  const statusText = view.textBox ? `${view.textBox.label}${view.textBox.value}▏${view.textBox.placeholder}` : status?.text ?? '';
  return (
    <Box flexDirection="column">
      <Text>{view.counts || 'no list'}</Text>
      <Box>
        {view.renderList(8, false)}
        <Box width={PANE_WIDTH + 2} flexDirection="column">
          <Text>│{view.paneTitle}</Text>
          <ScrollPane lines={view.paneLines} offset={0} width={PANE_WIDTH} height={14} />
        </Box>
      </Box>
      {view.dialog?.element}
      <Text>{statusText}</Text>
    </Box>
  );
}

const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  cleanup();
});

function mount(setup: (engine: FakeEngine) => void = () => undefined) {
  const engine = new FakeEngine();
  setup(engine);
  const store = new ContainerStore(engine, { refreshThrottleMs: 1 });
  store.start();
  stops.push(() => store.stop());
  const logs: ServiceLogTarget[] = [];
  const instance = render(<SwarmHarness engine={engine} store={store} onLogs={(s) => logs.push(s)} />);
  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
  const waitFor = async (predicate: (frame: string) => boolean, what: string, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(frame())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Last frame:\n${frame()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return frame();
  };
  const press = (key: string, until: (frame: string) => boolean, what: string) => {
    instance.stdin.write(key);
    return waitFor(until, `${what} (after ${JSON.stringify(key)})`);
  };
  return { engine, logs, frame, waitFor, press };
}

/** A manager with the service web at 2 replicas. */
function withWeb(engine: FakeEngine) {
  engine.swarm.init();
  engine.swarm.addService({ name: 'web', replicas: 2 });
}

const rowOf = (frame: string, name: string) => frame.split('\n').find((line) => line.trimStart().startsWith(name) || line.includes(` ${name} `));
const webService = (engine: FakeEngine) => engine.swarm.services.find((s) => s.name === 'web');

describe('Swarm views', () => {
  test('on an engine outside a swarm, 6 says so; after docker swarm init it lists the services', async () => {
    const ui = mount();
    await ui.press('6', (f) => f.includes('not a swarm manager (docker swarm init'), 'the refusal');
    expect(ui.frame()).toContain('no list');
    withWeb(ui.engine);
    await ui.press('6', (f) => f.includes('1 service · 0 short of replicas'), 'the services');
    expect(rowOf(ui.frame(), 'web')).toMatch(/replicated\s+2\/2/);
  });

  test('on Podman, 6 and 7 say that Podman has no Swarm, and no list opens', async () => {
    const ui = mount((engine) => {
      engine.swarm.status = { state: 'unsupported', manager: false, nodeId: '' };
    });
    await ui.press('6', (f) => f.includes('Podman has no Swarm'), 'the refusal');
    await ui.press('7', (f) => f.includes('Podman has no Swarm'), 'the refusal');
    expect(ui.frame()).toContain('no list');
    expect(ui.frame()).not.toContain('docker swarm init');
  });

  test('+ scales by one with progress on the row; the engine then runs 3 and the pane lists them', async () => {
    const ui = mount(withWeb);
    await ui.press('6', (f) => /Tasks: 2 running of 2/.test(f), 'the service with its tasks');
    await ui.press('+', (f) => f.includes('scaling to 3…') || f.includes('web scaled to 3'), 'progress');
    await ui.waitFor((f) => f.includes('web scaled to 3') && /replicated\s+3\/3/.test(f), 'scaled');
    expect(webService(ui.engine)?.replicas).toBe(3);
    // Tasks have no events: the pane reads them again while it is shown.
    await ui.waitFor((f) => /Tasks: 3 running of 3/.test(f) && f.includes('#3'), 'three tasks', 4000);
  });

  test('an update made against an old version is refused and said so, not overwritten', async () => {
    const ui = mount(withWeb);
    await ui.press('6', (f) => /replicated\s+2\/2/.test(f), 'the services');
    // Changed by someone else, with no event yet: dockhand still shows the old version.
    const web = webService(ui.engine);
    if (!web) throw new Error('no web');
    web.version += 1;
    await ui.press('+', (f) => f.includes('web: changed meanwhile: shown again, nothing was done'), 'the refusal');
    expect(webService(ui.engine)?.replicas).toBe(2);
    await ui.press('+', (f) => f.includes('web scaled to 3'), 'scaled with the version shown again');
  });

  test('- down to 0 asks first (Enter means no); = opens a prompt for a number', async () => {
    const ui = mount((engine) => {
      engine.swarm.init();
      engine.swarm.addService({ name: 'web', replicas: 1 });
    });
    await ui.press('6', (f) => /replicated\s+1\/1/.test(f), 'the services');
    await ui.press('-', (f) => f.includes('Scale web to 0 replicas?'), 'the confirmation');
    await ui.press('\r', (f) => !f.includes('Scale web to 0'), 'cancelled');
    expect(webService(ui.engine)?.replicas).toBe(1);
    await ui.press('=', (f) => f.includes('scale web to: ▏replicas (now 1)'), 'the prompt');
    await ui.press('x', (f) => f.includes('scale web to: ▏'), 'a letter is not typed');
    await ui.press('4', (f) => f.includes('scale web to: 4▏'), 'typed');
    await ui.press('\r', (f) => f.includes('web scaled to 4'), 'scaled');
    expect(webService(ui.engine)?.replicas).toBe(4);
    await ui.press('=', (f) => f.includes('scale web to:'), 'the prompt again');
    await ui.press('0', (f) => f.includes('scale web to: 0▏'), 'zero typed');
    await ui.press('\r', (f) => f.includes('Scale web to 0 replicas?') && f.includes('Its 4 running tasks stop'), 'zero asks');
    await ui.press('y', (f) => f.includes('web scaled to 0'), 'scaled to 0');
    expect(webService(ui.engine)?.replicas).toBe(0);
  });

  test('d removes a service after y, naming it and its tasks; a global service does not scale', async () => {
    const ui = mount((engine) => {
      withWeb(engine);
      engine.swarm.addService({ name: 'agent', mode: 'global', replicas: undefined });
    });
    await ui.press('6', (f) => f.includes('2 services'), 'the services');
    await ui.press('+', (f) => f.includes('agent is global: only replicated services scale'), 'the refusal');
    await ui.press('j', (f) => f.includes('│Service web'), 'web selected');
    await ui.press('d', (f) => f.includes('Remove service web (replicated, 2 running tasks)?'), 'the confirmation');
    await ui.press('y', (f) => f.includes('Service web removed'), 'removed');
    await ui.waitFor((f) => f.includes('1 service ·'), 'web gone from the list');
    expect(webService(ui.engine)).toBeUndefined();
  });

  test('L hands the selected service to the Logs tab', async () => {
    const ui = mount(withWeb);
    await ui.press('6', (f) => f.includes('│Service web'), 'the services');
    await ui.press('L', () => ui.logs.length === 1, 'the logs opened');
    expect(ui.logs[0]).toEqual({ id: webService(ui.engine)?.id, name: 'web', tty: false });
  });

  test('7 lists the nodes with the leader; v sets availability after choosing and y, warning a lone node', async () => {
    const ui = mount(withWeb);
    await ui.press('7', (f) => /fake-node\s+ready\s+active\s+manager, leader/.test(f), 'the node list');
    expect(ui.frame()).toMatch(/Hostname\s+fake-node \(this engine\)/);
    await ui.press('v', (f) => f.includes('Availability of node fake-node (now active):'), 'the dialog');
    expect(ui.frame()).toContain('● active');
    await ui.press('j', (f) => f.includes('● pause'), 'pause chosen');
    await ui.press('j', (f) => f.includes('● drain') && f.includes('No other node takes tasks'), 'drain chosen, with the warning');
    await ui.press('y', (f) => f.includes('Node fake-node is drain now'), 'drained');
    await ui.waitFor((f) => /fake-node\s+ready\s+drain/.test(f), 'the list shows it');
    expect(ui.engine.swarm.nodes[0]?.availability).toBe('drain');
  });
});
