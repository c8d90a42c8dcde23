// What `docker run` does with the essentials a user types: every field parsed and checked here,
// with a message naming what is wrong, before a request is made; then the /containers/create body
// the CLI would send, and the command line that teaches the CLI equivalent. Pure: no engine here.
import { InvalidReferenceError, parseImageReference } from './image-reference.js';

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** `-p [ip:][host]:container[/proto]`, or `-p container[/proto]` for a port the engine picks. */
export interface PortPublish {
  /** '' for every address */
  hostIp: string;
  /** '' for a port the engine picks */
  hostPort: string;
  containerPort: number;
  protocol: Protocol;
}

/** `-v src:dst[:ro]` (a named volume or a host path), or `-v dst` (an anonymous volume). */
export interface VolumeMount {
  /** a volume name, an absolute host path (a bind mount), or '' for an anonymous volume */
  source: string;
  target: string;
  readOnly: boolean;
}

export type RestartPolicy =
  | { name: 'no' | 'always' | 'unless-stopped' }
  | { name: 'on-failure'; maximumRetryCount: number };

export interface RunSpec {
  image: string;
  /** '' lets the engine pick a name */
  name: string;
  /** the image's CMD when empty */
  command: string[];
  /** KEY=value each */
  env: string[];
  labels: Record<string, string>;
  ports: PortPublish[];
  volumes: VolumeMount[];
  /** '' for the engine's default (bridge) */
  network: string;
  restart: RestartPolicy;
  /** bytes; 0 for no limit */
  memory: number;
  /** billionths of a CPU; 0 for no limit */
  nanoCpus: number;
  /**
   * As `docker run -d`. Either way dockhand only creates and starts: a foreground run differs
   * in the create body (output attached), and its output is the view's to follow.
   */
  detached: boolean;
}

/** What the user typed, one string per field and one per entry of the repeatable options. */
export interface RunForm {
  image: string;
  name?: string;
  command?: string;
  env?: readonly string[];
  labels?: readonly string[];
  ports?: readonly string[];
  volumes?: readonly string[];
  network?: string;
  restart?: string;
  memory?: string;
  cpus?: string;
  detached?: boolean;
}

export type Parsed<T> = { value: T } | { error: string };

/** A container the engine created but would not start: it exists (as after a failed `docker run`). */
export class ContainerStartError extends Error {
  override readonly name = 'ContainerStartError';

  constructor(readonly containerId: string, readonly reason: string) {
    // Shown short as the CLI shows ids; a fleet id keeps its host prefix.
    super(`container ${containerId.replace(/([0-9a-f]{12})[0-9a-f]{52}$/, '$1')} was created but did not start (it is left in place): ${reason}`);
  }
}

function fail(error: string): { error: string } {
  return { error };
}

function isError<T>(parsed: Parsed<T>): parsed is { error: string } {
  return 'error' in parsed;
}

/** An image id, whole or short, with or without its algorithm: passed on as it is. */
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{12,64}$/;

export function parseImage(text: string): Parsed<string> {
  const image = text.trim();
  if (image === '') return fail('an image is needed');
  if (IMAGE_ID.test(image)) return { value: image };
  try {
    parseImageReference(image);
  } catch (err) {
    if (err instanceof InvalidReferenceError) return fail(err.message);
    throw err;
  }
  return { value: image };
}

// The engine's own rule for container and volume names.
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function parseName(text: string): Parsed<string> {
  const name = text.trim().replace(/^\//, '');
  if (name !== '' && !NAME.test(name)) {
    return fail(`"${name}" is not a container name: two characters or more, letters, digits, _ . - only, not starting with _ . -`);
  }
  return { value: name };
}

/** A command line split into argv as a POSIX shell would split it: quotes and backslashes, no expansion. */
export function parseCommand(text: string): Parsed<string[]> {
  const argv: string[] = [];
  // undefined between words; '' is a word already (an empty quoted argument counts).
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const append = (s: string) => { word = (word ?? '') + s; };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else append(c);
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && next !== undefined && '"\\$`'.includes(next)) append(text[++i] as string);
      else append(c);
    } else if (c === "'" || c === '"') {
      quote = c;
      append('');
    } else if (c === '\\' && next !== undefined) {
      append(text[++i] as string);
    } else if (/\s/.test(c)) {
      if (word !== undefined) argv.push(word);
      word = undefined;
    } else {
      append(c);
    }
  }
  if (quote) return fail(`the command has an unclosed ${quote} quote`);
  if (word !== undefined) argv.push(word);
  return { value: argv };
}

