// Run (R) from the images list of the real binary, in tmux, on the real engine: every field of
// the form filled, the `docker run` line shown before anything runs, and the container the engine
// made checked setting by setting. The container and its volume are removed afterwards.
import { afterAll, describe, expect, it } from 'vitest';
import { docker, inspect, listedImageName, ON_PODMAN, TEST_IMAGE, waitFor } from '../support/docker.js';
import { escapeRegExp, expectWithin, fillField, filterTo, nextField, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';

useRealEngineAndTerminal();

const NAME = uniqueName('run');
// The form is filled with the image's name as the engine lists it (Podman: localhost/…).
const IMAGE = listedImageName(TEST_IMAGE);
const VOLUME = `${NAME}-vol`;

afterAll(async () => {
  await docker('rm', '--force', NAME).catch(() => undefined);
  await docker('volume', 'rm', VOLUME).catch(() => undefined);
});

describe('images list: Run (R)', () => {
  it('R, every field filled, Enter shows the docker run line, y runs it and selects it; the engine has each setting', async () => {
    const cols = 100;
    const rows = 30;
    const session = await startDockhand({ cols, rows });
    await session.waitForText('● live');
    await session.type('2');
    await session.waitForText('REPOSITORY:TAG');
    await filterTo(session, IMAGE);

    await session.type('R');
    const form = await session.waitForText('Run a container');
    expect(form).toMatch(new RegExp(` {2}image +${escapeRegExp(IMAGE)}`));
    expectWithin(form, cols, rows);
    await fillField(session, 'name', NAME);
    await nextField(session, 'command');
    await fillField(session, 'command', `sh -c 'echo $GREETING; sleep 3600'`);
    await nextField(session, 'env -e');
    await fillField(session, 'env -e', 'GREETING=hi');
    await nextField(session, 'ports -p');
    await fillField(session, 'ports -p', '127.0.0.1::8080');
    await nextField(session, 'volumes -v');
    await fillField(session, 'volumes -v', `${VOLUME}:/data`);
    await nextField(session, 'network');
    await nextField(session, 'restart');
    await fillField(session, 'restart', 'unless-stopped');
    await nextField(session, 'memory');
    await fillField(session, 'memory', '64m');
    await nextField(session, 'cpus');
    await fillField(session, 'cpus', '0.5');

    await session.sendKeys('Enter');
    const confirm = await session.waitForText('Run this?');
    expectWithin(confirm, cols, rows);
    const shown = confirm.split('\n').map((line) => line.trim()).join(' ');
    expect(shown).toContain(
      `docker run -d --name ${NAME} -e GREETING=hi -p 127.0.0.1::8080 -v ${VOLUME}:/data --restart unless-stopped --memory 64m --cpus 0.5 `
      + `${IMAGE} sh -c 'echo $GREETING; sleep 3600'`,
    );
    expect(confirm).toContain('y run · n/Esc back to the form');

    await session.type('y');
    const started = await session.waitForText(new RegExp(`Started ${NAME} \\([0-9a-f]{12}\\)`), { timeoutMs: 30_000 });
    expect(started).toMatch(new RegExp(`│ Name +${NAME}`));
    expect(started).toMatch(/\d+\/\d+ running/);

    const container = await inspect(NAME);
    expect(container.State.Running).toBe(true);
    expect(container.Config.Env).toContain('GREETING=hi');
    expect(container.Config.Cmd).toEqual(['sh', '-c', 'echo $GREETING; sleep 3600']);
    // A port left to the engine: Docker keeps the request (''), Podman records the port it chose.
    const hostPort = ON_PODMAN ? expect.stringMatching(/^[1-9][0-9]*$/) : '';
    expect(container.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: hostPort }] });
    expect(container.Mounts).toEqual(expect.arrayContaining([expect.objectContaining({ Type: 'volume', Name: VOLUME, Destination: '/data' })]));
    expect(container.HostConfig.RestartPolicy).toEqual({ Name: 'unless-stopped', MaximumRetryCount: 0 });
    expect(container.HostConfig.Memory).toBe(67108864);
    expect(container.HostConfig.NanoCpus).toBe(500000000);
    await waitFor(async () => (await docker('logs', NAME)).includes('hi'), { message: 'the command never echoed $GREETING' });
  }, 120_000);
});
