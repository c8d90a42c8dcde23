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

function imageFigures(layersSize: number | undefined, images: LegacyImage[]): UsageFigures {
  let active = 0;
  let reclaimable = 0;
  for (const image of images) {
    if ((image.Containers ?? 0) > 0) active += 1;
    else reclaimable += Math.max(0, bytes(image.Size) - bytes(image.SharedSize));
  }
  const size = layersSize !== undefined ? bytes(layersSize) : images.reduce((sum, i) => sum + bytes(i.Size), 0);
  return { count: images.length, active, size, reclaimable };
}

function containerFigures(containers: LegacyContainer[]): UsageFigures {
  let active = 0;
  let size = 0;
  let reclaimable = 0;
  for (const container of containers) {
    const rw = bytes(container.SizeRw);
    size += rw;
    if (RUNNING_STATES.has(container.State ?? '')) active += 1;
    else reclaimable += rw;
  }
  return { count: containers.length, active, size, reclaimable };
}

function volumeFigures(volumes: LegacyVolume[]): UsageFigures {
  let active = 0;
  let size = 0;
  let reclaimable = 0;
  for (const volume of volumes) {
    const used = bytes(volume.UsageData?.Size);
    size += used;
    if ((volume.UsageData?.RefCount ?? 0) > 0) active += 1;
    else reclaimable += used;
  }
  return { count: volumes.length, active, size, reclaimable };
}

function buildCacheFigures(records: BuildCacheRecord[]): UsageFigures {
  let active = 0;
  let size = 0;
  let reclaimable = 0;
  for (const record of records) {
    if (record.InUse) active += 1;
    // Shared records belong to other records too: counted once there, as `docker system df` does.
    if (!record.Shared) size += bytes(record.Size);
    if (!record.InUse && !record.Shared) reclaimable += bytes(record.Size);
  }
  return { count: records.length, active, size, reclaimable };
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
