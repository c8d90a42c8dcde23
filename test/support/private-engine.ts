import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, TEST_IMAGE, waitFor } from './docker.js';

/**
 * A dockerd of the test's own, beside the shared one, that a test may kill and restart freely.
 * It runs in a network namespace of its own with no bridge (containers use --network none), and
 * has its own data, exec root and containerd.
 */
export class PrivateEngine {
  readonly socketPath: string;
  readonly host: string;
  private process: ChildProcess | undefined;

  private constructor(private readonly root: string) {
    this.socketPath = join(root, 'docker.sock');
    this.host = `unix://${this.socketPath}`;
  }

  private get logPath(): string {
    return join(this.root, 'dockerd.log');
  }

  static async start(): Promise<PrivateEngine> {
    // Short paths: unix socket paths are limited to ~108 bytes, containerd's own included.
    const engine = new PrivateEngine(mkdtempSync(join(tmpdir(), 'dh-')));
    await engine.launch();
    // Images are per engine: copy the test image over so containers can run here too.
    await docker('save', '-o', join(engine.root, 'image.tar'), TEST_IMAGE);
    await docker('-H', engine.host, 'load', '-i', join(engine.root, 'image.tar'));
    return engine;
  }

  async launch(): Promise<void> {
    const log = openSync(this.logPath, 'a');
    // Its own network namespace: dockerd with `--bridge none` deletes the host's docker0, which
    // would cut the shared engine's containers off their network.
    this.process = spawn('unshare', ['--net', 'dockerd',
      '--host', this.host,
      '--data-root', join(this.root, 'data'),
      '--exec-root', join(this.root, 'exec'),
      '--pidfile', join(this.root, 'docker.pid'),
      '--bridge', 'none',
      '--iptables=false',
      '--ip-masq=false',
    ], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    await waitFor(async () => {
      try {
        await docker('-H', this.host, 'version', '--format', '{{.Server.Version}}');
        return true;
      } catch {
        return false;
      }
    }, {
      timeoutMs: 30_000,
      intervalMs: 200,
      message: `private dockerd at ${this.host} to start (its log ends: ${readFileSync(this.logPath, 'utf8').slice(-600)})`,
    });
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
    // A killed engine leaves its overlay and shm mounts behind; detach them so the tree can go.
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((path) => path.startsWith(this.root))
      .sort((a, b) => b.length - a.length);
    for (const mount of mounts) spawnSync('umount', ['-l', mount]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
