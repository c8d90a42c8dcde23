// What only Podman has, or lacks, in the real binary, in tmux, on the Podman pass's service
// (scripts/test.sh runs this directory with DOCKHAND_TEST_ENGINE=podman only): the header names
// Podman and its version, 6 and 7 say there is no Swarm and Tab passes them by, and a container in
// a pod shows its pod.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedImageName, ON_PODMAN, requireEngine, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';

const run = promisify(execFile);

useRealEngineAndTerminal();

let version = '';
const pod = uniqueName('pod');
const member = uniqueName('member');

/** The podman CLI on the service's storage (it reads no containers.conf of the service's, so the ulimits are given). */
const podman = (...args: string[]) => run('podman', args);

beforeAll(async () => {
  // This directory means nothing on Docker: run on another engine, it fails rather than passes.
  expect(ON_PODMAN, 'test/podman runs on the Podman pass only (DOCKHAND_TEST_ENGINE=podman)').toBe(true);
  ({ version } = await requireEngine());
  // --infra=false: an infra container needs catatonit, which is not installed here.
  await podman('pod', 'create', '--infra=false', '--label', `${TEST_LABEL}=1`, '--name', pod);
  await podman('run', '--detach', '--pod', pod, '--name', member, '--label', `${TEST_LABEL}=1`,
    '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', listedImageName(TEST_IMAGE), 'sleep', '3600');
}, 60_000);

afterAll(async () => {
  await podman('pod', 'rm', '--force', pod).catch(() => undefined);
}, 60_000);

describe('dockhand on Podman', () => {
  it('names Podman and the version it reports in the header', async () => {
    const session = await startDockhand({ cols: 120 });
    const screen = await session.waitForText('● live');
    expect(screen.split('\n')[0]).toContain(`Podman ${version} · API 1.41`);
  });

  it('6 and 7 say that Podman has no Swarm; Tab goes from projects to events', async () => {
    const session = await startDockhand({ cols: 120 });
    await session.waitForText('● live');
    await session.type('6');
    const refused = await session.waitForText('Podman has no Swarm');
    // Still the containers list: no services list opened, and no advice to `docker swarm init`.
    expect(refused).toMatch(/NAME\s+STATE/);
    expect(refused).not.toContain('docker swarm init');
    await session.type('7');
    await session.waitForText('Podman has no Swarm');
    await session.type('5');
    await session.waitForText(/PROJECT\S*\s+RUNNING/);
    // One Tab from projects (5) is events (8): services (6) and nodes (7) do not exist here.
    await session.sendKeys('Tab');
    await session.waitForText(/TIME\s+EVENT/);
  });

  it('shows the pod a container belongs to in the Overview, and / finds it by its pod', async () => {
    const session = await startDockhand({ cols: 120, rows: 30 });
    await session.waitForText('● live');
    await filterTo(session, pod);
    const overview = await session.waitForText(new RegExp(`Pod\\s+${pod}`));
    expect(overview).toContain(member);
  });
});
