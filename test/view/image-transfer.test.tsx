// Pull (P), tag (t), push (u) and build (b) in the images list of <App> over the in-memory engine: the
// reference text boxes and their checks, the progress view with its layer lines and outcome,
// Esc cancelling a pull, and the --read-only refusal.
import { basename, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { BuildUpdate } from '../../src/engine/build.js';
import { transferStates } from '../../src/engine/pull-progress.js';
import { BuildContexts } from '../support/build-context.js';
import { lines, mountApp, press, selectedName, settle, statusLine, waitForFrame, type Harness, type MountOptions } from '../support/app-harness.js';
import { makeContainer, makeImage, type FakeEngine } from '../support/fake-engine.js';

const DIGEST = /digest sha256:[0-9a-f]{64}/;
const contexts = new BuildContexts();
afterEach(() => contexts.removeAll());

async function mountImages(options: MountOptions = {}): Promise<Harness> {
  const harness = mountApp([makeContainer({ name: 'web' })], {
    size: { columns: 100, rows: 24 },
    ...options,
    setup: (engine) => {
      // The untagged image is the older one: shop/web:1.0 comes first and is selected.
      engine.images.push(makeImage({ tags: ['shop/web:1.0'], size: 52_400_000 }), makeImage({ tags: [], created: Math.floor(Date.now() / 1000) - 7200 }));
      engine.registry.set('docker.io/library/busybox:latest', makeImage({ size: 2_100_000 }));
      engine.registry.set('docker.io/shop/web:1.0', makeImage({ size: 3_000_000 }));
      options.setup?.(engine);
    },
  });
  await waitForFrame(harness, (f) => f.includes('web'), 'the containers');
  await press(harness, '2', (f) => f.includes('shop/web:1.0'), 'the images');
  return harness;
}

/** A pull whose first layer starts downloading, then waits until it is cancelled. */
function hangingPull(engine: FakeEngine): void {
  engine.pullImage = async (_reference, signal) => transferStates('pull', (async function* () {
    yield JSON.stringify({ status: 'Pulling fs layer', id: 'aaaaaaaaaaaa', progressDetail: {} });
    yield JSON.stringify({ status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 1_000_000, total: 4_000_000 } });
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  })(), 'docker.io', signal);
}

