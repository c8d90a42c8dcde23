// The whole <App> over an in-memory engine, with the real ContainerStore and StatsSampler, and
// helpers that read rendered frames the way a user reads the screen. Shared by the view tests.
//
// CI=true: when `is-in-ci` says it runs in CI, Ink writes only the last frame, at exit, except
// in debug mode, which writes every frame whatever CI says. ink-testing-library renders in debug
// mode and so does the sized harness below, so these tests see the same frames with or without
// CI, and no env juggling is needed. What CI still changes in debug mode, nothing here relies on:
// Ink's own 'resize' listener (the app has its own) and one extra "\n" written at unmount (so
// no test reads a frame after the app has quit).
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import React, { useEffect } from 'react';
import { render as renderTesting, cleanup as cleanupTesting } from 'ink-testing-library';
import { afterEach } from 'vitest';
import { ContainerStore, type ContainerSource, type ContainerStoreOptions } from '../../src/engine/container-store.js';
import { EventLog } from '../../src/engine/event-log.js';
import { readOnlyEngine } from '../../src/engine/read-only.js';
import { Fleet } from '../../src/engine/fleet.js';
import { StatsSampler } from '../../src/engine/stats-sampler.js';
import type { ContainerRow } from '../../src/engine/types.js';
import type { AppSettings } from '../../src/config.js';
import { App } from '../../src/views/App.js';
import { KEYMAP, type CommandId } from '../../src/views/keymap.js';
import { makeTheme, ThemeProvider, type Theme } from '../../src/views/theme.js';
import { FakeEngine } from './fake-engine.js';
import { renderSized } from './render-sized.js';

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
} as const;

// ---------------------------------------------------------------------------------------------
// Harness


/** Ink reads keys from 'readable' + read(), as from a raw-mode TTY (mirrors ink-testing-library). */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;

  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };

  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** Marks when Ink unmounts the tree, which is what the app's quit (useApp().exit) does. */
function ExitProbe({ onUnmount, children }: { onUnmount: () => void; children: React.ReactNode }) {
  useEffect(() => onUnmount, [onUnmount]);
  return <>{children}</>;
}

export interface Harness {
  engine: FakeEngine;
  store: ContainerSource & { start(): void; stop(): void };
  sampler: StatsSampler;
  stdin: { write(data: string): void };
  /** The last frame, without colour codes (FORCE_COLOR may be set where the tests run). */
  frame(): string;
  /** The last frame as written, colour codes and all. */
  raw(): string;
  exited(): boolean;
  /** Only for sized harnesses. */
  resize(columns: number, rows: number): void;
  unmount(): void;
}

const mounted: Harness[] = [];

afterEach(() => {
  for (const harness of mounted.splice(0)) harness.unmount();
  cleanupTesting();
});

export interface MountOptions {
  /** Omitted: ink-testing-library's stdout (100 columns; no rows, which the app reads as 24). */
  size?: { columns: number; rows: number };
  /** Images, volumes and networks the engine has before the app starts */
  setup?: (engine: FakeEngine) => void;
  /** Other hosts beside the harness's engine (named "main"): the app shows a fleet of them all */
  fleetWith?: Record<string, FakeEngine>;
  /** What the configuration file would give the app */
  settings?: AppSettings;
  theme?: Theme;
  /** As --read-only: the endpoint marked, the engine wrapped as connect() wraps it */
  readOnly?: boolean;
}

/** A fleet whose hosts are fake engines, reached at once. */
function fakeFleet(engines: Record<string, FakeEngine>, store: ContainerStoreOptions): Fleet {
  const hosts = Object.keys(engines).map((name) => ({
    name,
    endpoint: { url: `tcp://${name}:2376`, kind: 'tcp' as const, hostname: name, contextName: name, source: '--context' as const },
  }));
  return new Fleet(hosts, {
    store,
    connect: async (endpoint) => {
      const engine = engines[endpoint.contextName];
      if (!engine) throw new Error(`no fake engine ${endpoint.contextName}`);
      return engine;
    },
  });
}

