// Podman's pods: read from its libpod container list (the compat list has no pod), shown in the
// Overview and matched by the list's filter.
import { describe, expect, it } from 'vitest';
import { podNamesById, type RawLibpodContainer } from '../../src/engine/podman-pods.js';
import type { ContainerDetails } from '../../src/engine/types.js';
import { matchesFilter } from '../../src/views/list-model.js';
import { overviewLines } from '../../src/views/pane-lines.js';
import { makeContainer } from '../support/fake-engine.js';

// GET /v1.41/libpod/containers/json?all=true from Podman 4.3.1, trimmed to what dockhand reads.
const LIBPOD_LIST: RawLibpodContainer[] = [
  { Id: 'c0dc9dff59f2aa', Pod: '', PodName: '' },
  { Id: '44f0c445da64bb', Pod: '95db75f09d2307c11725a5c3fba2fd26ba7810933e4df7d34cd865f055f049c3', PodName: 'dh-podx' },
  { Id: '5a1b2c3d4e5fcc', Pod: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
];

describe('podNamesById', () => {
  it('names the pod of each container that is in one, by its short id when the name is missing', () => {
    expect(podNamesById(LIBPOD_LIST)).toEqual(new Map([['44f0c445da64bb', 'dh-podx'], ['5a1b2c3d4e5fcc', '0123456789ab']]));
    expect(podNamesById(null)).toEqual(new Map());
  });
});

describe('a container in a pod', () => {
  const row = { ...makeContainer({ name: 'api' }), pod: 'dh-podx' };

  it('is found by its pod in the list filter', () => {
    expect(matchesFilter(row, 'podx')).toBe(true);
    expect(matchesFilter(makeContainer({ name: 'api' }), 'podx')).toBe(false);
  });

  it('shows its pod in the Overview', () => {
    const details = {
      id: row.id, name: 'api', image: 'busybox', imageId: 'sha256:x', command: 'sleep 60', entrypoint: '', created: '2024-06-10T09:58:00.1Z',
      state: 'running', exitCode: 0, error: '', oomKilled: false, health: undefined, startedAt: '2024-06-10T09:58:01Z',
      finishedAt: '', restartCount: 0, restartPolicy: 'no', ports: [], mounts: [], labels: {}, tty: false,
      openStdin: false, env: [], healthFailingStreak: 0, healthLog: [], networks: [],
      limits: { memory: 0, cpus: 0, cpuShares: 0, pidsLimit: 0 }, raw: {},
    } satisfies ContainerDetails;
    const lines = overviewLines(row, details, Date.parse('2024-06-10T10:02:01Z'));
    expect(lines).toContainEqual({ label: 'Pod', text: 'dh-podx' });
    expect(overviewLines({ ...row, pod: undefined }, details, 0).map((l) => l.label)).not.toContain('Pod');
  });
});