/**
 * `-e KEY=value`. The CLI's `-e KEY` copies the client's own value; dockhand passes none of its
 * environment (it may hold credentials), so the value must be written out.
 */
export function parseEnv(text: string): Parsed<string> {
  const entry = text.trim();
  const equals = entry.indexOf('=');
  if (equals < 0) return fail(`-e ${entry}: give a value (${entry}=value); dockhand does not pass its own environment on`);
  if (equals === 0) return fail(`-e ${entry}: the variable has no name`);
  return { value: entry };
}

export function parseLabel(text: string): Parsed<[string, string]> {
  const entry = text.trim();
  const equals = entry.indexOf('=');
  const key = equals < 0 ? entry : entry.slice(0, equals);
  if (key === '') return fail(`--label ${entry}: the label has no name`);
  return { value: [key, equals < 0 ? '' : entry.slice(equals + 1)] };
}

function parsePortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function parsePort(text: string): Parsed<PortPublish> {
  const entry = text.trim();
  const where = `-p ${entry}`;
  const slash = entry.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : entry.slice(slash + 1).toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') return fail(`${where}: the protocol is tcp, udp or sctp, not "${protocol}"`);
  const addressAndPorts = slash < 0 ? entry : entry.slice(0, slash);
  // An IPv6 address is written in brackets: [::1]:8080:80.
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(addressAndPorts);
  const parts = bracketed ? [bracketed[1] as string, ...(bracketed[2] as string).split(':')] : addressAndPorts.split(':');
  if (parts.length > 3) return fail(`${where}: expected [ip:]host:container[/proto] (write an IPv6 address in brackets)`);
  const [hostIp, hostPort, containerPort] = parts.length === 3
    ? parts as [string, string, string]
    : parts.length === 2 ? ['', ...parts] as [string, string, string] : ['', '', parts[0] ?? ''];
  if (hostPort.includes('-') || containerPort.includes('-')) return fail(`${where}: port ranges are not supported; publish each port`);
  if (hostIp !== '' && !/^[0-9.]+$/.test(hostIp) && !bracketed) return fail(`${where}: "${hostIp}" is not an IP address`);
  const container = parsePortNumber(containerPort);
  if (container === undefined) return fail(`${where}: the container port "${containerPort}" is not a number from 1 to 65535`);
  if (hostPort !== '' && parsePortNumber(hostPort) === undefined) return fail(`${where}: the host port "${hostPort}" is not a number from 1 to 65535`);
  return { value: { hostIp, hostPort, containerPort: container, protocol } };
}

export function parseVolume(text: string): Parsed<VolumeMount> {
  const entry = text.trim();
  const where = `-v ${entry}`;
  const parts = entry.split(':');
  if (parts.length === 1) {
    if (!entry.startsWith('/')) return fail(`${where}: an anonymous volume needs an absolute path in the container`);
    return { value: { source: '', target: entry, readOnly: false } };
  }
  if (parts.length > 3) return fail(`${where}: expected source:destination[:ro]`);
  const [source = '', target = '', mode] = parts;
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return fail(`${where}: the mode is ro or rw, not "${mode}"`);
  if (!source.startsWith('/') && !NAME.test(source)) {
    return fail(`${where}: "${source}" is neither an absolute host path nor a volume name (letters, digits, _ . -)`);
  }
  if (!target.startsWith('/')) return fail(`${where}: the destination "${target}" must be an absolute path in the container`);
  if (target === '/') return fail(`${where}: the destination cannot be /`);
  return { value: { source, target, readOnly: mode === 'ro' } };
}

