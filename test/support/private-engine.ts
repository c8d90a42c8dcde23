import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { docker, listedImageName, ON_PODMAN, requireEngine, TEST_IMAGE, waitFor } from './docker.js';

/** The files dockerd needs to also listen on tcp with --tlsverify (see tls-certs.ts). */
export interface PrivateEngineTls {
  /** --tlscacert: clients must present a certificate signed by it. */
  ca: string;
  /** --tlscert / --tlskey: the server certificate, valid for 127.0.0.1. */
  cert: string;
  key: string;
}

export interface PrivateEngineOptions {
  /**
   * Also listen on tcp://127.0.0.1:<free port> with --tlsverify, reachable from the host. Such an
   * engine cannot run in a network namespace of its own (127.0.0.1 there is not the host's), so it
   * runs in the host's, on a bridge of its own (dh-tls-XXXX, created here and deleted by destroy):
   * `--bridge none` in the host's namespace would delete the host's docker0.
   */
  tls?: PrivateEngineTls;
}

/** The end of an engine's log, for an error that says why it did not start. */
export function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-600);
  } catch {
    return '';
  }
}

/** Removes an engine's directory, first detaching the mounts left under it, deepest first. */
export function removeTree(root: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(root))
    .sort((a, b) => b.length - a.length);
  for (const mount of mounts) spawnSync('umount', ['-l', mount]);
  rmSync(root, { recursive: true, force: true });
}

/** A tcp port nothing listens on now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True once something accepts tcp connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`ip ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
}

/** A bridge for a host-namespace dockerd, on a 10.231.X.0/24 no other interface uses. */
function createBridge(): string {
  const name = `dh-tls-${randomBytes(2).toString('hex')}`;
  const used = spawnSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout ?? '';
  const free = Array.from({ length: 256 }, (_, i) => i).filter((i) => !used.includes(` 10.231.${i}.`));
  const subnet = free[Math.floor(Math.random() * free.length)];
  if (subnet === undefined) throw new Error('no free 10.231.X.0/24 subnet for a private engine bridge');
  ip('link', 'add', name, 'type', 'bridge');
  try {
    ip('addr', 'add', `10.231.${subnet}.1/24`, 'dev', name);
    ip('link', 'set', name, 'up');
  } catch (error) {
    spawnSync('ip', ['link', 'delete', name]);
    throw error;
  }
  return name;
}

/**
 * A dockerd of the test's own, beside the shared one, that a test may kill and restart freely.
 * It runs in a network namespace of its own with no bridge (containers use --network none), and
 * has its own data, exec root and containerd. With `tls`, it also listens on tcpHost with
 * --tlsverify and runs in the host's network namespace instead (see PrivateEngineOptions).
 */
export class PrivateEngine {
  readonly socketPath: string;
  readonly host: string;
  /** tcp://127.0.0.1:PORT when started with `tls`. */
  readonly tcpHost: string | undefined;
  readonly tcpPort: number | undefined;
  private process: ChildProcess | undefined;
  private bridge: string | undefined;

  private constructor(private readonly root: string, private readonly tls?: PrivateEngineTls, port?: number) {
    this.socketPath = join(root, 'docker.sock');
    this.host = `unix://${this.socketPath}`;
    this.tcpPort = port;
    this.tcpHost = port === undefined ? undefined : `tcp://127.0.0.1:${port}`;
  }

  private get logPath(): string {
    return join(this.root, 'dockerd.log');
  }

  static async start(opts: PrivateEngineOptions = {}): Promise<PrivateEngine> {
    // Short paths: unix socket paths are limited to ~108 bytes, containerd's own included.
    const root = mkdtempSync(join(tmpdir(), 'dh-'));
    const engine = new PrivateEngine(root, opts.tls, opts.tls ? await freePort() : undefined);
    try {
      if (opts.tls) engine.bridge = createBridge();
      await engine.launch();
      // Images are per engine: copy the test image over so containers can run here too.
      await docker('save', '-o', join(engine.root, 'image.tar'), TEST_IMAGE);
      await docker('-H', engine.host, 'load', '-i', join(engine.root, 'image.tar'));
      // Saved from Podman, the archive names the image localhost/NAME; this dockerd is asked for NAME.
      if (ON_PODMAN) await docker('-H', engine.host, 'tag', listedImageName(TEST_IMAGE), TEST_IMAGE);
    } catch (error) {
      // Nobody else holds the engine yet to destroy it.
      await engine.destroy();
      throw error;
    }
    return engine;
  }

