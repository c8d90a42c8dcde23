// Contexts and fleets from the real binary, in tmux: the shared engine as context "here" and an
// engine of the test's own as context "spare", which the test stops and starts again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../support/docker.js';
import { expectWithin, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import { PrivateEngine } from '../support/private-engine.js';
import { TestSshd } from '../support/sshd.js';
import { writeTlsContext } from '../support/tls-certs.js';

useRealEngineAndTerminal();

let spare: PrivateEngine;
let sshd: TestSshd;
let configDir: string;
let spareContainer: string;

beforeAll(async () => {
  spare = await PrivateEngine.start();
  sshd = await TestSshd.start();
  configDir = mkdtempSync(join(tmpdir(), 'dh-contexts-'));
  // Plain contexts: no TLS files.
  writeTlsContext(configDir, 'here', 'unix:///var/run/docker.sock', {});
  writeTlsContext(configDir, 'spare', spare.host, {});
  // The shared engine again, through the test's sshd: the same containers, on another host.
  writeTlsContext(configDir, 'remote', sshd.url, {});
  spareContainer = uniqueName('spare');
  await spare.run('--name', spareContainer);
}, 90_000);

afterAll(async () => {
  await spare?.destroy();
  await sshd?.destroy();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
}, 60_000);

describe('contexts and fleets in a terminal', () => {
  it('c lists the contexts, Enter on another reconnects in place', async () => {
    const local = await runContainer({ name: uniqueName('here') });
    const session = await startDockhand({ args: ['--context', 'here'], env: { DOCKER_CONFIG: configDir } });
    await session.waitForText(local.name);
    await session.type('c');
    const list = await session.waitForText('DOCKER ENDPOINT');
    expect(list).toMatch(/● here\s+unix:\/\/\/var\/run\/docker\.sock/);
    expect(list).toContain('spare');
    expect(list).toContain('default');
    expectWithin(list, 80, 24);
    // default, ● here, remote, spare: spare is two down.
    await session.type('jj');
    await session.sendKeys('Enter');
    const switched = await session.waitForText(spareContainer);
    expect(switched.split('\n')[0]).toContain(`spare · ${spare.host}`);
    expect(switched).not.toContain(local.name);
  });

  it('--context twice shows both hosts; one engine down leaves the other live, and it comes back', async () => {
    const local = await runContainer({ name: uniqueName('here') });
    const session = await startDockhand({ args: ['--context', 'here', '--context', 'spare'], env: { DOCKER_CONFIG: configDir, TERM: 'xterm', NO_COLOR: '1' } });
    // Each host lists on its own: wait for both.
    await session.waitForText(spareContainer);
    const both = await session.waitForText(new RegExp(`${local.name}\\s+here\\s+running`));
    expect(both).toMatch(new RegExp(`${spareContainer}\\s+spare\\s+running`));
    expect(both.split('\n')[0]).toMatch(/here ● spare ●/);
    expectWithin(both, 80, 24);

    await spare.kill();
    const down = await session.waitForText(/spare ◌/, { timeoutMs: 15_000 });
    expect(down.split('\n')[0]).toMatch(/here ●/);
    // The live host still acts: its list follows a new container.
    const later = await runContainer({ name: uniqueName('later') });
    await session.waitForText(later.name);

    await spare.launch();
    await session.waitForText(/spare ●/, { timeoutMs: 15_000 });
  });

  it('a local and an ssh context in one view: sshd stopped marks that host down, the other stays live', async () => {
    const local = await runContainer({ name: uniqueName('both') });
    const session = await startDockhand({
      args: ['--context', 'here', '--context', 'remote'],
      env: { DOCKER_CONFIG: configDir, DOCKHAND_SSH: sshd.wrapper, TERM: 'xterm', NO_COLOR: '1' },
    });
    const both = await session.waitForText(new RegExp(`${local.name}\\s+remote`));
    expect(both).toMatch(new RegExp(`${local.name}\\s+here\\s+running`));
    expect(both.split('\n')[0]).toMatch(/here ● remote ●/);
    expectWithin(both, 80, 24);

    await sshd.stop();
    const down = await session.waitForText(/remote ◌/, { timeoutMs: 20_000 });
    expect(down.split('\n')[0]).toMatch(/here ●/);
    await sshd.start();
    await session.waitForText(/remote ●/, { timeoutMs: 20_000 });
  });
});
