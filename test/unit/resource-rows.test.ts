import { describe, expect, it } from 'vitest';
import { toImageDetails, toImageRows } from '../../src/engine/resource-rows.js';

const ID = `sha256:${'b'.repeat(64)}`;
const DIGEST = `sha256:${'c'.repeat(64)}`;

// Podman 4's /v1.41/images/json and /images/{id}/json for an image built through the Docker API
// as app:one and app:two, and for the test image it loaded (named localhost/…).
const PODMAN_BUILT = {
  Id: ID,
  RepoTags: ['docker.io/library/app:one', 'docker.io/library/app:two'],
  RepoDigests: [`docker.io/library/app@${DIGEST}`],
  Size: 2126251,
  SharedSize: 0,
  Created: 1795643783,
};
const PODMAN_LOADED = { ...PODMAN_BUILT, Id: `sha256:${'d'.repeat(64)}`, RepoTags: ['localhost/dockhand-test/busybox:latest'] };

describe('image rows name images as the CLI prints them', () => {
  it('lists Podman\'s full docker.io names as Docker lists them, and keeps localhost/', () => {
    const rows = toImageRows([PODMAN_BUILT, PODMAN_LOADED], []);
    expect(rows.map((row) => row.tags)).toEqual([['app:one', 'app:two'], ['localhost/dockhand-test/busybox:latest']]);
  });

  it('details and history name tags and digests the same way', () => {
    const details = toImageDetails({ ...PODMAN_BUILT, Created: '2026-11-26T06:15:47Z' }, [{ Id: ID, Tags: ['docker.io/library/app:one'], CreatedBy: 'CMD ["sh"]' }]);
    expect(details.tags).toEqual(['app:one', 'app:two']);
    expect(details.digests).toEqual([`app@${DIGEST}`]);
    expect(details.history[0]?.tags).toEqual(['app:one']);
  });

  it('still drops the <none> entries older engines list for no tag', () => {
    expect(toImageRows([{ ...PODMAN_BUILT, RepoTags: ['<none>:<none>'] }], [])[0]).toMatchObject({ tags: [], dangling: true });
  });
});
