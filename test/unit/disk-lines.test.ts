import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { PlanOutcome } from '../../src/engine/prune.js';
import type { DiskUsage, PruneCategory, PrunePreview } from '../../src/engine/resource-types.js';
import {
  formatReclaimable, previewScreen, resultScreen, toggleMeaning, usageTableScreen, type PreviewInput,
} from '../../src/views/disk-lines.js';

const WIDTH = 80;
/** An 80x24 terminal less the header and the hint line. */
const HEIGHT = 21;

const USAGE: DiskUsage = {
  images: { count: 5, active: 2, size: 2_700_000_000, reclaimable: 1_200_000_000 },
  containers: { count: 3, active: 1, size: 42, reclaimable: 40 },
  volumes: { count: 4, active: 1, size: 1_000, reclaimable: 600 },
  buildCache: { count: 0, active: 0, size: 0, reclaimable: 0 },
  containerSizes: {},
  volumeSizes: {},
  buildCacheItems: [],
};

function plan(category: PruneCategory, count: number, extra: Partial<PrunePreview> = {}): PrunePreview {
  const items = Array.from({ length: count }, (_, i) => ({ id: `${category}-${i}`, name: `${category}-item-${i}`, size: 100 }));
  return { category, items, total: count * 100, notes: [`${category} rule`], all: false, ...extra };
}

const VOLUMES_141 = plan('volumes', 3, {
  all: true,
  notes: [
    'API 1.41 (below 1.42): the engine\'s volume prune also deletes unused NAMED volumes; they are listed here.',
    'Volumes of other drivers are never pruned; a volume any container mounts (even stopped) stays.',
  ],
});

function preview(input: Partial<PreviewInput>): ReturnType<typeof previewScreen> {
  return previewScreen({
    target: 'volumes', all: false, plan: [VOLUMES_141], namedVolumesAlways: true, changed: false, deleting: false,
    error: undefined, scroll: 0, width: WIDTH, height: HEIGHT, ...input,
  });
}

const texts = (screen: { lines: Array<{ text: string }> }) => screen.lines.map((line) => line.text);

function expectFits(screen: { lines: Array<{ text: string }> }, width = WIDTH, height = HEIGHT): void {
  expect(screen.lines).toHaveLength(height);
  for (const text of texts(screen)) expect(stringWidth(text), text).toBeLessThanOrEqual(width);
}

describe('formatReclaimable', () => {
  it('gives the share of the size rounded down, as docker system df does', () => {
    expect(formatReclaimable({ size: 2_700_000_000, reclaimable: 1_200_000_000 })).toBe('1.2GB (44%)');
    expect(formatReclaimable({ size: 42, reclaimable: 42 })).toBe('42B (100%)');
    expect(formatReclaimable({ size: 0, reclaimable: 0 })).toBe('0B');
  });
});

describe('usageTableScreen', () => {
  const table = (selected = 0) => usageTableScreen({
    usage: USAGE, networks: { count: 4, active: 1 }, selected, measuring: false, error: undefined, width: WIDTH, height: HEIGHT,
  });

  it('is the docker system df table with networks and "Everything" after, the selected row marked', () => {
    const screen = table(2);
    expectFits(screen);
    const lines = texts(screen);
    expect(lines[1]).toMatch(/^ {2}TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE$/);
    expect(lines[2]).toMatch(/^ {2}Images +5 +2 +2\.7GB +1\.2GB \(44%\)$/);
    expect(lines[4]).toMatch(/^▸ Local Volumes +4 +1 +1kB +600B \(60%\)$/);
    expect(lines[5]).toMatch(/^ {2}Build Cache +0 +0 +0B +0B$/);
    expect(lines[6]).toMatch(/^ {2}Networks +4 +1 +- +-$/);
    expect(lines[7]?.trim()).toBe('Everything (P)');
    expect(screen.lines[4]?.tone).toBe('title');
  });

  it('says in the build cache row that the engine has none (Podman), instead of zeros', () => {
    const screen = usageTableScreen({
      usage: USAGE, networks: undefined, noBuildCache: 'none: Podman keeps no build cache', selected: 0, measuring: false, error: undefined, width: WIDTH, height: HEIGHT,
    });
    expectFits(screen);
    expect(texts(screen)[5]).toMatch(/^ {2}Build Cache +- +- +- +none: Podman keeps no build cache$/);
  });

  it('says it is measuring, and shows an error in words', () => {
    const screen = usageTableScreen({
      usage: undefined, networks: undefined, selected: 0, measuring: true, error: 'connect ECONNREFUSED /var/run/docker.sock', width: WIDTH, height: HEIGHT,
    });
    expectFits(screen);
    expect(texts(screen)[0]).toMatch(/measuring/);
    expect(screen.lines.at(-1)).toEqual({ text: 'connect ECONNREFUSED /var/run/docker.sock', tone: 'error' });
  });
});

