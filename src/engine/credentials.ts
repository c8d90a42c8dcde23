// Registry credentials as the docker CLI finds them in $DOCKER_CONFIG/config.json: a credential
// helper named for the registry (credHelpers), else the default store (credsStore), else the
// `auths` entries written by `docker login` without a store. The engine gets them in the
// X-Registry-Auth header of a pull or push. No secret ever reaches an error message or a log:
// errors name the file, the registry key and the helper, never what they hold or printed.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** The engine's AuthConfig; only the fields that are set are sent. */
export interface AuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

interface ConfigFile {
  auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown; identitytoken?: unknown }>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

export interface CredentialOptions {
  /** Where `docker-credential-*` helpers are looked up (PATH); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** What a helper prints when it holds nothing for the registry: anonymous, as the CLI goes on. */
const HELPER_NOT_FOUND = /credentials not found/i;
/** Helper names become program names: nothing that could leave the PATH lookup. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A helper that prompts (a locked keychain) gets no terminal here; its output is small. */
const HELPER_MAX_OUTPUT = 1024 * 1024;

/**
 * The X-Registry-Auth header value for the registry filed under `authKey` (host[:port], or
 * Docker Hub's https://index.docker.io/v1/): base64url JSON, `{}` when there are no credentials
 * (the engine's push wants the header even then). `configDir` undefined: anonymous.
 */
export async function registryAuthHeader(configDir: string | undefined, authKey: string, options: CredentialOptions = {}): Promise<string> {
  const auth = configDir === undefined ? undefined : await findCredentials(configDir, authKey, options);
  return base64Url(JSON.stringify(auth ?? {}));
}

/** Padded base64url, as the CLI's base64.URLEncoding: the engine's decoder wants the padding. */
function base64Url(text: string): string {
  return Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * The X-Registry-Config header value of a build: the credentials of each registry its FROM lines
 * name, keyed as config.json keys them (the builder looks the base image's registry up in it),
 * base64url JSON. Registries without credentials are left out: their images are pulled anonymously.
 */
export async function registryConfigHeader(configDir: string | undefined, authKeys: readonly string[], options: CredentialOptions = {}): Promise<string> {
  const configs: Record<string, AuthConfig> = {};
  if (configDir !== undefined) {
    for (const key of new Set(authKeys)) {
      const auth = await findCredentials(configDir, key, options);
      if (auth) configs[key] = auth;
    }
  }
  return base64Url(JSON.stringify(configs));
}

/** The credentials config.json leads to for `authKey`, undefined when none. */
export async function findCredentials(configDir: string, authKey: string, options: CredentialOptions = {}): Promise<AuthConfig | undefined> {
  const file = join(configDir, 'config.json');
  const config = await readConfig(file);
  const helper = config.credHelpers?.[authKey] ?? config.credsStore;
  if (typeof helper === 'string' && helper !== '') return fromHelper(helper, authKey, options);
  return fromAuths(config, authKey, file);
}

async function readConfig(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CredentialError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ConfigFile) : {};
  } catch {
    // The parser's message quotes the text around the fault, which may be a secret.
    throw new CredentialError(`${file} is not valid JSON: repair it (the docker CLI reads it too)`);
  }
}

/** `auths[authKey]`, else an entry whose key reduces to the same host (older CLIs wrote URLs). */
function fromAuths(config: ConfigFile, authKey: string, file: string): AuthConfig | undefined {
  const auths = config.auths ?? {};
  const entry = auths[authKey] ?? Object.entries(auths).find(([key]) => hostnameOf(key) === authKey)?.[1];
  if (entry === undefined) return undefined;
  const auth: AuthConfig = { serveraddress: authKey };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new CredentialError(`the auths entry for ${authKey} in ${file} is malformed: run docker login again`);
    auth.username = decoded.slice(0, colon);
    auth.password = decoded.slice(colon + 1);
  } else {
    if (typeof entry.username === 'string' && entry.username !== '') auth.username = entry.username;
    if (typeof entry.password === 'string' && entry.password !== '') auth.password = entry.password;
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') auth.identitytoken = entry.identitytoken;
  return auth.username !== undefined || auth.identitytoken !== undefined ? auth : undefined;
}

/** The CLI's ConvertToHostname: no scheme, nothing after the first slash. */
function hostnameOf(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0] ?? '';
}

/** `docker-credential-NAME get`: the registry key on stdin, {ServerURL, Username, Secret} on stdout. */
async function fromHelper(name: string, authKey: string, options: CredentialOptions): Promise<AuthConfig | undefined> {
  const program = `docker-credential-${name}`;
  if (!HELPER_NAME.test(name)) throw new CredentialError(`config.json names an invalid credential helper "${name}"`);
  const { code, stdout } = await runHelper(program, authKey, options);
  if (code === 'ENOENT') throw new CredentialError(`${program} (named in config.json) is not on PATH: install it, or remove it from config.json`);
  if (code !== 0) {
    if (HELPER_NOT_FOUND.test(stdout)) return undefined;
    // The helper's own words are left out: nothing guarantees they hold no secret.
    throw new CredentialError(`${program} could not give the credentials for ${authKey} (exit code ${String(code)})`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new CredentialError(`${program} answered something other than JSON for ${authKey}`);
  }
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
  if (secret === '') return undefined;
  // The helpers' convention for an identity token (OAuth refresh token) rather than a password.
  if (username === '<token>') return { identitytoken: secret, serveraddress: authKey };
  return { username, password: secret, serveraddress: authKey };
}

function runHelper(program: string, authKey: string, options: CredentialOptions): Promise<{ code: number | string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      { env: options.env ?? process.env, maxBuffer: HELPER_MAX_OUTPUT, encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) },
      (error, stdout) => {
        if (error === null) return resolve({ code: 0, stdout });
        const { code } = error as NodeJS.ErrnoException & { code?: number | string };
        if (error.name === 'AbortError') return reject(new CredentialError(`${program} was cancelled`));
        resolve({ code: code ?? 'signal', stdout });
      },
    );
    // A helper that exits without reading its stdin makes the write fail with EPIPE: its exit says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(authKey);
  });
}
