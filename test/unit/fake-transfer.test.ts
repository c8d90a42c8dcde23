// The fake engine's pull, push and tag, which view tests rely on: the engine's own progress lines
// through the real parser, and the image listed (or the registry filled) only once done.
import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from '../../src/engine/image-reference.js';
import type { TransferState } from '../../src/engine/pull-progress.js';
import { FakeEngine, makeImage } from '../support/fake-engine.js';

async function run(states: Promise<AsyncIterable<TransferState>>): Promise<TransferState[]> {
  const seen: TransferState[] = [];
  for await (const state of await states) seen.push(state);
  return seen;
}

const signal = () => new AbortController().signal;

describe('FakeEngine transfers', () => {
  it('tags, pushes into its registry, and pulls back what was pushed', async () => {
    const fake = new FakeEngine();
    const image = makeImage({ tags: ['shop/web:1'], size: 1000 });
    fake.images.push(image);
    await fake.tagImage('shop/web:1', 'registry.test/shop/web');
    expect(image.tags).toEqual(['shop/web:1', 'registry.test/shop/web:latest']);

    const pushed = await run(fake.pushImage('registry.test/shop/web', signal()));
    expect(pushed.at(-1)?.outcome).toMatchObject({ kind: 'done', digest: expect.stringMatching(/^sha256:/) });
    expect([...fake.registry.keys()]).toEqual(['registry.test/shop/web:latest']);

    await fake.removeImage('registry.test/shop/web:latest');
    await fake.removeImage('shop/web:1');
    const pulled = await run(fake.pullImage('registry.test/shop/web:latest', signal()));
    expect(pulled.map((s) => s.layers[0]?.phase).filter(Boolean)).toEqual(['waiting', 'downloading', 'downloaded', 'extracting', 'complete', 'complete', 'complete', 'complete']);
    expect(fake.images.map((i) => i.tags)).toEqual([['registry.test/shop/web:latest']]);
  });

  it('answers as the engine for what is missing, and lists nothing after a cancelled pull', async () => {
    const fake = new FakeEngine();
    expect((await run(fake.pullImage('nothing', signal()))).at(-1)?.outcome).toEqual({
      kind: 'failed', error: { kind: 'not-found', message: 'manifest for nothing:latest not found: manifest unknown: manifest unknown' },
    });
    expect((await run(fake.pushImage('nothing', signal()))).at(-1)?.outcome).toMatchObject({
      kind: 'failed', error: { message: 'An image does not exist locally with the tag: docker.io/library/nothing' },
    });
    fake.registry.set('docker.io/library/busybox:latest', makeImage({ tags: [] }));
    const controller = new AbortController();
    controller.abort();
    expect((await run(fake.pullImage('busybox', controller.signal))).at(-1)?.outcome).toEqual({ kind: 'cancelled' });
    expect(fake.images).toEqual([]);
    await expect(fake.tagImage('busybox', 'x@sha256:' + 'a'.repeat(64))).rejects.toBeInstanceOf(InvalidReferenceError);
  });
});
