// Prune with an exact preview. The preview applies the rules the engine's own prune applies;
// executing deletes the previewed items one by one (never the engine's prune endpoints), so
// nothing outside the preview can go, and each item is checked again just before it goes.
import { apiAtLeast } from './docker-engine.js';
import type { Engine } from './engine.js';
import { toEngineError } from './errors.js';
import { ANONYMOUS_VOLUME_LABEL } from './resource-rows.js';
import type {
  ImageRow, PruneCategory, PruneItem, PruneOptions, PrunePreview, PruneResult,
} from './resource-types.js';
import type { ContainerState } from './types.js';

/** The engine's container prune keeps what is running, paused or restarting (and what is being removed). */
const KEPT_CONTAINER_STATES: ReadonlySet<ContainerState> = new Set(['running', 'paused', 'restarting', 'removing']);

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function preview(category: PruneCategory, items: PruneItem[], notes: string[], all: boolean): PrunePreview {
  return { category, items, total: items.reduce((sum, item) => sum + item.size, 0), notes, all };
}

/** What an image frees: its own layers, not those it shares with others (when the engine says). */
function imageFrees(image: ImageRow): number {
  return Math.max(0, image.size - Math.max(0, image.sharedSize));
}

function imageIsPrunable(image: ImageRow, all: boolean): boolean {
  return image.containers.length === 0 && (all || image.dangling);
}

/** Before API 1.42 the engine's volume prune removes every unused local volume, named ones too. */
function volumesPruneNamed(engine: Engine, all: boolean): boolean {
  return all || !apiAtLeast(engine.info.apiVersion, '1.42');
}

/** Lists exactly what a prune of `category` would delete, with the size each frees. */
export async function previewPrune(
  engine: Engine,
  category: PruneCategory,
  options: PruneOptions = {},
  signal?: AbortSignal,
): Promise<PrunePreview> {
  const all = options.all ?? false;
  switch (category) {
    case 'containers': {
      const [rows, usage] = await Promise.all([engine.listContainers(signal), engine.diskUsage(signal)]);
      const items = rows
        .filter((row) => !KEPT_CONTAINER_STATES.has(row.state))
        .map((row) => ({ id: row.id, name: row.name, size: Math.max(0, usage.containerSizes[row.id] ?? 0) }));
      return preview(category, items, ['Stopped, created and dead containers; running, paused and restarting ones stay.'], false);
    }
    case 'images': {
      const images = await engine.listImages(signal);
      const items = images
        .filter((image) => imageIsPrunable(image, all))
        .map((image) => ({ id: image.id, name: image.tags[0] ?? `<none> ${shortId(image.id)}`, size: imageFrees(image) }));
      const notes = [all
        ? 'Every image no container uses (running or stopped), tagged or not.'
        : 'Dangling images only (no tag) that no container uses.'];
      if (images.some((image) => image.sharedSize < 0)) {
        notes.push('The engine did not report shared sizes: an image\'s size may include layers other images keep.');
      }
      notes.push('Untagged parent images that only these build on (hidden build steps) go with them, as with the engine\'s prune.');
      return preview(category, items, notes, all);
    }
    case 'volumes': {
      const volumes = await engine.listVolumes(signal);
      const named = volumesPruneNamed(engine, all);
      const items = volumes
        .filter((v) => v.driver === 'local' && v.usedBy.length === 0)
        // On 1.42+ the engine knows anonymous volumes by their label only, not by their name.
        .filter((v) => named || v.labels[ANONYMOUS_VOLUME_LABEL] !== undefined)
        .map((v) => ({ id: v.name, name: v.name, size: Math.max(0, v.size) }));
      const notes: string[] = [];
      if (!apiAtLeast(engine.info.apiVersion, '1.42')) {
        notes.push(`API ${engine.info.apiVersion} (below 1.42): the engine's volume prune also deletes unused NAMED volumes; they are listed here.`);
      } else {
        notes.push(all
          ? 'Every unused local volume, named ones too ("all").'
          : 'Only unused anonymous volumes; named volumes stay unless "all" is chosen.');
      }
      notes.push('Volumes of other drivers are never pruned; a volume any container mounts (even stopped) stays.');
      return preview(category, items, notes, named);
    }
    case 'networks': {
      const networks = await engine.listNetworks(signal);
      const items = networks
        .filter((n) => !n.predefined && n.containers.length === 0 && n.scope !== 'swarm')
        .map((n) => ({ id: n.id, name: n.name, size: 0 }));
      return preview(category, items, [
        'Networks with no container endpoint; bridge, host and none stay. A stopped container\'s network goes (it has no endpoint).',
      ], false);
    }
    case 'buildCache': {
      const usage = await engine.diskUsage(signal);
      return preview(category, usage.buildCacheItems, ['Build cache records not in use and not shared.'], false);
    }
  }
}

