import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, listedImageName, TEST_IMAGE, waitFor } from './docker.js';
import { logTail, removeTree } from './private-engine.js';

/** scripts/podman.sh's default ulimits: Podman's own exceed what runc may set on these machines. */
const SHARED_CONF = '/tmp/dockhand-podman/containers.conf';

/**
 * A `podman system service` of the test's own, the Podman counterpart of PrivateEngine: its own
 * storage, run, tmp, volume and network directories under one temporary root, so that what a test
 * does there (a prune of everything) touches nothing of the shared test service. The test image is
 * copied in from the shared storage with the podman CLI.
 */
export class PrivatePodman {
  readonly socketPath: string;
  readonly host: string;
  private process: ChildProcess | undefined;

  private constructor(private readonly root: string) {
    this.socketPath = join(root, 'podman.sock');
    this.host = `unix://${this.socketPath}`;
  }

  /** The podman CLI's flags that put every piece of state under this service's root. */
  private get storageFlags(): string[] {
    return [
      '--root', join(this.root, 'storage'),
      '--runroot', join(this.root, 'run'),
      '--tmpdir', join(this.root, 'tmp'),
      '--volumepath', join(this.root, 'volumes'),
      '--network-config-dir', join(this.root, 'networks'),
    ];
  }

  private podman(...args: string[]): void {
    const result = spawnSync('podman', [...this.storageFlags, ...args], { encoding: 'utf8', env: this.env });
    if (result.status !== 0) throw new Error(`podman ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, CONTAINERS_CONF: SHARED_CONF };
  }

  private get logPath(): string {
    return join(this.root, 'service.log');
  }

  static async start(): Promise<PrivatePodman> {
    const engine = new PrivatePodman(mkdtempSync(join(tmpdir(), 'dhp-')));
    try {
      mkdirSync(join(engine.root, 'networks'));
      const image = join(engine.root, 'image.tar');
      const saved = spawnSync('podman', ['save', '-o', image, listedImageName(TEST_IMAGE)], { encoding: 'utf8' });
      if (saved.status !== 0) throw new Error(`podman save ${TEST_IMAGE} failed: ${saved.stderr.trim()}`);
      engine.podman('load', '-i', image);
      await engine.launch();
    } catch (error) {
      await engine.destroy();
      throw error;
    }
    return engine;
  }

  private async launch(): Promise<void> {
    const log = openSync(this.logPath, 'a');
    this.process = spawn('podman', [...this.storageFlags, 'system', 'service', '--time=0', this.host], {
      stdio: ['ignore', log, log], detached: true, env: this.env,
    });
    closeSync(log);
    await waitFor(async () => {
      if (this.process?.exitCode !== null) throw new Error(`podman system service exited: ${logTail(this.logPath)}`);
      return docker('-H', this.host, 'version', '--format', '{{.Server.Version}}').then(() => true, () => false);
    }, { timeoutMs: 30_000, intervalMs: 200, message: `a private podman service at ${this.host} to start` });
  }

  async destroy(): Promise<void> {
    const child = this.process;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    // Containers outlive the service (conmon holds them): removed through the CLI on the same storage.
    spawnSync('podman', [...this.storageFlags, 'rm', '--all', '--force', '--time', '0'], { env: this.env });
    removeTree(this.root);
  }
}
