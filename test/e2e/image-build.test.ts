// From a Dockerfile to a running container in the real binary, in tmux, on the real engine: b
// builds a two-step Dockerfile in the directory dockhand was started from (with a .dockerignore),
// the output streams under the `docker build` line and the built image is selected; R runs it
// with a port, an env value and a named volume, each checked with docker inspect. What
// .dockerignore names never reached the engine. A failing step ends with the engine's words.
// Everything made is removed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildContexts } from '../support/build-context.js';
import { docker, inspect, ON_PODMAN, TEST_IMAGE, waitFor } from '../support/docker.js';
import { escapeRegExp, expectWithin, fillField, nextField, startDockhand, useRealEngineAndTerminal } from '../support/dockhand.js';

useRealEngineAndTerminal();

const NONCE = randomBytes(4).toString('hex');
const TAG = `dh-e2e-build-${NONCE}:1`;
const NAME = `dh-e2e-built-${NONCE}`;
const VOLUME = `${NAME}-vol`;
const contexts = new BuildContexts();
let context = '';

beforeAll(async () => {
  context = await contexts.make({
    Dockerfile: [
      `FROM ${TEST_IMAGE}`,
      `RUN echo step-two-${NONCE} && ls / > /listing`,
      'COPY . /ctx',
      'CMD ["sh", "-c", "ls -a /ctx; sleep 3600"]',
    ].join('\n'),
    '.dockerignore': 'secret.txt\n',
    'secret.txt': 'never sent',
    'app.txt': 'sent',
  });
});

afterAll(async () => {
  await docker('rm', '--force', NAME).catch(() => undefined);
  await docker('volume', 'rm', VOLUME).catch(() => undefined);
  await docker('rmi', '--force', TAG).catch(() => undefined);
  await contexts.removeAll();
});

describe('images list: build', () => {
  it('b builds the directory dockhand started in, streaming the output, and selects the image; R runs it', async () => {
    const cols = 100;
    const session = await startDockhand({ cols, rows: 30, cwd: context });
    await session.waitForText('● live');
    await session.type('2');
    await session.waitForText('REPOSITORY:TAG');
    await session.type('b');
    await session.waitForText('build from: .');
    await session.sendKeys('Enter');
    await session.waitForText('tag the build as: ');
    await session.sendKeys(...Array<string>(40).fill('BSpace'));
    await session.type(TAG);
    await session.sendKeys('Enter');
    const built = await session.waitForText(new RegExp(`Built ${escapeRegExp(TAG)} \\([0-9a-f]{12}\\)`), { timeoutMs: 60_000 });
    expect(built).toContain(`$ docker build -t ${TAG} ${context}`);
    expect(built).toContain(`step-two-${NONCE}`);
    expect(built).toContain(`Successfully tagged ${TAG}`);
    expectWithin(built, cols, 30);
    await session.sendKeys('Escape');
    await session.waitForText(`Image ${TAG}`);

    await session.type('R');
    await session.waitForText(new RegExp(`image +${escapeRegExp(TAG)}`));
    await fillField(session, 'name', NAME);
    await nextField(session, 'command');
    await nextField(session, 'env -e');
    await fillField(session, 'env -e', `BUILT=${NONCE}`);
    await nextField(session, 'ports -p');
    await fillField(session, 'ports -p', '127.0.0.1::8080');
    await nextField(session, 'volumes -v');
    await fillField(session, 'volumes -v', `${VOLUME}:/data`);
    await session.sendKeys('Enter');
    const confirm = await session.waitForText('Run this?');
    expect(confirm.split('\n').map((line) => line.trim()).join(' '))
      .toContain(`docker run -d --name ${NAME} -e BUILT=${NONCE} -p 127.0.0.1::8080 -v ${VOLUME}:/data ${TAG}`);
    await session.type('y');
    await session.waitForText(new RegExp(`Started ${NAME} \\([0-9a-f]{12}\\)`), { timeoutMs: 30_000 });

    const container = await inspect(NAME);
    expect(container.State.Running).toBe(true);
    // Podman's inspect names the image in full, as it stored the build's tag.
    expect(container.Config.Image).toBe(ON_PODMAN ? `docker.io/library/${TAG}` : TAG);
    expect(container.Config.Env).toContain(`BUILT=${NONCE}`);
    // A port left to the engine: Docker keeps the request (''), Podman records the port it chose.
    const hostPort = ON_PODMAN ? expect.stringMatching(/^[1-9][0-9]*$/) : '';
    expect(container.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: hostPort }] });
    expect(container.Mounts).toEqual(expect.arrayContaining([expect.objectContaining({ Type: 'volume', Name: VOLUME, Destination: '/data' })]));
    // The image's own CMD lists what the build context sent: .dockerignore kept secret.txt out.
    await waitFor(async () => (await docker('logs', NAME)).includes('app.txt'), { message: 'the container never listed /ctx' });
    const files = await docker('logs', NAME);
    expect(files.split('\n')).toEqual(expect.arrayContaining(['Dockerfile', '.dockerignore', 'app.txt']));
    expect(files).not.toContain('secret.txt');
  }, 120_000);

  it('a failing step ends with the engine\'s words; Esc goes back to the list', async () => {
    const failing = await contexts.make({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo about-to-fail && exit 3\n` });
    const session = await startDockhand({ cols: 100, rows: 30 });
    await session.waitForText('● live');
    await session.type('2');
    await session.waitForText('REPOSITORY:TAG');
    await session.type('b');
    await session.waitForText('build from: .');
    await session.sendKeys('BSpace');
    await session.type(failing);
    await session.sendKeys('Enter');
    await session.waitForText('tag the build as: ');
    await session.sendKeys('Enter');
    const failed = await session.waitForText('The build failed', { timeoutMs: 60_000 });
    expect(failed).toContain('about-to-fail');
    // Docker's classic builder and Podman's (buildah) say it in their own words.
    expect(failed).toMatch(ON_PODMAN ? /while running runtime: exit status 3/ : /returned a non-zero code: 3/);
    await session.sendKeys('Escape');
    await session.waitForText('REPOSITORY:TAG');
  }, 120_000);
});
