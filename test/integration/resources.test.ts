// Images, volumes, networks and prune on the real engine. Another person may be using the same
// engine: everything here is named dh-<random hex> (the anonymous volume excepted: it has no name
// to give), labelled dockhand.test=1, asserted on after filtering by our own ids and names, and
// removed by id afterwards. Nothing is pruned engine-wide.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { isNotFound } from '../../src/engine/errors.js';
import { executePrune, previewPrune } from '../../src/engine/prune.js';
import { ResourceStore } from '../../src/engine/resource-store.js';
import type { PrunePreview } from '../../src/engine/resource-types.js';
import { apiAtLeast } from '../../src/engine/docker-engine.js';
import { docker, runContainer, TEST_IMAGE, TEST_LABEL, waitFor, type TestContainer } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

const PREFIX = `dh-${randomBytes(4).toString('hex')}`;
const IMAGE_REPO = `${PREFIX}-img`;
const IMAGE_TAG = `${IMAGE_REPO}:latest`;
const SECOND_TAG = `${IMAGE_REPO}:second`;
const NAMED_VOLUME = `${PREFIX}-free`;
const LIVE_VOLUME = `${PREFIX}-live`;
const USED_VOLUME = `${PREFIX}-used`;
const NETWORK = `${PREFIX}-net`;
const LABEL = ['--label', `${TEST_LABEL}=1`];

let engine: Engine;
let context: string;
let danglingId: string;
let imageId: string;
let testImageId: string;
let anonymousVolume: string;
let networkId: string;
let running: TestContainer;
let stopped: TestContainer;
const containers: string[] = [];

async function build(nonce: string): Promise<string> {
  // The classic builder, so the first build's image is left dangling when the tag moves.
  return docker('build', '--quiet', ...LABEL, '--build-arg', `NONCE=${nonce}`, '--tag', IMAGE_TAG, context);
}

async function exists(...inspectArgs: string[]): Promise<boolean> {
  return docker(...inspectArgs).then(() => true, () => false);
}

