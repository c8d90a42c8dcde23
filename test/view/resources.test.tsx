// The images, volumes and networks lists of <App> over the in-memory engine: switching lists,
// filter and sort, the details pane, and removals with their refusals and confirmations.
import { describe, expect, test } from 'vitest';
import { lines, mountApp, press, settle, statusLine, waitForFrame, type Harness } from '../support/app-harness.js';
import { makeContainer, makeImage, makeNetwork, makeVolume } from '../support/fake-engine.js';

const hoursAgo = (h: number) => Math.floor(Date.now() / 1000) - h * 3600;

/** An engine with a two-tag image a container runs from, a dangling one, volumes and a network. */
async function mountResources(): Promise<Harness> {
  const web = makeContainer({ name: 'web', image: 'shop/web:1.0' });
  const harness = mountApp([web], {
    size: { columns: 100, rows: 24 },
    setup: (engine) => {
      engine.images.push(
        makeImage({ tags: ['shop/web:1.0', 'shop/web:latest'], size: 52_400_000, created: hoursAgo(2) }),
        makeImage({ tags: [], size: 9_000_000, created: hoursAgo(30) }),
        makeImage({ tags: ['busybox:latest'], size: 4_860_000, created: hoursAgo(500) }),
      );
      engine.volumes.push(
        makeVolume({ name: 'pgdata', size: 120_000_000, users: [web.id] }),
        makeVolume({ name: 'scratch', size: 1_000 }),
      );
      engine.networks.push(makeNetwork({ name: 'shopnet', subnets: [{ subnet: '10.9.0.0/24', gateway: '10.9.0.1' }] }));
    },
  });
  await waitForFrame(harness, (f) => f.includes('web'), 'the containers');
  return harness;
}

/** The list rows under the column titles, left of the details pane. */
function listRows(frame: string): string[] {
  const left = lines(frame).slice(2).map((line) => (line.split('│')[0] ?? '').trimEnd());
  const end = left.findIndex((line) => line === '');
  return end < 0 ? left : left.slice(0, end);
}

