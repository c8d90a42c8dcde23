// ssh:// engines, reached through the system ssh so that ~/.ssh/config, ProxyJump, the agent and
// known_hosts apply exactly as for the docker CLI. One ssh process forwards a local unix socket
// to the engine's socket on the remote host: every request of dockhand is a channel of that one
// connection. Channels are not sessions, so sshd's MaxSessions and MaxStartups are never reached,
// and the remote host needs no docker CLI (`docker system dial-stdio`), only the engine's socket.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter } from './lines.js';
import type { Endpoint } from './types.js';

export const DEFAULT_REMOTE_SOCKET = '/var/run/docker.sock';

/** ssh's own connect timeout, which also bounds its banner exchange. */
const CONNECT_TIMEOUT_S = 10;
/** A link that answers no keepalive for ALIVE_INTERVAL_S × ALIVE_COUNT_MAX seconds is dead: ssh exits. */
const ALIVE_INTERVAL_S = 5;
const ALIVE_COUNT_MAX = 3;
/** Beyond ssh's own timeouts: authentication (an agent that never answers) has none. */
const START_TIMEOUT_MS = 15_000;
const POLL_MS = 25;
/** After a start that failed, requests get that failure for this long before ssh is tried again. */
const RESTART_PAUSE_MS = 1000;
/** Enough of ssh's stderr for the explanation, bounded whatever a chatty server prints. */
const STDERR_KEPT = 8192;
/**
 * ssh reports a channel the remote host refused ("open failed") on stderr, while the request
 * only sees its connection closed; the two arrive in either order within moments.
 */
const CHANNEL_FAILURE_WINDOW_MS = 2000;
const STDERR_GRACE_MS = 100;

/** Why ssh could not carry dockhand's requests, and what the user can do about it. */
export class SshTunnelError extends Error {
  constructor(readonly reason: string, readonly fix: string) {
    super(reason);
    this.name = 'SshTunnelError';
  }
}

/** The ssh program: DOCKHAND_SSH names another one (a wrapper, as GIT_SSH does for git). */
export function sshProgram(env: NodeJS.ProcessEnv = process.env): string {
  return env['DOCKHAND_SSH'] || 'ssh';
}

/** Where ssh goes, as the URL writes it: no port ('') and no user unless it names them. */
interface SshTarget {
  host: string;
  port: string;
  user: string | undefined;
}

/** The endpoint's port is 22 when the URL names none; ssh must be left to take ~/.ssh/config's. */
function targetOf(endpoint: Endpoint): SshTarget {
  return { host: endpoint.hostname ?? '', port: new URL(endpoint.url).port, user: endpoint.username };
}

/** ssh's arguments for the forward, after the docker CLI's own: `-l USER -p PORT -- HOST`. */
export function sshTunnelArgs(endpoint: Endpoint, localSocket: string): string[] {
  const { host, port, user } = targetOf(endpoint);
  const args = [
    // No stdin, no remote command, no terminal: a forward only.
    '-nNT',
    // A forward that cannot be set up is a failure, not an ssh that sits there forwarding nothing.
    '-o', 'ExitOnForwardFailure=yes',
    // dockhand owns the terminal: a password, passphrase or unknown host key fails instead of asking.
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    // A dropped link shows up as an ssh that exits, which ensure() then restarts.
    '-o', `ServerAliveInterval=${ALIVE_INTERVAL_S}`,
    '-o', `ServerAliveCountMax=${ALIVE_COUNT_MAX}`,
    '-L', `${localSocket}:${endpoint.socketPath ?? DEFAULT_REMOTE_SOCKET}`,
  ];
  if (user !== undefined) args.push('-l', user);
  if (port !== '') args.push('-p', port);
  // `--`: a host name can never be read as an option.
  args.push('--', host);
  return args;
}

