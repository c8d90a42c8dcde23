// The docker CLI as a helper for what a TUI cannot do well itself: a shell in a container and
// attach both want the whole terminal (raw mode, resize, detach keys), which the CLI already does
// right. These functions only build argv and environments; nothing here spawns or connects.
//
// Engine data (ids, context names) only ever becomes separate argv elements, never part of a
// shell string: the script run inside the container is a constant.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { refuseIfReadOnly } from './read-only.js';
import type { Endpoint } from './types.js';

export interface DockerCliInvocation {
  /** Global flags, placed before the subcommand: `docker ...args exec ...` */
  args: string[];
  /** The whole environment for the child process. */
  env: Record<string, string>;
}

/** What the user should do when there is no docker CLI, per purpose. */
export function dockerCliMissing(purpose: 'shell' | 'attach'): string {
  const need = purpose === 'shell' ? 'for a shell' : 'to attach';
  return `the docker CLI is needed ${need}: install docker.io / docker-ce-cli`;
}

// The variables the CLI would let override the flags we pass, or that would add TLS to an
// endpoint that has none. DOCKER_CONFIG stays: it says where the context store is.
const OVERRIDING_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS'];

/**
 * The docker CLI flags and environment that reach exactly `endpoint`, the engine dockhand talks to.
 * A named context is passed by name (the CLI reads the same store, so ssh contexts keep the CLI's
 * own ssh handling); the 'default' context is spelled out as -H URL plus TLS flags, because it
 * is whatever --host/DOCKER_HOST said when dockhand started.
 */
export function dockerCliArgs(endpoint: Endpoint, baseEnv: NodeJS.ProcessEnv = process.env): DockerCliInvocation {
  // A shell, attach or compose can change anything: none is started on a read-only endpoint.
  refuseIfReadOnly(endpoint, 'a docker CLI command (shell, attach, compose)');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) {
    if (value !== undefined && !OVERRIDING_VARIABLES.includes(key)) env[key] = value;
  }
  if (endpoint.contextName !== 'default') return { args: ['--context', endpoint.contextName], env };

  const args = ['-H', endpoint.url];
  const { tls } = endpoint;
  if (tls) {
    // --tls without --tlsverify is TLS that does not check the server's certificate, as the
    // endpoint says (SkipTLSVerify, or TLS without DOCKER_TLS_VERIFY).
    args.push(tls.verify ? '--tlsverify' : '--tls');
    // All three, always: for a flag left out, the CLI (20.10 and 28.x) opens DOCKER_CERT_PATH/ca.pem
    // or ~/.docker/ca.pem and refuses to start when it is missing, even without verification,
    // where dockhand connects fine. A missing file is passed as `""`, which the CLI reads as
    // empty ("none": the system's CAs, no client certificate) because it strips one pair of
    // quotes from these values (opts/quotedstring.go); a bare empty value crashes the 20.10 CLI.
    const file = (path: string | undefined) => path ?? '""';
    args.push(`--tlscacert=${file(tls.ca)}`, `--tlscert=${file(tls.cert)}`, `--tlskey=${file(tls.key)}`);
  }
  return { args, env };
}

/** Shells tried in order when the container user's login shell is unknown or missing. */
export const DEFAULT_SHELLS: readonly string[] = ['bash', 'zsh', 'ash', 'sh'];

/**
 * Run by `sh -c` in the container with the shell names as "$@". It prefers the login shell of the
 * container's user (from /etc/passwd, unless it is nologin/false), then the first of "$@" that
 * exists, then sh; each as a login shell (-l), so /etc/profile sets the prompt and PATH.
 * A constant: nothing from the engine or the user is ever spliced into it.
 */
export const SHELL_SCRIPT = [
  'u=$(id -u 2>/dev/null)',
  'if [ -n "$u" ] && [ -r /etc/passwd ]; then',
  '  while IFS=: read -r _ _ uid _ _ _ s; do',
  '    if [ "$uid" = "$u" ]; then',
  '      case "$s" in ""|*/nologin|*/false) ;; *) [ -x "$s" ] && exec "$s" -l ;; esac',
  '      break',
  '    fi',
  '  done < /etc/passwd',
  'fi',
  'for s in "$@"; do command -v "$s" >/dev/null 2>&1 && exec "$s" -l; done',
  'exec sh -l',
].join('\n');

