// The disk usage view (D) over the in-memory engine, as the app hosts it: its element, its hint
// line, and every key through its handleKey. Frames are read the way a user reads the screen.
import { stripVTControlCharacters } from 'node:util';
import { Box, Text, useInput } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { keyName } from '../../src/views/keymap.js';
import { useDiskView } from '../../src/views/useDiskView.js';
import { FakeEngine, makeContainer, makeImage, makeVolume } from '../support/fake-engine.js';

const WIDTH = 80;
/** What the app gives the view on an 80x24 terminal. */
const HEIGHT = 21;
const KEY = { enter: '\r', escape: '\u001B' } as const;

function DiskHost({ engine, onClose, onPruned }: { engine: FakeEngine; onClose: () => void; onPruned: () => void }) {
  const disk = useDiskView({ engine, active: true, width: WIDTH, height: HEIGHT, onClose, onPruned });
  useInput((input, key) => {
    disk.handleKey(keyName(input, key), input);
  });
  return (
    <Box flexDirection="column">
      {disk.element}
      <Text wrap="truncate">{disk.hints}</Text>
    </Box>
  );
}

afterEach(() => cleanup());

/** An engine like the issue's: a dangling image, unused named and anonymous volumes, one in use, a stopped container. */
function world(): FakeEngine {
  const web = makeContainer({ name: 'web', image: 'app:2', state: 'running' });
  const old = makeContainer({ name: 'old', image: 'app:1', state: 'exited' });
  const engine = new FakeEngine([web, old]);
  engine.containerSizes.set(old.id, 4_000);
  engine.images = [
    makeImage({ id: 'sha256:a2', tags: ['app:2'], size: 50_000_000 }),
    makeImage({ id: 'sha256:a1', tags: ['app:1'], size: 40_000_000 }),
    makeImage({ id: 'sha256:tool', tags: ['tool:latest'], size: 3_000_000 }),
    makeImage({ id: `sha256:${'d'.repeat(64)}`, tags: [], size: 2_000_000 }),
  ];
  engine.volumes = [
    makeVolume({ name: 'named-free', size: 300_000 }),
    makeVolume({ name: 'e'.repeat(64), size: 200_000 }),
    makeVolume({ name: 'pgdata', users: [web.id], size: 900_000 }),
  ];
  return engine;
}

function mount(engine = world()) {
  const onClose = vi.fn();
  const onPruned = vi.fn();
  const instance = render(<DiskHost engine={engine} onClose={onClose} onPruned={onPruned} />);
  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
  const until = async (predicate: (frame: string) => boolean, what: string) => {
    await vi.waitFor(() => {
      if (!predicate(frame())) throw new Error(`waiting for ${what}; last frame:\n${frame()}`);
    }, { timeout: 3000, interval: 5 });
    return frame();
  };
  const press = async (key: string, predicate: (frame: string) => boolean, what: string) => {
    instance.stdin.write(key);
    return until(predicate, `${what} (after ${JSON.stringify(key)})`);
  };
  return { engine, onClose, onPruned, frame, until, press, stdin: instance.stdin };
}

const lines = (frame: string) => frame.split('\n');
/** The view's own lines, without the hint line under it. */
const view = (frame: string) => lines(frame).slice(0, HEIGHT);

/** The view takes exactly its rows and columns; the hint line under it is the app's to cut. */
function expectFits(frame: string): void {
  expect(lines(frame)).toHaveLength(HEIGHT + 1);
  for (const line of view(frame)) expect(stringWidth(line.trimEnd()), line).toBeLessThanOrEqual(WIDTH);
}

const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

