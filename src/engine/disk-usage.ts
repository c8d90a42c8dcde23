// GET /system/df, read from either of its shapes. Up to API 1.51 the engine sends the items
// (LayersSize, Images, Containers, Volumes, BuildCache) and the client computes the summary, as
// `docker system df` does; from 1.52 it sends the summary itself (ImagesDiskUsage, …) and the
// items only when asked (verbose).
import type { DiskUsage, PruneItem, UsageFigures } from './resource-types.js';

interface LegacyImage { Id?: string; Containers?: number; Size?: number; SharedSize?: number; RepoTags?: string[] | null }
interface LegacyContainer { Id?: string; Names?: string[]; State?: string; SizeRw?: number }
interface LegacyVolume { Name?: string; UsageData?: { RefCount?: number; Size?: number } | null }
interface BuildCacheRecord { ID?: string; Description?: string; Size?: number; InUse?: boolean; Shared?: boolean }
interface Summary<T> { ActiveCount?: number; TotalCount?: number; TotalSize?: number; Reclaimable?: number; Items?: T[] | null }

export interface DfDocument {
  LayersSize?: number;
  Images?: LegacyImage[] | null;
  Containers?: LegacyContainer[] | null;
  Volumes?: LegacyVolume[] | null;
  BuildCache?: BuildCacheRecord[] | null;
  ImagesDiskUsage?: Summary<LegacyImage> | null;
  ContainersDiskUsage?: Summary<LegacyContainer> | null;
  VolumesDiskUsage?: Summary<LegacyVolume> | null;
  BuildCacheDiskUsage?: Summary<BuildCacheRecord> | null;
}

/** Sizes the engine could not compute come as -1; they add nothing. */
function bytes(value: number | undefined): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

/** Paused and restarting containers still hold their layer, as the engine sees it. */
const RUNNING_STATES: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);

function fromSummary(summary: Summary<unknown>): UsageFigures {
  return {
    count: summary.TotalCount ?? 0,
    active: summary.ActiveCount ?? 0,
    size: bytes(summary.TotalSize),
    reclaimable: bytes(summary.Reclaimable),
  };
}

/** How one item counts: its size, whether something uses it, and what removing it would free. */
interface ItemUsage {
  size: number;
  active: boolean;
  reclaimable: number;
}

function sumUsage<T>(items: readonly T[], usage: (item: T) => ItemUsage): UsageFigures {
  const figures: UsageFigures = { count: items.length, active: 0, size: 0, reclaimable: 0 };
  for (const item of items) {
    const { size, active, reclaimable } = usage(item);
    figures.size += size;
    figures.reclaimable += reclaimable;
    if (active) figures.active += 1;
  }
  return figures;
}

/** Podman lists an image once per tag; Docker once, with all its tags. */
function distinctImages(images: readonly LegacyImage[]): LegacyImage[] {
  const seen = new Set<string>();
  return images.filter((image) => !image.Id || (!seen.has(image.Id) && Boolean(seen.add(image.Id))));
}

function imageFigures(layersSize: number | undefined, images: LegacyImage[]): UsageFigures {
  const figures = sumUsage(distinctImages(images), (image) => {
    const active = (image.Containers ?? 0) > 0;
    return { size: bytes(image.Size), active, reclaimable: active ? 0 : Math.max(0, bytes(image.Size) - bytes(image.SharedSize)) };
  });
  // Images share layers: the engine's own total of the layers is the size on disk, when it gives
  // one. Podman sends LayersSize 0 whatever it stores: then the images' sizes are all there is.
  const layersMeasured = layersSize !== undefined && (layersSize > 0 || figures.size === 0);
  return layersMeasured ? { ...figures, size: bytes(layersSize) } : figures;
}

function containerFigures(containers: LegacyContainer[]): UsageFigures {
  return sumUsage(containers, (container) => {
    const rw = bytes(container.SizeRw);
    const active = RUNNING_STATES.has(container.State ?? '');
    return { size: rw, active, reclaimable: active ? 0 : rw };
  });
}

function volumeFigures(volumes: LegacyVolume[]): UsageFigures {
  return sumUsage(volumes, (volume) => {
    const used = bytes(volume.UsageData?.Size);
    const active = (volume.UsageData?.RefCount ?? 0) > 0;
    return { size: used, active, reclaimable: active ? 0 : used };
  });
}

function buildCacheFigures(records: BuildCacheRecord[]): UsageFigures {
  // Shared records belong to other records too: counted once there, as `docker system df` does.
  return sumUsage(records, (record) => {
    const size = record.Shared ? 0 : bytes(record.Size);
    return { size, active: Boolean(record.InUse), reclaimable: record.InUse ? 0 : size };
  });
}

/** The summary of a /system/df document, legacy (items) or newer (summaries) alike. */
export function parseDiskUsage(doc: DfDocument): DiskUsage {
  const images = doc.ImagesDiskUsage?.Items ?? doc.Images ?? [];
  const containers = doc.ContainersDiskUsage?.Items ?? doc.Containers ?? [];
  const volumes = doc.VolumesDiskUsage?.Items ?? doc.Volumes ?? [];
  const buildCache = doc.BuildCacheDiskUsage?.Items ?? doc.BuildCache ?? [];
  const containerSizes: Record<string, number> = {};
  for (const c of containers) if (c.Id) containerSizes[c.Id] = c.SizeRw ?? 0; // omitted when 0
  const volumeSizes: Record<string, number> = {};
  for (const v of volumes) if (v.Name) volumeSizes[v.Name] = v.UsageData?.Size ?? -1;
  return {
    images: doc.ImagesDiskUsage ? fromSummary(doc.ImagesDiskUsage) : imageFigures(doc.LayersSize, images),
    containers: doc.ContainersDiskUsage ? fromSummary(doc.ContainersDiskUsage) : containerFigures(containers),
    volumes: doc.VolumesDiskUsage ? fromSummary(doc.VolumesDiskUsage) : volumeFigures(volumes),
    buildCache: doc.BuildCacheDiskUsage ? fromSummary(doc.BuildCacheDiskUsage) : buildCacheFigures(buildCache),
    containerSizes,
    volumeSizes,
    buildCacheItems: buildCache
      .filter((r) => !r.InUse && !r.Shared)
      .map((r): PruneItem => ({ id: r.ID ?? '', name: r.Description ?? r.ID ?? '', size: bytes(r.Size) })),
  };
}
