// Swarm mode on a private engine (private-engine.ts), never on the shared one: `docker swarm init`
// changes the whole engine for everyone using it. The private engine lives in a network namespace
// of its own whose loopback starts down; swarm's control plane listens on 127.0.0.1 there.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { docker, requireEngine, TEST_IMAGE, TEST_LABEL } from './docker.js';
import { PrivateEngine } from './private-engine.js';

/** For a test file: a private engine for the whole file, out of any swarm and gone afterwards. */
export function usePrivateEngine(): () => PrivateEngine {
  let engine: PrivateEngine | undefined;
  beforeAll(async () => {
    // The shared engine holds the test image the private one is given.
    await requireEngine();
    engine = await PrivateEngine.start();
  }, 90_000);
  afterAll(async () => {
    if (!engine) return;
    await leaveSwarm(engine);
    await engine.destroy();
  }, 60_000);
  return () => {
    if (!engine) throw new Error('the private engine did not start');
    return engine;
  };
}

/** `docker swarm init` on the engine: a single-node swarm whose node is manager and leader. */
export async function initSwarm(engine: PrivateEngine): Promise<void> {
  const pid = readFileSync(join(dirname(engine.socketPath), 'docker.pid'), 'utf8').trim();
  const loopback = spawnSync('nsenter', ['-t', pid, '-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (loopback.status !== 0) throw new Error(`cannot bring up the private engine's loopback: ${loopback.error?.message ?? loopback.stderr.trim()}`);
  await docker('-H', engine.host, 'swarm', 'init', '--listen-addr', '127.0.0.1:2377', '--advertise-addr', '127.0.0.1');
}

/** Leaves the swarm (the engine is back to standalone); quiet when it was not in one. */
export async function leaveSwarm(engine: PrivateEngine): Promise<void> {
  await docker('-H', engine.host, 'swarm', 'leave', '--force').catch(() => undefined);
}

/**
 * A replicated service of the test image sleeping, created without waiting for it to converge.
 * There is no registry here: the image is used as the engine has it, never resolved.
 */
export async function createService(engine: PrivateEngine, name: string, replicas: number, cmd = ['sleep', '3600']): Promise<string> {
  return docker('-H', engine.host, 'service', 'create', '--detach', '--no-resolve-image', '--name', name,
    '--replicas', String(replicas), '--label', `${TEST_LABEL}=1`, TEST_IMAGE, ...cmd);
}

/** The replicas the engine has in the service's spec. */
export async function replicasOf(engine: PrivateEngine, name: string): Promise<number> {
  return Number(await docker('-H', engine.host, 'service', 'inspect', '--format', '{{.Spec.Mode.Replicated.Replicas}}', name));
}