describe('disk usage view', () => {
  test('measures and shows the docker system df table, networks and "Everything"', async () => {
    const h = mount();
    const frame = await h.until((f) => /Images +4 +2/.test(f), 'the table');
    expectFits(frame);
    expect(frame).toMatch(/▸ Images +4 +2 +95MB +5MB \(5%\)/);
    expect(frame).toMatch(/Containers +2 +1 +4kB +4kB \(100%\)/);
    expect(frame).toMatch(/Local Volumes +3 +1 +1\.4MB +500kB \(35%\)/);
    expect(frame).toMatch(/Networks +3 +0 +- +-/);
    expect(frame).toContain('Everything (P)');
    expect(lines(frame).at(-1)).toMatch(/j\/k choose · p preview prune · P all/);
  });

  test('a volumes preview on API 1.41 lists every item with its size and says named volumes go too', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    await h.press('j', (f) => f.includes('▸ Containers'), 'containers row');
    await h.press('j', (f) => f.includes('▸ Local Volumes'), 'volumes row');
    const frame = await h.press('p', (f) => f.includes('to free'), 'the volumes preview');
    expectFits(frame);
    const screen = view(frame).join('\n');
    expect(screen).toContain('Prune volumes: unused, named ones too');
    expect(screen).toMatch(/API 1\.41 \(below 1\.42\): the engine's volume prune also deletes unused NAMED/);
    expect(screen).toMatch(/named-free +300kB/);
    expect(screen).toMatch(/e{20}.* +200kB/);
    expect(screen).not.toContain('pgdata');
    expect(screen).toContain('2 items, 500kB to free');
    expect(screen).toContain('y delete these · a no difference below API 1.42 · n/Esc cancel');
  });

  test('a switches images between dangling only and every unused image; y deletes them and reports what it reclaimed', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    let frame = await h.press(KEY.enter, (f) => f.includes('to free'), 'the images preview');
    expect(frame).toContain('Prune images: dangling images only');
    expect(frame).toContain('1 item, 2MB to free');
    expect(frame).toContain('a every unused image');
    frame = await h.press('a', (f) => f.includes('Prune images: every unused image') && f.includes('to free'), 'every unused image');
    expect(frame).toMatch(/tool:latest +3MB/);
    // app:1 is used by a stopped container: the engine keeps it too
    expect(frame).not.toContain('app:1');
    expect(frame).toContain('2 items, 5MB to free');
    frame = await h.press('y', (f) => f.includes('Reclaimed'), 'the result');
    expectFits(frame);
    expect(frame).toContain('Deleted 2 of 2 items · Reclaimed 5MB');
    expect(frame).toContain('Nothing was skipped.');
    expect(h.onPruned).toHaveBeenCalledTimes(1);
    expect(h.engine.images.map((i) => i.tags[0])).toEqual(['app:2', 'app:1']);
    frame = await h.press(KEY.escape, (f) => /Images +2 +2/.test(f), 'the table measured again');
    expect(frame).toContain('▸ Images');
  });

  test('when the engine changed since the preview, y shows the fresh list instead of deleting', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    await h.press('p', (f) => f.includes('1 item, 2MB to free'), 'the images preview');
    h.engine.images.push(makeImage({ id: `sha256:${'f'.repeat(64)}`, tags: [], size: 7_000_000 }));
    let frame = await h.press('y', (f) => f.includes('The engine changed'), 'the fresh preview');
    expectFits(frame);
    expect(frame).toContain('The engine changed since the preview: this is the fresh list; y deletes these');
    expect(frame).toMatch(/<none> f{12} +7MB/);
    expect(frame).toContain('2 items, 9MB to free');
    expect(h.engine.images).toHaveLength(5);
    expect(h.onPruned).not.toHaveBeenCalled();
    frame = await h.press('y', (f) => f.includes('Reclaimed'), 'the result');
    expect(frame).toContain('Deleted 2 of 2 items · Reclaimed 9MB');
  });

  test('P previews everything as one system prune; the in-use volume and the running container\'s image stay', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    let frame = await h.press('P', (f) => f.includes('to free'), 'the everything preview');
    expectFits(frame);
    expect(frame).toContain('Prune everything: dangling images only, named volumes too');
    // the volumes' warning is on screen, not scrolled away
    expect(view(frame).join('\n')).toMatch(/Local volumes: API 1\.41 [^]*NAMED/);
    expect(frame).toMatch(/Containers: 1 item, 4kB/);
    frame = await h.press('y', (f) => f.includes('Reclaimed'), 'the result');
    expect(frame).toContain('Pruned everything');
    expect(h.engine.containers.map((c) => c.name)).toEqual(['web']);
    expect(h.engine.volumes.map((v) => v.name)).toEqual(['pgdata']);
    expect(h.engine.images.map((i) => i.id)).toContain('sha256:a2');
  });

  test('a long preview renders only its visible rows and scrolls with j and PgDn', async () => {
    const engine = world();
    for (let i = 0; i < 300; i++) engine.addContainer(makeContainer({ name: `batch-${String(i).padStart(3, '0')}`, state: 'exited' }));
    const h = mount(engine);
    await h.until((f) => f.includes('Images '), 'the table');
    await h.press('j', (f) => f.includes('▸ Containers'), 'containers row');
    let frame = await h.press('p', (f) => f.includes('to free'), 'the containers preview');
    expectFits(frame);
    expect(frame).toMatch(/301 items, 4kB to free {2}\(1-\d+ of 301, j\/k scroll\)/);
    expect(frame).not.toContain('batch-299');
    frame = await h.press('j', (f) => /\(2-\d+ of 301/.test(f), 'scrolled one row');
    frame = await h.press('\u001B[6~', (f) => !/\(2-\d+ of 301/.test(f), 'a page down');
    expectFits(frame);
  });

  test('nothing to prune says so, and y does nothing', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    await h.press('j', (f) => f.includes('▸ Containers'), 'containers row');
    await h.press('j', (f) => f.includes('▸ Local Volumes'), 'volumes row');
    await h.press('j', (f) => f.includes('▸ Build Cache'), 'build cache row');
    const frame = await h.press('p', (f) => f.includes('Nothing to prune'), 'the empty preview');
    expect(frame).toContain('n/Esc back');
    h.stdin.write('y');
    await settle();
    expect(h.frame()).toContain('Nothing to prune');
    await h.press('n', (f) => f.includes('▸ Build Cache'), 'back to the table');
  });

  test('engine errors are shown in words, and Esc in the table closes the view', async () => {
    const h = mount();
    await h.until((f) => f.includes('Images '), 'the table');
    h.engine.disconnect();
    let frame = await h.press('R', (f) => f.includes('Could not measure'), 'the error');
    expect(frame).toContain('Could not measure disk usage: connect ECONNREFUSED /var/run/docker.sock');
    frame = await h.press('p', (f) => f.includes('Could not list what a prune would delete'), 'the preview error');
    expectFits(frame);
    expect(h.onClose).not.toHaveBeenCalled();
    h.stdin.write(KEY.escape);
    await vi.waitFor(() => expect(h.onClose).toHaveBeenCalledTimes(1));
  });
});
