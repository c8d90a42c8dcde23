// The built binary on a machine with no Docker engine: it finds Podman's socket by itself, or says
// what it tried. Each run is in a private mount namespace with a tmpfs over /run, so the default
// Docker socket (/var/run/docker.sock) and the system Podman socket (/run/podman) are not there
// for dockhand alone, whatever runs on this machine; nothing names an engine (no DOCKER_HOST,
// DOCKER_CONTEXT or config.json), which is the only case where dockhand looks for Podman.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/dockhand.js';
import { TmuxSession } from '../support/tmux.js';

const run = promisify(execFile);

/** The test Podman service scripts/podman.sh runs (and starts when it is not running). */
const TEST_PODMAN_SOCKET = '/tmp/dockhand-podman/podman.sock';

const scratch = mkdtempSync(join(tmpdir(), 'dockhand-podman-discovery-'));
/** An empty Docker config directory: no currentContext from the user's config.json. */
const dockerConfig = join(scratch, 'docker-config');
mkdirSync(dockerConfig);

beforeAll(async () => {
  await run('bash', ['scripts/podman.sh']);
}, 600_000);
afterEach(() => TmuxSession.killAll());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An XDG_RUNTIME_DIR, with Podman's user socket in it when `podmanSocket` is given. */
function runtimeDir(name: string, podmanSocket?: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'podman'), { recursive: true });
  if (podmanSocket) symlinkSync(podmanSocket, join(dir, 'podman', 'podman.sock'));
  return dir;
}

/** dockhand with nothing at /run and no engine named; `env -u` because the pane inherits the run's environment. */
function startWithoutDocker(xdgRuntimeDir: string, cols: number): Promise<TmuxSession> {
  return TmuxSession.start({
    command: [
      'unshare', '--mount', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs tmpfs /run && exec env -u DOCKER_HOST -u DOCKER_CONTEXT "$@"', 'sh', 'node', BIN,
    ],
    cols,
    rows: 24,
    env: { XDG_RUNTIME_DIR: xdgRuntimeDir, DOCKER_CONFIG: dockerConfig },
  });
}

describe('with no Docker engine and nothing named', () => {
  it('uses Podman\'s socket in XDG_RUNTIME_DIR, and says so', async () => {
    const xdg = runtimeDir('with-podman', TEST_PODMAN_SOCKET);
    const socketUrl = `unix://${join(xdg, 'podman', 'podman.sock')}`;
    const session = await startWithoutDocker(xdg, 160);
    const screen = await session.waitForText('● live', { timeoutMs: 15_000 });
    expect(screen.split('\n')[0]).toMatch(/Podman \d+\.\d+/);
    expect(screen).toContain(`using Podman's socket ${socketUrl}: no Docker engine at /var/run/docker.sock`);
  });

  it('fails with the Docker error, the Podman sockets tried and how to start one', async () => {
    const xdg = runtimeDir('without-podman');
    const userSocket = join(xdg, 'podman', 'podman.sock');
    // Wide enough that no line of the message wraps.
    const session = await startWithoutDocker(xdg, 500);
    expect(await session.waitForExit({ timeoutMs: 15_000 })).toBe(1);
    const message = await session.capture();
    expect(message).toContain('dockhand: cannot connect to the Docker engine at unix:///var/run/docker.sock');
    expect(message).toContain('the socket /var/run/docker.sock does not exist');
    expect(message).toContain(`Podman's sockets were tried too: ${userSocket} (no such socket), /run/podman/podman.sock (no such socket)`);
    expect(message).toContain(`systemctl --user start podman.socket, or podman system service --time=0 unix://${userSocket}`);
  });
});
