// Pull, push and tag through the Engine on the real engine, against real registries of the test's
// own on 127.0.0.1 (one open, one with basic auth). The pushed image is the test image plus one
// layer of its own (a committed file with a nonce): removed locally, that layer must come back
// from the registry, so the pull shows real layer progress. Everything made here is removed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect.js';
import type { BuildUpdate } from '../../src/engine/build.js';
import type { Engine } from '../../src/engine/engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import type { LayerPhase, TransferState } from '../../src/engine/pull-progress.js';
import { docker, removeTestContainers, requireEngine, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { BuildContexts } from '../support/build-context.js';
import { TestRegistry } from '../support/registry.js';

const NONCE = randomBytes(4).toString('hex');
const TAG = `t-${NONCE}`;
const CREDENTIALS = { username: 'dockhand', password: `pw-${NONCE}` };

let open: TestRegistry | undefined;
let secured: TestRegistry | undefined;
let configDir: string;
let anonymous: Engine;
let loggedIn: Engine;
let imageId: string;
const contexts = new BuildContexts();
/** Every reference this file tagged or pulled, removed at the end whatever happened. */
const references = new Set<string>();

/** The engine as a user whose Docker config directory is `dir` (credentials come from there). */
function engineWithConfig(dir: string): Promise<Engine> {
  return connect(resolveEndpoint({ env: { ...process.env, DOCKER_CONFIG: dir }, homeDir: '/nonexistent' }));
}

async function transfer(states: Promise<AsyncIterable<TransferState>>): Promise<TransferState[]> {
  const seen: TransferState[] = [];
  for await (const state of await states) seen.push(state);
  return seen;
}

function phasesSeen(states: TransferState[]): Set<LayerPhase> {
  return new Set(states.flatMap((state) => state.layers.map((layer) => layer.phase)));
}

async function listed(reference: string): Promise<boolean> {
  return (await anonymous.listImages()).some((image) => image.tags.includes(reference));
}

beforeAll(async () => {
  await requireEngine();
  [open, secured] = await Promise.all([TestRegistry.start(), TestRegistry.start(CREDENTIALS)]);
  configDir = mkdtempSync(join(tmpdir(), 'dh-docker-config-'));
  const emptyConfigDir = join(configDir, 'empty');
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({
    auths: { [secured.host]: { auth: Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64') } },
  }));
  [anonymous, loggedIn] = await Promise.all([engineWithConfig(emptyConfigDir), engineWithConfig(configDir)]);
  const container = await docker('run', '--detach', '--label', `${TEST_LABEL}=1`, TEST_IMAGE, 'sh', '-c', `echo ${NONCE} > /nonce`);
  await docker('wait', container);
  imageId = await docker('commit', container);
  await docker('rm', container);
});

afterAll(async () => {
  for (const reference of references) await docker('rmi', '--force', reference).catch(() => undefined);
  if (imageId) await docker('rmi', '--force', imageId).catch(() => undefined);
  await removeTestContainers();
  await contexts.removeAll();
  anonymous?.close?.();
  loggedIn?.close?.();
  await Promise.all([open?.stop(), secured?.stop()]);
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('an open registry', () => {
  const reference = () => `${open!.host}/dh/busybox:${TAG}`;
  let pushedDigest: string | undefined;

  it('tags an image and pushes it, layer by layer, to a digest', async () => {
    references.add(reference());
    await anonymous.tagImage(imageId, reference());
    expect(await listed(reference())).toBe(true);

    const states = await transfer(anonymous.pushImage(reference(), new AbortController().signal));
    const last = states.at(-1)!;
    expect(last.outcome).toMatchObject({ kind: 'done', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(last.messages[0]).toBe(`The push refers to repository [${open!.host}/dh/busybox]`);
    // The test image's layers and the committed one, each pushed or found there already.
    expect(last.layers.length).toBeGreaterThanOrEqual(2);
    for (const layer of last.layers) expect(['pushed', 'exists', 'mounted']).toContain(layer.phase);
    expect(phasesSeen(states)).toContain('waiting');
    pushedDigest = last.digest;
  });

  it('pulls it back after it was removed locally, the image’s own layer downloaded again', async () => {
    await anonymous.removeImage(reference());
    expect(await listed(reference())).toBe(false);

    const states = await transfer(anonymous.pullImage(reference(), new AbortController().signal));
    const last = states.at(-1)!;
    expect(last.outcome).toEqual({ kind: 'done', digest: pushedDigest });
    expect(last.messages).toContain(`Status: Downloaded newer image for ${reference()}`);
    expect(last.layers.some((layer) => layer.phase === 'complete')).toBe(true);
    expect(last.layers.some((layer) => layer.phase === 'exists')).toBe(true);
    expect(phasesSeen(states)).toContain('extracting');
    expect(await listed(reference())).toBe(true);
  });

  it('stops a pull when its signal aborts: the updates end, cancelled', async () => {
    await anonymous.removeImage(reference());
    const controller = new AbortController();
    const states: TransferState[] = [];
    for await (const state of await anonymous.pullImage(reference(), controller.signal)) {
      states.push(state);
      controller.abort();
    }
    expect(states.at(-1)!.outcome).toEqual({ kind: 'cancelled' });
    // The engine is none the worse: the same pull goes through afterwards.
    const again = await transfer(anonymous.pullImage(reference(), new AbortController().signal));
    expect(again.at(-1)!.outcome).toEqual({ kind: 'done', digest: pushedDigest });
  });

  it('says "not found" in the engine’s words for an image the registry does not have', async () => {
    const missing = `${open!.host}/dh/missing-${NONCE}:1`;
    const states = await transfer(anonymous.pullImage(missing, new AbortController().signal));
    expect(states.at(-1)!.outcome).toEqual({
      kind: 'failed',
      error: { kind: 'not-found', message: expect.stringMatching(/^manifest for .*missing-.* not found/) },
    });
  });
});

describe('a registry with basic auth', () => {
  const reference = () => `${secured!.host}/dh/busybox:${TAG}`;

  it('refuses a push without credentials and says how to log in', async () => {
    references.add(reference());
    await anonymous.tagImage(imageId, reference());
    const states = await transfer(anonymous.pushImage(reference(), new AbortController().signal));
    expect(states.at(-1)!.outcome).toEqual({
      kind: 'failed',
      error: { kind: 'unauthorized', message: 'no basic auth credentials', hint: `log in with \`docker login ${secured!.host}\`` },
    });
  });

  it('pushes with the credentials of the endpoint’s DOCKER_CONFIG, and pulls with them', async () => {
    const pushed = await transfer(loggedIn.pushImage(reference(), new AbortController().signal));
    expect(pushed.at(-1)!.outcome).toMatchObject({ kind: 'done', digest: expect.stringMatching(/^sha256:/) });

    // Refused before any layer moves: the engine answers the pull's request itself with the error.
    const refused = await transfer(anonymous.pullImage(reference(), new AbortController().signal));
    expect(refused.at(-1)!.outcome).toMatchObject({ kind: 'failed', error: { kind: 'unauthorized' } });
    const pulled = await transfer(loggedIn.pullImage(reference(), new AbortController().signal));
    expect(pulled.at(-1)!.outcome).toEqual(pushed.at(-1)!.outcome);
  });

  it('builds FROM a private base with the credentials docker build sends for it, and not without', async () => {
    // Gone locally, the base must come from the registry during the build.
    await docker('rmi', reference());
    const context = await contexts.make({ Dockerfile: `FROM ${reference()} AS base\nFROM base\nRUN cat /nonce\n` });
    const tag = `dh-private-base-${NONCE}:latest`;
    references.add(tag);
    const build = async (engine: Engine) => {
      const updates: BuildUpdate[] = [];
      for await (const update of await engine.buildImage(context, { tag }, new AbortController().signal)) updates.push(update);
      return updates;
    };
    const refused = await build(anonymous);
    expect(refused.at(-1)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/no basic auth credentials/) });
    const built = await build(loggedIn);
    expect(built.at(-1)).toMatchObject({ kind: 'built' });
    expect(built).toContainEqual({ kind: 'output', line: NONCE });
  });
});
