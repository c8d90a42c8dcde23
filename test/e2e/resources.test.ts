// The images, volumes and networks lists of the real binary, in tmux, on the real engine. The
// engine may hold other people's things: everything made here is named dh-<hex> and removed after.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, ON_PODMAN, removeTestContainers, runContainer, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { expectWithin, filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

const made = { images: [] as string[], volumes: [] as string[], networks: [] as string[] };

afterAll(async () => {
  // The containers first, so that what they used can go.
  await removeTestContainers();
  for (const image of made.images) await docker('image', 'rm', '--force', image).catch(() => undefined);
  for (const volume of made.volumes) await docker('volume', 'rm', '--force', volume).catch(() => undefined);
  for (const network of made.networks) await docker('network', 'rm', network).catch(() => undefined);
});

/**
 * / then Esc, and wait until `hidden` (filtered out before) is listed again: an Esc followed at
 * once by another key would read as Alt+key.
 */
async function clearFilter(session: TmuxSession, hidden: string): Promise<void> {
  await session.type('/');
  await session.sendKeys('Escape');
  await session.waitForText(hidden);
}

const exists = (kind: 'image' | 'volume' | 'network', name: string) =>
  docker(kind, 'inspect', name).then(() => true, () => false);

/** An image of our own with two tags, built FROM the test image (no registry here). */
async function buildTwoTags(repo: string): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'dh-build-'));
  try {
    await writeFile(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nLABEL ${TEST_LABEL}=1\nCMD ["echo", "${repo}"]\n`);
    const id = await docker('build', '--quiet', '--tag', `${repo}:one`, '--tag', `${repo}:two`, context);
    made.images.push(id);
    return id;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

describe('images, volumes and networks in a terminal', () => {
  it('2 lists images with their details; d untags the selected tag only', async () => {
    const repo = uniqueName('img');
    await buildTwoTags(repo);
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('2');
    await session.waitForText('REPOSITORY:TAG');
    await session.waitForText(/\d+ images · \d+ dangling/);
    await filterTo(session, repo);
    const screen = await session.waitForText('Label   dockhand.test=1');
    expect(screen).toContain(`${repo}:one`);
    expect(screen).toContain(`${repo}:two`);
    expectWithin(screen, 80, 24);
    // The layers are further down the details: Enter opens them full screen, G goes to the end.
    await session.sendKeys('Enter');
    await session.type('G');
    // The step as each builder records it: Docker's classic builder without a comma, buildah with one.
    const history = await session.waitForText(ON_PODMAN ? `CMD ["echo", "${repo}"]` : `CMD ["echo" "${repo}"]`);
    expect(history).toContain('History');
    await session.sendKeys('Escape');
    await session.waitForText('REPOSITORY:TAG');
    await session.type('d');
    await session.waitForText(`Untag ${repo}:one`);
    await session.waitForText(`The image stays with ${repo}:two`);
    await session.type('y');
    await session.waitForText(`untagged ${repo}:one`);
    expect(await exists('image', `${repo}:one`)).toBe(false);
    expect(await exists('image', `${repo}:two`)).toBe(true);
    const after = await session.waitForText(`${repo}:two`);
    expect(after).not.toContain(`${repo}:one `);
  });

  it('3 lists volumes; an in-use volume is refused with its user, an unused one goes after y', async () => {
    const free = uniqueName('free');
    const used = uniqueName('used');
    await docker('volume', 'create', '--label', `${TEST_LABEL}=1`, free);
    made.volumes.push(free, used);
    const user = await runContainer({ name: uniqueName('user'), args: ['-v', `${used}:/data`] });
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('3');
    await session.waitForText('VOLUME NAME');
    await filterTo(session, used);
    await session.waitForText(user.name);
    await session.type('d');
    await session.waitForText(`in use by ${user.name}`);
    expect(await exists('volume', used)).toBe(true);
    await clearFilter(session, free);
    await filterTo(session, free);
    await session.type('d');
    await session.waitForText(`Remove volume ${free} (named`);
    await session.type('y');
    await session.waitForText(`Volume ${free} removed`);
    await waitFor(async () => !(await exists('volume', free)), { message: `${free} still exists` });
  });

  it('4 lists networks; host is refused with a reason, a network of ours goes after y', async () => {
    const name = uniqueName('net');
    await docker('network', 'create', '--label', `${TEST_LABEL}=1`, '--subnet', '10.213.7.0/24', name);
    made.networks.push(name);
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type('4');
    await session.waitForText('NETWORK');
    // host, not bridge: the filter also matches drivers, and our network's driver is bridge.
    // Podman lists neither host nor none; its own default network, which it never removes, is
    // listed as bridge, and the filter finds it alone by its id.
    await filterTo(session, ON_PODMAN ? (await docker('network', 'inspect', '--format', '{{.Id}}', 'bridge')).slice(0, 12) : 'host');
    await session.type('d');
    await session.waitForText('predefined');
    await clearFilter(session, name);
    await filterTo(session, name);
    await session.waitForText('10.213.7.0/24');
    await session.type('d');
    await session.waitForText(`Remove network ${name}`);
    await session.type('y');
    await session.waitForText(`Network ${name} removed`);
    expect(await exists('network', name)).toBe(false);
  });

  it('Tab and Shift-Tab cycle through the four lists, 1 goes back to containers', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.sendKeys('Tab');
    await session.waitForText('REPOSITORY:TAG');
    await session.sendKeys('Tab');
    await session.waitForText('VOLUME NAME');
    await session.sendKeys('BTab');
    await session.waitForText('REPOSITORY:TAG');
    await session.type('1');
    await session.waitForText(/\d+\/\d+ running/);
  });
});
