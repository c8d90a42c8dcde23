// Image references as the docker CLI reads them (distribution's reference grammar and its
// "normalized" rules): checked here, before any request, so that a typo is explained in words
// instead of reaching the engine, and so that `busybox` means docker.io/library/busybox:latest
// for credentials and progress as it does for the CLI.

export const DOCKER_HUB = 'docker.io';
/** The key the CLI files Docker Hub's credentials under, in config.json and for credential helpers. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

const MAX_NAME_LENGTH = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A bare image id (64 hex) is never a repository name, as the CLI refuses it. */
const IMAGE_ID = /^[a-f0-9]{64}$/;

export class InvalidReferenceError extends Error {
  override readonly name = 'InvalidReferenceError';

  constructor(readonly input: string, readonly reason: string) {
    super(`invalid reference format "${input}": ${reason}`);
  }
}

/** A reference normalised the CLI's way: the registry and the full path always spelled out. */
export interface ImageReference {
  /** docker.io, 127.0.0.1:5000, registry.example.com */
  domain: string;
  /** library/busybox, dh/busybox */
  path: string;
  /** 'latest' when neither a tag nor a digest was given */
  tag?: string;
  digest?: string;
}

/** Parses and normalises a reference; throws InvalidReferenceError with the reason. */
export function parseImageReference(input: string): ImageReference {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(input, reason);
  };
  if (input === '') fail('the reference is empty');
  if (/\s/.test(input)) fail('a reference contains no spaces');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`"${digest}" is not a digest (algorithm:hex, e.g. sha256:…)`);
    if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) fail('a sha256 digest has 64 lowercase hex digits');
  }

  // A tag follows the last colon after the last slash; colons before it belong to a port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`"${tag}" is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (rest === '') fail('the repository name is missing');
  if (IMAGE_ID.test(rest) && tag === undefined && digest === undefined) {
    fail('a 64-character hex string is an image id, not a repository name');
  }

  // The CLI's rule: the first component is a registry when it has a dot or a port, is
  // "localhost", or has capitals (a path never may).
  let domain = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(domain)) fail(`"${domain}" is not a registry host[:port]`);
    }
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (path === '') fail('the repository name is missing');
  for (const component of path.split('/')) {
    if (component === '') fail('the repository path has an empty component');
    if (component !== component.toLowerCase()) fail('repository name must be lowercase');
    if (!PATH_COMPONENT.test(component)) {
      fail(`"${component}" is not a path component (lowercase letters and digits, separated by . _ __ or -)`);
    }
  }
  if (domain === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (`${domain}/${path}`.length > MAX_NAME_LENGTH) fail(`repository name must not be longer than ${MAX_NAME_LENGTH} characters`);

  const reference: ImageReference = { domain, path };
  if (tag !== undefined) reference.tag = tag;
  else if (digest === undefined) reference.tag = 'latest';
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** domain/path: the repository as the engine names it. */
export function repositoryOf(reference: ImageReference): string {
  return `${reference.domain}/${reference.path}`;
}

/** The full normalised reference: docker.io/library/busybox:latest, 127.0.0.1:5000/x@sha256:… */
export function formatReference(reference: ImageReference): string {
  return `${repositoryOf(reference)}${suffixOf(reference)}`;
}

/** The reference as the engine lists it and the CLI prints it: busybox:latest, dh/app:1, 127.0.0.1:5000/x:y. */
export function familiarReference(reference: ImageReference): string {
  if (reference.domain !== DOCKER_HUB) return formatReference(reference);
  const official = /^library\/[^/]+$/.test(reference.path);
  return `${official ? reference.path.slice('library/'.length) : reference.path}${suffixOf(reference)}`;
}

/**
 * A name the engine lists (a tag or a repo@digest) as the CLI prints it. Podman lists what it
 * names through the Docker API in full (docker.io/library/app:1) where Docker lists app:1, and
 * `docker images` shows both as app:1; a name that is no reference is kept as it is.
 */
export function familiarImageName(name: string): string {
  try {
    return familiarReference(parseImageReference(name));
  } catch {
    return name;
  }
}

/** The digest of `reference`'s repository among an image's repo@digest names, if it has one. */
export function repositoryDigest(repoDigests: readonly string[], reference: ImageReference): string | undefined {
  const repository = repositoryOf(reference);
  for (const name of repoDigests) {
    try {
      const named = parseImageReference(name);
      if (repositoryOf(named) === repository && named.digest !== undefined) return named.digest;
    } catch {
      // Not a reference: not the one looked for.
    }
  }
  return undefined;
}

function suffixOf(reference: ImageReference): string {
  return `${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${reference.digest}` : ''}`;
}

/** The registry's key for credentials: Docker Hub's historical index URL, else host[:port]. */
export function authKeyOf(reference: ImageReference): string {
  return reference.domain === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : reference.domain;
}