/** The host (with the port the URL names), for messages. */
function hostOf({ host, port }: SshTarget): string {
  if (port === '') return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function portFlag({ port }: SshTarget): string {
  return port === '' ? '' : `-p ${port} `;
}

/** `ssh [-p PORT] [USER@]HOST`: what the user can run to see for themselves. */
function sshCommandFor(target: SshTarget): string {
  return `ssh ${portFlag(target)}${target.user === undefined ? '' : `${target.user}@`}${target.host}`;
}

/**
 * What ssh's stderr says went wrong, as a cause and a fix. Undefined when it says nothing
 * dockhand recognises; see sshExitFailure for a dead ssh.
 */
export function explainSshOutput(stderr: string, endpoint: Endpoint): SshTunnelError | undefined {
  const target = targetOf(endpoint);
  const host = hostOf(target);
  const user = endpoint.username ?? 'your user';
  const socket = endpoint.socketPath ?? DEFAULT_REMOTE_SOCKET;
  const match = (pattern: RegExp) => pattern.exec(stderr);

  if (match(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for \S+ has changed/)) {
    const offending = match(/Offending \S+ key in (\S+:\d+)/)?.[1];
    const removal = match(/ssh-keygen -f .* -R .*/)?.[0]?.trim();
    return new SshTunnelError(
      `the host key of ${host} has changed: it is not the one${offending ? ` in ${offending}` : ' in known_hosts'}`,
      `someone may be intercepting the connection; if ${host} was reinstalled, check its new key with its administrator, then remove the old one${removal ? ` (${removal})` : ' with ssh-keygen -R'} and connect once with \`${sshCommandFor(target)}\`. dockhand never accepts a host key by itself`,
    );
  }
  if (match(/host key is known for|Host key verification failed/)) {
    return new SshTunnelError(
      `${host} is not in known_hosts, and dockhand never accepts a host key by itself`,
      `connect once with \`${sshCommandFor(target)}\` and check the fingerprint it shows, or add the key with \`ssh-keyscan ${portFlag(target)}${target.host} >> ~/.ssh/known_hosts\` after checking it`,
    );
  }
  const denied = match(/(?:(\S+)@\S+: )?Permission denied \(([^)]*)\)/);
  if (denied) {
    const login = denied[1] ?? user;
    return new SshTunnelError(
      `${host} refused the login of ${login} (it accepts: ${denied[2]})`,
      `dockhand runs ssh without prompts: load your key into the agent (ssh-add) or name it with IdentityFile in ~/.ssh/config, and put its public key in ~${login}/.ssh/authorized_keys on ${target.host}`,
    );
  }
  const unresolved = match(/Could not resolve hostname (\S+?): (.*)/);
  if (unresolved) {
    return new SshTunnelError(
      `the host name ${unresolved[1]} cannot be resolved (${unresolved[2]?.trim()})`,
      'check the host in the URL, or its HostName in ~/.ssh/config',
    );
  }
  const refused = match(/connect to host (\S+) port (\d+): Connection refused/);
  if (refused) {
    return new SshTunnelError(
      `connection refused by ${refused[1]}:${refused[2]}: no ssh server listens there`,
      'check the host and port (and Port in ~/.ssh/config), and that sshd runs there',
    );
  }
  if (match(/timed out/i)) {
    return new SshTunnelError(
      `no answer from ${host} within ${CONNECT_TIMEOUT_S} s`,
      'check that the host is up and that no firewall drops ssh on the way to it',
    );
  }
  const unreachable = match(/No route to host|Network is unreachable/);
  if (unreachable) {
    return new SshTunnelError(`${host} is unreachable (${unreachable[0]})`, 'check the network path to the host');
  }
  if (match(/open failed: administratively prohibited/)) {
    return new SshTunnelError(
      `the ssh server on ${target.host} does not allow forwarding to ${socket}`,
      'set AllowStreamLocalForwarding yes (and no DisableForwarding) in its sshd_config',
    );
  }
  if (match(/open failed/)) {
    return new SshTunnelError(
      `no Docker engine at ${socket} on ${target.host} (is Docker installed and running? is ${user} in the docker group?)`,
      `start Docker there (sudo systemctl start docker), add ${user} to the docker group (sudo usermod -aG docker ${user}), or name the engine's socket in the URL: ssh://${endpoint.username ? `${endpoint.username}@` : ''}${host}/path/to/docker.sock`,
    );
  }
  const lost = match(/closed by remote host|Connection closed by|Connection reset|Broken pipe|not responding/);
  if (lost) {
    return new SshTunnelError(
      `the ssh connection to ${host} was lost (${lastLine(stderr)})`,
      `dockhand reconnects when ${host} answers again`,
    );
  }
  return undefined;
}

