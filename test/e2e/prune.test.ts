// D and a prune from the real binary, in tmux, on an engine of the test's own (a dockerd, or on
// the Podman pass a `podman system service` with storage of its own): pruning the shared engine
// would delete other people's things. What the preview lists is what goes; what is in use stays.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ON_PODMAN, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { expectWithin, startDockhand, useRealEngineAndTerminal } from '../support/dockhand.js';
import { PrivateEngine } from '../support/private-engine.js';
import { PrivatePodman } from '../support/private-podman.js';

useRealEngineAndTerminal();

let privateEngine: PrivateEngine | PrivatePodman;
let context: string;
const onEngine = (...args: string[]) => docker('-H', privateEngine.host, ...args);
const label = ['--label', `${TEST_LABEL}=1`];

beforeAll(async () => {
  privateEngine = ON_PODMAN ? await PrivatePodman.start() : await PrivateEngine.start();
  context = await mkdtemp(join(tmpdir(), 'dh-prune-e2e-'));
  await writeFile(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nARG NONCE\nRUN echo "$NONCE" > /nonce\n`);
}, 90_000);

afterAll(async () => {
  await privateEngine?.destroy();
  if (context) await rm(context, { recursive: true, force: true });
}, 60_000);

/** The classic builder, so building the tag again leaves the first image dangling. */
const build = (nonce: string) =>
  onEngine('build', '--quiet', '--network', 'none', ...label, '--build-arg', `NONCE=${nonce}`, '--tag', 'dh-app:latest', context);

const exists = (kind: string, name: string) => onEngine(kind, 'inspect', name).then(() => true, () => false);

describe('disk usage and prune in a terminal', () => {
  it('D shows sizes; P previews everything; y deletes exactly what was listed', async () => {
    process.env['DOCKER_BUILDKIT'] = '0';
    const dangling = await build('one');
    await build('two');
    await onEngine('volume', 'create', ...label, 'dh-free');
    await onEngine('network', 'create', ...label, 'dh-net');
    await onEngine('run', '--detach', '--network', 'none', ...label, '--name', 'dh-down', TEST_IMAGE, 'true');
    await onEngine('wait', 'dh-down');
    await onEngine('run', '--detach', '--network', 'none', ...label, '--name', 'dh-up', '-v', 'dh-kept:/data', TEST_IMAGE, 'sleep', '3600');

    const session = await startDockhand({ cols: 100, rows: 40, env: { DOCKER_HOST: privateEngine.host } });
    await session.waitForText('● live');
    await session.type('D');
    // Podman's builds keep each step as an untagged image (Buildah's layer cache), and its
    // /system/df counts them: busybox, dh-app, the first build's image and three steps.
    const table = await session.waitForText(ON_PODMAN ? /Images\s+6\s+1\s+[1-9][\d.]*[kM]B/ : /Images\s+3\s+1\s+\S+B/);
    expect(table).toMatch(/Containers\s+2\s+1/);
    expect(table).toMatch(/Local Volumes\s+2\s+1/);
    expectWithin(table, 100, 40);

    await session.type('P');
    const preview = await session.waitForText(/\d+ items, \S+ to free/);
    // API 1.41 here: the engine's volume prune takes named volumes too, and the preview says so first.
    expect(preview).toContain('also deletes unused NAMED volumes');
    for (const name of ['dh-down', 'dh-net', 'dh-free', `<none> ${dangling.replace('sha256:', '').slice(0, 12)}`]) {
      expect(preview).toContain(name);
    }
    expect(preview).not.toContain('dh-up');
    expect(preview).not.toContain('dh-kept');

    await session.type('y');
    await session.waitForText('Reclaimed', { timeoutMs: 20_000 });
    await session.waitForText('Nothing was skipped.');
    expect(await exists('container', 'dh-down')).toBe(false);
    expect(await exists('network', 'dh-net')).toBe(false);
    expect(await exists('volume', 'dh-free')).toBe(false);
    expect(await exists('image', dangling)).toBe(false);
    // What is in use stays: the running container, its volume and image, the current build.
    expect(await exists('container', 'dh-up')).toBe(true);
    expect(await exists('volume', 'dh-kept')).toBe(true);
    expect(await exists('image', TEST_IMAGE)).toBe(true);
    expect(await exists('image', 'dh-app:latest')).toBe(true);

    await session.sendKeys('Escape');
    await waitFor(async () => /Containers\s+1\s+1/.test(await session.capture()), { message: 'the table was not measured again' });
  });
});