  async launch(): Promise<void> {
    const log = openSync(this.logPath, 'a');
    const common = [
      '--host', this.host,
      '--data-root', join(this.root, 'data'),
      '--exec-root', join(this.root, 'exec'),
      '--pidfile', join(this.root, 'docker.pid'),
      '--iptables=false',
      '--ip-masq=false',
    ];
    if (this.tls && this.tcpHost && this.bridge) {
      // The host's network namespace, so that 127.0.0.1:PORT is the host's; a bridge of its own
      // (never `--bridge none`, which deletes docker0) and no change to the host's forwarding.
      this.process = spawn('dockerd', [...common,
        '--host', this.tcpHost,
        '--tlsverify',
        '--tlscacert', this.tls.ca,
        '--tlscert', this.tls.cert,
        '--tlskey', this.tls.key,
        '--bridge', this.bridge,
        '--ip-forward=false',
      ], { stdio: ['ignore', log, log], detached: true });
    } else {
      // Its own network namespace: dockerd with `--bridge none` deletes the host's docker0, which
      // would cut the shared engine's containers off their network.
      this.process = spawn('unshare', ['--net', 'dockerd', ...common, '--bridge', 'none'], {
        stdio: ['ignore', log, log], detached: true,
      });
    }
    closeSync(log);
    const child = this.process;
    // A dockerd that exits at once (a bad flag or certificate) fails the start now, with its log.
    let answered = false;
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        if (answered) return;
        reject(new Error(`private dockerd exited (${signal ?? `status ${code}`}) before answering at ${this.host}; its log ends: ${this.logTail()}`));
      });
    });
    exited.catch(() => undefined);
    await Promise.race([exited, waitFor(async () => {
      // Gone: `exited` has failed the start already; stop polling.
      if (child.exitCode !== null || child.signalCode !== null) return true;
      try {
        await docker('-H', this.host, 'version', '--format', '{{.Server.Version}}');
        return this.tcpPort === undefined || await accepts(this.tcpPort);
      } catch {
        return false;
      }
    }, {
      timeoutMs: 30_000,
      intervalMs: 200,
      message: `private dockerd at ${this.host} to start`,
    }).catch((error: Error) => {
      // Read at the timeout, not when waiting began.
      throw new Error(`${error.message} (its log ends: ${this.logTail()})`, { cause: error });
    })]);
    answered = true;
  }

  private logTail(): string {
    return logTail(this.logPath);
  }

  /**
   * Kills dockerd the hard way, with the containerd it started, as a crash of the engine's service
   * would (a containerd left behind would hold its socket and stop the next dockerd from starting).
   * containerd runs in a session of its own, so it is found by its pid file.
   */
  async kill(): Promise<void> {
    await this.signalGroup('SIGKILL', 5000);
    const containerdPidFile = join(this.root, 'exec', 'containerd', 'containerd.pid');
    try {
      process.kill(Number(readFileSync(containerdPidFile, 'utf8')), 'SIGKILL');
    } catch {
      // Already gone.
    }
    // The orphaned containerd is reparented to this sandbox's PID 1, which may never reap it; a
    // zombie still "exists", and the next dockerd would wait for it. A real init reaps it.
    rmSync(containerdPidFile, { force: true });
    rmSync(join(this.root, 'docker.pid'), { force: true });
  }

  /**
   * Stops dockerd the way its service manager does (SIGTERM): it closes its API, stops the
   * running containers (each within its stop timeout), shuts its containerd down and exits.
   * Resolves once it has exited, so that launch() may follow.
   */
  async stop(): Promise<void> {
    const child = this.process;
    await this.signalGroup('SIGTERM', 60_000);
    if (child && child.exitCode === null && child.signalCode === null) {
      throw new Error(`private dockerd at ${this.host} did not exit within 60 s of SIGTERM; its log ends: ${this.logTail()}`);
    }
  }

  /** Signals dockerd's whole process group (it runs detached, as its own group) and waits for it. */
  private async signalGroup(signal: NodeJS.Signals, waitMs: number): Promise<void> {
    const child = this.process;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, signal);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, waitMs))]);
  }

  async run(...args: string[]): Promise<string> {
    return docker('-H', this.host, 'run', '-d', '--network', 'none', '--label', 'dockhand.test=1', ...args, TEST_IMAGE, 'sleep', '3600');
  }

  async destroy(): Promise<void> {
    try {
      const ids = (await docker('-H', this.host, 'ps', '-aq')).split('\n').filter(Boolean);
      if (ids.length > 0) await docker('-H', this.host, 'rm', '-f', ...ids);
    } catch {
      // Already down: its containers died with its containerd.
    }
    await this.signalGroup('SIGTERM', 10_000);
    await this.signalGroup('SIGKILL', 5000);
    // A dockerd killed above leaves its containerd (a session of its own) running. Checked by its
    // command line, since a pid file left behind may name a pid reused since.
    try {
      const pid = Number(readFileSync(join(this.root, 'exec', 'containerd', 'containerd.pid'), 'utf8'));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.root)) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone (dockerd stops it on SIGTERM), or never started.
    }
    // A killed engine leaves its overlay and shm mounts behind.
    removeTree(this.root);
    if (this.bridge) {
      spawnSync('ip', ['link', 'delete', this.bridge]);
      this.bridge = undefined;
    }
  }
}

/**
 * A private dockerd for one test file: started (after the shared engine is checked) before its
 * tests, handed to `use`, destroyed after them.
 */
export function usePrivateEngine(use: (engine: PrivateEngine) => void): void {
  let started: PrivateEngine | undefined;
  beforeAll(async () => {
    await requireEngine();
    started = await PrivateEngine.start();
    use(started);
  }, 90_000);
  afterAll(async () => {
    await started?.destroy();
  }, 60_000);
}