/** Why ssh exited: what its stderr says, else its last line, else its exit status. */
export function sshExitFailure(stderr: string, endpoint: Endpoint, exit: string): SshTunnelError {
  const explained = explainSshOutput(stderr, endpoint);
  if (explained) return explained;
  const said = lastLine(stderr);
  const target = targetOf(endpoint);
  return new SshTunnelError(
    `ssh to ${hostOf(target)} ${exit}${said ? `: ${said}` : ''}`,
    `run \`${sshCommandFor(target)}\` to see what ssh says, and check ~/.ssh/config`,
  );
}

function lastLine(text: string): string {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).at(-1) ?? '';
}

/** One ssh process and the readiness of its forward. */
interface Forward {
  child: ChildProcess;
  ready: Promise<void>;
}

const openTunnels = new Set<SshTunnel>();
let exitHookInstalled = false;

/** ssh outlives dockhand unless killed: whatever ends the process ends its tunnels too. */
function closeTunnelsOnExit(tunnel: SshTunnel): void {
  openTunnels.add(tunnel);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const open of openTunnels) open.close();
  });
}

/**
 * The forward to one ssh:// endpoint. ensure() starts ssh, and starts it again after it died
 * (the link dropped, sshd restarted), so that requests work again as soon as the host answers.
 */
export class SshTunnel {
  /** The local end of the forward, in a directory only this user can enter. */
  readonly socketPath: string;
  private readonly dir: string;
  private readonly program: string;
  private readonly target: SshTarget;
  private forward: Forward | undefined;
  private closed = false;
  private exitReason: SshTunnelError | undefined;
  private failedStartAt = -Infinity;
  private lastChannelFailure: { at: number; error: SshTunnelError } | undefined;
  private stderrWaiters: Array<() => void> = [];

  constructor(private readonly endpoint: Endpoint, env: NodeJS.ProcessEnv = process.env) {
    if (endpoint.kind !== 'ssh') throw new Error(`not an ssh endpoint: ${endpoint.url}`);
    this.program = sshProgram(env);
    this.target = targetOf(endpoint);
    // mkdtemp creates the directory 0700: no other user can reach the engine through it.
    this.dir = mkdtempSync(join(tmpdir(), 'dockhand-ssh-'));
    this.socketPath = join(this.dir, 'docker.sock');
    closeTunnelsOnExit(this);
  }

  /** Why the last ssh exited, once one has. */
  get lastExit(): SshTunnelError | undefined {
    return this.exitReason;
  }

  /** Resolves once the forward accepts connections; starts ssh first when none runs. */
  ensure(): Promise<void> {
    if (this.closed) return Promise.reject(new SshTunnelError(`the ssh tunnel to ${hostOf(this.target)} is closed`, 'connect again'));
    // Whatever retries at once, sshd sees at most one login attempt a second from dockhand.
    if (!this.forward && this.exitReason && Date.now() - this.failedStartAt < RESTART_PAUSE_MS) {
      return Promise.reject(this.exitReason);
    }
    this.forward ??= this.start();
    return this.forward.ready;
  }

