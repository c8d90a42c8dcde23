// Prune plans on a real engine of the test's own (an engine-wide prune on the shared engine would
// delete other people's things): the setup, a plan of everything, and a comparison of
// what is on the engine before and after with what the plan listed. Once executed by dockhand,
// once by the engine's own `docker system prune`, which must agree with the preview too.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import type { Engine } from '../../src/engine/engine.js';
import { executePrunePlan, previewPrunePlan, PRUNE_ORDER, pruneTakesNamedVolumes } from '../../src/engine/prune.js';
import type { PruneCategory, PrunePreview } from '../../src/engine/resource-types.js';
import { docker, requireEngine, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { PrivateEngine } from '../support/private-engine.js';

const execFileAsync = promisify(execFile);

let privateEngine: PrivateEngine;
let engine: Engine;
let context: string;
let testImageId: string;

/** `docker` aimed at the private engine. */
const onEngine = (...args: string[]) => docker('-H', privateEngine.host, ...args);

beforeAll(async () => {
  await requireEngine();
  // The classic builder: building a tag again leaves the old image dangling, with its
  // intermediate images as untagged parents.
  process.env['DOCKER_BUILDKIT'] = '0';
  privateEngine = await PrivateEngine.start();
  engine = await connect(resolveEndpoint({ host: privateEngine.host, env: {}, homeDir: '/nonexistent' }));
  context = await mkdtemp(join(tmpdir(), 'dockhand-prune-'));
  await writeFile(join(context, 'f'), 'data\n');
  testImageId = await onEngine('image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE);
}, 90_000);

afterAll(async () => {
  await privateEngine?.destroy();
  if (context) await rm(context, { recursive: true, force: true });
}, 60_000);

/** What is on the engine, by the ids a plan's items carry. */
type EngineState = Record<PruneCategory, Set<string>>;

/** Every build cache record, shared and in use ones too (the CLI prints only shortened ids). */
function buildCacheIds(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath: privateEngine.socketPath, path: `/v${engine.info.apiVersion}/system/df` }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => {
        try {
          resolve(((JSON.parse(body) as { BuildCache?: Array<{ ID: string }> | null }).BuildCache ?? []).map((r) => r.ID));
        } catch (error) {
          reject(error);
        }
      });
    }).on('error', reject);
  });
}

async function engineState(): Promise<EngineState> {
  const ids = async (...args: string[]) => new Set((await onEngine(...args)).split('\n').filter(Boolean));
  return {
    containers: await ids('ps', '--all', '--quiet', '--no-trunc'),
    networks: await ids('network', 'ls', '--quiet', '--no-trunc'),
    volumes: await ids('volume', 'ls', '--quiet'),
    images: await ids('images', '--all', '--quiet', '--no-trunc'),
    buildCache: new Set(await buildCacheIds()),
  };
}

/** Per category: what went between the two states, and what the plan listed. */
function goneAndListed(before: EngineState, after: EngineState, plan: readonly PrunePreview[], categories: readonly PruneCategory[]) {
  return Object.fromEntries(categories.map((category) => [category, {
    gone: [...before[category]].filter((id) => !after[category].has(id)).sort(),
    listed: (plan.find((p) => p.category === category)?.items.map((item) => item.id) ?? []).sort(),
  }]));
}

interface Setup {
  prefix: string;
  danglingId: string;
  currentId: string;
  namedVolume: string;
  anonymousVolume: string;
  usedVolume: string;
  runningId: string;
  stoppedId: string;
  networkId: string;
}

