// The real binary on an ssh:// engine (the test's own sshd in front of the shared engine), in a
// real terminal: what a person working on a remote Docker host sees and does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, runContainer } from '../support/docker.js';
import { expectPauseAndResume, startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import { TestSshd } from '../support/sshd.js';

useRealEngineAndTerminal();

let sshd: TestSshd;

beforeAll(async () => {
  sshd = await TestSshd.start();
}, 60_000);

afterAll(async () => {
  await sshd?.destroy();
});

describe('dockhand on DOCKER_HOST=ssh://', () => {
  it('shows the ssh:// URL live, lists the container, and pauses and resumes it with p', async () => {
    const { id, name } = await runContainer({ name: uniqueName('ssh') });
    const session = await startOn(name, {
      env: { DOCKER_HOST: sshd.url, DOCKHAND_SSH: sshd.wrapper, TERM: 'xterm', NO_COLOR: '1' },
    });
    const [header] = await session.captureLines();
    expect(header).toContain(sshd.url);
    expect(header).toContain('● live');
    expect(await session.capture()).toContain(name);
    await expectPauseAndResume(session, id);
  });

  it('the ssh link dropped: reconnecting with the last list dimmed, a key answered in words; sshd back, a fresh list', async () => {
    const prefix = uniqueName('link');
    const first = await runContainer({ name: `${prefix}-a` });
    await runContainer({ name: `${prefix}-b` });
    const session = await startOn(prefix, { env: { DOCKER_HOST: sshd.url, DOCKHAND_SSH: sshd.wrapper, TERM: 'xterm-256color' } });
    await session.waitForText(`${prefix}-b`);
    try {
      await sshd.stop();
      const down = await session.waitForText('◌ reconnecting', { timeoutMs: 20_000 });
      expect(down).toContain(`${prefix}-b`);
      // The row not selected is the last known state, drawn dim (the selected one is in inverse video).
      const row = (await session.captureStyled()).split('\n').find((line) => line.includes(`${prefix}-b`)) ?? '';
      expect(row.slice(0, row.indexOf(`${prefix}-b`))).toMatch(/\u001B\[(?:[\d;]*;)?2(?:;[\d;]*)?m/);

      await session.type('p');
      const refused = await session.waitForText(`${prefix}-a: nothing done, the engine cannot be reached (reconnecting)`);
      expect(refused).not.toMatch(/\n\s+at /);
      expect((await inspect(first.id)).State.Paused).toBe(false);
    } finally {
      await sshd.start();
    }
    const later = await runContainer({ name: `${prefix}-c` });
    // The ssh handshake comes on top of the store's retry: up to 10 s, as in the integration test.
    await session.waitForText(new RegExp(`● live[\\s\\S]*${later.name}`), { timeoutMs: 10_000 });
  }, 60_000);
});