describe('App: pull, tag and push from the images list', () => {
  test('P offers the selected tag; Enter pulls it with layer lines, the overall bytes and the digest', async () => {
    const h = await mountImages();
    await press(h, 'P', (f) => statusLine(f).startsWith('pull: shop/web:1.0'), 'the pull box with the default');
    const done = await press(h, '\r', (f) => DIGEST.test(f), 'the pull done');
    expect(done).toContain('Pulling shop/web:1.0');
    expect(done).toMatch(/[0-9a-f]{12}\s+pull complete/);
    expect(done).toMatch(/Overall\s+\[=+\] 3MB\/3MB\s+1 layer/);
    expect(done).toMatch(/Pulled shop\/web:1\.0, digest sha256:/);
    expect(lines(done).at(-1)).toContain('Esc close');
    await press(h, '\u001B', (f) => f.includes('REPOSITORY:TAG'), 'back to the list');
  });

  test('a typed reference means :latest; once pulled, Esc shows the list with the new image selected', async () => {
    const h = await mountImages();
    await press(h, 'P', (f) => statusLine(f).startsWith('pull: shop/web:1.0'), 'the pull box');
    h.stdin.write('\u007F'.repeat('shop/web:1.0'.length));
    await waitForFrame(h, (f) => statusLine(f).includes(':latest implied'), 'the empty box');
    h.stdin.write('busybox');
    await waitForFrame(h, (f) => statusLine(f).startsWith('pull: busybox'), 'busybox typed');
    await press(h, '\r', (f) => /Pulled busybox:latest, digest/.test(f), 'busybox pulled');
    await press(h, '\u001B', (f) => selectedName(f)?.startsWith('busybox:latest') === true || f.includes('Image busybox:latest'), 'busybox selected');
  });

  test('the engine\'s refusal is shown in its words', async () => {
    const h = await mountImages();
    await press(h, 'P', (f) => statusLine(f).startsWith('pull: '), 'the pull box');
    h.stdin.write('\u007F'.repeat(20) + 'nothing/here\r');
    const failed = await waitForFrame(h, (f) => f.includes('The pull failed'), 'the failure');
    expect(failed).toContain('manifest for nothing/here:latest not found');
  });

  test('Esc cancels a running pull: the view says cancelled, the image is not listed, Esc again closes', async () => {
    const h = await mountImages({ setup: hangingPull });
    await press(h, 'P', (f) => statusLine(f).startsWith('pull: '), 'the pull box');
    const running = await press(h, '\r', (f) => f.includes('1MB/4MB'), 'the layer downloading');
    expect(running).toMatch(/aaaaaaaaaaaa\s+downloading\s+\[=*>? *\] 1MB\/4MB/);
    expect(running).toContain('Esc cancels the pull');
    await press(h, '\u001B', (f) => f.includes('Cancelled: the pull was stopped'), 'cancelled');
    await press(h, '\u001B', (f) => f.includes('REPOSITORY:TAG'), 'back to the list');
    expect(h.engine.images.flatMap((i) => i.tags)).toEqual(['shop/web:1.0']);
  });

  test('t checks the reference before the engine hears of it; a valid one tags the image and selects the tag', async () => {
    const h = await mountImages();
    await press(h, 't', (f) => statusLine(f).startsWith('tag ') && statusLine(f).includes('new reference'), 'the tag box');
    h.stdin.write('Shop/Web:2\r');
    await waitForFrame(h, (f) => statusLine(f).includes('repository name must be lowercase'), 'the reason in words');
    expect(h.engine.images.flatMap((i) => i.tags)).toEqual(['shop/web:1.0']);
    h.stdin.write('\u007F'.repeat(10) + 'registry.test:5000/shop/web:2\r');
    await waitForFrame(h, (f) => statusLine(f).includes('as registry.test:5000/shop/web:2'), 'tagged');
    await waitForFrame(h, (f) => f.includes('Image registry.test:5000/shop/web:2'), 'the new tag selected');
    expect(h.engine.images[0]?.tags).toEqual(['shop/web:1.0', 'registry.test:5000/shop/web:2']);
  });

  test('u on an untagged image asks for a tag first; on a tag it pushes it with its layer and digest', async () => {
    const h = await mountImages();
    await press(h, 'j', (f) => f.includes('Image <none>'), 'the untagged image');
    await press(h, 'u', (f) => statusLine(f).includes('has no tag: a push sends a tag, so give it one first (t)'), 'the refusal');
    await press(h, 'k', (f) => f.includes('Image shop/web:1.0'), 'the tag');
    const pushed = await press(h, 'u', (f) => DIGEST.test(f), 'the push done');
    expect(pushed).toContain('Pushing shop/web:1.0');
    expect(pushed).toMatch(/[0-9a-f]{12}\s+pushed/);
    expect(pushed).toMatch(/Pushed shop\/web:1\.0, digest sha256:/);
    expect(h.engine.registry.has('docker.io/shop/web:1.0')).toBe(true);
  });

  test('the progress view fits 40x12 and 80x24', async () => {
    for (const [columns, rows] of [[40, 12], [80, 24]] as const) {
      const h = await mountImages({ size: { columns, rows } });
      await press(h, 'P', (f) => statusLine(f).startsWith('pull: '), 'the pull box');
      const done = await press(h, '\r', (f) => f.includes('Pulled'), 'pulled');
      expect(lines(done).length).toBeLessThanOrEqual(rows);
      for (const line of lines(done)) expect([...line].length).toBeLessThanOrEqual(columns);
      expect(done).toContain('pull complete');
      h.unmount();
    }
  });

  test('b asks for a directory (checked for a Dockerfile), then a tag; the output streams under docker build\'s line; the image is selected', async () => {
    const dir = await contexts.make({ Dockerfile: 'FROM busybox\nRUN echo two\n' });
    const h = await mountImages();
    await press(h, 'b', (f) => statusLine(f).startsWith('build from: .'), 'the directory box');
    h.stdin.write('\u007F' + join(dir, 'nowhere') + '\r');
    await waitForFrame(h, (f) => statusLine(f).includes(`no Dockerfile at ${join(dir, 'nowhere', 'Dockerfile')}`), 'the missing Dockerfile');
    h.stdin.write('\u007F'.repeat('/nowhere'.length) + '\r');
    const tagBox = await waitForFrame(h, (f) => statusLine(f).startsWith('tag the build as: '), 'the tag box');
    expect(statusLine(tagBox)).toContain(`${basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-')}:latest`);
    h.stdin.write('\u007F'.repeat(60) + 'Shop/App\r');
    await waitForFrame(h, (f) => statusLine(f).includes('repository name must be lowercase'), 'the tag checked');
    h.stdin.write('\u007F'.repeat(8) + 'shop/app:2\r');
    const built = await waitForFrame(h, (f) => f.includes('Built shop/app:2'), 'the build done');
    expect(built).toContain(`$ docker build -t shop/app:2 ${dir}`);
    expect(built).toContain('Step 2/2 : RUN echo two');
    expect(built).toContain('Successfully tagged shop/app:2');
    expect(lines(built).at(-1)).toContain('Esc close');
    await press(h, '\u001B', (f) => f.includes('Image shop/app:2'), 'the built image selected');
  });

  test('Esc cancels a running build; a failed one ends with the engine\'s words', async () => {
    const dir = await contexts.make({ Dockerfile: 'FROM busybox\n' });
    const h = await mountImages({
      setup: (engine) => {
        engine.buildImage = async (_dir, _options, signal) => (async function* (): AsyncGenerator<BuildUpdate> {
          yield { kind: 'output', line: 'Step 1/2 : RUN sleep 100' };
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        })();
      },
    });
    await press(h, 'b', (f) => statusLine(f).startsWith('build from: '), 'the directory box');
    h.stdin.write('\u007F' + dir + '\r');
    await waitForFrame(h, (f) => statusLine(f).startsWith('tag the build as: '), 'the tag box');
    const running = await press(h, '\r', (f) => f.includes('RUN sleep 100'), 'the build running');
    expect(running).toContain('Esc cancels the build');
    await press(h, '\u001B', (f) => f.includes('Cancelled: the build was stopped'), 'cancelled');
    await press(h, '\u001B', (f) => f.includes('REPOSITORY:TAG'), 'back to the list');

    h.engine.buildImage = async () => (async function* (): AsyncGenerator<BuildUpdate> {
      yield { kind: 'failed', message: "The command '/bin/sh -c false' returned a non-zero code: 1" };
    })();
    await press(h, 'b', (f) => statusLine(f).startsWith('build from: '), 'the directory box again');
    h.stdin.write('\u007F' + dir + '\r');
    await waitForFrame(h, (f) => statusLine(f).startsWith('tag the build as: '), 'the tag box again');
    await press(h, '\r', (f) => f.includes("The build failed: The command '/bin/sh -c false' returned a non-zero code: 1"), 'the failure');
  });

  test('--read-only refuses P, t, u and b with their names and opens nothing', async () => {
    const h = await mountImages({ readOnly: true });
    for (const [key, what] of [['P', 'pull'], ['t', 'tag the image'], ['u', 'push the selected tag'], ['b', 'build']] as const) {
      await press(h, key, (f) => statusLine(f).includes(`read-only: ${key} (${what}) is off`), `${key} refused`);
    }
    await settle();
    expect(statusLine(h.frame())).not.toMatch(/^(pull|tag|build) /);
    expect(h.engine.images.flatMap((i) => i.tags)).toEqual(['shop/web:1.0']);
  });
});
