import { describe, expect, it } from 'vitest';
import { executePrune, executePrunePlan, previewPrune, previewPrunePlan, PRUNE_ORDER } from '../../src/engine/prune.js';
import { toNetworkRows, toVolumeRows } from '../../src/engine/resource-rows.js';
import { FAKE_ENGINE_INFO, FakeEngine, makeContainer, makeImage, makeNetwork, makeVolume } from '../support/fake-engine.js';

function world(apiVersion = '1.41'): FakeEngine {
  const web = makeContainer({ name: 'web', image: 'app:2', state: 'running' });
  const old = makeContainer({ name: 'old', image: 'app:1', state: 'exited' });
  const held = makeContainer({ name: 'held', image: 'app:2', state: 'paused' });
  const fresh = makeContainer({ name: 'fresh', image: 'app:2', state: 'created' });
  const looping = makeContainer({ name: 'looping', image: 'app:2', state: 'restarting' });
  const engine = new FakeEngine([web, old, held, fresh, looping]);
  Object.assign(engine, { info: { ...FAKE_ENGINE_INFO, apiVersion } });
  engine.containerSizes.set(old.id, 40);
  engine.containerSizes.set(fresh.id, 2);
  engine.images = [
    makeImage({ id: 'sha256:inuse', tags: ['app:2'], size: 5_000, sharedSize: 1_000 }),
    makeImage({ id: 'sha256:stopped', tags: ['app:1'], size: 4_000 }),
    makeImage({ id: 'sha256:unused', tags: ['tool:latest', 'tool:1'], size: 3_000, sharedSize: 1_000 }),
    makeImage({ id: 'sha256:dangling', tags: [], size: 2_000 }),
  ];
  engine.volumes = [
    makeVolume({ name: 'named-free', size: 300 }),
    makeVolume({ name: 'a'.repeat(64), size: 200 }),
    makeVolume({ name: 'labelled-anon', labels: { 'com.docker.volume.anonymous': '' }, size: 100 }),
    makeVolume({ name: 'mounted', users: [web.id], size: 900 }),
    makeVolume({ name: 'stopped-mount', users: [old.id], size: 800 }),
    makeVolume({ name: 'remote', driver: 'nfs', size: 0 }),
  ];
  engine.networks.push(
    makeNetwork({ id: 'n-free', name: 'free' }),
    makeNetwork({ id: 'n-live', name: 'live', attached: [{ id: web.id, ipv4: '10.0.0.2' }] }),
    makeNetwork({ id: 'n-stale', name: 'stale', attached: [{ id: old.id, ipv4: '' }] }),
  );
  return engine;
}

const names = (items: Array<{ name: string }>) => items.map((item) => item.name).sort();
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id).sort();

describe('previewPrune', () => {
  it('containers: every one not running, paused or restarting, with its writable layer size', async () => {
    const preview = await previewPrune(world(), 'containers');
    expect(names(preview.items)).toEqual(['fresh', 'old']);
    expect(preview.total).toBe(42);
  });

  it('images: dangling unused ones by default, every unused one with all', async () => {
    const engine = world();
    const dangling = await previewPrune(engine, 'images');
    expect(dangling.items.map((i) => i.id)).toEqual(['sha256:dangling']);
    expect(dangling.total).toBe(2_000);
    const all = await previewPrune(engine, 'images', { all: true });
    // app:1 is used by a stopped container: the engine keeps it too
    expect(all.items.map((i) => i.id).sort()).toEqual(['sha256:dangling', 'sha256:unused']);
    expect(all.items.find((i) => i.id === 'sha256:unused')).toMatchObject({ name: 'tool:latest', size: 2_000 });
  });

  it('volumes on API 1.41: every unused local volume, named ones too, and says so', async () => {
    const preview = await previewPrune(world('1.41'), 'volumes');
    expect(names(preview.items)).toEqual(['a'.repeat(64), 'labelled-anon', 'named-free'].sort());
    expect(preview.notes.join(' ')).toMatch(/NAMED/);
    expect(preview.all).toBe(true);
  });

  it('volumes on API 1.42+: only labelled anonymous ones unless all', async () => {
    const engine = world('1.44');
    const preview = await previewPrune(engine, 'volumes');
    expect(names(preview.items)).toEqual(['labelled-anon']);
    expect(preview.notes.join(' ')).not.toMatch(/NAMED/);
    const all = await previewPrune(engine, 'volumes', { all: true });
    expect(names(all.items)).toEqual(['a'.repeat(64), 'labelled-anon', 'named-free'].sort());
  });

  it('networks: no endpoint and not predefined (a stopped container has no endpoint)', async () => {
    const preview = await previewPrune(world(), 'networks');
    expect(names(preview.items)).toEqual(['free', 'stale']);
  });
});

