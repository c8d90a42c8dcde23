import { describe, expect, it } from 'vitest';
import {
  authKeyOf, familiarImageName, familiarReference, formatReference, InvalidReferenceError, parseImageReference, repositoryDigest,
} from '../../src/engine/image-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference normalises as the docker CLI does', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['dh/app', 'docker.io/dh/app:latest', 'dh/app:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/library/team/app:2', 'docker.io/library/team/app:2', 'library/team/app:2'],
    ['127.0.0.1:5000/dh/busybox:t1', '127.0.0.1:5000/dh/busybox:t1', '127.0.0.1:5000/dh/busybox:t1'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['registry.example.com:443/a/b/c', 'registry.example.com:443/a/b/c:latest', 'registry.example.com:443/a/b/c:latest'],
    ['[::1]:5000/x', '[::1]:5000/x:latest', '[::1]:5000/x:latest'],
    ['Registry/x', 'Registry/x:latest', 'Registry/x:latest'],
    ['a__b/c-d.e_f--g', 'docker.io/a__b/c-d.e_f--g:latest', 'a__b/c-d.e_f--g:latest'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`, `busybox@${DIGEST}`],
    [`busybox:1@${DIGEST}`, `docker.io/library/busybox:1@${DIGEST}`, `busybox:1@${DIGEST}`],
  ])('%s', (input, full, familiar) => {
    const reference = parseImageReference(input);
    expect(formatReference(reference)).toBe(full);
    expect(familiarReference(reference)).toBe(familiar);
  });

  it('keys Docker Hub credentials under the index URL, other registries under host[:port]', () => {
    expect(authKeyOf(parseImageReference('busybox'))).toBe('https://index.docker.io/v1/');
    expect(authKeyOf(parseImageReference('127.0.0.1:5000/x'))).toBe('127.0.0.1:5000');
  });
});

describe('familiarImageName prints a listed name as `docker images` does', () => {
  it.each([
    // Podman lists what it named through the Docker API in full; Docker lists the same familiar.
    ['docker.io/library/app:1', 'app:1'],
    ['docker.io/dh/busybox:latest', 'dh/busybox:latest'],
    [`docker.io/library/app@${DIGEST}`, `app@${DIGEST}`],
    ['app:1', 'app:1'],
    // Podman's own local images and other registries keep their registry.
    ['localhost/dockhand-test/busybox:latest', 'localhost/dockhand-test/busybox:latest'],
    ['127.0.0.1:5000/dh/busybox:t1', '127.0.0.1:5000/dh/busybox:t1'],
    // Not a reference: shown as the engine wrote it.
    ['Not A Reference', 'Not A Reference'],
  ])('%s', (listed, shown) => {
    expect(familiarImageName(listed)).toBe(shown);
  });
});

describe('repositoryDigest', () => {
  it('finds the digest of the reference\'s repository among an image\'s repo@digest names', () => {
    const digests = [`127.0.0.1:5000/dh/x@${DIGEST}`, `busybox@sha256:${'b'.repeat(64)}`];
    expect(repositoryDigest(digests, parseImageReference('127.0.0.1:5000/dh/x:t1'))).toBe(DIGEST);
    expect(repositoryDigest(digests, parseImageReference('docker.io/library/busybox'))).toBe(`sha256:${'b'.repeat(64)}`);
    expect(repositoryDigest(digests, parseImageReference('127.0.0.1:5000/dh/y:t1'))).toBeUndefined();
    expect(repositoryDigest(['<none>@<none>'], parseImageReference('x'))).toBeUndefined();
  });
});

describe('parseImageReference rejects what the CLI rejects, with the reason', () => {
  it.each([
    ['', /empty/],
    ['busy box', /spaces/],
    ['Busybox', /lowercase/],
    ['dh/Busybox', /lowercase/],
    ['busybox:', /is not a tag/],
    ['busybox:-x', /is not a tag/],
    [`busybox:${'t'.repeat(129)}`, /is not a tag/],
    ['busybox@sha256:abc', /is not a digest/],
    [`busybox@sha256:${'A'.repeat(64)}`, /64 lowercase hex/],
    ['dh//x', /empty component/],
    ['dh/x-', /is not a path component/],
    ['dh/.x', /is not a path component/],
    ['-bad.host:5000/x', /is not a registry/],
    ['127.0.0.1:5000/', /repository name is missing/],
    [':tag', /repository name is missing/],
    ['a'.repeat(64), /image id/],
    [`dh/${'a'.repeat(260)}`, /longer than 255/],
  ])('%j', (input, reason) => {
    let error: unknown;
    try {
      parseImageReference(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).reason).toMatch(reason);
    expect((error as Error).message).toContain('invalid reference format');
  });
});
