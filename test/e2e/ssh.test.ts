// The real binary on an ssh:// engine (the test's own sshd in front of the shared engine), in a
// real terminal: what a person working on a remote Docker host sees and does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../support/docker.js';
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
});
