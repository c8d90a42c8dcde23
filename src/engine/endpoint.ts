// Works out where the Docker CLI would connect, from the same flags, environment variables and files
// it reads. dockerode/docker-modem only know DOCKER_HOST and ignore contexts, so dockhand resolves the
// endpoint itself and hands explicit options to the client. Reads files; never opens a connection.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Endpoint, EndpointSource, TlsFiles } from './types.js';

export interface ResolveOptions {
  /** The --context flag */
  context?: string;
  /** The --host flag */
  host?: string;
  /** Normally process.env */
  env: Record<string, string | undefined>;
  /** Normally os.homedir() */
  homeDir: string;
}

/** A Docker context as `docker context ls` shows it. */
export interface ContextEntry {
  name: string;
  description: string;
  /** The docker endpoint as written in the context (or DOCKER_HOST for 'default'); '' when it has none */
  url: string;
  /** The context the CLI would use now, from the environment and config.json */
  current: boolean;
  /** Why the context cannot be used, as `docker context ls` reports in its ERROR column */
  error?: string;
}

/** A place to connect that cannot be worked out, with what the user can do about it. */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';

  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export type HostUrl = Pick<Endpoint, 'url' | 'kind' | 'socketPath' | 'hostname' | 'port' | 'username'>;

const DEFAULT_CONTEXT = 'default';
/** Where the Docker CLI connects when nothing names an engine. */
export const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_HOST = `unix://${DEFAULT_SOCKET}`;
// The IANA ports for the Docker API, which the CLI fills in when a tcp address names none.
const PLAIN_PORT = 2375;
const TLS_PORT = 2376;
const SSH_PORT = 22;
const ACCEPTED_FORMS = 'unix:///path/to/docker.sock, tcp://HOST[:PORT] or ssh://[USER@]HOST[:PORT][/SOCKET]';
const UNKNOWN_CONTEXT_FIX = 'run `docker context ls` to see the contexts, or pick one with --context NAME';

/**
 * Resolves the endpoint with the Docker CLI's precedence:
 * --context > --host > DOCKER_HOST > DOCKER_CONTEXT > currentContext in config.json > default.
 */
export function resolveEndpoint(opts: ResolveOptions): Endpoint {
  // The CLI treats an empty flag as absent, so both must be non-empty to conflict.
  if (opts.context && opts.host) {
    throw new EndpointError(
      'conflicting options: either specify --host or --context, not both',
      'drop either --host or --context',
    );
  }
  const configDir = dockerConfigDir(opts);
  const choice = chooseContext(opts, configDir);
  if (choice.name === DEFAULT_CONTEXT) {
    return { ...defaultEndpoint(opts, configDir), contextName: DEFAULT_CONTEXT, source: choice.source, configDir };
  }
  return { ...contextEndpoint(choice, configDir), contextName: choice.name, source: choice.source, configDir };
}

/**
 * Parses a Docker host address. Without TLS knowledge a tcp address without a port gets 2375
 * (2376 for https://); resolveEndpoint, which knows whether TLS is on, defaults it the CLI's way.
 */
export function parseHostUrl(url: string): HostUrl {
  const parsed = parseHost(url);
  return hostFields(parsed, parsed.kind === 'tcp' && parsed.https);
}