describe('previewScreen', () => {
  it('states the named-volume rule of API 1.41 in yellow, lists every item with its size and the total', () => {
    const screen = preview({});
    expectFits(screen);
    const lines = texts(screen);
    expect(lines[0]).toBe('Prune volumes: unused, named ones too');
    expect(screen.lines.find((l) => l.text.includes('NAMED'))?.tone).toBe('warning');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}volumes-item-0 +100B$/));
    expect(lines.at(-2)).toBe('3 items, 300B to free');
    expect(lines.at(-1)).toBe('y delete these · a no difference below API 1.42 · n/Esc cancel');
  });

  it('keeps the warning on screen above a long "everything" list, and windows the list', () => {
    const everything = [plan('containers', 60), plan('networks', 2), VOLUMES_141, plan('images', 5), plan('buildCache', 0)];
    const top = preview({ target: 'everything', plan: everything });
    expectFits(top);
    const lines = texts(top);
    expect(lines.slice(0, 4).join(' ')).toMatch(/Local volumes: API 1\.41 .* NAMED/);
    expect(lines).toContain('Containers: 60 items, 6kB');
    expect(lines.at(-2)).toMatch(/^70 items, 7kB to free {2}\(1-\d+ of 75, j\/k scroll\)$/);
    expect(top.maxScroll).toBeGreaterThan(0);
    // only build cache has nothing, and it says nothing
    expect(lines.join('\n')).not.toMatch(/buildCache rule/);

    const bottom = preview({ target: 'everything', plan: everything, scroll: 10_000 });
    expectFits(bottom);
    expect(texts(bottom).at(-3)).toBe('Build cache: nothing');
    expect(texts(bottom).at(-2)).toMatch(/of 75, j\/k scroll\)$/);
  });

  it('says when there is nothing to prune, and offers no y', () => {
    const screen = preview({ target: 'images', plan: [plan('images', 0)], namedVolumesAlways: false });
    expectFits(screen);
    expect(texts(screen)).toContain('Nothing to prune');
    expect(texts(screen).at(-1)).toBe('a every unused image · n/Esc back');
  });

  it('marks a fresh plan after a change, shows loading and deleting', () => {
    expect(texts(preview({ changed: true }))[1]).toBe('The engine changed since the preview: this is the fresh list; y deletes these');
    expect(texts(preview({ plan: undefined }))).toContain('Listing what would be deleted…');
    expect(texts(preview({ deleting: true })).at(-1)).toMatch(/^Deleting…/);
  });

  it('fits small terminals too', () => {
    for (const [width, height] of [[40, 8], [60, 12], [120, 40]] as const) {
      expectFits(preview({ target: 'everything', plan: [plan('containers', 30), VOLUMES_141], width, height }), width, height);
    }
  });
});

describe('toggleMeaning', () => {
  it('names what a switches to, and says when it makes no difference', () => {
    expect(toggleMeaning('images', false, true)).toEqual({ label: 'every unused image', changes: true });
    expect(toggleMeaning('images', true, true)).toEqual({ label: 'dangling only', changes: true });
    expect(toggleMeaning('volumes', false, false)).toEqual({ label: 'named ones too', changes: true });
    expect(toggleMeaning('volumes', false, true)).toEqual({ label: 'no difference below API 1.42', changes: false });
    expect(toggleMeaning('everything', false, false)?.label).toBe('every unused image, named volumes');
    expect(toggleMeaning('everything', true, true)?.label).toBe('dangling images');
    expect(toggleMeaning('containers', false, true)).toBeUndefined();
  });
});

describe('resultScreen', () => {
  it('reports how many went, what was reclaimed, and each skipped item with its reason', () => {
    const images = plan('images', 3);
    const outcome: Extract<PlanOutcome, { status: 'done' }> = {
      status: 'done',
      reclaimed: 1_500,
      results: [
        { category: 'containers', result: { deleted: [], skipped: [], reclaimed: 0 } },
        {
          category: 'images',
          result: {
            deleted: images.items.slice(0, 2),
            skipped: [{ item: images.items[2] ?? { id: '', name: '', size: 0 }, reason: 'now used by web' }],
            reclaimed: 1_500,
          },
        },
      ],
    };
    const screen = resultScreen({ target: 'everything', outcome, scroll: 0, width: WIDTH, height: HEIGHT });
    expectFits(screen);
    expect(texts(screen).slice(0, 5)).toEqual([
      'Pruned everything',
      'Deleted 2 of 3 items · Reclaimed 1.5kB',
      'Containers: 0 deleted, 0B',
      'Images: 2 deleted, 1.5kB',
      '  skipped images-item-2: now used by web',
    ]);
    expect(texts(screen).at(-1)).toBe('Esc/Enter back to disk usage (measures again)');
  });
});