  /**
   * What ssh said about a request that failed through the tunnel: the remote host refused the
   * channel (no engine socket there), or ssh died. Undefined when ssh has nothing to add.
   */
  async explainFailure(err: unknown): Promise<SshTunnelError | undefined> {
    if (!isConnectionLevel(err)) return undefined;
    if (!this.recentChannelFailure() && this.forward) {
      // The closed connection can be seen before ssh's stderr line about it, or its exit.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STDERR_GRACE_MS);
        this.stderrWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.recentChannelFailure() ?? (this.forward ? undefined : this.exitReason);
  }

  /** Kills ssh and removes the local socket's directory. Safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    openTunnels.delete(this);
    this.forward?.child.kill();
    this.forward = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private recentChannelFailure(): SshTunnelError | undefined {
    const failure = this.lastChannelFailure;
    return failure && Date.now() - failure.at < CHANNEL_FAILURE_WINDOW_MS ? failure.error : undefined;
  }

  private start(): Forward {
    // A socket left by a dead ssh would look ready, and ssh would not bind over it.
    rmSync(this.socketPath, { force: true });
    const child = spawn(this.program, sshTunnelArgs(this.endpoint, this.socketPath), {
      // Its own session: a signal from dockhand's terminal must not take the tunnel down.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The tunnel alone never keeps dockhand running; its requests do while they last.
    child.unref();
    (child.stderr as Socket | null)?.unref();
    // What ssh says about itself, bounded; channel failures go apart, to the requests they failed.
    let said = '';
    const splitter = new LineSplitter();
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) {
        if (/open failed/.test(line)) this.noteChannelFailure(line);
        else said = `${said}${line}\n`.slice(-STDERR_KEPT);
      }
      this.wakeStderrWaiters();
    });

    let alive = true;
    let accepting = false;
    const ready = new Promise<void>((resolve, reject) => {
      const gone = (failure: SshTunnelError) => {
        if (!alive) return;
        alive = false;
        if (this.forward?.child === child) this.forward = undefined;
        if (!accepting) this.failedStartAt = Date.now();
        this.exitReason = failure;
        this.wakeStderrWaiters();
        reject(failure);
      };
      child.once('error', (error: NodeJS.ErrnoException) => gone(new SshTunnelError(
        `the ssh program "${this.program}" cannot be run (${error.code ?? error.message})`,
        'install OpenSSH\'s client (apt-get install openssh-client), or name another program with DOCKHAND_SSH',
      )));
      // 'close', not 'exit': only then has all of ssh's stderr been read.
      child.once('close', (code, signal) => {
        for (const line of splitter.flush()) said += `${line}\n`;
        gone(sshExitFailure(said, this.endpoint, signal ? `was ended by ${signal}` : `exited with status ${code}`));
      });
      void this.forwardAccepts(() => alive).then((up) => {
        if (up) {
          accepting = true;
          resolve();
        } else if (alive) {
          gone(new SshTunnelError(
            `ssh to ${hostOf(this.target)} did not set up the forward within ${START_TIMEOUT_MS / 1000} s`,
            `run \`${sshCommandFor(this.target)}\` to see where it stops (an agent or ProxyJump that does not answer)`,
          ));
          child.kill();
        }
      });
    });
    // Whoever awaits ensure() hears of a failure; unawaited, it is kept as lastExit.
    ready.catch(() => undefined);
    return { child, ready };
  }

  /** Polls the local socket: true once the forward accepts a connection; false if ssh died or took too long. */
  private async forwardAccepts(alive: () => boolean): Promise<boolean> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (alive() && Date.now() < deadline) {
      if (await accepts(this.socketPath)) return true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return false;
  }

  private noteChannelFailure(line: string): void {
    const error = explainSshOutput(line, this.endpoint);
    if (error) this.lastChannelFailure = { at: Date.now(), error };
  }

  private wakeStderrWaiters(): void {
    const waiters = this.stderrWaiters;
    this.stderrWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** True once something accepts connections on the unix socket at `path`. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A request that failed because its connection did, not because the engine answered. */
function isConnectionLevel(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EPIPE'
    || /socket hang up/.test((err as Error | null)?.message ?? '');
}