/** Every context the CLI knows, 'default' included, sorted by name as `docker context ls` sorts them. */
export function listContexts(opts: Pick<ResolveOptions, 'env' | 'homeDir'>): ContextEntry[] {
  const configDir = dockerConfigDir(opts);
  const current = chooseContext(opts, configDir).name;
  const entries: ContextEntry[] = [
    {
      name: DEFAULT_CONTEXT,
      description: 'Current DOCKER_HOST based configuration',
      url: opts.env.DOCKER_HOST || DEFAULT_HOST,
      current: current === DEFAULT_CONTEXT,
    },
  ];
  const metaRoot = join(configDir, 'contexts', 'meta');
  for (const id of listDirectories(metaRoot)) {
    const meta = readContextMeta(join(metaRoot, id, 'meta.json'));
    if (meta === undefined) continue;
    const entry: ContextEntry = {
      name: meta.name,
      description: meta.description,
      url: meta.docker?.host ?? '',
      current: meta.name === current,
    };
    if (meta.docker === undefined) entry.error = 'context has no docker endpoint';
    entries.push(entry);
  }
  // Like the CLI, show a current context that names nothing on disk rather than hide the problem.
  if (!entries.some((entry) => entry.current)) {
    entries.push({ name: current, description: '', url: '', current: true, error: `context "${current}" does not exist` });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

interface ContextChoice {
  name: string;
  source: EndpointSource;
}

function chooseContext(opts: ResolveOptions, configDir: string): ContextChoice {
  const { env } = opts;
  if (opts.context) return { name: opts.context, source: '--context' };
  // --host and DOCKER_HOST are how the pre-context CLI was configured; the CLI maps them onto 'default'.
  if (opts.host) return { name: DEFAULT_CONTEXT, source: '--host' };
  if (env.DOCKER_HOST) return { name: DEFAULT_CONTEXT, source: 'DOCKER_HOST' };
  if (env.DOCKER_CONTEXT) return { name: env.DOCKER_CONTEXT, source: 'DOCKER_CONTEXT' };
  const fromConfig = currentContextInConfig(configDir);
  if (fromConfig) return { name: fromConfig, source: 'config.json' };
  return { name: DEFAULT_CONTEXT, source: 'default' };
}

function dockerConfigDir({ env, homeDir }: Pick<ResolveOptions, 'env' | 'homeDir'>): string {
  return env.DOCKER_CONFIG || join(homeDir, '.docker');
}

function currentContextInConfig(configDir: string): string | undefined {
  const file = join(configDir, 'config.json');
  const config = readJson(file, 'repair the file (the Docker CLI reads it too), or point DOCKER_CONFIG at another directory');
  return isRecord(config) && typeof config.currentContext === 'string' ? config.currentContext : undefined;
}

/** The 'default' context: --host or DOCKER_HOST, with TLS from the DOCKER_TLS* variables. */
function defaultEndpoint(opts: ResolveOptions, configDir: string): HostUrl & { tls?: TlsFiles } {
  const { env } = opts;
  const [raw, origin] = opts.host
    ? [opts.host, '--host']
    : env.DOCKER_HOST
      ? [env.DOCKER_HOST, 'DOCKER_HOST']
      : [DEFAULT_HOST, 'the default host'];
  const parsed = parseHostFrom(raw, origin);
  if (parsed.kind !== 'tcp') return hostFields(parsed, false);

  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  // DOCKER_TLS_VERIFY and DOCKER_TLS switch TLS on in the CLI; docker-modem also assumes it on the
  // TLS port and for https://, and dockhand follows it there so that such hosts keep working.
  const tls = verify || Boolean(env.DOCKER_TLS) || parsed.https || parsed.port === TLS_PORT;
  const fields = hostFields(parsed, tls);
  if (!tls) return fields;
  return { ...fields, tls: { ...tlsFilesIn(env.DOCKER_CERT_PATH || configDir), verify } };
}

/** A named context from the CLI's context store. */
function contextEndpoint(choice: ContextChoice, configDir: string): HostUrl & { tls?: TlsFiles } {
  const id = contextId(choice.name);
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const meta = readContextMeta(metaFile);
  if (meta === undefined) {
    throw new EndpointError(`context "${choice.name}" (from ${choice.source}) does not exist`, UNKNOWN_CONTEXT_FIX);
  }
  if (meta.docker === undefined) {
    throw new EndpointError(
      `context "${choice.name}" has no docker endpoint in ${metaFile}`,
      `give it one with \`docker context update ${choice.name} --docker host=${DEFAULT_HOST}\`, or pick another with --context NAME`,
    );
  }
  const { host, skipTlsVerify } = meta.docker;
  const parsed = parseHostFrom(host, `context "${choice.name}"`);
  if (parsed.kind !== 'tcp') return hostFields(parsed, false);

  // As in the CLI: the context uses TLS when it stores TLS material or says to skip verification.
  const files = tlsFilesIn(join(configDir, 'contexts', 'tls', id, 'docker'));
  const tls = Object.keys(files).length > 0 || skipTlsVerify || parsed.https;
  const fields = hostFields(parsed, tls);
  if (!tls) return fields;
  return { ...fields, tls: { ...files, verify: !skipTlsVerify } };
}

/** The CLI stores each context under the SHA-256 of its name, so any name is a safe directory name. */
function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function tlsFilesIn(dir: string): Omit<TlsFiles, 'verify'> {
  const files: Omit<TlsFiles, 'verify'> = {};
  for (const key of ['ca', 'cert', 'key'] as const) {
    const file = join(dir, `${key}.pem`);
    if (existsSync(file)) files[key] = file;
  }
  return files;
}

interface ContextMeta {
  name: string;
  description: string;
  docker?: { host: string; skipTlsVerify: boolean };
}

/** Reads a context's meta.json; undefined when there is none. */
function readContextMeta(file: string): ContextMeta | undefined {
  const fix = `repair ${file}, or delete ${dirname(file)} to drop the context`;
  const json = readJson(file, fix);
  if (json === undefined) return undefined;
  if (!isRecord(json) || typeof json.Name !== 'string') {
    throw new EndpointError(`${file} is not a Docker context: it has no "Name"`, fix);
  }
  const description = isRecord(json.Metadata) ? json.Metadata.Description : undefined;
  const docker = isRecord(json.Endpoints) ? json.Endpoints.docker : undefined;
  const meta: ContextMeta = { name: json.Name, description: typeof description === 'string' ? description : '' };
  if (isRecord(docker) && typeof docker.Host === 'string' && docker.Host !== '') {
    meta.docker = { host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true };
  }
  return meta;
}

type ParsedHost =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; hostname: string; port?: number; path: string; https: boolean }
  | { kind: 'ssh'; url: string; hostname: string; port?: number; username?: string; socketPath?: string };

/** parseHost, with the place the value came from named in the error. */
function parseHostFrom(raw: string, origin: string): ParsedHost {
  try {
    return parseHost(raw);
  } catch (error) {
    if (error instanceof EndpointError) throw new EndpointError(`${origin}: ${error.message}`, error.fix);
    throw error;
  }
}

function parseHost(raw: string): ParsedHost {
  const value = raw.trim();
  if (value.startsWith('/')) return { kind: 'unix', socketPath: value };
  const separator = value.indexOf('://');
  if (separator === -1) throw invalidHost(value);
  const scheme = value.slice(0, separator);
  const rest = value.slice(separator + 3);
  switch (scheme) {
    case 'unix':
      // The CLI fills in the default socket for a bare unix://
      return { kind: 'unix', socketPath: rest || DEFAULT_SOCKET };
    case 'tcp':
    case 'http':
    case 'https':
      return parseTcp(value, rest, scheme === 'https');
    case 'ssh':
      return parseSsh(value, rest);
    case 'npipe':
      throw new EndpointError(
        `Windows named pipes are not supported ("${value}")`,
        `connect to the engine over ${ACCEPTED_FORMS}`,
      );
    default:
      throw invalidHost(value);
  }
}

function parseTcp(value: string, rest: string, https: boolean): ParsedHost {
  if (lacksHost(rest)) throw missingHost(value);
  // Parsed as tcp:// whatever the scheme, so that WHATWG URL does not drop http's port 80 or https's 443.
  const url = toUrl(`tcp://${rest}`, value);
  const path = url.pathname === '/' ? '' : url.pathname;
  return { kind: 'tcp', host: url.hostname, hostname: unbracket(url.hostname), ...portOf(url, value), path, https };
}

function parseSsh(value: string, rest: string): ParsedHost {
  if (lacksHost(rest)) throw missingHost(value);
  const url = toUrl(value, value);
  // The CLI's ssh helper refuses these rather than pass them to ssh.
  if (url.password !== '') {
    throw new EndpointError(`plain-text passwords are not supported in "${value}"`, 'use an SSH key or agent');
  }
  if (url.search !== '' || url.hash !== '') throw invalidHost(value);
  const parsed: ParsedHost = { kind: 'ssh', url: value, hostname: unbracket(url.hostname), ...portOf(url, value) };
  if (url.username !== '') parsed.username = decodeURIComponent(url.username);
  // A path names the engine's socket on the remote machine (`docker system dial-stdio --host unix://PATH`).
  if (url.pathname !== '' && url.pathname !== '/') parsed.socketPath = decodeURIComponent(url.pathname);
  return parsed;
}

function hostFields(parsed: ParsedHost, tls: boolean): HostUrl {
  switch (parsed.kind) {
    case 'unix':
      return { url: `unix://${parsed.socketPath}`, kind: 'unix', socketPath: parsed.socketPath };
    case 'tcp': {
      const port = parsed.port ?? (tls ? TLS_PORT : PLAIN_PORT);
      // Written as the CLI normalises it, so that it can be handed back to `docker -H`.
      return { url: `tcp://${parsed.host}:${port}${parsed.path}`, kind: 'tcp', hostname: parsed.hostname, port };
    }
    case 'ssh': {
      // The url stays as written: ssh reads the port and user from ~/.ssh/config when it names none.
      const { kind, url, hostname, port = SSH_PORT, username, socketPath } = parsed;
      const fields: HostUrl = { url, kind, hostname, port };
      if (username !== undefined) fields.username = username;
      if (socketPath !== undefined) fields.socketPath = socketPath;
      return fields;
    }
  }
}

/** True when the authority part of a URL (after any user@) has no host name. */
function lacksHost(rest: string): boolean {
  return /^(?:[^@/?#]*@)?(?:$|[:/?#])/.test(rest);
}

function toUrl(text: string, value: string): URL {
  try {
    return new URL(text);
  } catch {
    throw invalidHost(value);
  }
}

function portOf(url: URL, value: string): { port?: number } {
  if (url.port === '') return {};
  const port = Number(url.port);
  if (port === 0) throw invalidHost(value);
  return { port };
}

/** URL keeps IPv6 literals in brackets; sockets want them bare. */
function unbracket(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

function invalidHost(value: string): EndpointError {
  return new EndpointError(`invalid Docker host "${value}"`, `write it as ${ACCEPTED_FORMS}`);
}

function missingHost(value: string): EndpointError {
  return new EndpointError(`Docker host "${value}" names no host`, `write it as ${ACCEPTED_FORMS}`);
}

/** Parsed JSON of a file, or undefined when the file does not exist. */
function readJson(file: string, fix: string): unknown {
  const text = readOptional(() => readFileSync(file, 'utf8'), file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EndpointError(`${file} is not valid JSON: ${(error as Error).message}`, fix);
  }
}

function listDirectories(dir: string): string[] {
  const entries = readOptional(() => readdirSync(dir, { withFileTypes: true }), dir) ?? [];
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** Runs a file-system read; a missing path gives undefined, any other failure an EndpointError. */
function readOptional<T>(read: () => T, path: string): T | undefined {
  try {
    return read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new EndpointError(`cannot read ${path}: ${(error as Error).message}`, 'check that dockhand may read it');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
