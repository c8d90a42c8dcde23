// Prune with an exact preview. The preview applies the rules the engine's own prune applies;
// executing deletes the previewed items one by one (the engine's prune endpoints only for build
// cache, narrowed to one record by an exact id filter), so nothing outside the preview can go,
// and each item is checked again just before it goes.
import { apiAtLeast } from './docker-engine.js';
import type { Engine, ImageNode } from './engine.js';
import { isNotFound, toEngineError } from './errors.js';
import { ANONYMOUS_VOLUME_LABEL } from './resource-rows.js';
import type {
  ImageRow, PruneCategory, PruneItem, PruneOptions, PrunePreview, PruneResult, ResourceUser,
} from './resource-types.js';
import type { ContainerState } from './types.js';

/** The engine's container prune keeps what is running, paused or restarting (and what is being removed). */
const KEPT_CONTAINER_STATES: ReadonlySet<ContainerState> = new Set(['running', 'paused', 'restarting', 'removing']);

/**
 * The order of the engine's system prune. It matters: the containers it removes first no longer
 * hold their images and volumes when those are pruned.
 */
export const PRUNE_ORDER: readonly PruneCategory[] = ['containers', 'networks', 'volumes', 'images', 'buildCache'];

/** Ids of the containers a plan removes before the category at hand. */
type Going = ReadonlySet<string>;

const NOTHING_GOING: Going = new Set();

/** Why the engine keeps a build cache record a prune of exactly that record leaves (it reports no error). */
const BUILD_CACHE_KEPT = 'in use, or another build cache record builds on it';

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function preview(category: PruneCategory, items: PruneItem[], notes: string[], all: boolean): PrunePreview {
  return { category, items, total: items.reduce((sum, item) => sum + item.size, 0), notes, all };
}

function remainingUsers(users: readonly ResourceUser[], going: Going): ResourceUser[] {
  return users.filter((user) => !going.has(user.id));
}

/** What an image frees on its own: its layers, less those it shares with others (when the engine says). */
function imageFrees(image: ImageRow): number {
  return Math.max(0, image.size - Math.max(0, image.sharedSize));
}

/** Before API 1.42 the engine's volume prune removes every unused local volume, named ones too, "all" or not. */
export function pruneTakesNamedVolumes(apiVersion: string): boolean {
  return !apiAtLeast(apiVersion, '1.42');
}

/**
 * The engine's image prune: unused top-level images (dangling ones, or all), then, as each goes,
 * its untagged parent once nothing else is built on it or uses it (the classic builder's
 * intermediate steps). Those parents are items of their own, listed after their children.
 */
function imagesPreview(tree: readonly ImageNode[], all: boolean, going: Going): PrunePreview {
  const byId = new Map(tree.map((image) => [image.id, image]));
  const children = new Map<string, string[]>();
  for (const image of tree) {
    if (image.parentId) children.set(image.parentId, [...(children.get(image.parentId) ?? []), image.id]);
  }
  const unused = (image: ImageNode) => remainingUsers(image.containers, going).length === 0;
  // A child's layers include its parent's: what the child adds is the difference. Without a
  // parent, only the engine's shared size tells what other images keep.
  const frees = (image: ImageNode) => {
    const parent = byId.get(image.parentId);
    return parent ? Math.max(0, image.size - parent.size) : imageFrees(image);
  };
  const label = (image: ImageNode) => image.tags[0] ?? shortId(image.id);

  const chosen = tree.filter((image) =>
    (image.tags.length > 0 || !children.has(image.id)) && unused(image) && (all || image.dangling));
  const removed = new Set(chosen.map((image) => image.id));
  const items: PruneItem[] = chosen.map((image) => ({
    id: image.id, name: image.tags[0] ?? `<none> ${shortId(image.id)}`, size: frees(image),
  }));
  // Grows while it is walked: a parent that goes is a child whose own parent may go next.
  const queue = [...chosen];
  let parents = 0;
  for (const child of queue) {
    const parent = byId.get(child.parentId);
    if (!parent || removed.has(parent.id) || parent.tags.length > 0 || !unused(parent)) continue;
    if (!(children.get(parent.id) ?? []).every((id) => removed.has(id))) continue;
    removed.add(parent.id);
    queue.push(parent);
    items.push({ id: parent.id, name: `<parent of ${label(child)}> ${shortId(parent.id)}`, size: frees(parent) });
    parents += 1;
  }

  const notes = [all
    ? 'Every image no container uses (running or stopped), tagged or not.'
    : 'Dangling images only (no tag) that no container uses.'];
  if (parents > 0) {
    notes.push(`${parents} untagged parent image(s) (the classic builder's intermediate steps) go with them, as in the engine's prune.`);
  }
  if (chosen.some((image) => !byId.has(image.parentId) && image.sharedSize < 0)) {
    notes.push('The engine did not report shared sizes: an image\'s size may include layers other images keep.');
  }
  return preview('images', items, notes, all);
}

