import { describe, expect, it } from 'vitest';
import { executePrune, previewPrune } from '../../src/engine/prune.js';
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
