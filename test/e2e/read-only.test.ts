// --read-only on the real engine, seen from the engine's side: a recording proxy socket stands
// between dockhand and dockerd, and a session that presses every action key in every view must
// send it reads only (no POST, PUT or DELETE), while the screen says why each key did nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeTestContainers, runContainer, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { expectPauseAndResume, filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import { RecordingProxy } from '../support/recording-proxy.js';
import type { TmuxSession } from '../support/tmux.js';

useRealEngineAndTerminal();

const project = uniqueName('ro');
const volume = uniqueName('rovol');
const network = uniqueName('ronet');
let container: { id: string; name: string };
let proxy: RecordingProxy;

beforeAll(async () => {
  container = await runContainer({
    name: uniqueName('ro'),
    labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' },
  });
  await docker('volume', 'create', '--label', `${TEST_LABEL}=1`, volume);
  await docker('network', 'create', '--label', `${TEST_LABEL}=1`, network);
  proxy = await RecordingProxy.start();
});

afterAll(async () => {
  await proxy?.stop();
  await removeTestContainers();
  await docker('volume', 'rm', '--force', volume).catch(() => undefined);
  await docker('network', 'rm', network).catch(() => undefined);
});

/**
 * Presses `key` and waits for the status line's refusal naming it. Keys are handled in order, so
 * the last refusal seen also means every key before it was handled.
 */
async function refused(session: TmuxSession, key: string): Promise<void> {
  await session.type(key);
  await session.waitForText(`read-only: ${key} (`);
}

async function inView(session: TmuxSession, key: string, title: string, name: string): Promise<void> {
  await session.type(key);
  await session.waitForText(title);
  await filterTo(session, name);
}

describe('--read-only, counted at the engine', () => {
  it('every action key in every view sends no POST, PUT or DELETE; each says why', async () => {
    const session = await startDockhand({ cols: 120, rows: 40, args: ['--read-only', '-H', proxy.socketPath] });
    const header = await session.waitForText('● live');
    expect(header.split('\n')[0]).toContain('read-only');
    await filterTo(session, container.name);

    for (const key of ['S', 's', 'r', 'p', 'K', 'd', 'E', 'a']) await refused(session, key);
    await session.type(' ');
    await refused(session, 's');

    await inView(session, '5', 'PROJECT', project);
    for (const key of ['u', 'x', 'R', 'P', 's', 'd']) await refused(session, key);
    await inView(session, '2', 'REPOSITORY:TAG', TEST_IMAGE.split(':')[0] ?? TEST_IMAGE);
    await refused(session, 'd');
    await inView(session, '3', 'VOLUME NAME', volume);
    await refused(session, 'd');
    await inView(session, '4', 'NETWORK', network);
    await refused(session, 'd');

    await session.type('D');
    await session.waitForText('RECLAIMABLE');
    await session.type('P');
    await session.waitForText('Prune everything');
    await session.type('y');
    await session.waitForText('read-only: y (delete what is listed');
    // Esc back to the table first: an Esc followed at once by D would read as Alt+D.
    await session.sendKeys('Escape');
    await session.waitForText('p preview prune');
    await session.type('D');
    await session.waitForText(/DRIVER\s+SCOPE/);

    await session.type(':');
    await session.type('run hello');
    await session.sendKeys('Enter');
    await session.waitForText('read-only: your commands may change the engine');

    await session.type('q');
    await session.waitForExit();

    expect(proxy.requests.length).toBeGreaterThan(10);
    expect(proxy.requests.some((r) => /\/containers\/json/.test(r.path))).toBe(true);
    expect(proxy.mutating()).toEqual([]);
    expect((await docker('inspect', '--format', '{{.State.Status}}', container.id))).toBe('running');
  });

  it('the same proxy does see a change when dockhand is not read-only (p pauses, p resumes)', async () => {
    const before = proxy.requests.length;
    const session = await startDockhand({ cols: 120, rows: 40, args: ['-H', proxy.socketPath] });
    await session.waitForText('● live');
    expect((await session.capture()).split('\n')[0]).not.toContain('read-only');
    await filterTo(session, container.name);
    await expectPauseAndResume(session, container.id);
    const posts = proxy.requests.slice(before).filter((r) => r.method === 'POST').map((r) => r.path.replace(/^\/v[\d.]+/, ''));
    expect(posts).toEqual([`/containers/${container.id}/pause`, `/containers/${container.id}/unpause`]);
  });
});
