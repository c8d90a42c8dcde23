// dockhand's command line: flags, configuration, the engine, then the dashboard (see cli.ts).
import os from 'node:os';
import meow from 'meow';
import { configRemarks, DEFAULT_LOG_TAIL, formatConfig, loadConfig, remarksNotice } from './config.js';
import { connect, ConnectError } from './engine/connect.js';
import { EndpointError, listContexts, resolveEndpoint } from './engine/endpoint.js';
import type { Engine } from './engine/engine.js';
import type { Endpoint } from './engine/types.js';
import { applyKeyOverrides, setActiveKeymap } from './views/keymap.js';
import { pickTheme } from './views/theme.js';

const cli = meow(
  `
  Usage
    $ dockhand [options]

  Options
    --host, -H URL       Docker engine to use (unix:///var/run/docker.sock, tcp://host:2376,
                         ssh://user@host); repeat it to watch several engines in one view
    --context, -c NAME   Docker context to use (see \`docker context ls\`); repeat it for several
    --all-contexts       Every Docker context in one view
    --log-tail N         Log lines fetched when a log is opened (default: logs.tail
                         in the configuration, else ${DEFAULT_LOG_TAIL})
    --print-config       Print the configuration in effect (the file's settings over
                         the defaults, every key binding included) and exit
    --read-only          Look, never touch: every change to the engine is refused
                         (start/stop/remove, prune, shell, attach, compose, your commands)
    --ignore-config-errors
                         Start despite mistakes in the configuration file, with the
                         defaults in their place (the status line says so)
    --help               Show this help
    --version            Show the version

  The engine is chosen the way the docker CLI chooses it: --context, then --host,
  then DOCKER_HOST, then DOCKER_CONTEXT, then the current context in
  $DOCKER_CONFIG/config.json, then the default socket.

  Configuration: $XDG_CONFIG_HOME/dockhand/config.yml (~/.config/dockhand/config.yml
  by default); see the README's Configuration section.

  Press ? inside dockhand for the keys.
`,
  {
    importMeta: import.meta,
    flags: {
      host: { type: 'string', shortFlag: 'H', isMultiple: true },
      context: { type: 'string', shortFlag: 'c', isMultiple: true },
      allContexts: { type: 'boolean', default: false },
      // No default: absent, the configuration's logs.tail applies.
      logTail: { type: 'number' },
      printConfig: { type: 'boolean', default: false },
      ignoreConfigErrors: { type: 'boolean', default: false },
      readOnly: { type: 'boolean', default: false },
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
  const homeDir = os.homedir();
  const loaded = loadConfig(process.env, homeDir);
  if (loaded.problems.length > 0 && !cli.flags.ignoreConfigErrors) {
    fail(2, ...loaded.problems, '  fix: correct the file, or start with the defaults in their place: dockhand --ignore-config-errors');
  }
  const logTail = cli.flags.logTail ?? loaded.config.logs.tail;
  if (!Number.isInteger(logTail) || logTail < 0) fail(2, `dockhand: --log-tail takes a whole number of lines (0 or more), not "${logTail}"`);
  const config = { ...loaded.config, logs: { ...loaded.config.logs, tail: logTail } };
  const { keymap, conflicts } = applyKeyOverrides(config.keys);
  const remarks = configRemarks(loaded, conflicts);

  // Needs no terminal: it can be piped into a file to start one's own.
  if (cli.flags.printConfig) {
    const source = loaded.found ? `${loaded.shownPath} over the defaults` : `the defaults (${loaded.shownPath} does not exist)`;
    process.stdout.write(formatConfig(config, keymap, [`dockhand's configuration in effect: ${source}`, ...remarks]));
    process.exit(0);
  }

  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail(2, 'dockhand needs an interactive terminal: run it directly in a terminal, not through a pipe or a redirect.');
  }
  setActiveKeymap(keymap);

  const contextNames = cli.flags.allContexts
    ? listContexts({ env: process.env, homeDir }).filter((c) => !c.error).map((c) => c.name)
    : cli.flags.context ?? [];
  const hostUrls = cli.flags.host ?? [];
  // The configuration can only add read-only, never take the flag back.
  const readOnly = cli.flags.readOnly || config.readOnly;
  const resolve = (choice: { context?: string | undefined; host?: string | undefined }): Endpoint => ({
    ...resolveEndpoint({ ...choice, env: process.env, homeDir }),
    ...(readOnly ? { readOnly } : {}),
  });
  // One engine unless several are named: then a fleet, where a host that is down is shown down.
  const fleetWanted = cli.flags.allContexts || contextNames.length + hostUrls.length > 1;
  let endpoints: Array<{ endpoint: Endpoint; byContext: boolean }> = [];
  let engine: Engine | undefined;
  try {
    if (fleetWanted) {
      endpoints = [
        ...contextNames.map((context) => ({ endpoint: resolve({ context }), byContext: true })),
        ...hostUrls.map((host) => ({ endpoint: resolve({ host }), byContext: false })),
      ];
      if (endpoints.length === 0) fail(1, 'dockhand: --all-contexts found no usable context', '  fix: docker context ls shows them and why one is unusable');
    } else {
      engine = await connect(resolve({ context: contextNames[0], host: hostUrls[0] }));
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
    open: (name: string) => sessions.contextSession(name, process.env, homeDir, readOnly),
    listContexts: () => listContexts({ env: process.env, homeDir }),
    logTail,
    theme: pickTheme(config.theme, process.env),
    settings: { ...config, notice: remarksNotice(remarks, `dockhand --print-config${cli.flags.ignoreConfigErrors ? ' --ignore-config-errors' : ''}`) },
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
