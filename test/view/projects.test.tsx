// The Compose projects view (5) over the in-memory engine, hosted as the app hosts it: its list,
// details pane, dialog and output pane, every key through its handlers. The compose CLI is a
// script of the test's own that prints what it was given.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { COMPOSE_LABELS, type ComposeCli } from '../../src/engine/compose.js';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { ContainerRow } from '../../src/engine/types.js';
import type { StatusMessage } from '../../src/hooks/useContainerActions.js';
import { commandFor, keyName } from '../../src/views/keymap.js';
import { ScrollPane } from '../../src/views/ScrollPane.js';
import { useProjectsView, type ProjectsView } from '../../src/views/useProjectsView.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

const COLS = 100;
const BODY = 18;
const KEY = { enter: '\r', escape: '\u001B' } as const;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dh-projects-view-'));
  writeFileSync(join(dir, 'docker-compose.yml'), 'services: {}\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A compose CLI of the test's own: a script run with the argv the view built. */
function fakeCli(name: string, body: string): ComposeCli {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { kind: 'standalone', path };
}

const ECHO_CLI = () => fakeCli('echo-compose', 'echo "compose got: $*"\necho "Creating shop_web_1 ... done" >&2\nexit 0');

function replica(project: string, service: string, number: number, partial: Partial<ContainerRow> = {}, files = join(dir, 'docker-compose.yml')): ContainerRow {
  return makeContainer({
    name: `${project}-${service}-${number}`,
    ...partial,
    labels: {
      [COMPOSE_LABELS.project]: project,
      [COMPOSE_LABELS.service]: service,
      [COMPOSE_LABELS.containerNumber]: String(number),
      [COMPOSE_LABELS.oneoff]: 'False',
      [COMPOSE_LABELS.workingDir]: dir,
      [COMPOSE_LABELS.configFiles]: files,
    },
  });
}

/** Two projects with two replicas of web each; shop also has a db; gone's files are not on this machine. */
function world(): FakeEngine {
  return new FakeEngine([
    replica('shop', 'web', 1), replica('shop', 'web', 2), replica('shop', 'db', 1),
    replica('blog', 'web', 1), replica('blog', 'web', 2),
    replica('gone', 'app', 1, {}, '/nonexistent/dh-compose.yml'),
    makeContainer({ name: 'standalone' }),
  ]);
}

let latest: ProjectsView | undefined;

function ProjectsHost({ engine, store, findCli }: { engine: FakeEngine; store: ContainerStore; findCli: () => Promise<ComposeCli | undefined> }) {
  const [status, setStatus] = useState<StatusMessage | undefined>();
  const view = useProjectsView({
    engine, store, active: true, filter: '', getFilter: () => '', listWidth: 60, cols: COLS, rows: 24, paneWidth: 38, setStatus, findCli,
  });
  latest = view;
  useInput((input, key) => {
    const name = keyName(input, key);
    if (view.output) {
      view.output.handleKey(name, input);
    } else if (view.hasDialog()) {
      const command = commandFor(name, ['confirm']);
      if (command) view.handleDialogCommand(command);
    } else {
      const command = commandFor(name, ['list']);
      if (command) view.handleListCommand(command);
    }
  });
  const listRows = BODY - 1 - (view.dialog?.rows ?? 0);
  return (
    <Box flexDirection="column" width={COLS}>
      <Text>{view.counts}</Text>
      {view.output ? view.output.render(BODY) : (
        <Box height={listRows + 1}>
          {view.renderList(listRows, false)}
          <Box flexDirection="column" width={40} marginLeft={1}>
            <Text bold>{view.paneTitle}</Text>
            <ScrollPane lines={view.paneLines} offset={0} width={38} height={listRows} />
          </Box>
        </Box>
      )}
      {view.dialog?.element ?? null}
      <Text wrap="truncate">{status?.text ?? ' '}</Text>
    </Box>
  );
}

const stores: ContainerStore[] = [];
afterEach(() => {
  cleanup();
  for (const store of stores.splice(0)) store.stop();
  latest = undefined;
});

async function mount(options: { engine?: FakeEngine; cli?: ComposeCli | undefined } = {}) {
  const engine = options.engine ?? world();
  const store = new ContainerStore(engine, { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 });
  stores.push(store);
  store.start();
  const cli = 'cli' in options ? options.cli : ECHO_CLI();
  const instance = render(<ProjectsHost engine={engine} store={store} findCli={async () => cli} />);
  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
  const until = async (predicate: (frame: string) => boolean, what: string, timeout = 3000) => {
    await vi.waitFor(() => {
      if (!predicate(frame())) throw new Error(`waiting for ${what}; last frame:\n${frame()}`);
    }, { timeout, interval: 5 });
    return frame();
  };
  const press = async (key: string, predicate: (frame: string) => boolean, what: string, timeout?: number) => {
    instance.stdin.write(key);
    return until(predicate, `${what} (after ${JSON.stringify(key)})`, timeout);
  };
  await until((f) => f.includes('blog') && !f.includes('looking for docker compose'), 'the projects');
  return { engine, store, frame, until, press };
}

/** The list side of each line (the details pane starts 61 columns in). */
const listRows = (frame: string) => frame.split('\n').slice(1, BODY).map((line) => line.slice(0, 60).trimEnd()).filter(Boolean);
const idsOf = (engine: FakeEngine, project: string) => engine.containers.filter((c) => c.project === project).map((c) => c.id);
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));
/** Text as read across the lines it was wrapped on (and the borders it was drawn in). */
const squash = (text: string) => text.replace(/[│\s]/g, '');