/** The setup: a tag built twice, unused named and anonymous volumes, one in use, a stopped container, an unused network. */
async function setUp(): Promise<Setup> {
  const prefix = `dh-${randomBytes(4).toString('hex')}`;
  const label = ['--label', `${TEST_LABEL}=1`];
  await writeFile(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nARG NONCE\nRUN echo "$NONCE" > /x\nRUN echo two > /y\n`);
  const build = (nonce: string) =>
    onEngine('build', '--quiet', '--network', 'none', ...label, '--build-arg', `NONCE=${nonce}`, '--tag', `${prefix}-img`, context);
  const danglingId = await build(`first-${prefix}`);
  const currentId = await build(`second-${prefix}`);
  const namedVolume = `${prefix}-free`;
  const usedVolume = `${prefix}-used`;
  await onEngine('volume', 'create', ...label, namedVolume);
  await onEngine('volume', 'create', ...label, usedVolume);
  const anonymousVolume = await onEngine('volume', 'create', ...label);
  const networkId = await onEngine('network', 'create', ...label, `${prefix}-net`);
  const runningId = await privateEngine.run('--name', `${prefix}-up`, '-v', `${usedVolume}:/data`);
  const stoppedId = await onEngine('run', '--detach', '--network', 'none', ...label, '--name', `${prefix}-down`, TEST_IMAGE, 'true');
  await onEngine('wait', stoppedId);
  return { prefix, danglingId, currentId, namedVolume, anonymousVolume, usedVolume, runningId, stoppedId, networkId };
}

/**
 * Build cache needs BuildKit, which a docker 28.x CLI reaches only through the buildx plugin; the
 * engine package's own 20.10 CLI has it built in. Undefined when no CLI here can.
 */
async function buildWithBuildKit(prefix: string): Promise<boolean> {
  await writeFile(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY f /f\nRUN echo ${prefix} > /z\n`);
  for (const cli of ['docker', '/usr/bin/docker']) {
    try {
      const env = { ...process.env, DOCKER_BUILDKIT: '1' };
      await execFileAsync(cli, ['-H', privateEngine.host, 'build', '--network', 'none', '--tag', `${prefix}-bk`, context], { env });
      // Untagged, the image no longer holds the records: every one of them is unused and unshared.
      await onEngine('image', 'rm', `${prefix}-bk`);
      return true;
    } catch {
      // This CLI cannot build with BuildKit; try the next.
    }
  }
  return false;
}

describe('prune plans on a private engine', () => {
  it('lists exactly what executing the plan then deletes, parents and build cache included; what is in use stays', async () => {
    const s = await setUp();
    const withBuildCache = await buildWithBuildKit(s.prefix);
    const plan = await previewPrunePlan(engine, PRUNE_ORDER, { all: false });
    const of = (category: PruneCategory) => plan.find((p) => p.category === category);

    expect(of('containers')?.items.map((i) => i.id)).toEqual([s.stoppedId]);
    expect(of('networks')?.items.map((i) => i.id)).toEqual([s.networkId]);
    const volumes = of('volumes');
    if (pruneTakesNamedVolumes(engine.info.apiVersion)) {
      expect(volumes?.items.map((i) => i.id).sort()).toEqual([s.namedVolume, s.anonymousVolume].sort());
      expect(volumes?.notes.join('\n')).toMatch(/also deletes unused NAMED volumes/);
    }
    const images = of('images')?.items ?? [];
    // The dangling image first, then its own intermediate steps, each after the one built on it
    // (the build arg makes every step of the first build its own).
    const short = (id: string) => id.slice(7, 19);
    expect(images[0]).toMatchObject({ id: s.danglingId, name: `<none> ${short(s.danglingId)}` });
    const parents = images.slice(1);
    expect(parents.length).toBeGreaterThan(0);
    parents.forEach((parent, i) => {
      expect(parent.name).toBe(`<parent of ${short(images[i]?.id ?? '')}> ${short(parent.id)}`);
    });
    if (withBuildCache) expect(of('buildCache')?.items.length).toBeGreaterThan(0);

    const before = await engineState();
    const outcome = await executePrunePlan(engine, plan);
    const after = await engineState();
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    for (const { result } of outcome.results) expect(result.skipped).toEqual([]);
    for (const [category, { gone, listed }] of Object.entries(goneAndListed(before, after, plan, PRUNE_ORDER))) {
      expect(gone, category).toEqual(listed);
    }
    expect(after.containers.has(s.runningId)).toBe(true);
    expect(after.volumes.has(s.usedVolume)).toBe(true);
    expect(after.images.has(testImageId)).toBe(true);
    expect(after.images.has(s.currentId)).toBe(true);
  }, 120_000);

  it('lists exactly what the engine\'s own system prune deletes', async () => {
    const s = await setUp();
    const categories: PruneCategory[] = ['containers', 'networks', 'volumes', 'images'];
    const plan = await previewPrunePlan(engine, categories, { all: false });
    expect(plan.find((p) => p.category === 'images')?.items.map((i) => i.id)).toContain(s.danglingId);
    const before = await engineState();
    await onEngine('system', 'prune', '--force', '--volumes');
    const after = await engineState();
    for (const [category, { gone, listed }] of Object.entries(goneAndListed(before, after, plan, categories))) {
      expect(gone, category).toEqual(listed);
    }
    expect(after.volumes.has(s.usedVolume)).toBe(true);
    expect(after.images.has(testImageId)).toBe(true);
  }, 120_000);
});