describe('executePrune', () => {
  it('deletes exactly the previewed items', async () => {
    const engine = world();
    const preview = await previewPrune(engine, 'volumes');
    const restricted = { ...preview, items: preview.items.filter((i) => i.name === 'named-free') };
    const result = await executePrune(engine, restricted);
    expect(names(result.deleted)).toEqual(['named-free']);
    expect(result.reclaimed).toBe(300);
    expect(engine.volumes.map((v) => v.name)).toContain('labelled-anon');
    expect(engine.volumes.map((v) => v.name)).not.toContain('named-free');
  });

  it('skips what came into use after the preview, with the reason', async () => {
    const engine = world();
    const images = await previewPrune(engine, 'images', { all: true });
    const containers = await previewPrune(engine, 'containers');
    engine.addContainer(makeContainer({ name: 'late', image: 'tool:1', state: 'running' }));
    engine.updateContainer('old', { state: 'running' });
    const imageResult = await executePrune(engine, images);
    expect(imageResult.deleted.map((i) => i.id)).toEqual(['sha256:dangling']);
    expect(imageResult.skipped).toEqual([{ item: expect.objectContaining({ id: 'sha256:unused' }), reason: 'now used by late' }]);
    const containerResult = await executePrune(engine, containers);
    expect(names(containerResult.deleted)).toEqual(['fresh']);
    expect(containerResult.skipped[0]?.reason).toBe('is running now');
    expect(engine.find('old')).toBeDefined();
  });

  it('untags every tag of an unused image, and skips a dangling one tagged since', async () => {
    const engine = world();
    const all = await previewPrune(engine, 'images', { all: true });
    const dangling = await previewPrune(engine, 'images');
    const result = await executePrune(engine, all);
    expect(result.deleted.map((i) => i.id).sort()).toEqual(['sha256:dangling', 'sha256:unused']);
    expect(engine.images.map((i) => i.id).sort()).toEqual(['sha256:inuse', 'sha256:stopped']);
    engine.images.push(makeImage({ id: 'sha256:dangling', tags: ['now:tagged'] }));
    const again = await executePrune(engine, dangling);
    expect(again.skipped[0]?.reason).toMatch(/tagged since the preview/);
  });

  it('reports a vanished item as skipped, not as an error', async () => {
    const engine = world();
    const preview = await previewPrune(engine, 'networks');
    await engine.removeNetwork('n-free');
    const result = await executePrune(engine, preview);
    expect(names(result.deleted)).toEqual(['stale']);
    expect(result.skipped).toEqual([{ item: expect.objectContaining({ name: 'free' }), reason: 'already gone' }]);
  });
});

describe('previewPrunePlan', () => {
  it('for one category is the category\'s preview', async () => {
    const engine = world();
    expect(await previewPrunePlan(engine, ['images'], { all: true })).toEqual([await previewPrune(engine, 'images', { all: true })]);
  });

  it('as a system prune: in the engine\'s order, images and volumes of the pruned containers count as unused', async () => {
    const engine = world();
    const plan = await previewPrunePlan(engine, [...PRUNE_ORDER].reverse(), { all: true });
    expect(plan.map((p) => p.category)).toEqual(['containers', 'networks', 'volumes', 'images', 'buildCache']);
    const of = (category: string) => plan.find((p) => p.category === category)?.items ?? [];
    // app:1 is used only by `old`, which the plan removes first; app:2 is used by running ones too.
    expect(ids(of('images'))).toEqual(['sha256:dangling', 'sha256:stopped', 'sha256:unused']);
    expect(names(of('volumes'))).toEqual(['a'.repeat(64), 'labelled-anon', 'named-free', 'stopped-mount'].sort());
    expect(names((await previewPrune(engine, 'volumes')).items)).not.toContain('stopped-mount');
  });
});