beforeAll(async () => {
  process.env['DOCKER_BUILDKIT'] = '0';
  engine = await connectTestEngine();
  context = await mkdtemp(join(tmpdir(), 'dockhand-build-'));
  await writeFile(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nARG NONCE\nRUN echo "$NONCE" > /x\n`);
  danglingId = await build(`first-${PREFIX}`);
  imageId = await build(`second-${PREFIX}`);
  testImageId = await docker('image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE);
  await docker('volume', 'create', ...LABEL, NAMED_VOLUME);
  await docker('volume', 'create', ...LABEL, USED_VOLUME);
  anonymousVolume = await docker('volume', 'create', ...LABEL);
  networkId = await docker('network', 'create', ...LABEL, NETWORK);
  running = await runContainer({ name: `${PREFIX}-up`, args: ['-v', `${USED_VOLUME}:/data`] });
  stopped = await runContainer({ name: `${PREFIX}-down`, cmd: ['true'], detach: false });
  containers.push(running.id, stopped.id);
});

/** The image's parent id ('' for none), as `docker image inspect` has it. */
async function parentOf(id: string): Promise<string> {
  return docker('image', 'inspect', '--format', '{{.Parent}}', id);
}

afterAll(async () => {
  const quietly = (...args: string[]) => docker(...args).catch(() => '');
  if (containers.length > 0) await quietly('rm', '--force', '--volumes', ...containers);
  await quietly('volume', 'rm', NAMED_VOLUME);
  await quietly('volume', 'rm', LIVE_VOLUME);
  await quietly('volume', 'rm', USED_VOLUME);
  if (anonymousVolume) await quietly('volume', 'rm', anonymousVolume);
  await quietly('network', 'rm', NETWORK);
  // By tag first, so the classic builder's untagged parents go with the image; then the leftovers.
  await quietly('image', 'rm', SECOND_TAG);
  await quietly('image', 'rm', IMAGE_TAG);
  if (danglingId) await quietly('image', 'rm', danglingId);
  if (context) await rm(context, { recursive: true, force: true });
});

function ours(preview: PrunePreview, ids: string[]): string[] {
  return preview.items.filter((item) => ids.includes(item.id)).map((item) => item.id).sort();
}

describe('resources on the real engine', () => {
  it('lists images with their tags, dangling marker and users', async () => {
    const images = await engine.listImages();
    expect(images.find((i) => i.id === danglingId)).toMatchObject({ dangling: true, tags: [], containers: [] });
    expect(images.find((i) => i.id === imageId)).toMatchObject({ dangling: false, tags: [IMAGE_TAG] });
    const testImage = images.find((i) => i.id === testImageId);
    expect(testImage?.containers).toEqual(expect.arrayContaining([
      { id: running.id, name: running.name }, { id: stopped.id, name: stopped.name },
    ]));
  });

  it('inspects an image: its config and its history, newest step first, down to the base image', async () => {
    const details = await engine.inspectImage(imageId);
    // The command is the base image's: a config is inherited step by step.
    expect(details).toMatchObject({ id: imageId, tags: [IMAGE_TAG], cmd: ['sh'], labels: { [TEST_LABEL]: '1' }, os: 'linux' });
    expect(details.env.some((entry) => entry.startsWith('PATH='))).toBe(true);
    expect(details.history[0]?.id).toBe(imageId);
    const steps = details.history.map((layer) => layer.createdBy);
    const position = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step));
    // The classic builder records --label as a last step of its own.
    const ownSteps = [new RegExp(`LABEL ${TEST_LABEL}=1`), /echo "\$NONCE" > \/x/, /ARG NONCE/].map(position);
    expect(ownSteps.every((index) => index >= 0)).toBe(true);
    expect(ownSteps).toEqual([...ownSteps].sort((a, b) => a - b));
    const base = details.history.findIndex((layer) => layer.id === testImageId);
    expect(base).toBeGreaterThan(Math.max(...ownSteps));
    expect(details.history[base]?.tags).toContain(TEST_IMAGE);
    await expect(engine.inspectImage(`sha256:${'0'.repeat(64)}`)).rejects.toSatisfy(isNotFound);
  });

  it('keeps a live volume list: one created or removed behind its back shows within 2 s', async () => {
    const containers = new ContainerStore(engine);
    const volumes = new ResourceStore(engine, containers, 'volumes');
    const names = () => volumes.getSnapshot().rows.map((v) => v.name);
    containers.start();
    try {
      // Subscribed to the engine's events before anything happens behind the store's back.
      await waitFor(() => containers.getSnapshot().loaded, { message: 'the container list' });
      volumes.start();
      await waitFor(() => volumes.getSnapshot().status === 'ready', { message: 'the first volume list' });
      expect(names()).not.toContain(LIVE_VOLUME);
      await docker('volume', 'create', ...LABEL, LIVE_VOLUME);
      await waitFor(() => names().includes(LIVE_VOLUME), { timeoutMs: 2000, message: 'the created volume' });
      await docker('volume', 'rm', LIVE_VOLUME);
      await waitFor(() => !names().includes(LIVE_VOLUME), { timeoutMs: 2000, message: 'the removed volume gone' });
    } finally {
      volumes.stop();
      containers.stop();
    }
  });

  it('lists volumes with their users, the anonymous marker and sizes', async () => {
    const volumes = await engine.listVolumes();
    expect(volumes.find((v) => v.name === USED_VOLUME)).toMatchObject({
      driver: 'local', anonymous: false, usedBy: [{ id: running.id, name: running.name }], labels: { [TEST_LABEL]: '1' },
    });
    expect(volumes.find((v) => v.name === NAMED_VOLUME)).toMatchObject({ anonymous: false, usedBy: [] });
    const anonymous = volumes.find((v) => v.name === anonymousVolume);
    expect(anonymous).toMatchObject({ anonymous: true, usedBy: [] });
    expect(anonymous?.size).toBeGreaterThanOrEqual(0);
  });

  it('lists networks with their attached containers and the predefined ones', async () => {
    const networks = await engine.listNetworks();
    expect(networks.find((n) => n.id === networkId)).toMatchObject({ name: NETWORK, driver: 'bridge', predefined: false, containers: [] });
    expect(networks.find((n) => n.name === NETWORK)?.subnets[0]?.subnet).toMatch(/\/\d+$/);
    const bridge = networks.find((n) => n.name === 'bridge');
    expect(bridge?.predefined).toBe(true);
    expect(bridge?.containers).toContainEqual({ id: running.id, name: running.name, ipv4: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    expect(bridge?.containers.map((c) => c.id)).not.toContain(stopped.id);
  });

  it('computes disk usage from the engine\'s document', async () => {
    const usage = await engine.diskUsage();
    expect(usage.images.count).toBeGreaterThanOrEqual(3);
    expect(usage.images.active).toBeGreaterThanOrEqual(1);
    expect(usage.containers.count).toBeGreaterThanOrEqual(2);
    expect(usage.containers.reclaimable).toBeLessThanOrEqual(usage.containers.size);
    expect(usage.volumes.count).toBeGreaterThanOrEqual(3);
    expect(usage.containerSizes[stopped.id]).toBeGreaterThanOrEqual(0);
    expect(usage.volumeSizes[NAMED_VOLUME]).toBeGreaterThanOrEqual(0);
  });

  it('previews exactly our unused items and never what is in use', async () => {
    const [images, allImages, volumes, stoppedOnes, networks] = await Promise.all([
      previewPrune(engine, 'images'),
      previewPrune(engine, 'images', { all: true }),
      previewPrune(engine, 'volumes'),
      previewPrune(engine, 'containers'),
      previewPrune(engine, 'networks'),
    ]);
    expect(ours(images, [danglingId, imageId, testImageId])).toEqual([danglingId]);
    expect(ours(allImages, [danglingId, imageId, testImageId])).toEqual([danglingId, imageId].sort());
    const volumeIds = [NAMED_VOLUME, USED_VOLUME, anonymousVolume];
    if (apiAtLeast(engine.info.apiVersion, '1.42')) {
      // 23+ labels anonymous volumes; one made by `docker volume create` is not one to the engine.
      expect(ours(volumes, volumeIds)).toEqual([]);
    } else {
      expect(ours(volumes, volumeIds)).toEqual([NAMED_VOLUME, anonymousVolume].sort());
      expect(volumes.notes.join('\n')).toMatch(/also deletes unused NAMED volumes/);
    }
    expect(ours(stoppedOnes, [running.id, stopped.id])).toEqual([stopped.id]);
    expect(ours(networks, [networkId])).toEqual([networkId]);
  });

  it('removing one of two tags untags only that tag', async () => {
    await docker('tag', IMAGE_TAG, SECOND_TAG);
    expect((await engine.listImages()).find((i) => i.id === imageId)?.tags.sort()).toEqual([IMAGE_TAG, SECOND_TAG].sort());
    const answer = await engine.removeImage(SECOND_TAG);
    expect(answer).toEqual([{ untagged: SECOND_TAG }]);
    expect((await engine.listImages()).find((i) => i.id === imageId)?.tags).toEqual([IMAGE_TAG]);
  });

  it('executes a preview restricted to our items: exactly those go, what is in use stays', async () => {
    const restrict = (preview: PrunePreview, ids: string[]): PrunePreview => {
      const items = preview.items.filter((item) => ids.includes(item.id));
      return { ...preview, items, total: items.reduce((sum, item) => sum + item.size, 0) };
    };
    // The dangling image and the untagged build steps under it, which the preview lists too.
    const imagePreview = await previewPrune(engine, 'images');
    const listed = new Set(imagePreview.items.map((item) => item.id));
    const danglingChain = [danglingId];
    for (let parent = await parentOf(danglingId); parent && listed.has(parent); parent = await parentOf(parent)) danglingChain.push(parent);
    const images = restrict(imagePreview, danglingChain);
    const volumes = restrict(await previewPrune(engine, 'volumes', { all: true }), [NAMED_VOLUME, anonymousVolume, USED_VOLUME]);
    const stoppedOnes = restrict(await previewPrune(engine, 'containers'), [stopped.id, running.id]);
    const networks = restrict(await previewPrune(engine, 'networks'), [networkId]);
    expect(images.items.map((item) => item.id)).toEqual(danglingChain);
    expect(volumes.items).toHaveLength(2);

    for (const [preview, expected] of [
      [images, [...danglingChain].sort()], [volumes, [NAMED_VOLUME, anonymousVolume].sort()], [stoppedOnes, [stopped.id]], [networks, [networkId]],
    ] as const) {
      const result = await executePrune(engine, preview);
      expect(result.skipped).toEqual([]);
      expect(result.deleted.map((item) => item.id).sort()).toEqual(expected);
      expect(result.reclaimed).toBe(preview.total);
    }

    expect(await exists('image', 'inspect', danglingId)).toBe(false);
    expect(await exists('volume', 'inspect', NAMED_VOLUME)).toBe(false);
    expect(await exists('volume', 'inspect', anonymousVolume)).toBe(false);
    expect(await exists('container', 'inspect', stopped.id)).toBe(false);
    expect(await exists('network', 'inspect', networkId)).toBe(false);
    // what was in use survives
    expect(await exists('volume', 'inspect', USED_VOLUME)).toBe(true);
    expect(await exists('container', 'inspect', running.id)).toBe(true);
    expect(await exists('image', 'inspect', testImageId)).toBe(true);
    expect(await exists('image', 'inspect', IMAGE_TAG)).toBe(true);
  });

  it('skips an image a container started from after the preview', async () => {
    const preview = await previewPrune(engine, 'images', { all: true });
    const restricted = { ...preview, items: preview.items.filter((item) => item.id === imageId) };
    expect(restricted.items).toHaveLength(1);
    const late = await runContainer({ name: `${PREFIX}-late` });
    containers.push(late.id);
    // runContainer starts TEST_IMAGE; start one from our image too
    const user = await docker('run', '--detach', ...LABEL, '--name', `${PREFIX}-user`, IMAGE_TAG, 'sleep', '3600');
    containers.push(user);
    const result = await executePrune(engine, restricted);
    expect(result.deleted).toEqual([]);
    expect(result.skipped).toEqual([{ item: restricted.items[0], reason: `now used by ${PREFIX}-user` }]);
    expect(await exists('image', 'inspect', IMAGE_TAG)).toBe(true);
  });
});
