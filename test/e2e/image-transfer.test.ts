// Tag, push and pull from the images list of the real binary, in tmux, on the real engine and a
// registry of the test's own on 127.0.0.1. The image is the test image plus one built layer
// with a nonce, so that once removed locally its pull really downloads a layer. A second registry
// wants basic auth: a push is refused with how to log in, then goes through with the credentials
// in a DOCKER_CONFIG of the test's own. Everything made here is removed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildContexts } from '../support/build-context.js';
import { docker, ON_PODMAN, TEST_IMAGE, waitFor } from '../support/docker.js';
import { escapeRegExp, expectWithin, filterTo, startDockhand, useRealEngineAndTerminal } from '../support/dockhand.js';
import { TestRegistry } from '../support/registry.js';

useRealEngineAndTerminal();

const NONCE = randomBytes(4).toString('hex');
let registry: TestRegistry | undefined;
let imageId = '';
const reference = () => `${registry!.host}/dh/x:t-${NONCE}`;
const contexts = new BuildContexts();

/**
 * The test image plus one layer holding `text`, built with the docker CLI's `buildArgs` (no tag
 * unless they give one); its id. Built rather than committed: Podman's Docker-compatible commit
 * cannot decode the empty body the docker CLI sends ("Decode(): EOF").
 */
async function imageWithLayer(text: string, ...buildArgs: string[]): Promise<string> {
  const context = await contexts.make({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${text} > /nonce\n` });
  return (await docker('build', '--quiet', ...buildArgs, context)).replace(/^sha256:/, '');
}

beforeAll(async () => {
  registry = await TestRegistry.start();
  imageId = await imageWithLayer(NONCE);
});

afterAll(async () => {
  if (registry) await docker('rmi', '--force', reference()).catch(() => undefined);
  if (imageId) await docker('rmi', '--force', imageId).catch(() => undefined);
  await registry?.stop();
  await contexts.removeAll();
});

const listed = (ref: string) => docker('image', 'inspect', ref).then(() => true, () => false);

describe('images list: tag, push and pull against a registry', () => {
  it('t tags the image, u pushes it layer by layer, and P pulls it back after docker rmi', async () => {
    const cols = 120;
    const session = await startDockhand({ cols, rows: 30 });
    await session.waitForText('● live');
    await session.type('2');
    await session.waitForText('REPOSITORY:TAG');
    await filterTo(session, imageId.slice(0, 12));

    await session.type('t');
    await session.waitForText('new reference');
    await session.type(reference());
    await session.sendKeys('Enter');
    await session.waitForText(`as ${reference()}`);
    await waitFor(() => listed(reference()), { message: `${reference()} never tagged` });
    await session.waitForText(`Image ${reference()}`);

    await session.type('u');
    const pushed = await session.waitForText(new RegExp(`Pushed ${escapeRegExp(reference())}, digest sha256:[0-9a-f]{64}`), { timeoutMs: 60_000 });
    expect(pushed).toContain(`Pushing ${reference()}`);
    // Podman's Docker-compatible push reports no layers, only the digest: dockhand says so.
    if (ON_PODMAN) expect(pushed).toContain('Overall  the engine reported no layers');
    else expect(pushed).toMatch(/[0-9a-f]{12}\s+pushed/);
    expectWithin(pushed, cols, 30);
    await session.sendKeys('Escape');
    await session.waitForText('REPOSITORY:TAG');

    // Gone locally (the image had this one tag): its own layer must come from the registry.
    await docker('rmi', reference());
    await session.waitForText('No image matches');

    await session.type('P');
    await session.waitForText(':latest implied');
    await session.type(reference());
    await session.sendKeys('Enter');
    const pulled = await session.waitForText(new RegExp(`Pulled ${escapeRegExp(reference())}, digest sha256:[0-9a-f]{64}`), { timeoutMs: 60_000 });
    // Podman's pull ends a fetched layer at "Download complete" (it sends no "Pull complete").
    expect(pulled).toMatch(ON_PODMAN ? /[0-9a-f]{12}\s+download complete/ : /[0-9a-f]{12}\s+pull complete/);
    expect(pulled).toMatch(/[0-9a-f]{12}\s+already exists/);
    expectWithin(pulled, cols, 30);
    await session.sendKeys('Escape');
    await session.waitForText(`Image ${reference()}`);
    expect(await listed(reference())).toBe(true);
  }, 180_000);
});

describe('a registry with basic auth', () => {
  it('without credentials u says the registry wants them and how to log in; with them in DOCKER_CONFIG it pushes', async () => {
    const credentials = { username: 'dockhand', password: `pw-${NONCE}` };
    const secured = await TestRegistry.start(credentials);
    const home = mkdtempSync(join(tmpdir(), 'dh-e2e-config-'));
    const securedRef = `${secured.host}/dh/auth:t-${NONCE}`;
    // An image of its own: filtered by its tag, the list shows it alone.
    await imageWithLayer(`auth-${NONCE}`, '--tag', securedRef);
    try {
      mkdirSync(join(home, 'anonymous'));
      writeFileSync(join(home, 'config.json'), JSON.stringify({
        auths: { [secured.host]: { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') } },
      }));
      const pushFrom = async (configDir: string, expected: RegExp) => {
        const session = await startDockhand({ cols: 140, rows: 24, env: { DOCKER_CONFIG: configDir } });
        await session.waitForText('● live');
        await session.type('2');
        await session.waitForText('REPOSITORY:TAG');
        await filterTo(session, securedRef);
        await session.waitForText(`Image ${securedRef}`);
        await session.type('u');
        const screen = await session.waitForText(expected, { timeoutMs: 60_000 });
        await session.kill();
        return screen;
      };
      const refused = await pushFrom(join(home, 'anonymous'), /The push failed/);
      // The registry's refusal as each engine words it (Podman's, longer, wraps: lines joined).
      expect(refused.split('\n').join(' ')).toContain(ON_PODMAN ? 'unauthorized: authentication required' : 'no basic auth credentials');
      expect(refused).toContain(`docker login ${secured.host}`);
      expect(refused).not.toContain(credentials.password);
      const pushed = await pushFrom(home, new RegExp(`Pushed ${escapeRegExp(securedRef)}, digest sha256:`));
      expect(pushed).not.toContain(credentials.password);
    } finally {
      await docker('rmi', securedRef).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
      await secured.stop();
    }
  }, 180_000);
});
