// What the side pane shows for an image, a volume or a network, as plain lines: pure, so each is
// tested without Ink. Names, labels, env and build steps are anyone's text: sanitised here.
import type { ImageDetails, ImageLayer, ImageRow, NetworkRow, ResourceUser, VolumeRow } from '../engine/resource-types.js';
import { formatAge, formatDecimalBytes, plural, sanitize, shortId } from './format.js';
import { envLines, fact, labelLines, type PaneLine } from './pane-lines.js';
import { maskCommandWords } from './secrets.js';


function section(title: string): PaneLine[] {
  return [{ text: '' }, { text: title, tone: 'title' }];
}

/** "2h ago, 2024-06-10 10:00:01 UTC": UTC because the engine's own timestamps (inspect, history) are. */
function when(epochSec: number, nowMs: number): string {
  const utc = new Date(epochSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `${formatAge(epochSec, nowMs)} ago, ${utc}`;
}

function users(list: readonly ResourceUser[], none: string): string {
  if (list.length === 0) return none;
  return `${plural(list.length, 'container')}: ${list.map((user) => user.name).join(', ')}`;
}


/** As `docker system df -v` splits it: what other images share, and what removing this one frees. */
function imageSize(row: ImageRow): string {
  if (row.sharedSize < 0) return formatDecimalBytes(row.size);
  return `${formatDecimalBytes(row.size)} (shared ${formatDecimalBytes(row.sharedSize)}, unique ${formatDecimalBytes(row.size - row.sharedSize)})`;
}

/** The classic builder records metadata steps as a no-op shell command; the instruction is what matters. */
const NOP_PREFIX = /^\/bin\/sh -c #\(nop\)\s*/;

/** Age and size in the label column, so a long step wraps under its own text. */
function layerLine(layer: ImageLayer, imageId: string, nowMs: number): PaneLine {
  const label = `${formatAge(layer.created, nowMs).padEnd(4)} ${formatDecimalBytes(layer.size).padStart(6)}`;
  // The image's own tags are listed above; a tag further down marks the base image it was built on.
  const tags = layer.id !== imageId && layer.tags.length > 0 ? `  [${layer.tags.join(', ')}]` : '';
  return fact(label, layer.createdBy.replace(NOP_PREFIX, '').trimEnd() + tags);
}

function configLines(details: ImageDetails, revealSecrets: boolean): PaneLine[] {
  const lines: PaneLine[] = [];
  // Exec form as the Dockerfile wrote it: joining with spaces would hide where arguments split.
  if (details.entrypoint.length > 0) lines.push(fact('Entrypoint', JSON.stringify(maskCommandWords(details.entrypoint, revealSecrets))));
  if (details.cmd.length > 0) lines.push(fact('Cmd', JSON.stringify(maskCommandWords(details.cmd, revealSecrets))));
  if (details.workingDir) lines.push(fact('Workdir', details.workingDir));
  if (details.user) lines.push(fact('User', details.user));
  if (details.exposedPorts.length > 0) lines.push(fact('Ports', details.exposedPorts.join(', ')));
  for (const volume of details.volumes) lines.push(fact('Volume', volume));
  return [...lines, ...labelLines(details.labels, revealSecrets)];
}

/** One image: the list's facts at once, then its config, environment and history once inspect answers. */
export function imageLines(row: ImageRow, details: ImageDetails | undefined, nowMs: number, revealSecrets: boolean): PaneLine[] {
  const lines: PaneLine[] = [
    fact('ID', shortId(row.id)),
    ...(row.dangling
      ? [fact('Tag', `<none>:<none>, dangling${row.containers.length === 0 ? ': docker image prune removes it' : ''}`, 'warning')]
      : row.tags.map((tag) => fact('Tag', tag))),
    ...(details?.digests ?? []).map((digest) => fact('Digest', digest)),
    fact('Created', when(row.created, nowMs)),
    fact('Size', imageSize(row)),
    fact('Used by', users(row.containers, 'no container')),
  ];
  // The full id wraps over several lines of a side pane: it comes last, for copying.
  const fullId = fact('Full ID', row.id);
  if (!details) return [...lines, { text: 'Loading layers…', tone: 'dim' }, fullId];
  const platform = [details.os, details.architecture, details.variant].filter(Boolean).join('/');
  if (platform) lines.push(fact('Platform', platform));
  if (details.author) lines.push(fact('Author', details.author));
  const config = configLines(details, revealSecrets);
  if (config.length > 0) lines.push(...section('Config'), ...config);
  lines.push(...section('Environment'), ...envLines(details.env.map(sanitize), revealSecrets));
  lines.push(
    ...section(`History: ${plural(details.history.length, 'step')}, newest first (age, size, step)`),
    ...details.history.map((layer) => layerLine(layer, details.id, nowMs)),
    fullId,
  );
  return lines;
}

export function volumeLines(row: VolumeRow, nowMs: number): PaneLine[] {
  const createdMs = Date.parse(row.created);
  return [
    fact('Name', row.name),
    ...(row.anonymous ? [fact('Kind', 'anonymous (created without a name)')] : []),
    fact('Driver', row.driver),
    row.size < 0 ? fact('Size', 'unknown (the engine did not report it)', 'dim') : fact('Size', formatDecimalBytes(row.size)),
    fact('Used by', users(row.usedBy, 'unused')),
    fact('Mountpoint', row.mountpoint),
    ...(Number.isNaN(createdMs) ? [] : [fact('Created', when(createdMs / 1000, nowMs))]),
    ...labelLines(row.labels, false),
  ];
}

export function networkLines(row: NetworkRow): PaneLine[] {
  const lines: PaneLine[] = [
    fact('Name', row.name),
    fact('ID', shortId(row.id)),
    fact('Driver', row.driver),
    fact('Scope', row.scope),
    ...(row.subnets.length === 0
      ? [fact('Subnet', 'none')]
      : row.subnets.map(({ subnet, gateway }) => fact('Subnet', gateway ? `${subnet}, gateway ${gateway}` : subnet))),
    fact('Internal', row.internal ? 'yes: no route outside the host' : 'no'),
    fact('Attachable', row.attachable ? 'yes' : 'no'),
  ];
  if (row.predefined) lines.push({ text: 'Predefined by the engine: bridge, host and none cannot be removed', tone: 'dim' });
  lines.push(...section(`Containers: ${row.containers.length}`));
  if (row.containers.length === 0) lines.push({ text: 'No container attached (stopped ones have no endpoint)', tone: 'dim' });
  for (const container of row.containers) lines.push(fact('Container', `${container.name}  ${container.ipv4 || 'no IPv4 address'}`));
  return lines;
}