describe('the projects view', () => {
  test('one row per project with its services, RUNNING as running/replicas; the header counts', async () => {
    const { frame } = await mount();
    expect(frame().split('\n')[0]).toBe('3 projects · 6/6 running');
    const rows = listRows(frame());
    expect(rows[0]).toMatch(/^PROJECT▲\s+RUNNING\s+SERVICES\s+WORKING DIR\s+CONFIG$/);
    // Service rows are indented under their project and leave the project's columns empty.
    expect(rows.slice(1).map((r) => `${r.startsWith('  ') ? '  ' : ''}${r.trim().split(/\s+/).slice(0, 3).join(' ')}`)).toEqual([
      'blog 2/2 1', '  web 2/2', 'gone 1/1 1', '  app 1/1', 'shop 3/3 2', '  db 1/1', '  web 2/2',
    ]);
    expect(rows[1]).toContain(dir.slice(0, 8));
    expect(frame()).not.toContain('standalone');
  });

  test('the details pane names every replica, the files and the compose CLI found', async () => {
    const { frame } = await mount();
    const pane = frame();
    expect(pane).toContain('Project blog');
    expect(pane).toContain('web-1  running');
    expect(pane).toContain('web-2  running');
    expect(pane).toContain(join(dir, 'echo-compose').slice(0, 20));
  });

  test('s names every container of the project, y stops all and only them', async () => {
    const { engine, frame, press, until } = await mount();
    const dialog = await press('s', (f) => f.includes('Stop 2 containers of project blog?'), 'the stop dialog');
    expect(dialog).toContain('blog-web-1, blog-web-2');
    await press('y', (f) => f.includes('project blog: stopped 2 containers'), 'the report');
    expect(engine.actions.map((a) => [a.id, a.action])).toEqual(idsOf(engine, 'blog').map((id) => [id, 'stop']));
    expect(engine.containers.filter((c) => c.project === 'shop').every((c) => c.state === 'running')).toBe(true);
    await until((f) => listRows(f)[1]?.includes('0/2') ?? false, 'blog shown stopped');
    expect(frame().split('\n')[0]).toBe('3 projects · 4/6 running');
  });

  test('Enter answers no: nothing is stopped', async () => {
    const { engine, press } = await mount();
    await press('s', (f) => f.includes('Stop 2 containers'), 'the stop dialog');
    await press(KEY.enter, (f) => !f.includes('Stop 2 containers'), 'the dialog closed');
    await settle();
    expect(engine.actions).toEqual([]);
  });

  test('on a service row, the keys act on that service only', async () => {
    const { engine, press } = await mount();
    await press('G', (f) => f.includes('Service web'), 'the last row: shop’s web');
    await press('s', (f) => f.includes('Stop 2 containers of service web of shop?'), 'the stop dialog');
    await press('y', (f) => f.includes('service web of shop: stopped 2 containers'), 'the report');
    const web = engine.containers.filter((c) => c.project === 'shop' && c.service === 'web').map((c) => c.id);
    expect(engine.actions.map((a) => a.id)).toEqual(web);
    expect(engine.find('shop-db-1')?.state).toBe('running');
  });

  test('S starts what is not up, without asking; p pauses what runs', async () => {
    const engine = world();
    engine.updateContainer('blog-web-2', { state: 'exited', status: 'Exited (0) 1 minute ago', exitCode: 0 });
    const { press } = await mount({ engine });
    await press('S', (f) => f.includes('project blog: started 1 container'), 'the start report');
    expect(engine.actions.map((a) => [a.id, a.action])).toEqual([[engine.find('blog-web-2')?.id, 'start']]);
    await press('p', (f) => f.includes('project blog: paused 2 containers'), 'the pause report');
    await press('p', (f) => f.includes('project blog: unpaused 2 containers'), 'the unpause report');
  });

  test('d with f and v removes every container, by force and with its anonymous volumes', async () => {
    const { engine, press } = await mount();
    await press('d', (f) => f.includes('Remove 2 containers of project blog?') && f.includes('2 are up: the engine refuses those'), 'the remove dialog');
    await press('f', (f) => f.includes('force (kill running ones first): on') && !f.includes('engine refuses'), 'force on');
    await press('v', (f) => f.includes('anonymous volumes: on'), 'volumes on');
    await press('y', (f) => f.includes('project blog: removed 2 containers'), 'the report');
    expect(engine.actions.map((a) => a.options)).toEqual([
      { remove: { force: true, removeVolumes: true } }, { remove: { force: true, removeVolumes: true } },
    ]);
    expect(engine.containers.some((c) => c.project === 'blog')).toBe(false);
  });

  test('a refusal is reported in the daemon’s words, naming the container', async () => {
    const { engine, press } = await mount();
    engine.failNext('Cannot restart container: driver failed programming external connectivity', 500);
    await press('r', (f) => f.includes('project blog: restarted 1 of 2; blog-web-1: Cannot restart container: driver failed'), 'the report');
  });

  test('u shows the exact command line; y runs it and shows its output and exit code; Esc closes', async () => {
    const { press, frame } = await mount();
    const cli = join(dir, 'echo-compose');
    const commandLine = `${cli} -H unix:///var/run/docker.sock --project-name blog --project-directory ${dir} -f ${join(dir, 'docker-compose.yml')} up -d`;
    const dialog = await press('u', (f) => f.includes('Create and start (up -d) project blog?'), 'the compose dialog');
    expect(squash(dialog)).toContain(squash(`$ ${commandLine}`));
    await press('y', (f) => f.includes('exit 0 · Esc closes'), 'the output and exit code');
    const output = frame();
    expect(squash(output)).toContain(squash(`$ ${commandLine}`));
    expect(squash(output)).toContain(squash(`compose got: ${commandLine.slice(cli.length + 1)}`));
    expect(output).toContain('Creating shop_web_1 ... done');
    await press(KEY.escape, (f) => f.includes('PROJECT▲'), 'back to the list');
    expect(frame()).toContain('project blog: compose up -d: exit 0');
  });

  test('x asks about volumes: v turns `down` into `down -v`', async () => {
    const { press, frame } = await mount();
    await press('x', (f) => f.includes('Take down') && f.includes('also remove volumes (named ones in its files too): off'), 'the down dialog');
    expect(frame()).toMatch(/ down\s/);
    await press('v', (f) => f.includes('down -v') && f.includes(': on'), 'down -v');
    await press('y', (f) => f.includes('exit 0'), 'the output');
    expect(frame()).toMatch(/compose got: [\s\S]* down -v\n/);
  });

  test('Esc while it runs cancels it (SIGINT) and shows how it ended; Esc again closes', async () => {
    const slow = fakeCli('slow-compose', 'echo "Pulling web ..."\nexec sleep 30');
    const { press } = await mount({ cli: slow });
    await press('P', (f) => f.includes('Pull the images of project blog?'), 'the pull dialog');
    await press('y', (f) => f.includes('Pulling web ...') && f.includes('running… · Esc cancels'), 'the output while it runs');
    await press(KEY.escape, (f) => f.includes('ended by SIGINT'), 'cancelled');
    await press(KEY.escape, (f) => f.includes('PROJECT▲'), 'back to the list');
  });

  test('a command that fails shows its exit code', async () => {
    const failing = fakeCli('failing-compose', 'echo "ERROR: pull access denied for dockhand-test/busybox" >&2\nexit 1');
    const { press, frame } = await mount({ cli: failing });
    await press('u', (f) => f.includes('up -d'), 'the dialog');
    await press('y', (f) => f.includes('exit 1 · Esc closes'), 'the failure');
    expect(frame()).toContain('ERROR: pull access denied');
  });

  test('without a compose CLI, u says so and nothing runs', async () => {
    const { press } = await mount({ cli: undefined });
    expect(squash(latest?.paneLines.map((l) => l.text).join('') ?? '')).toContain(squash('docker compose not found on PATH'));
    await press('u', (f) => f.includes('blog: docker compose not found on PATH (nor docker-compose)'), 'the reason');
    expect(latest?.hasDialog()).toBe(false);
    expect(latest?.output).toBeUndefined();
  });

  test('when the project’s files are not on this machine, u says which and nothing runs', async () => {
    const { press } = await mount();
    await press('j', (f) => f.includes('Service web'), 'blog’s web');
    await press('j', (f) => f.includes('Project gone'), 'the project whose files are elsewhere');
    await press('u', (f) => f.includes('gone: config file /nonexistent/dh-compose.yml not found on this machine'), 'the reason');
    expect(latest?.hasDialog()).toBe(false);
  });

  test('on a service row, up names the service; down stays about the whole project', async () => {
    const { press, frame } = await mount();
    await press('j', (f) => f.includes('Service web'), 'blog’s web');
    await press('R', (f) => f.includes('Recreate the containers of service web of blog?'), 'the recreate dialog');
    expect(squash(frame())).toContain('up-d--force-recreateweb');
    await press('n', (f) => !f.includes('Recreate'), 'closed');
    await press('x', (f) => f.includes('Take down') && f.includes('project blog?'), 'the down dialog, about the project');
  });

  test('selectedProject gives the key the project logs know it by', async () => {
    const { press } = await mount();
    expect(latest?.selectedProject()).toEqual({ key: 'blog', name: 'blog' });
    await press('G', (f) => f.includes('Service web') && f.includes('shop'), 'shop’s web');
    expect(latest?.selectedProject()).toEqual({ key: 'shop', name: 'shop' });
  });
});