/** $0 of the script, which shells show in error messages. */
const SCRIPT_NAME = 'dockhand-shell';

// Container ids and names as the engine allows them; anything else is refused rather than passed on.
const CONTAINER_REF = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// A shell is a command name or an absolute path, never an option.
const SHELL_NAME = /^(?:\/[A-Za-z0-9_.+/-]+|[A-Za-z0-9_][A-Za-z0-9_.+-]*)$/;

function checkContainerRef(id: string): string {
  if (!CONTAINER_REF.test(id)) throw new Error(`not a container id or name: ${JSON.stringify(id)}`);
  return id;
}

/**
 * `docker exec -it ID sh -c SCRIPT dockhand-shell SHELLS...`: an interactive login shell in a running
 * container, the container user's own when it has one. Goes after dockerCliArgs().args.
 */
export function execShellArgs(containerId: string, shellPreference: readonly string[] = DEFAULT_SHELLS): string[] {
  const shells = shellPreference.map((shell) => {
    if (!SHELL_NAME.test(shell)) throw new Error(`not a shell name: ${JSON.stringify(shell)}`);
    return shell;
  });
  // `--` ends the CLI's options, so even a hostile id could not become one.
  return ['exec', '-i', '-t', '--', checkContainerRef(containerId), 'sh', '-c', SHELL_SCRIPT, SCRIPT_NAME, ...shells];
}

/** The keys that detach from `docker attach` (and their description for the screen). */
export const DETACH_KEYS = 'ctrl-p,ctrl-q';

/**
 * `docker attach` to the container's main process. Signals are not proxied (Ctrl-C in the attached
 * terminal goes to the container as a key, not as a SIGINT that would kill its main process),
 * and ctrl-p ctrl-q detaches, stated explicitly so a user's config.json cannot change it.
 */
export function attachArgs(containerId: string): string[] {
  return ['attach', '--sig-proxy=false', '--detach-keys', DETACH_KEYS, '--', checkContainerRef(containerId)];
}

/**
 * The docker CLI on PATH, as the shell would find it, or undefined. Any client version works: the
 * CLI negotiates the API version with the engine (a 28.x client talks to a 20.10 engine).
 */
export function findDockerCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable('docker', env);
}

/** The first executable file named `name` in env.PATH; `name` may also be a path. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    // An empty PATH entry means the current directory to a shell; a dashboard should not run
    // whatever `docker` sits in the directory it was started from.
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How a docker CLI session that had the terminal ended, read from what handOverTerminal saw. */
export type CliSessionOutcome =
  | { outcome: 'detached' }
  | { outcome: 'ended'; exitCode: number }
  | { outcome: 'killed'; signal: string }
  | { outcome: 'failed'; reason: string };

// What the CLI prints (and exits 1 with) when the detach keys were pressed, 20.10 to 28.x.
const DETACHED = /^read escape sequence$/;

/**
 * With a tty, the container's own stderr reaches the terminal through the pty, never the CLI's
 * stderr; so a non-zero exit with something on the CLI's stderr is the CLI explaining a failure
 * ("Error response from daemon: …", "OCI runtime exec failed: …"), and without it the exit status
 * of the shell's last command.
 */
export function cliSessionOutcome(result: { exitCode: number | null; signal?: string; error?: string; stderrTail?: string }): CliSessionOutcome {
  if (result.error !== undefined) return { outcome: 'failed', reason: result.error };
  if (result.stderrTail !== undefined && DETACHED.test(result.stderrTail)) return { outcome: 'detached' };
  if (result.exitCode === null) return { outcome: 'killed', signal: result.signal ?? 'a signal' };
  if (result.exitCode !== 0 && result.stderrTail) return { outcome: 'failed', reason: result.stderrTail };
  return { outcome: 'ended', exitCode: result.exitCode };
}