describe('untagged parents (the classic builder\'s intermediate images)', () => {
  /** base (tagged) <- step <- old (dangling); base <- shared <- {a, b} (dangling); base <- kept <- app:3 */
  function builds(): FakeEngine {
    const engine = world();
    engine.images.push(
      makeImage({ id: 'sha256:base', tags: ['base:1'], size: 1_000 }),
      makeImage({ id: 'sha256:step', parentId: 'sha256:base', size: 1_200 }),
      makeImage({ id: 'sha256:old', parentId: 'sha256:step', size: 1_500 }),
      makeImage({ id: 'sha256:shared', parentId: 'sha256:base', size: 1_100 }),
      makeImage({ id: 'sha256:a', parentId: 'sha256:shared', size: 1_110 }),
      makeImage({ id: 'sha256:b', parentId: 'sha256:shared', size: 1_120 }),
      makeImage({ id: 'sha256:kept', parentId: 'sha256:base', size: 1_050 }),
      makeImage({ id: 'sha256:app3', tags: ['app:3'], parentId: 'sha256:kept', size: 1_060 }),
    );
    return engine;
  }

  it('are listed after their children, with what each adds to its parent as its size', async () => {
    const preview = await previewPrune(builds(), 'images');
    const item = (id: string) => preview.items.find((i) => i.id === id);
    expect(preview.items.map((i) => i.id)).toEqual(['sha256:dangling', 'sha256:old', 'sha256:a', 'sha256:b', 'sha256:step', 'sha256:shared']);
    expect(item('sha256:old')).toEqual({ id: 'sha256:old', name: '<none> old', size: 300 });
    expect(item('sha256:step')).toEqual({ id: 'sha256:step', name: '<parent of old> step', size: 200 });
    expect(item('sha256:shared')?.name).toBe('<parent of a> shared');
    expect(preview.notes.join(' ')).toMatch(/2 untagged parent image\(s\)/);
  });

  it('go only as listed: a parent left out of what is executed stays', async () => {
    const engine = builds();
    const preview = await previewPrune(engine, 'images');
    const withoutStep = { ...preview, items: preview.items.filter((i) => i.id !== 'sha256:step') };
    const result = await executePrune(engine, withoutStep);
    expect(result.skipped).toEqual([]);
    expect(ids(result.deleted)).toEqual(ids(withoutStep.items));
    expect(engine.images.map((i) => i.id)).toContain('sha256:step');
    expect(engine.images.map((i) => i.id)).toContain('sha256:kept');
  });

  it('count as deleted when Podman took them along with their child (it ignores noprune)', async () => {
    const engine = builds();
    const removeImage = engine.removeImage.bind(engine);
    // Podman's DELETE /images/{id}: the untagged parents nothing else is built on go too.
    engine.removeImage = async (idOrTag, options) => {
      const parentId = engine.images.find((i) => i.id === idOrTag)?.parentId;
      const removed = await removeImage(idOrTag, options);
      const parent = engine.images.find((i) => i.id === parentId && i.tags.length === 0);
      if (parent && !engine.images.some((i) => i.parentId === parent.id)) engine.images = engine.images.filter((i) => i !== parent);
      return removed;
    };
    const preview = await previewPrune(engine, 'images');
    const result = await executePrune(engine, preview);
    expect(result.skipped).toEqual([]);
    expect(ids(result.deleted)).toEqual(ids(preview.items));
  });

  it('are skipped with the engine\'s words when something was built on them since', async () => {
    const engine = builds();
    const preview = await previewPrune(engine, 'images');
    engine.images.push(makeImage({ id: 'sha256:new', tags: ['new:1'], parentId: 'sha256:step' }));
    const result = await executePrune(engine, preview);
    expect(result.skipped).toEqual([{ item: expect.objectContaining({ id: 'sha256:step' }), reason: expect.stringMatching(/dependent child images/) }]);
  });
});

