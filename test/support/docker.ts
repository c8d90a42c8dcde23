// Helpers for tests against a real Docker engine (see scripts/engine.sh, which provides the engine
// and builds TEST_IMAGE). They drive the `docker` CLI found on PATH, so they reach the same
// endpoint as a user would: DOCKER_HOST, DOCKER_CONTEXT or the CLI's current context.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect as describeValue, promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const TEST_LABEL = 'dockhand.test';
export const TEST_IMAGE = 'dockhand-test/busybox:latest';

/**
 * The engine this run of the suite is on: scripts/test.sh runs the end-to-end suite a second time
 * with DOCKHAND_TEST_ENGINE=podman and DOCKER_HOST at Podman's Docker-compatible socket.
 */
export const TEST_ENGINE: 'docker' | 'podman' = process.env['DOCKHAND_TEST_ENGINE'] === 'podman' ? 'podman' : 'docker';
export const ON_PODMAN = TEST_ENGINE === 'podman';
/** The engine's URL as dockhand shows it in the header: DOCKER_HOST when set (a unix:// socket here). */
export const ENGINE_URL = process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
/** The socket file behind ENGINE_URL. */
export const ENGINE_SOCKET = ENGINE_URL.replace(/^unix:\/\//, '');
/** How an image built or loaded as `name` is listed: Podman names local images localhost/name. */
export function listedImageName(name: string): string {
  return ON_PODMAN && !/^[^/]+[.:][^/]*\//.test(name) && !name.startsWith('localhost/') ? `localhost/${name}` : name;
}

const TEST_LABEL_FILTER = `label=${TEST_LABEL}=1`;
const SETUP_HINT = 'Run `bash scripts/engine.sh` first (as root it installs and starts an engine and builds the test image).';

export interface EngineInfo {
  version: string;
  apiVersion: string;
}

export interface RunContainerOptions {
  /** Defaults to `dh-test-<random>`. */
  name?: string;
  /** Extra `docker run` options, placed before the image (e.g. `['--memory', '16m']`). */
  args?: string[];
  /** Command run in TEST_IMAGE; defaults to `['sleep', '3600']`. */
  cmd?: string[];
  /** Added to the `dockhand.test=1` label, which is always set. */
  labels?: Record<string, string>;
  /** When false, waits until the container has exited (do not combine with `--rm`). Default true. */
  detach?: boolean;
}

export interface TestContainer {
  id: string;
  name: string;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What was awaited, for the timeout error. */
  message?: string;
}

interface ExecError extends Error {
  code?: unknown;
  stderr?: string;
}

async function runDocker(args: string[], timeoutMs?: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
    return stdout.trim();
  } catch (error) {
    const { code, stderr } = error as ExecError;
    const reason = code === 'ENOENT' ? `no docker CLI on PATH. ${SETUP_HINT}` : stderr?.trim() || String(error);
    throw new Error(`docker ${args.join(' ')} failed: ${reason}`, { cause: error });
  }
}

/**
 * Podman runs a container's health checks from systemd timers, and there is no systemd on these
 * machines: a test on Podman runs each probe itself, as the timer would. An unhealthy result exits 1.
 */
export async function runHealthProbe(name: string): Promise<void> {
  await execFileAsync('podman', ['healthcheck', 'run', name]).catch((error: { code?: unknown }) => {
    if (error.code !== 1) throw error;
  });
}

/** Runs `docker ARGS...` and resolves to its trimmed stdout; rejects with its stderr. */
export function docker(...args: string[]): Promise<string> {
  return runDocker(args);
}

/**
 * Throws unless an engine answers and TEST_IMAGE exists. Call it in `beforeAll`: a missing engine
 * must fail the suite (in CI too), never skip it.
 */
export async function requireEngine(): Promise<EngineInfo> {
  let answer: string;
  try {
    // Bounded: a DOCKER_HOST pointing at an unreachable tcp address would otherwise hang the hook.
    answer = await runDocker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], 15_000);
  } catch (error) {
    const endpoint = process.env['DOCKER_HOST'] ?? "the docker CLI's endpoint (its context, else unix:///var/run/docker.sock)";
    throw new Error(`No Docker engine answers at ${endpoint}. ${SETUP_HINT}\n${(error as Error).message}`);
  }
  try {
    await runDocker(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE]);
  } catch {
    throw new Error(`The test image ${TEST_IMAGE} is missing. ${SETUP_HINT}`);
  }
  const [version = '', apiVersion = ''] = answer.split(' ');
  return { version, apiVersion };
}

/** Starts a container from TEST_IMAGE labelled `dockhand.test=1`; removeTestContainers() removes it. */
export async function runContainer(opts: RunContainerOptions = {}): Promise<TestContainer> {
  const {
    name = `dh-test-${randomBytes(4).toString('hex')}`,
    args = [],
    cmd = ['sleep', '3600'],
    labels = {},
    detach = true,
  } = opts;
  const labelArgs = Object.entries({ ...labels, [TEST_LABEL]: '1' }).flatMap(([key, value]) => [
    '--label',
    `${key}=${value}`,
  ]);
  // Always detached, so the id comes back on stdout and a non-zero exit of the command is not a
  // failure of `docker run`; `docker wait` then gives the attached behaviour.
  const id = await docker('run', '--detach', '--name', name, ...labelArgs, ...args, TEST_IMAGE, ...cmd);
  if (!detach) await docker('wait', id);
  return { id, name };
}

/** Parsed `docker inspect` of one object (container, image, volume, network...), untyped: tests reach deep into it. */
export async function inspect(id: string): Promise<any> {
  const [first] = JSON.parse(await docker('inspect', id)) as unknown[];
  if (first === undefined) throw new Error(`docker inspect ${id} returned nothing`);
  return first;
}

/** Force-removes every container labelled `dockhand.test=1`, running or not. */
export async function removeTestContainers(): Promise<void> {
  const ids = (await docker('ps', '--all', '--quiet', '--filter', TEST_LABEL_FILTER)).split('\n').filter(Boolean);
  // `docker rm -f` exits 0 for a container that is already gone.
  if (ids.length > 0) await docker('rm', '--force', ...ids);
}

/**
 * Calls fn every intervalMs until it returns a truthy value, and resolves to that value. A throw
 * counts as "not yet" (e.g. inspecting a container that does not exist yet); on timeout the error
 * names `message` and the last value or error.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 50, message = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const shown = last instanceof Error ? `error: ${last.message}` : `value: ${describeValue(last, { depth: 4 })}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}; last ${shown}`);
    }
    await sleep(intervalMs);
  }
}
