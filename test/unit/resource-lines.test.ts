import { describe, expect, it } from 'vitest';
import type { ImageDetails, ImageRow, NetworkRow, VolumeRow } from '../../src/engine/resource-types.js';
import type { PaneLine } from '../../src/views/pane-lines.js';
import { imageLines, networkLines, volumeLines } from '../../src/views/resource-lines.js';
import { MASK } from '../../src/views/secrets.js';

const NOW_MS = Date.parse('2024-06-10T12:00:00Z');
const HOUR = 3600;
const IMAGE_ID = `sha256:${'a1b2c3d4e5f6'.repeat(5)}abcd`;
const BASE_ID = `sha256:${'0f'.repeat(32)}`;

function text(lines: readonly PaneLine[]): string {
  return lines.map((line) => (line.label === undefined ? line.text : `${line.label}: ${line.text}`)).join('\n');
}

function withLabel(lines: readonly PaneLine[], label: string): PaneLine[] {
  return lines.filter((line) => line.label === label);
}

const image: ImageRow = {
  id: IMAGE_ID,
  tags: ['web:1.2', 'web:latest'],
  dangling: false,
  size: 4_860_000,
  sharedSize: 1_980_000,
  created: NOW_MS / 1000 - 2 * HOUR,
  containers: [{ id: 'c1', name: 'web-1' }, { id: 'c2', name: 'web-2' }],
};

