#!/usr/bin/env node
import os from 'node:os';
import meow from 'meow';
import { connect, ConnectError } from './engine/connect.js';
import { EndpointError, listContexts, resolveEndpoint } from './engine/endpoint.js';
import type { Engine } from './engine/engine.js';
import type { Endpoint } from './engine/types.js';

/** Enough history to see what led up to now, little enough to open a busy log at once. */
const DEFAULT_LOG_TAIL = 500;

const cli = meow(
  `
  Usage
    $ dockhand [options]

  Options
    --host, -H URL       Docker engine to use (unix:///var/run/docker.sock, tcp://host:2376,
                         ssh://user@host); repeat it to watch several engines in one view
    --context, -c NAME   Docker context to use (see \`docker context ls\`); repeat it for several
    --all-contexts       Every Docker context in one view
    --log-tail N         Log lines fetched when a log is opened (default ${DEFAULT_LOG_TAIL})
    --help               Show this help
    --version            Show the version

  The engine is chosen the way the docker CLI chooses it: --context, then --host,
  then DOCKER_HOST, then DOCKER_CONTEXT, then the current context in
  $DOCKER_CONFIG/config.json, then the default socket.

  Press ? inside dockhand for the keys.
`,
  {
    importMeta: import.meta,
    flags: {
      host: { type: 'string', shortFlag: 'H', isMultiple: true },
      context: { type: 'string', shortFlag: 'c', isMultiple: true },
      allContexts: { type: 'boolean', default: false },
      logTail: { type: 'number', default: DEFAULT_LOG_TAIL },
    },
  },
);

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?25h\u001B[?1049l';
let onAltScreen = false;

/** Back to the user's screen, cursor shown; safe to call more than once. */
function restoreScreen(): void {
  if (!onAltScreen) return;
  onAltScreen = false;
  process.stdout.write(LEAVE_ALT_SCREEN);
}

/** Errors reach the user as what happened and what to do, never as a stack trace. */
function fail(code: number, ...lines: string[]): never {
  // Leave the alternate screen first, or the message would vanish with it.
  restoreScreen();
  process.stderr.write(lines.map((line) => `${line}\n`).join(''));
  process.exit(code);
}

async function main(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail(2, 'dockhand needs an interactive terminal: run it directly in a terminal, not through a pipe or a redirect.');
  }

  const logTail = cli.flags.logTail;
  if (!Number.isInteger(logTail) || logTail < 0) fail(2, `dockhand: --log-tail takes a whole number of lines (0 or more), not "${logTail}"`);

  const homeDir = os.homedir();
  const contextNames = cli.flags.allContexts
    ? listContexts({ env: process.env, homeDir }).filter((c) => !c.error).map((c) => c.name)
    : cli.flags.context ?? [];
  const hostUrls = cli.flags.host ?? [];
  // One engine unless several are named: then a fleet, where a host that is down is shown down.
  const fleetWanted = cli.flags.allContexts || contextNames.length + hostUrls.length > 1;
  let endpoints: Array<{ endpoint: Endpoint; byContext: boolean }> = [];
  let engine: Engine | undefined;
  try {
    if (fleetWanted) {
      endpoints = [
        ...contextNames.map((context) => ({ endpoint: resolveEndpoint({ context, env: process.env, homeDir }), byContext: true })),
        ...hostUrls.map((host) => ({ endpoint: resolveEndpoint({ host, env: process.env, homeDir }), byContext: false })),
      ];
      if (endpoints.length === 0) fail(1, 'dockhand: --all-contexts found no usable context', '  fix: docker context ls shows them and why one is unusable');
    } else {
      engine = await connect(resolveEndpoint({ context: contextNames[0], host: hostUrls[0], env: process.env, homeDir }));
    }
  } catch (err) {
    if (err instanceof EndpointError) fail(1, `dockhand: ${err.message}`, `  fix: ${err.fix}`);
    if (err instanceof ConnectError) {
      fail(1, `dockhand: cannot connect to the Docker engine at ${err.endpoint.url}`, `  cause: ${err.reason}`, `  fix: ${err.fix}`);
    }
    throw err;
  }

  // Ink renders nothing until exit when it believes it runs in CI (it reads CI once, at import).
  // dockhand only ever runs on a real terminal (checked above), so CI says nothing about output here.
  const ciValues = { CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'] };
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  const [{ render }, React, { Root }, sessions] = await Promise.all([
    import('ink'), import('react'), import('./views/Root.js'), import('./session.js'),
  ]);
  for (const [key, value] of Object.entries(ciValues)) if (value !== undefined) process.env[key] = value;

  let session = engine ? sessions.engineSession(engine) : sessions.fleetSession(sessions.fleetHosts(endpoints));
  process.stdout.write(ENTER_ALT_SCREEN);
  onAltScreen = true;
  // Whatever ends the process (quit, signal, crash), the user's terminal comes back as it was.
  process.on('exit', restoreScreen);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(0));

  const app = render(React.createElement(Root, {
    first: session,
    open: (name: string) => sessions.contextSession(name, process.env, homeDir),
    listContexts: () => listContexts({ env: process.env, homeDir }),
    logTail,
    onSwitch: (next) => { session = next; },
  }), { exitOnCtrlC: false, maxFps: 30 });
  await app.waitUntilExit();
  session.stop();
  process.exit(0);
}

process.on('uncaughtException', (err) => {
  fail(1, `dockhand stopped on an unexpected error: ${err.message}`, process.env['DOCKHAND_DEBUG'] ? String(err.stack) : '  (set DOCKHAND_DEBUG=1 to see where)');
});
process.on('unhandledRejection', (reason) => {
  // Cancelled requests reject with AbortError by design; anything else is a bug worth stopping on.
  if ((reason as Error | undefined)?.name === 'AbortError') return;
  fail(1, `dockhand stopped on an unexpected error: ${(reason as Error | undefined)?.message ?? String(reason)}`);
});

void main();
