// Images, volumes, networks, disk usage and prune previews, as the engine room hands them out.

/** A container that uses a resource, as the container list names it. */
export interface ResourceUser {
  id: string;
  name: string;
}

export interface ImageRow {
  /** sha256:… */
  id: string;
  /** Every repo:tag pointing at the image; empty for a dangling image. */
  tags: string[];
  /** No tag at all (`<none>:<none>`): what `docker image prune` removes by default. */
  dangling: boolean;
  /** Bytes, layers included */
  size: number;
  /** Bytes shared with other images; -1 when the engine did not compute it (API < 1.42 lists). */
  sharedSize: number;
  /** Seconds since epoch */
  created: number;
  /** Containers (any state) created from this image, by the container list's ImageID. */
  containers: ResourceUser[];
}

export interface VolumeRow {
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
  /** As the engine reports it (RFC 3339), '' when unknown */
  created: string;
  /**
   * Created without a name: carries com.docker.volume.anonymous (engines 23+), or is named by a
   * 64-hex-digit id (engine 20.10 sets no label).
   */
  anonymous: boolean;
  /** Bytes from /system/df UsageData.Size; -1 when unknown */
  size: number;
  /** Containers (any state) that mount it. */
  usedBy: ResourceUser[];
}

export interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  attachable: boolean;
  subnets: Array<{ subnet: string; gateway: string }>;
  /** Containers with an endpoint on the network (running or paused ones; a stopped one has none). */
  containers: Array<{ id: string; name: string; ipv4: string }>;
  /** bridge, host, none: the engine refuses to remove them. */
  predefined: boolean;
}

export interface UsageFigures {
  count: number;
  active: number;
  /** Bytes */
  size: number;
  /** Bytes */
  reclaimable: number;
}

export interface DiskUsage {
  images: UsageFigures;
  containers: UsageFigures;
  volumes: UsageFigures;
  buildCache: UsageFigures;
  /** Writable-layer size (SizeRw) per container id, when the document listed containers. */
  containerSizes: Record<string, number>;
  /** UsageData.Size per volume name (-1 unknown), when the document listed volumes. */
  volumeSizes: Record<string, number>;
  /** Build cache records a prune would remove (not in use, not shared), when the document listed them. */
  buildCacheItems: PruneItem[];
}

export type PruneCategory = 'containers' | 'images' | 'volumes' | 'networks' | 'buildCache';

export interface PruneItem {
  /** What removal addresses: container id, image id, volume name, network id */
  id: string;
  /** What a person recognises: container name, first tag (or short id), volume name, network name */
  name: string;
  /** Bytes freed by removing it; 0 when nothing or unknown */
  size: number;
}

export interface PrunePreview {
  category: PruneCategory;
  items: PruneItem[];
  /** Sum of the items' sizes */
  total: number;
  /** The engine's semantics in words (volume rules by API version, what is left out and why). */
  notes: string[];
  /** The options the preview was built with (images: every unused image, volumes: named ones too). */
  all: boolean;
}

export interface PruneOptions {
  /** images: every image no container uses, not only dangling ones; volumes (API ≥ 1.42): named ones too */
  all?: boolean;
}

export interface PruneResult {
  deleted: PruneItem[];
  skipped: Array<{ item: PruneItem; reason: string }>;
  /** Bytes: the sizes of the deleted items, as previewed */
  reclaimed: number;
}

export interface RemoveImageOptions {
  /** Remove even with several repositories or a stopped container using it */
  force?: boolean;
  /** Keep untagged parent images */
  noprune?: boolean;
}

/** One line of the engine's answer to an image removal. */
export interface ImageRemoval {
  untagged?: string;
  deleted?: string;
}

/** One step of an image's history, as `docker history` lists them (newest first). */
export interface ImageLayer {
  /** The image this step produced, or '<missing>' for steps built elsewhere (pulled base layers). */
  id: string;
  /** Seconds since epoch */
  created: number;
  /** The build instruction, as the engine recorded it (`/bin/sh -c #(nop)  CMD ["sh"]`) */
  createdBy: string;
  /** Bytes this step added */
  size: number;
  tags: string[];
  comment: string;
}

/** `docker image inspect` and `docker history` of one image. */
export interface ImageDetails {
  id: string;
  tags: string[];
  digests: string[];
  /** RFC 3339 */
  created: string;
  architecture: string;
  variant: string;
  os: string;
  author: string;
  /** Bytes */
  size: number;
  entrypoint: string[];
  cmd: string[];
  env: string[];
  /** "80/tcp" */
  exposedPorts: string[];
  labels: Record<string, string>;
  workingDir: string;
  user: string;
  /** Container paths declared with VOLUME */
  volumes: string[];
  /** Newest first */
  history: ImageLayer[];
}