const details: ImageDetails = {
  id: IMAGE_ID,
  tags: ['web:1.2', 'web:latest'],
  digests: ['web@sha256:feed'],
  created: '2024-06-10T10:00:00Z',
  architecture: 'arm64',
  variant: 'v8',
  os: 'linux',
  author: 'ops@example.com',
  size: 4_860_000,
  entrypoint: ['/entrypoint.sh'],
  cmd: ['serve', '--port', '80'],
  env: ['PATH=/usr/bin:/bin', 'DB_PASSWORD=hunter2'],
  exposedPorts: ['80/tcp', '443/tcp'],
  labels: { maintainer: 'ops' },
  workingDir: '/app',
  user: 'www',
  volumes: ['/data'],
  history: [
    { id: IMAGE_ID, created: NOW_MS / 1000 - 2 * HOUR, createdBy: '/bin/sh -c #(nop)  CMD ["serve"]', size: 0, tags: ['web:1.2'], comment: '' },
    { id: '<missing>', created: NOW_MS / 1000 - 3 * HOUR, createdBy: '/bin/sh -c apk add curl', size: 2_880_000, tags: [], comment: '' },
    { id: BASE_ID, created: NOW_MS / 1000 - 14 * 24 * HOUR, createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', size: 1_980_000, tags: ['alpine:3.20'], comment: '' },
  ],
};

describe('imageLines', () => {
  it('shows the list facts first: ids, every tag, age, sizes as docker prints them, the containers using it', () => {
    const lines = imageLines(image, details, NOW_MS, false);
    expect(withLabel(lines, 'ID')[0]?.text).toBe('a1b2c3d4e5f6');
    expect(withLabel(lines, 'Full ID')[0]?.text).toBe(IMAGE_ID);
    expect(withLabel(lines, 'Tag').map((l) => l.text)).toEqual(['web:1.2', 'web:latest']);
    expect(withLabel(lines, 'Digest').map((l) => l.text)).toEqual(['web@sha256:feed']);
    expect(withLabel(lines, 'Created')[0]?.text).toBe('2h ago, 2024-06-10 10:00:00 UTC');
    expect(withLabel(lines, 'Size')[0]?.text).toBe('4.86MB (shared 1.98MB, unique 2.88MB)');
    expect(withLabel(lines, 'Used by')[0]?.text).toBe('2 containers: web-1, web-2');
    expect(withLabel(lines, 'Platform')[0]?.text).toBe('linux/arm64/v8');
    expect(withLabel(lines, 'Author')[0]?.text).toBe('ops@example.com');
  });

  it('shows the config in exec form, ports, volumes and labels', () => {
    const shown = text(imageLines(image, details, NOW_MS, false));
    expect(shown).toContain('Entrypoint: ["/entrypoint.sh"]');
    expect(shown).toContain('Cmd: ["serve","--port","80"]');
    expect(shown).toContain('Workdir: /app');
    expect(shown).toContain('User: www');
    expect(shown).toContain('Ports: 80/tcp, 443/tcp');
    expect(shown).toContain('Volume: /data');
    expect(shown).toContain('Label: maintainer=ops');
  });

  it('masks a secret-looking env value unless secrets are revealed', () => {
    const hidden = text(imageLines(image, details, NOW_MS, false));
    expect(hidden).not.toContain('hunter2');
    expect(hidden).toMatch(new RegExp(`DB_PASSWORD\\s+${MASK}`));
    expect(hidden).toMatch(/PATH\s+\/usr\/bin:\/bin/);
    expect(text(imageLines(image, details, NOW_MS, true))).toMatch(/DB_PASSWORD\s+hunter2/);
  });

  it('lists the history newest first with age and size, the no-op shell prefix stripped and base tags marked', () => {
    const lines = imageLines(image, details, NOW_MS, false);
    const title = lines.findIndex((l) => l.text.startsWith('History'));
    expect(lines[title]).toEqual({ text: 'History: 3 steps, newest first (age, size, step)', tone: 'title' });
    expect(lines.slice(title + 1, -1)).toEqual([
      { label: '2h       0B', text: 'CMD ["serve"]' },
      { label: '3h   2.88MB', text: '/bin/sh -c apk add curl' },
      { label: '2w   1.98MB', text: 'ADD file:abc in /  [alpine:3.20]' },
    ]);
    // The full id, which wraps over several lines of a side pane, comes last.
    expect(lines.at(-1)?.label).toBe('Full ID');
  });

  it('marks a dangling image, and says prune takes it only when no container uses it', () => {
    const dangling: ImageRow = { ...image, tags: [], dangling: true, sharedSize: -1, containers: [] };
    const lines = imageLines(dangling, undefined, NOW_MS, false);
    expect(withLabel(lines, 'Tag')).toEqual([
      { label: 'Tag', text: '<none>:<none>, dangling: docker image prune removes it', tone: 'warning' },
    ]);
    expect(withLabel(lines, 'Size')[0]?.text).toBe('4.86MB');
    expect(withLabel(lines, 'Used by')[0]?.text).toBe('no container');
    const used = imageLines({ ...dangling, containers: [{ id: 'c1', name: 'old' }] }, undefined, NOW_MS, false);
    expect(withLabel(used, 'Tag')[0]?.text).toBe('<none>:<none>, dangling');
  });

  it('shows the row and a loading note until inspect answers', () => {
    const lines = imageLines(image, undefined, NOW_MS, false);
    expect(lines.at(-2)).toEqual({ text: 'Loading layers…', tone: 'dim' });
    expect(text(lines)).not.toContain('History');
    expect(withLabel(lines, 'Tag')).toHaveLength(2);
  });

  it('removes escape sequences from build steps, labels and env', () => {
    const hostile: ImageDetails = {
      ...details,
      labels: { evil: 'x\x1b]0;pwned\x07y' },
      env: ['MOTD=\x1b[2J\x1b[Hhello'],
      history: [{ id: IMAGE_ID, created: 0, createdBy: '/bin/sh -c echo \x1b[31mred\x1b[0m\x1bc', size: 0, tags: [], comment: '' }],
    };
    const shown = text(imageLines({ ...image, tags: ['a\u202eb'] }, hostile, NOW_MS, false));
    expect(shown).not.toMatch(/[\x1b\x07\u202e]/);
    expect(shown).toContain('Label: evil=xy');
    expect(shown).toContain('hello');
    expect(shown).toContain('echo red');
    expect(shown).toContain('Tag: ab');
  });
});

describe('volumeLines', () => {
  const volume: VolumeRow = {
    name: 'pgdata',
    driver: 'local',
    mountpoint: '/var/lib/docker/volumes/pgdata/_data',
    labels: { 'com.docker.compose.project': 'shop' },
    created: '2024-06-09T12:00:00Z',
    anonymous: false,
    size: 52_400_000,
    usedBy: [{ id: 'c1', name: 'db' }],
  };

  it('shows name, driver, size, users, mountpoint, age and labels', () => {
    expect(volumeLines(volume, NOW_MS)).toEqual([
      { label: 'Name', text: 'pgdata' },
      { label: 'Driver', text: 'local' },
      { label: 'Size', text: '52.4MB' },
      { label: 'Used by', text: '1 container: db' },
      { label: 'Mountpoint', text: '/var/lib/docker/volumes/pgdata/_data' },
      { label: 'Created', text: '1d ago, 2024-06-09 12:00:00 UTC' },
      { label: 'Label', text: 'com.docker.compose.project=shop' },
    ]);
  });

  it('says when the size is unknown, the volume anonymous and unused, and omits an unknown creation time', () => {
    const anonymous = volumeLines({ ...volume, name: 'f'.repeat(64), anonymous: true, size: -1, usedBy: [], created: '', labels: {} }, NOW_MS);
    expect(withLabel(anonymous, 'Size')).toEqual([{ label: 'Size', text: 'unknown (the engine did not report it)', tone: 'dim' }]);
    expect(withLabel(anonymous, 'Kind')[0]?.text).toBe('anonymous (created without a name)');
    expect(withLabel(anonymous, 'Used by')[0]?.text).toBe('unused');
    expect(withLabel(anonymous, 'Created')).toEqual([]);
  });
});

describe('networkLines', () => {
  const network: NetworkRow = {
    id: 'e'.repeat(64),
    name: 'shop_default',
    driver: 'bridge',
    scope: 'local',
    internal: true,
    attachable: false,
    subnets: [{ subnet: '172.20.0.0/16', gateway: '172.20.0.1' }, { subnet: 'fd00::/64', gateway: '' }],
    containers: [{ id: 'c1', name: 'web', ipv4: '172.20.0.2' }, { id: 'c2', name: 'db', ipv4: '' }],
    predefined: false,
  };

  it('shows name, id, driver, scope, subnets, flags and each container with its address', () => {
    expect(networkLines(network)).toEqual([
      { label: 'Name', text: 'shop_default' },
      { label: 'ID', text: 'eeeeeeeeeeee' },
      { label: 'Driver', text: 'bridge' },
      { label: 'Scope', text: 'local' },
      { label: 'Subnet', text: '172.20.0.0/16, gateway 172.20.0.1' },
      { label: 'Subnet', text: 'fd00::/64' },
      { label: 'Internal', text: 'yes: no route outside the host' },
      { label: 'Attachable', text: 'no' },
      { text: '' },
      { text: 'Containers: 2', tone: 'title' },
      { label: 'Container', text: 'web  172.20.0.2' },
      { label: 'Container', text: 'db  no IPv4 address' },
    ]);
  });

  it('notes that a predefined network cannot be removed', () => {
    const lines = networkLines({ ...network, name: 'host', driver: 'host', subnets: [], containers: [], predefined: true, internal: false });
    expect(lines).toContainEqual({ text: 'Predefined by the engine: bridge, host and none cannot be removed', tone: 'dim' });
    expect(withLabel(lines, 'Subnet')[0]?.text).toBe('none');
    expect(lines.at(-1)).toEqual({ text: 'No container attached (stopped ones have no endpoint)', tone: 'dim' });
    expect(networkLines(network).some((l) => l.text.startsWith('Predefined'))).toBe(false);
  });
});
