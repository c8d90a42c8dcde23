import { describe, expect, it } from 'vitest';
import { parseDiskUsage, type DfDocument } from '../../src/engine/disk-usage.js';

// Shaped as Engine 20.10 (API 1.41) answers GET /system/df: items only, the client sums.
const LEGACY: DfDocument = {
  LayersSize: 10_000,
  Images: [
    { Id: 'sha256:a', Containers: 2, Size: 4_000, SharedSize: 1_000, RepoTags: ['app:1'] },
    { Id: 'sha256:b', Containers: 0, Size: 3_000, SharedSize: 1_000, RepoTags: ['app:0'] },
    { Id: 'sha256:c', Containers: 0, Size: 2_500, SharedSize: -1, RepoTags: null },
  ],
  Containers: [
    { Id: 'c1', Names: ['/web'], State: 'running', SizeRw: 100 },
    { Id: 'c2', Names: ['/old'], State: 'exited', SizeRw: 40 },
    { Id: 'c3', Names: ['/held'], State: 'paused', SizeRw: 7 },
    { Id: 'c4', Names: ['/new'], State: 'created', SizeRw: 0 },
  ],
  Volumes: [
    { Name: 'data', UsageData: { RefCount: 1, Size: 500 } },
    { Name: 'orphan', UsageData: { RefCount: 0, Size: 300 } },
    { Name: 'unknown', UsageData: { RefCount: 0, Size: -1 } },
  ],
  BuildCache: [
    { ID: 'r1', Description: 'RUN make', Size: 50, InUse: false, Shared: false },
    { ID: 'r2', Description: 'FROM base', Size: 60, InUse: false, Shared: true },
    { ID: 'r3', Description: 'RUN build', Size: 70, InUse: true, Shared: false },
  ],
};

// Shaped as API 1.52+ answers without verbose: the engine's own summaries, no items.
const NEWER: DfDocument = {
  ImagesDiskUsage: { ActiveCount: 1, TotalCount: 3, TotalSize: 10_000, Reclaimable: 4_500 },
  ContainersDiskUsage: { ActiveCount: 2, TotalCount: 4, TotalSize: 147, Reclaimable: 40 },
  VolumesDiskUsage: { ActiveCount: 1, TotalCount: 3, TotalSize: 800, Reclaimable: 300 },
  BuildCacheDiskUsage: { ActiveCount: 1, TotalCount: 3, TotalSize: 120, Reclaimable: 50 },
};

describe('parseDiskUsage', () => {
  it('computes the summary from a legacy (20.10) document as `docker system df` does', () => {
    const usage = parseDiskUsage(LEGACY);
    // unused images free Size − SharedSize; an unknown shared size (-1) counts as nothing shared
    expect(usage.images).toEqual({ count: 3, active: 1, size: 10_000, reclaimable: 2_000 + 2_500 });
    // the writable layers of containers that are not running (paused still holds its layer)
    expect(usage.containers).toEqual({ count: 4, active: 2, size: 147, reclaimable: 40 });
    // volumes no container references; an unknown size (-1) adds nothing
    expect(usage.volumes).toEqual({ count: 3, active: 1, size: 800, reclaimable: 300 });
    // build cache neither in use nor shared; shared records are not counted twice in the size
    expect(usage.buildCache).toEqual({ count: 3, active: 1, size: 120, reclaimable: 50 });
    expect(usage.containerSizes).toEqual({ c1: 100, c2: 40, c3: 7, c4: 0 });
    expect(usage.volumeSizes).toEqual({ data: 500, orphan: 300, unknown: -1 });
    expect(usage.buildCacheItems).toEqual([{ id: 'r1', name: 'RUN make', size: 50 }]);
  });

  it('takes the summaries of a newer document as the engine computed them', () => {
    const usage = parseDiskUsage(NEWER);
    expect(usage.images).toEqual({ count: 3, active: 1, size: 10_000, reclaimable: 4_500 });
    expect(usage.containers).toEqual({ count: 4, active: 2, size: 147, reclaimable: 40 });
    expect(usage.volumes).toEqual({ count: 3, active: 1, size: 800, reclaimable: 300 });
    expect(usage.buildCache).toEqual({ count: 3, active: 1, size: 120, reclaimable: 50 });
    expect(usage.containerSizes).toEqual({});
  });

  it('reads the items of a verbose newer document for per-item sizes', () => {
    const usage = parseDiskUsage({
      ...NEWER,
      ContainersDiskUsage: { ...NEWER.ContainersDiskUsage, Items: LEGACY.Containers ?? [] },
      VolumesDiskUsage: { ...NEWER.VolumesDiskUsage, Items: LEGACY.Volumes ?? [] },
    });
    expect(usage.containers.reclaimable).toBe(40);
    expect(usage.containerSizes['c2']).toBe(40);
    expect(usage.volumeSizes['orphan']).toBe(300);
  });

  it('copes with an engine that has nothing (null lists)', () => {
    const usage = parseDiskUsage({ LayersSize: 0, Images: null, Containers: null, Volumes: null, BuildCache: null });
    expect(usage.images).toEqual({ count: 0, active: 0, size: 0, reclaimable: 0 });
    expect(usage.buildCacheItems).toEqual([]);
  });

  it("reads Podman's document: one entry per tag, no layers total, no build cache", () => {
    // GET /v1.41/system/df from Podman 4.3.1, trimmed: the busybox image once per tag, LayersSize 0.
    const podman: DfDocument = {
      LayersSize: 0,
      Images: [
        { Id: 'a331', Containers: 1, RepoTags: ['latest'], Size: 2_126_251, SharedSize: 2_126_251 },
        { Id: 'a331', Containers: 1, RepoTags: ['latest'], Size: 2_126_251, SharedSize: 2_126_251 },
        { Id: '4d6e', Containers: 0, RepoTags: ['<none>'], Size: 2_133_290, SharedSize: 2_133_133 },
      ],
      Containers: [{ Id: 'c1', Names: ['dh-up'], State: 'running', SizeRw: 12 }],
      Volumes: [{ Name: 'dh-kept', UsageData: { RefCount: 1, Size: 0 } }],
      BuildCache: [],
    };
    const usage = parseDiskUsage(podman);
    expect(usage.images).toEqual({ count: 2, active: 1, size: 2_126_251 + 2_133_290, reclaimable: 157 });
    expect(usage.buildCache).toEqual({ count: 0, active: 0, size: 0, reclaimable: 0 });
    expect(usage.buildCacheItems).toEqual([]);
  });
});