async function previewCategory(
  engine: Engine,
  category: PruneCategory,
  all: boolean,
  going: Going,
  signal?: AbortSignal,
): Promise<PrunePreview> {
  switch (category) {
    case 'containers': {
      const [rows, usage] = await Promise.all([engine.listContainers(signal), engine.diskUsage(signal)]);
      const items = rows
        .filter((row) => !KEPT_CONTAINER_STATES.has(row.state))
        .map((row) => ({ id: row.id, name: row.name, size: Math.max(0, usage.containerSizes[row.id] ?? 0) }));
      return preview(category, items, ['Stopped, created and dead containers; running, paused and restarting ones stay.'], false);
    }
    case 'images':
      return imagesPreview(await engine.listImageTree(signal), all, going);
    case 'volumes': {
      const volumes = await engine.listVolumes(signal);
      const named = all || pruneTakesNamedVolumes(engine.info.apiVersion);
      const items = volumes
        .filter((v) => v.driver === 'local' && remainingUsers(v.usedBy, going).length === 0)
        // On 1.42+ the engine knows anonymous volumes by their label only, not by their name.
        .filter((v) => named || v.labels[ANONYMOUS_VOLUME_LABEL] !== undefined)
        .map((v) => ({ id: v.name, name: v.name, size: Math.max(0, v.size) }));
      const notes: string[] = [];
      if (pruneTakesNamedVolumes(engine.info.apiVersion)) {
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
      return preview(category, usage.buildCacheItems, ['Build cache records not in use and not shared, removed one by one.'], false);
    }
  }
}

/** Lists exactly what a prune of `category` would delete, with the size each frees. */
export async function previewPrune(
  engine: Engine,
  category: PruneCategory,
  options: PruneOptions = {},
  signal?: AbortSignal,
): Promise<PrunePreview> {
  return previewCategory(engine, category, options.all ?? false, NOTHING_GOING, signal);
}

interface PlanRequest {
  category: PruneCategory;
  all: boolean;
}

async function buildPlan(engine: Engine, requests: readonly PlanRequest[], signal?: AbortSignal): Promise<PrunePreview[]> {
  const ordered = PRUNE_ORDER.flatMap((category) => requests.filter((request) => request.category === category));
  const containers = ordered.some((request) => request.category === 'containers')
    ? await previewCategory(engine, 'containers', false, NOTHING_GOING, signal)
    : undefined;
  const going: Going = new Set(containers?.items.map((item) => item.id));
  return Promise.all(ordered.map(({ category, all }) =>
    (category === 'containers' && containers ? containers : previewCategory(engine, category, all, going, signal))));
}

/**
 * What pruning `categories` would delete, one preview per category in the engine's order. With
 * several, as one system prune: images and volumes that only the plan's containers use count as
 * unused, since those containers go first. (Networks need no such care: a stopped container has
 * no endpoint.)
 */
export function previewPrunePlan(
  engine: Engine,
  categories: readonly PruneCategory[],
  options: { all: boolean },
  signal?: AbortSignal,
): Promise<PrunePreview[]> {
  return buildPlan(engine, categories.map((category) => ({ category, all: options.all })), signal);
}

/** Why an item of the preview must not go now, or undefined when it may. */
type Recheck = (item: PruneItem) => string | undefined;

/** The images as they are now, by id, filled by the images' recheck. */
type ImagesNow = Map<string, ImageNode>;

function usedByReason(users: readonly ResourceUser[]): string | undefined {
  return users.length > 0 ? `now used by ${users.map((user) => user.name).join(', ')}` : undefined;
}

async function recheckFor(engine: Engine, previewed: PrunePreview, imagesNow: ImagesNow, signal?: AbortSignal): Promise<Recheck> {
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
      // The whole tree: the preview lists intermediate parents, which `docker images` hides.
      const images = new Map((await engine.listImageTree(signal)).map((image) => [image.id, image]));
      for (const image of images.values()) imagesNow.set(image.id, image);
      return (item) => {
        const image = images.get(item.id);
        if (!image) return 'already gone';
        if (!previewed.all && !image.dangling) return `tagged since the preview (${image.tags.join(', ')})`;
        return usedByReason(image.containers);
      };
    }
    case 'volumes': {
      const volumes = new Map((await engine.listVolumes(signal)).map((v) => [v.name, v]));
      return (item) => {
        const volume = volumes.get(item.id);
        return volume ? usedByReason(volume.usedBy) : 'already gone';
      };
    }
    case 'networks': {
      const networks = new Map((await engine.listNetworks(signal)).map((n) => [n.id, n]));
      return (item) => {
        const network = networks.get(item.id);
        return network ? usedByReason(network.containers) : 'already gone';
      };
    }
    case 'buildCache': {
      const prunable = new Set((await engine.diskUsage(signal)).buildCacheItems.map((record) => record.id));
      return (item) => (prunable.has(item.id) ? undefined : 'gone, in use or shared since the preview');
    }
  }
}

