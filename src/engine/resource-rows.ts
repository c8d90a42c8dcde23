// Raw list documents (images, volumes, networks, containers) turned into dockhand's rows, and an
// image's inspect and history documents into its details.
import { familiarImageName } from './image-reference.js';
import type { ImageDetails, ImageRow, NetworkRow, ResourceUser, VolumeRow } from './resource-types.js';

export interface RawContainer {
  Id: string;
  Names?: string[];
  ImageID?: string;
  State?: string;
  Mounts?: Array<{ Type?: string; Name?: string }>;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string; EndpointID?: string; IPAddress?: string }> } | null;
}

export interface RawImage {
  Id: string;
  RepoTags?: string[] | null;
  Size?: number;
  SharedSize?: number;
  Created?: number;
}

/** GET /images/{id}/json, the fields dockhand shows. */
export interface RawImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: string;
  Architecture?: string;
  Variant?: string;
  Os?: string;
  Author?: string;
  Size?: number;
  Config?: {
    // A string in documents written by old engines.
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    Env?: string[] | null;
    ExposedPorts?: Record<string, unknown> | null;
    Labels?: Record<string, string> | null;
    WorkingDir?: string;
    User?: string;
    Volumes?: Record<string, unknown> | null;
  } | null;
}

/** One entry of GET /images/{id}/history. */
export interface RawImageLayer {
  Id?: string;
  Created?: number;
  CreatedBy?: string;
  Size?: number;
  Tags?: string[] | null;
  Comment?: string;
}

export interface RawVolume {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  Labels?: Record<string, string> | null;
  CreatedAt?: string;
}

export interface RawNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> | null } | null;
}

export const ANONYMOUS_VOLUME_LABEL = 'com.docker.volume.anonymous';
export const PREDEFINED_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'host', 'none']);

/** Same rule as the container list: the first name without a link alias slash. */
export function rawContainerName(c: RawContainer): string {
  const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  return names.find((n) => !n.includes('/')) ?? names[0] ?? c.Id.slice(0, 12);
}

function user(c: RawContainer): ResourceUser {
  return { id: c.Id, name: rawContainerName(c) };
}

/** A tag list entry of `<none>:<none>` (older engines) is no tag; the others as the CLI prints them. */
function realTags(tags: string[] | null | undefined): string[] {
  return (tags ?? []).filter((t) => t !== '<none>:<none>' && !t.endsWith(':<none>')).map(familiarImageName);
}

export function toImageRows(images: RawImage[], containers: RawContainer[]): ImageRow[] {
  return images.map((image) => {
    const tags = realTags(image.RepoTags);
    return {
      id: image.Id,
      tags,
      dangling: tags.length === 0,
      size: image.Size ?? 0,
      sharedSize: image.SharedSize ?? -1,
      created: image.Created ?? 0,
      containers: containers.filter((c) => c.ImageID === image.Id).map(user),
    };
  });
}

function commandParts(value: string[] | string | null | undefined): string[] {
  if (value === null || value === undefined || value === '') return [];
  return typeof value === 'string' ? [value] : value;
}

/** History keeps the engine's order: newest first, as `docker history` prints it. */
export function toImageDetails(doc: RawImageInspect, history: RawImageLayer[]): ImageDetails {
  const config = doc.Config ?? {};
  return {
    id: doc.Id,
    tags: realTags(doc.RepoTags),
    digests: (doc.RepoDigests ?? []).map(familiarImageName),
    created: doc.Created ?? '',
    architecture: doc.Architecture ?? '',
    variant: doc.Variant ?? '',
    os: doc.Os ?? '',
    author: doc.Author ?? '',
    size: doc.Size ?? 0,
    entrypoint: commandParts(config.Entrypoint),
    cmd: commandParts(config.Cmd),
    env: config.Env ?? [],
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    labels: config.Labels ?? {},
    workingDir: config.WorkingDir ?? '',
    user: config.User ?? '',
    volumes: Object.keys(config.Volumes ?? {}),
    history: history.map((layer) => ({
      id: layer.Id ?? '<missing>',
      created: layer.Created ?? 0,
      createdBy: layer.CreatedBy ?? '',
      size: layer.Size ?? 0,
      tags: realTags(layer.Tags),
      comment: layer.Comment ?? '',
    })),
  };
}

export function isAnonymousVolume(name: string, labels: Record<string, string>): boolean {
  return labels[ANONYMOUS_VOLUME_LABEL] !== undefined || /^[0-9a-f]{64}$/.test(name);
}

export function toVolumeRows(volumes: RawVolume[], containers: RawContainer[], sizes: Record<string, number>): VolumeRow[] {
  return volumes.map((volume) => {
    const labels = volume.Labels ?? {};
    return {
      name: volume.Name,
      driver: volume.Driver ?? '',
      mountpoint: volume.Mountpoint ?? '',
      labels,
      created: volume.CreatedAt ?? '',
      anonymous: isAnonymousVolume(volume.Name, labels),
      size: sizes[volume.Name] ?? -1,
      usedBy: containers
        .filter((c) => (c.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name === volume.Name))
        .map(user),
    };
  });
}

export function toNetworkRows(networks: RawNetwork[], containers: RawContainer[]): NetworkRow[] {
  return networks.map((network) => {
    const attached: NetworkRow['containers'] = [];
    for (const c of containers) {
      for (const endpoint of Object.values(c.NetworkSettings?.Networks ?? {})) {
        // A stopped container keeps its settings but has no endpoint (EndpointID '').
        if (endpoint.NetworkID === network.Id && endpoint.EndpointID) {
          attached.push({ id: c.Id, name: rawContainerName(c), ipv4: endpoint.IPAddress ?? '' });
        }
      }
    }
    return {
      id: network.Id,
      name: network.Name,
      driver: network.Driver ?? '',
      scope: network.Scope ?? '',
      internal: network.Internal ?? false,
      attachable: network.Attachable ?? false,
      subnets: (network.IPAM?.Config ?? []).map((c) => ({ subnet: c.Subnet ?? '', gateway: c.Gateway ?? '' })),
      containers: attached,
      predefined: PREDEFINED_NETWORKS.has(network.Name),
    };
  });
}