/** Why an item of the preview must not go now, or undefined when it may. */
type Recheck = (item: PruneItem) => string | undefined;

/** The tags each image has now, filled by the images' recheck. */
type ImageTags = Map<string, string[]>;

async function recheckFor(engine: Engine, previewed: PrunePreview, tagsNow: ImageTags, signal?: AbortSignal): Promise<Recheck> {
  switch (previewed.category) {
    case 'containers': {
      const rows = new Map((await engine.listContainers(signal)).map((row) => [row.id, row]));
      return (item) => {
        const row = rows.get(item.id);
        if (!row) return 'already gone';
        return KEPT_CONTAINER_STATES.has(row.state) ? `is ${row.state} now` : undefined;
      };
    }
    case 'images': {
      const images = new Map((await engine.listImages(signal)).map((image) => [image.id, image]));
      for (const image of images.values()) tagsNow.set(image.id, image.tags);
      return (item) => {
        const image = images.get(item.id);
        if (!image) return 'already gone';
        if (image.containers.length > 0) return `now used by ${image.containers.map((c) => c.name).join(', ')}`;
        if (!previewed.all && !image.dangling) return `tagged since the preview (${image.tags.join(', ')})`;
        return undefined;
      };
    }
    case 'volumes': {
      const volumes = new Map((await engine.listVolumes(signal)).map((v) => [v.name, v]));
      return (item) => {
        const volume = volumes.get(item.id);
        if (!volume) return 'already gone';
        return volume.usedBy.length > 0 ? `now used by ${volume.usedBy.map((c) => c.name).join(', ')}` : undefined;
      };
    }
    case 'networks': {
      const networks = new Map((await engine.listNetworks(signal)).map((n) => [n.id, n]));
      return (item) => {
        const network = networks.get(item.id);
        if (!network) return 'already gone';
        return network.containers.length > 0 ? `now used by ${network.containers.map((c) => c.name).join(', ')}` : undefined;
      };
    }
    case 'buildCache':
      return () => 'build cache records cannot be removed one by one yet';
  }
}

async function removeItem(engine: Engine, previewed: PrunePreview, item: PruneItem, tagsNow: ImageTags): Promise<void> {
  switch (previewed.category) {
    case 'containers':
      return engine.containerAction(item.id, 'remove', { remove: { force: false, removeVolumes: false } });
    case 'images': {
      // Never forced: the engine refuses an image a container started meanwhile. Tag by tag as the
      // engine's prune does (by id, several repositories would need force). Not noprune: the
      // untagged parents only this image builds on (the classic builder's hidden steps) hold most
      // of its size and go with it, as in the engine's prune; a parent that is tagged or has
      // another child stays.
      const tags = tagsNow.get(item.id) ?? [];
      for (const tag of tags) await engine.removeImage(tag, { force: false });
      if (tags.length === 0) await engine.removeImage(item.id, { force: false });
      return;
    }
    case 'volumes':
      return engine.removeVolume(item.id, { force: false });
    case 'networks':
      return engine.removeNetwork(item.id);
    case 'buildCache':
      throw new Error('not supported');
  }
}

/**
 * Deletes the previewed items one at a time. An item that is in use again (a container started
 * from the image, mounting the volume, attached to the network), already gone, or refused by the
 * engine is skipped with the reason; nothing that is not in the preview is touched.
 */
export async function executePrune(engine: Engine, previewed: PrunePreview, signal?: AbortSignal): Promise<PruneResult> {
  const tagsNow: ImageTags = new Map();
  const recheck = await recheckFor(engine, previewed, tagsNow, signal);
  const result: PruneResult = { deleted: [], skipped: [], reclaimed: 0 };
  for (const item of previewed.items) {
    const reason = recheck(item);
    if (reason) {
      result.skipped.push({ item, reason });
      continue;
    }
    try {
      await removeItem(engine, previewed, item, tagsNow);
      result.deleted.push(item);
      result.reclaimed += item.size;
    } catch (err) {
      result.skipped.push({ item, reason: toEngineError(err).message });
    }
  }
  return result;
}