describe('App: images, volumes and networks', () => {
  test('2 shows every tag of every image, newest first, with size and users, and the header counts', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => f.includes('REPOSITORY:TAG'), 'the images list');
    const frame = await waitForFrame(harness, (f) => f.includes('busybox:latest'), 'the images');
    const rows = listRows(harness.frame()).slice(0, 4);
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual(['shop/web:1.0', 'shop/web:latest', '<none> dangling', 'busybox:latest']);
    expect(rows[0]).toContain('52.4MB');
    expect(lines(frame)[0]).toContain('3 images · 1 dangling');
  });

  test('the details pane shows the selected image with its layers; Enter opens it full screen', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => f.includes('History'), 'image details with history');
    const zoomed = await press(harness, '\r', (f) => !f.includes('REPOSITORY:TAG'), 'the details full screen');
    expect(zoomed).toContain('shop/web:1.0');
    await press(harness, '\u001B', (f) => f.includes('REPOSITORY:TAG'), 'back to the list');
  });

  test('o sorts by the next column (arrow in its title), O reverses, / filters', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => f.includes('busybox:latest'), 'the images');
    await press(harness, 'o', (f) => f.includes('REPOSITORY:TAG▲'), 'sorted by name');
    expect(listRows(harness.frame())[0]).toMatch(/^<none>/);
    await press(harness, 'O', (f) => f.includes('REPOSITORY:TAG▼'), 'reversed');
    expect(listRows(harness.frame())[0]).toMatch(/^shop\/web:latest/);
    harness.stdin.write('/busy\r');
    await waitForFrame(harness, (f) => listRows(f).length === 1 && f.includes('busybox:latest'), 'only busybox');
  });

  test('Tab and Shift-Tab cycle the lists; each list keeps its own filter', async () => {
    const harness = await mountResources();
    harness.stdin.write('/web\r');
    await waitForFrame(harness, (f) => f.includes('filter: web'), 'the containers filter');
    await press(harness, '\t', (f) => f.includes('REPOSITORY:TAG'), 'images');
    expect(statusLine(harness.frame())).not.toContain('filter: web');
    await press(harness, '\t', (f) => f.includes('VOLUME NAME'), 'volumes');
    await press(harness, '\t', (f) => f.includes('NETWORK'), 'networks');
    await press(harness, '\u001B[Z', (f) => f.includes('VOLUME NAME'), 'back to volumes');
    await press(harness, '1', (f) => f.includes('filter: web'), 'containers with their filter');
  });

  test('d on a tag untags only it after y; Enter cancels', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => listRows(f)[0]?.startsWith('shop/web:1.0') === true, 'the images');
    await press(harness, 'd', (f) => f.includes('Untag shop/web:1.0'), 'the untag dialog');
    expect(harness.frame()).toContain('The image stays with shop/web:latest');
    await press(harness, '\r', (f) => !f.includes('Untag shop/web:1.0'), 'cancelled');
    expect(harness.engine.images.some((i) => i.tags.includes('shop/web:1.0'))).toBe(true);
    await press(harness, 'd', (f) => f.includes('Untag shop/web:1.0'), 'the untag dialog again');
    await press(harness, 'y', (f) => statusLine(f).includes('untagged shop/web:1.0'), 'untagged');
    expect(harness.engine.images.find((i) => i.tags.includes('shop/web:latest'))?.tags).toEqual(['shop/web:latest']);
  });

  test('t makes it the whole image: the dialog names its tags, its running user and the engine refusal', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => listRows(f)[0]?.startsWith('shop/web:1.0') === true, 'the images');
    await press(harness, 'd', (f) => f.includes('Untag shop/web:1.0'), 'the dialog');
    const whole = await press(harness, 't', (f) => f.includes('Remove image shop/web:1.0, shop/web:latest'), 'whole image');
    expect(whole).toContain('Running web uses it: the engine refuses even with force.');
    await press(harness, 'f', (f) => f.includes('force: on'), 'force on');
    await press(harness, 'y', (f) => statusLine(f).includes('(cannot be forced) - image is being us'), 'the refusal in the engine\'s words');
    expect(harness.engine.images.some((i) => i.tags.includes('shop/web:1.0'))).toBe(true);
  });

  test('d on a volume in use is refused with its user; an unused one is removed after y', async () => {
    const harness = await mountResources();
    await press(harness, '3', (f) => f.includes('pgdata'), 'the volumes');
    await press(harness, 'd', (f) => statusLine(f).includes('in use by web'), 'the refusal');
    await settle();
    expect(harness.frame()).not.toContain('Remove volume');
    await press(harness, 'j', (f) => f.includes('Volume scratch'), 'scratch selected');
    await press(harness, 'd', (f) => f.includes('Remove volume scratch (named, 1kB)?'), 'the dialog');
    await press(harness, 'y', (f) => statusLine(f).includes('Volume scratch removed'), 'removed');
    await waitForFrame(harness, (f) => !listRows(f).some((r) => r.startsWith('scratch')), 'scratch gone from the list');
  });

  test('d on a predefined network is refused with the reason; ours goes after y', async () => {
    const harness = await mountResources();
    await press(harness, '4', (f) => f.includes('shopnet'), 'the networks');
    harness.stdin.write('/bridge\r');
    await waitForFrame(harness, (f) => f.includes('filter: bridge'), 'bridge only');
    await press(harness, 'd', (f) => statusLine(f).includes('predefined'), 'the refusal');
    harness.stdin.write('/');
    await waitForFrame(harness, (f) => statusLine(f).startsWith('/'), 'the filter box');
    harness.stdin.write('\u001B');
    await settle();
    harness.stdin.write('/shopnet\r');
    await waitForFrame(harness, (f) => f.includes('10.9.0.0/24'), 'shopnet');
    await press(harness, 'd', (f) => f.includes('Remove network shopnet (bridge, 10.9.0.0/24)?'), 'the dialog');
    await press(harness, 'y', (f) => statusLine(f).includes('Network shopnet removed'), 'removed');
    expect(harness.engine.networks.some((n) => n.name === 'shopnet')).toBe(false);
  });

  test('container keys in another list say where they work', async () => {
    const harness = await mountResources();
    await press(harness, '2', (f) => f.includes('REPOSITORY:TAG'), 'the images');
    await press(harness, 's', (f) => statusLine(f).includes('s acts on containers: press 1 for them'), 'the explanation');
  });
});