/** Removes one item; false when the engine kept it without an error (a build cache record another builds on). */
async function removeItem(engine: Engine, category: PruneCategory, item: PruneItem, imagesNow: ImagesNow, signal?: AbortSignal): Promise<boolean> {
  switch (category) {
    case 'containers':
      await engine.containerAction(item.id, 'remove', { remove: { force: false, removeVolumes: false } });
      return true;
    case 'images': {
      // Never forced: the engine refuses an image a container started meanwhile, or one something
      // was built on since. Tag by tag as the engine's prune does (by id, several repositories
      // would need force). noprune: the parents the preview lists go as items of their own, after
      // their children, and no parent it does not list can go along.
      const tags = imagesNow.get(item.id)?.tags ?? [];
      for (const tag of tags) await engine.removeImage(tag, { force: false, noprune: true });
      if (tags.length === 0) await engine.removeImage(item.id, { force: false, noprune: true });
      return true;
    }
    case 'volumes':
      await engine.removeVolume(item.id, { force: false });
      return true;
    case 'networks':
      await engine.removeNetwork(item.id);
      return true;
    case 'buildCache':
      return (await engine.removeBuildCache(item.id, signal)).includes(item.id);
  }
}

/**
 * Podman ignores noprune: removing an image takes its untagged parents along, so the parent the
 * preview lists after its child is gone by its turn. It went as listed, with its child.
 */
function wentWithItsChild(item: PruneItem, deleted: readonly PruneItem[], imagesNow: ImagesNow, err: unknown): boolean {
  return isNotFound(err) && deleted.some((child) => imagesNow.get(child.id)?.parentId === item.id);
}

/**
 * Deletes the previewed items one at a time. An item that is in use again (a container started
 * from the image, mounting the volume, attached to the network), already gone, or refused by the
 * engine is skipped with the reason; nothing that is not in the preview is touched.
 */
export async function executePrune(engine: Engine, previewed: PrunePreview, signal?: AbortSignal): Promise<PruneResult> {
  const imagesNow: ImagesNow = new Map();
  const recheck = await recheckFor(engine, previewed, imagesNow, signal);
  const result: PruneResult = { deleted: [], skipped: [], reclaimed: 0 };
  // A build cache record goes only once no other record builds on it, and the preview does not
  // say which builds on which: pass after pass, until one removes nothing. Every other kind is
  // done in one pass (the preview lists an image's parents after it).
  let pending = previewed.items;
  for (;;) {
    const kept: PruneItem[] = [];
    for (const item of pending) {
      signal?.throwIfAborted();
      const reason = recheck(item);
      if (reason) {
        result.skipped.push({ item, reason });
        continue;
      }
      try {
        if (await removeItem(engine, previewed.category, item, imagesNow, signal)) {
          result.deleted.push(item);
          result.reclaimed += item.size;
        } else {
          kept.push(item);
        }
      } catch (err) {
        if (wentWithItsChild(item, result.deleted, imagesNow, err)) {
          result.deleted.push(item);
          result.reclaimed += item.size;
        } else {
          result.skipped.push({ item, reason: toEngineError(err).message });
        }
      }
    }
    if (kept.length === 0 || kept.length === pending.length) {
      for (const item of kept) result.skipped.push({ item, reason: BUILD_CACHE_KEPT });
      return result;
    }
    pending = kept;
  }
}

export type PlanOutcome =
  | { status: 'changed'; fresh: PrunePreview[] }
  | { status: 'done'; results: Array<{ category: PruneCategory; result: PruneResult }>; reclaimed: number };

function sameItems(a: PrunePreview, b: PrunePreview): boolean {
  const ids = (p: PrunePreview) => p.items.map((item) => item.id).sort().join('\n');
  return ids(a) === ids(b);
}

/**
 * Executes a plan as shown, category by category in the engine's order, after building it again:
 * when the engine's state has changed what the plan would delete, nothing is deleted and the
 * fresh plan comes back to be shown instead.
 */
export async function executePrunePlan(engine: Engine, shown: readonly PrunePreview[], signal?: AbortSignal): Promise<PlanOutcome> {
  // Each preview's `all` is the rule it applied, so the same requests give the same rules.
  const fresh = await buildPlan(engine, shown.map(({ category, all }) => ({ category, all })), signal);
  const confirmed: PrunePreview[] = [];
  for (const now of fresh) {
    const then = shown.find((p) => p.category === now.category);
    if (!then || !sameItems(now, then)) return { status: 'changed', fresh };
    confirmed.push(then);
  }
  const results: Array<{ category: PruneCategory; result: PruneResult }> = [];
  for (const previewed of confirmed) {
    results.push({ category: previewed.category, result: await executePrune(engine, previewed, signal) });
  }
  return { status: 'done', results, reclaimed: results.reduce((sum, { result }) => sum + result.reclaimed, 0) };
}