export function mountApp(containers: readonly ContainerRow[], options: MountOptions = {}): Harness {
  const engine = new FakeEngine(containers);
  if (options.readOnly) Object.assign(engine, { info: { ...engine.info, endpoint: { ...engine.info.endpoint, readOnly: true } } });
  options.setup?.(engine);
  // Short throttle and backoff: the tests wait on frames, not on production pacing.
  const storeOptions = { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 };
  const fleet = options.fleetWith ? fakeFleet({ main: engine, ...options.fleetWith }, storeOptions) : undefined;
  const store = fleet ?? new ContainerStore(engine, storeOptions);
  const appEngine = fleet?.engine ?? (options.readOnly ? readOnlyEngine(engine) : engine);
  const sampler = new StatsSampler(appEngine, { pauseMs: 10 });
  // As the session does: the events list has every event from the start.
  const events = EventLog.follow(store);
  let exited = false;
  const tree = (
    <ExitProbe onUnmount={() => { exited = true; }}>
      <ThemeProvider value={options.theme ?? makeTheme('default', 'basic')}>
        <App engine={appEngine} store={store} sampler={sampler} events={events.log} {...(options.settings ? { settings: options.settings } : {})} />
      </ThemeProvider>
    </ExitProbe>
  );
  store.start();

  let harness: Harness;
  const stopEngineSide = () => {
    events.stop();
    store.stop();
    sampler.stop();
  };
  if (options.size) {
    const stdin = new FakeStdin();
    const view = renderSized(tree, options.size.columns, options.size.rows, stdin as unknown as NodeJS.ReadStream);
    harness = {
      engine, store, sampler, stdin,
      frame: view.frame,
      raw: view.raw,
      exited: () => exited,
      resize: (columns, rows) => view.stdout.resize(columns, rows),
      unmount: () => {
        view.unmount();
        stopEngineSide();
      },
    };
  } else {
    const instance = renderTesting(tree);
    harness = {
      engine, store, sampler, stdin: instance.stdin,
      frame: () => stripVTControlCharacters(instance.lastFrame() ?? ''),
      raw: () => instance.lastFrame() ?? '',
      exited: () => exited,
      resize: () => { throw new Error('resize needs a sized harness: mountApp(rows, { size })'); },
      unmount: () => {
        instance.unmount();
        stopEngineSide();
      },
    };
  }
  mounted.push(harness);
  return harness;
}

/** Polls the frame until `predicate` holds; on timeout the error shows the last frame. */
export async function waitForFrame(
  harness: Harness,
  predicate: (frame: string) => boolean,
  what: string,
  timeoutMs = 3000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = harness.frame();
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last frame:\n${frame}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Sends one key and waits until the screen shows its effect. */
export async function press(harness: Harness, key: string, until: (frame: string) => boolean, what: string): Promise<string> {
  harness.stdin.write(key);
  return waitForFrame(harness, until, `${what} (after ${JSON.stringify(key)})`);
}

/** Lets timers and pending promises run, for asserting that something did NOT happen. */
export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Reading the screen

export const lines = (frame: string) => frame.split('\n');

/** The list pane's part of each line (the detail pane starts at its left border). */
export const listSide = (line: string) => line.split('│')[0] ?? '';

/**
 * The first cell of every list row, top to bottom: container names (Compose members shortened,
 * as shown) and group headers such as "▾ shop".
 */
export function listEntries(frame: string): string[] {
  const entries: string[] = [];
  for (const line of lines(frame).slice(2)) {
    const left = listSide(line).trim();
    if (!left) break;
    entries.push(left.split(/\s{2,}/)[0] ?? '');
  }
  return entries;
}

/** The list row whose first cell is `name`. */
export function rowOf(frame: string, name: string): string | undefined {
  return lines(frame).slice(2).map(listSide).find((line) => line.trim().split(/\s{2,}/)[0] === name);
}

/** The name the detail pane shows, i.e. the selected container. */
export function selectedName(frame: string): string | undefined {
  for (const line of lines(frame)) {
    const match = /│ Name {2,}(\S+)/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export const hasSelected = (name: string) => (frame: string) => selectedName(frame) === name;
export const statusLine = (frame: string) => lines(frame).at(-2) ?? '';
/** The filter box replaces the status line with "/" and what has been typed. */
export const inFilterBox = (frame: string) => statusLine(frame).startsWith('/');

export function descriptionOf(id: CommandId, scope?: string): string {
  const binding = KEYMAP.find((b) => b.id === id && (scope === undefined || b.scope === scope));
  if (!binding) throw new Error(`no binding ${id} in KEYMAP`);
  return binding.description;
}

