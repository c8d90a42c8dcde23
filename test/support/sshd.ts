// An sshd of the test's own on 127.0.0.1, reaching the shared engine's socket the way a remote
// Docker host is reached: keys made for the test, a known_hosts entry, and an ssh wrapper (for
// DOCKHAND_SSH) that reads only the test's ssh config, never ~/.ssh.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../src/engine/docker-cli.js';
import { waitFor } from './docker.js';
import { accepts, freePort } from './private-engine.js';

const SSHD = '/usr/sbin/sshd';
const SSH = findExecutable('ssh') ?? 'ssh';

export interface TestSshdOptions {
  /**
   * Channels that may be sessions on one connection (sshd's default is 10). Low, so that a client
   * opening a session per request would be refused; forwarded channels are not sessions.
   */
  maxSessions?: number;
  /** sshd's MaxStartups: unauthenticated connections at once before it drops new ones. */
  maxStartups?: string;
}

/** What a wrapper's ssh config differs in from the good one. */
export interface SshClientVariant {
  knownHosts?: string;
  identityFile?: string;
}

export class TestSshd {
  readonly port: number;
  /** ssh://root@127.0.0.1:PORT */
  readonly url: string;
  /** An ssh that trusts this server's host key and logs in with the authorised key: DOCKHAND_SSH. */
  readonly wrapper: string;
  private process: ChildProcess | undefined;
  /** Numbers the extra keys and wrappers, which must not overwrite each other. */
  private extras = 0;

  private constructor(private readonly dir: string, port: number, private readonly options: TestSshdOptions) {
    this.port = port;
    this.url = `ssh://root@127.0.0.1:${port}`;
    this.wrapper = this.writeWrapper('good', { knownHosts: this.knownHostsWith(this.file('host_key.pub')), identityFile: this.file('user_key') });
  }

  static async start(options: TestSshdOptions = {}): Promise<TestSshd> {
    const dir = mkdtempSync(join(tmpdir(), 'dh-ssh-'));
    try {
      generateKey(join(dir, 'host_key'));
      generateKey(join(dir, 'user_key'));
      writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
      const server = new TestSshd(dir, await freePort(), options);
      await server.start();
      return server;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts sshd on this server's port; again after stop(). */
  async start(): Promise<void> {
    // Already running: a second sshd could not bind the port, and the first would be lost.
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    // sshd's privilege separation directory; absent until the package's service first runs.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const config = this.file('sshd_config');
    writeFileSync(config, [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${this.file('host_key')}`,
      `PidFile ${this.file('sshd.pid')}`,
      `AuthorizedKeysFile ${this.file('authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The temp directory is world-writable (/tmp): StrictModes would refuse the key file in it.
      'StrictModes no',
      'AllowStreamLocalForwarding yes',
      `MaxSessions ${this.options.maxSessions ?? 10}`,
      `MaxStartups ${this.options.maxStartups ?? '10:30:100'}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'));
    const log = openSync(this.file('sshd.log'), 'a');
    // -D: stay in the foreground as our child; -e: log to stderr (the log file).
    this.process = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
    closeSync(log);
    const child = this.process;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`sshd exited (status ${child.exitCode}): ${this.log().slice(-800)}`);
      return accepts(this.port);
    }, { timeoutMs: 10_000, intervalMs: 50, message: `sshd on 127.0.0.1:${this.port}` });
  }

  /**
   * Kills sshd and every per-connection sshd it forked: those are sessions of their own (setsid),
   * outside any process group of ours, and they hold the clients' connections.
   */
  async stop(): Promise<void> {
    const child = this.process;
    if (child?.pid === undefined) return;
    this.process = undefined;
    const pids = [child.pid, ...descendantsOf(child.pid)];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A second ssh wrapper, with another known_hosts or identity than the good one. */
  wrapperWith(variant: SshClientVariant): string {
    return this.writeWrapper(this.extraName('variant'), {
      knownHosts: variant.knownHosts ?? this.knownHostsWith(this.file('host_key.pub')),
      identityFile: variant.identityFile ?? this.file('user_key'),
    });
  }

  /** A known_hosts naming this server with a key it does not have. */
  knownHostsWithAnotherKey(): string {
    const key = this.file(this.extraName('impostor'));
    generateKey(key);
    return this.knownHostsWith(`${key}.pub`);
  }

  /** A key pair sshd does not accept; returns the private key's path. */
  unauthorisedKey(): string {
    const key = this.file(this.extraName('stranger'));
    generateKey(key);
    return key;
  }

  /** What sshd logged (LogLevel VERBOSE): one "Accepted publickey" line per connection. */
  log(): string {
    try {
      return readFileSync(this.file('sshd.log'), 'utf8');
    } catch {
      return '(no log)';
    }
  }

  private extraName(prefix: string): string {
    this.extras += 1;
    return `${prefix}_${this.extras}`;
  }

  private file(name: string): string {
    return join(this.dir, name);
  }

  /** A known_hosts file with `publicKey` for [127.0.0.1]:PORT; returns its path. */
  private knownHostsWith(publicKey: string): string {
    const [type, key] = readFileSync(publicKey, 'utf8').trim().split(/\s+/);
    const path = `${publicKey}.known_hosts`;
    writeFileSync(path, `[127.0.0.1]:${this.port} ${type} ${key}\n`);
    return path;
  }

  private writeWrapper(name: string, client: Required<SshClientVariant>): string {
    const config = this.file(`ssh_config_${name}`);
    writeFileSync(config, [
      'Host *',
      `  IdentityFile ${client.identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${client.knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'));
    const wrapper = this.file(`ssh_${name}`);
    // -F: the test's config only; the user's ~/.ssh/config and /etc/ssh/ssh_config are not read.
    // The real ssh by its path: the wrapper may itself stand on PATH as `ssh` (for the docker CLI).
    writeFileSync(wrapper, `#!/bin/sh\nexec '${SSH}' -F '${config}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
  }
}

function generateKey(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dockhand-test', '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.error?.message ?? result.stderr}`);
}

/** Every live process below `pid`, from /proc. */
function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after its last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // Exited while we read.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}