export function parseNetwork(text: string): Parsed<string> {
  const network = text.trim();
  if (/\s/.test(network)) return fail(`--network "${network}": a network name has no spaces`);
  return { value: network };
}

export function parseRestart(text: string): Parsed<RestartPolicy> {
  const policy = text.trim();
  if (policy === '' || policy === 'no' || policy === 'always' || policy === 'unless-stopped') return { value: { name: policy || 'no' } as RestartPolicy };
  const onFailure = /^on-failure(?::(\d+))?$/.exec(policy);
  if (onFailure) return { value: { name: 'on-failure', maximumRetryCount: Number(onFailure[1] ?? 0) } };
  if (/^(no|always|unless-stopped):/.test(policy)) return fail(`--restart ${policy}: only on-failure takes a maximum retry count`);
  return fail(`--restart ${policy}: the policy is no, always, unless-stopped or on-failure[:N]`);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** As the CLI's `--memory`: a number with an optional unit b, k, m, g (or kb, mb, gb…), in powers of 1024. */
export function parseMemory(text: string): Parsed<number> {
  const memory = text.trim();
  if (memory === '') return { value: 0 };
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?$/i.exec(memory);
  const bytes = match ? Math.floor(Number(match[1]) * (MEMORY_UNITS[(match[2] as string).toLowerCase()] ?? 1)) : NaN;
  if (!match || !(bytes > 0)) return fail(`--memory ${memory}: expected a size such as 64m or 1g (units b, k, m, g)`);
  return { value: bytes };
}

/** As the CLI's `--cpus`: a positive decimal number of CPUs, at most nine decimals. */
export function parseCpus(text: string): Parsed<number> {
  const cpus = text.trim();
  if (cpus === '') return { value: 0 };
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(cpus);
  // Integer arithmetic on the digits: 0.1 * 1e9 in floating point is not exactly 1e8.
  const nano = match ? Number(match[1]) * 1e9 + Number((match[2] ?? '').padEnd(9, '0')) : 0;
  if (!(nano > 0)) return fail(`--cpus ${cpus}: expected a positive number of CPUs such as 0.5 or 2`);
  return { value: nano };
}

/** Every field of the form checked; either the spec or every field's problem, keyed by field. */
export function parseRunForm(form: RunForm): { spec: RunSpec } | { errors: Partial<Record<keyof RunForm, string>> } {
  const errors: Partial<Record<keyof RunForm, string>> = {};
  function take<T>(field: keyof RunForm, parsed: Parsed<T>, fallback: T): T {
    if (!isError(parsed)) return parsed.value;
    errors[field] ??= parsed.error;
    return fallback;
  }
  function takeAll<T>(field: keyof RunForm, entries: readonly string[] | undefined, parse: (text: string) => Parsed<T>): T[] {
    const values: T[] = [];
    for (const entry of entries ?? []) {
      if (entry.trim() === '') continue;
      const parsed = parse(entry);
      if (isError(parsed)) errors[field] ??= parsed.error;
      else values.push(parsed.value);
    }
    return values;
  }
  const spec: RunSpec = {
    image: take('image', parseImage(form.image), ''),
    name: take('name', parseName(form.name ?? ''), ''),
    command: take('command', parseCommand(form.command ?? ''), []),
    env: takeAll('env', form.env, parseEnv),
    labels: Object.fromEntries(takeAll('labels', form.labels, parseLabel)),
    ports: takeAll('ports', form.ports, parsePort),
    volumes: takeAll('volumes', form.volumes, parseVolume),
    network: take('network', parseNetwork(form.network ?? ''), ''),
    restart: take('restart', parseRestart(form.restart ?? ''), { name: 'no' }),
    memory: take('memory', parseMemory(form.memory ?? ''), 0),
    nanoCpus: take('cpus', parseCpus(form.cpus ?? ''), 0),
    detached: form.detached ?? true,
  };
  return Object.keys(errors).length > 0 ? { errors } : { spec };
}

function portKey(port: PortPublish): string {
  return `${port.containerPort}/${port.protocol}`;
}

/** The body of POST /containers/create that `docker run` sends for the same options. */
export function runSpecToCreateOptions(spec: RunSpec): Record<string, unknown> {
  const portBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const port of spec.ports) (portBindings[portKey(port)] ??= []).push({ HostIp: port.hostIp, HostPort: port.hostPort });
  const anonymous = spec.volumes.filter((v) => v.source === '');
  const binds = spec.volumes.filter((v) => v.source !== '').map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`);
  const restart = spec.restart;
  return {
    Image: spec.image,
    ...(spec.command.length > 0 ? { Cmd: spec.command } : {}),
    Env: spec.env,
    Labels: spec.labels,
    ExposedPorts: Object.fromEntries(spec.ports.map((port) => [portKey(port), {}])),
    ...(anonymous.length > 0 ? { Volumes: Object.fromEntries(anonymous.map((v) => [v.target, {}])) } : {}),
    AttachStdout: !spec.detached,
    AttachStderr: !spec.detached,
    HostConfig: {
      PortBindings: portBindings,
      Binds: binds,
      ...(spec.network !== '' ? { NetworkMode: spec.network } : {}),
      RestartPolicy: { Name: restart.name, MaximumRetryCount: restart.name === 'on-failure' ? restart.maximumRetryCount : 0 },
      Memory: spec.memory,
      NanoCpus: spec.nanoCpus,
    },
  };
}

/** The `name` query parameter of /containers/create, when the spec names the container. */
export function createQuery(spec: RunSpec): Record<string, string> {
  return spec.name !== '' ? { name: spec.name } : {};
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell reads it back unchanged. For display: nothing here is ever run. */
export function shellQuote(argument: string): string {
  return SHELL_SAFE.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** Bytes as the shortest exact `--memory` value: 67108864 as 64m. */
function memoryText(bytes: number): string {
  for (const unit of ['p', 't', 'g', 'm', 'k'] as const) {
    const size = MEMORY_UNITS[unit] as number;
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}

function portText(port: PortPublish): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  const host = ip !== '' ? `${ip}:${port.hostPort}:` : port.hostPort !== '' ? `${port.hostPort}:` : '';
  return `${host}${port.containerPort}${port.protocol === 'tcp' ? '' : `/${port.protocol}`}`;
}

function restartText(restart: RestartPolicy): string {
  return restart.name === 'on-failure' && restart.maximumRetryCount > 0 ? `on-failure:${restart.maximumRetryCount}` : restart.name;
}

/** The `docker run` argv equivalent to the spec. */
export function dockerRunArgs(spec: RunSpec): string[] {
  const args = ['docker', 'run'];
  if (spec.detached) args.push('-d');
  if (spec.name !== '') args.push('--name', spec.name);
  for (const [key, value] of Object.entries(spec.labels)) args.push('--label', `${key}=${value}`);
  for (const env of spec.env) args.push('-e', env);
  for (const port of spec.ports) args.push('-p', portText(port));
  for (const volume of spec.volumes) {
    args.push('-v', volume.source === '' ? volume.target : `${volume.source}:${volume.target}${volume.readOnly ? ':ro' : ''}`);
  }
  if (spec.network !== '') args.push('--network', spec.network);
  if (spec.restart.name !== 'no') args.push('--restart', restartText(spec.restart));
  if (spec.memory > 0) args.push('--memory', memoryText(spec.memory));
  // Dividing by 1e9 is exact enough for display: at most nine decimals were typed.
  if (spec.nanoCpus > 0) args.push('--cpus', String(spec.nanoCpus / 1e9));
  args.push(spec.image, ...spec.command);
  return args;
}

/** The equivalent command line shown to the user, each argument shell-quoted (it teaches the CLI; never run). */
export function dockerRunCommandLine(spec: RunSpec): string {
  return dockerRunArgs(spec).map(shellQuote).join(' ');
}