describe('executePrunePlan', () => {
  it('deletes nothing and returns the fresh plan when the engine changed since the preview', async () => {
    const engine = world();
    const shown = await previewPrunePlan(engine, PRUNE_ORDER, { all: false });
    engine.images.push(makeImage({ id: 'sha256:late', tags: [] }));
    const before = engine.images.length;
    const outcome = await executePrunePlan(engine, shown);
    expect(outcome.status).toBe('changed');
    if (outcome.status !== 'changed') return;
    expect(outcome.fresh.find((p) => p.category === 'images')?.items.map((i) => i.id)).toContain('sha256:late');
    expect(engine.images).toHaveLength(before);
    expect(engine.actions).toEqual([]);
  });

  it('executes an unchanged plan category by category and sums what it reclaimed', async () => {
    const engine = world();
    const shown = await previewPrunePlan(engine, PRUNE_ORDER, { all: true });
    const outcome = await executePrunePlan(engine, shown);
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.results.map((r) => r.category)).toEqual([...PRUNE_ORDER]);
    for (const { result } of outcome.results) expect(result.skipped).toEqual([]);
    expect(outcome.reclaimed).toBe(shown.reduce((sum, p) => sum + p.total, 0));
    // the image and volume of the pruned container went after it
    expect(engine.images.map((i) => i.id)).toEqual(['sha256:inuse']);
    expect(engine.volumes.map((v) => v.name).sort()).toEqual(['mounted', 'remote']);
  });

  it('keeps the preview\'s rule: volumes previewed without "all" on API 1.44 stay anonymous-only', async () => {
    const engine = world('1.44');
    const shown = await previewPrunePlan(engine, ['volumes'], { all: false });
    const outcome = await executePrunePlan(engine, shown);
    expect(outcome.status === 'done' && outcome.results[0]?.result.deleted.map((i) => i.name)).toEqual(['labelled-anon']);
  });
});

describe('build cache', () => {
  it('removes exactly the listed records, a record only after those built on it', async () => {
    const engine = world();
    engine.buildCache = [
      { id: 'root', name: 'from local', size: 10, parent: '' },
      { id: 'mid', name: 'COPY f', size: 20, parent: 'root' },
      { id: 'leaf', name: 'RUN echo', size: 30, parent: 'mid' },
      { id: 'other', name: 'source', size: 5, parent: '' },
      { id: 'child-of-other', name: 'RUN kept', size: 1, parent: 'other' },
    ];
    const preview = await previewPrune(engine, 'buildCache');
    const listed = { ...preview, items: preview.items.filter((i) => i.id !== 'child-of-other') };
    const result = await executePrune(engine, listed);
    expect(result.deleted.map((i) => i.id).sort()).toEqual(['leaf', 'mid', 'root']);
    expect(result.reclaimed).toBe(60);
    expect(result.skipped).toEqual([{ item: expect.objectContaining({ id: 'other' }), reason: 'in use, or another build cache record builds on it' }]);
    expect(engine.buildCache.map((r) => r.id).sort()).toEqual(['child-of-other', 'other']);
  });
});

describe('resource rows', () => {
  it('marks 64-hex names and the anonymous label as anonymous, and finds users by mount', () => {
    const rows = toVolumeRows(
      [{ Name: 'b'.repeat(64) }, { Name: 'data', Labels: { 'com.docker.volume.anonymous': '' } }, { Name: 'named' }],
      [{ Id: 'c1', Names: ['/web'], Mounts: [{ Type: 'volume', Name: 'named' }, { Type: 'bind', Name: 'data' }] }],
      { named: 12 },
    );
    expect(rows.map((r) => [r.anonymous, r.size, r.usedBy.map((u) => u.name)])).toEqual([
      [true, -1, []], [true, -1, []], [false, 12, ['web']],
    ]);
  });

  it('attaches to a network only containers that have an endpoint on it', () => {
    const [row] = toNetworkRows(
      [{ Id: 'n1', Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } }],
      [
        { Id: 'c1', Names: ['/up'], NetworkSettings: { Networks: { bridge: { NetworkID: 'n1', EndpointID: 'e1', IPAddress: '172.17.0.2' } } } },
        { Id: 'c2', Names: ['/down'], NetworkSettings: { Networks: { bridge: { NetworkID: 'n1', EndpointID: '', IPAddress: '' } } } },
      ],
    );
    expect(row).toMatchObject({
      predefined: true,
      subnets: [{ subnet: '172.17.0.0/16', gateway: '172.17.0.1' }],
      containers: [{ id: 'c1', name: 'up', ipv4: '172.17.0.2' }],
    });
  });
});
