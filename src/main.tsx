// dockhand's command line: flags, configuration, the engine, then the dashboard (see cli.ts).
import { closeSync, writeSync } from 'node:fs';
import os from 'node:os';
import { isatty } from 'node:tty';
import meow from 'meow';
import { configRemarks, DEFAULT_LOG_TAIL, formatConfig, loadConfig, remarksNotice } from './config.js';
import { ConnectError } from './engine/connect.js';
import { EndpointError, listContexts, resolveEndpoint } from './engine/endpoint.js';
import type { Engine } from './engine/engine.js';
import { connectOrFindPodman } from './engine/podman-socket.js';
import type { Endpoint } from './engine/types.js';
import { applyKeyOverrides, setActiveKeymap } from './views/keymap.js';
import { terminalLentTo } from './views/terminal-handover.js';
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
  $DOCKER_CONFIG/config.json, then the default socket; with nothing there,
  Podman's ($XDG_RUNTIME_DIR/podman/podman.sock, then /run/podman/podman.sock).

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

// Autowrap off on dockhand's screen: a character the terminal draws wider than Unicode says
// (some emoji in tmux) then clips its row instead of wrapping it and scrolling the whole frame.
const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[?7l\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?25h\u001B[?7h\u001B[?1049l';
let onAltScreen = false;
/** Set once the dashboard is rendered. */
let unmountDashboard: (() => void) | undefined;

/** A step of putting the terminal back: one that fails must not keep the others from running. */
function attempt(step: () => unknown): void {
  try {
    step();
  } catch {
    // The rest of the terminal still comes back.
  }
}

/**
 * Back to the user's screen, cursor shown, raw mode off, whatever ends the process (quit, signal,
 * crash); safe to call more than once.
 */
function restoreScreen(): void {
  if (!onAltScreen) return;
  onAltScreen = false;
  // Ink draws a last frame as it unmounts (from its own exit hook, which runs after this one, if
  // not here), and that frame starts with a clear that takes the scrollback too: it must land on
  // the alternate screen. A crash may leave the tree unable to unmount; the rest still happens.
  attempt(() => unmountDashboard?.());
  const lentTo = terminalLentTo();
  if (lentTo === 'shell' || !isatty(process.stdout.fd)) {
    // No terminal to give back: suspended (Ctrl-Z), dockhand is in the background and the terminal
    // is the shell's, as the shell wants it; or it has hung up (its window closed). As the process
    // exits, libuv puts back the modes it found when raw mode went on, and Node those it found at
    // start: from the background the one stops dockhand (SIGTTOU) and the other undoes the shell's
    // own (readline's), and on a terminal that has hung up Node 20 aborts on an assertion
    // (nodejs/node#51519). Neither touches a closed descriptor.
    attempt(() => process.stdin.destroy());
    for (const fd of [0, 1, 2]) attempt(() => closeSync(fd));
    return;
  }
  // Also after a child that is killed as dockhand exits, and leaves its own raw mode behind.
  attempt(() => process.stdin.isTTY && process.stdin.setRawMode(false));
  // Handed over, the terminal is on the main screen already: leaving the alternate screen again
  // would put the cursor back where it was when dockhand started. writeSync: at once, before exit.
  if (lentTo !== 'child') attempt(() => writeSync(process.stdout.fd, LEAVE_ALT_SCREEN));
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
      engine = await connectOrFindPodman(resolve({ context: contextNames[0], host: hostUrls[0] }), process.env);
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
  // For TERM=dumb Ink's colours (chalk, which reads FORCE_COLOR at import) draw no attributes
  // either, and the selected row would look like any other. dockhand moves the cursor on that
  // terminal all the same, so it draws bold, dim and inverse there too (no colour: theme.ts).
  const forceAttributes = process.env['TERM'] === 'dumb' && process.env['FORCE_COLOR'] === undefined;
  if (forceAttributes) process.env['FORCE_COLOR'] = '1';
  const [{ render }, React, { Root }, sessions] = await Promise.all([
    import('ink'), import('react'), import('./views/Root.js'), import('./session.js'),
  ]);
  for (const [key, value] of Object.entries(ciValues)) if (value !== undefined) process.env[key] = value;
  // Not for the programs dockhand runs (docker exec, compose).
  if (forceAttributes) delete process.env['FORCE_COLOR'];

  let session = engine ? sessions.engineSession(engine) : sessions.fleetSession(sessions.fleetHosts(endpoints));
  process.stdout.write(ENTER_ALT_SCREEN);
  onAltScreen = true;
  // Whatever ends the process (quit, signal, crash), the user's terminal comes back as it was.
  process.on('exit', restoreScreen);
  // A signal that ends dockhand ends it through process.exit, so that restoreScreen and every other
  // exit hook run, with the status a shell gives a process ended by that signal (128 + its number).
  const endOn = (signal: NodeJS.Signals) => process.exit(128 + (os.constants.signals[signal] ?? 0));
  // SIGHUP also comes when the terminal's window closes.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => endOn(signal));
  // In raw mode Ctrl-C and Ctrl-\ are keys; these come from elsewhere, or from the tty while a child
  // has it in cooked mode (terminal-handover.ts), and then they are the child's.
  for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
    process.on(signal, () => {
      if (terminalLentTo() !== 'child') endOn(signal);
    });
  }

  const app = render(React.createElement(Root, {
    first: session,
    open: (name: string) => sessions.contextSession(name, process.env, homeDir, readOnly),
    listContexts: () => listContexts({ env: process.env, homeDir }),
    logTail,
    theme: pickTheme(config.theme, process.env),
    settings: { ...config, notice: remarksNotice(remarks, `dockhand --print-config${cli.flags.ignoreConfigErrors ? ' --ignore-config-errors' : ''}`) },
    onSwitch: (next) => { session = next; },
  }), { exitOnCtrlC: false, maxFps: 30 });
  unmountDashboard = () => app.unmount();
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
