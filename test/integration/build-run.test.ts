// Building and running on the real engine (classic builder, as engine.sh's 20.10 has). Another
// person may use the same engine: every image, container and volume is named dh-<random hex>,
// containers are labelled dockhand.test=1, and everything is removed by name afterwards,
// including the intermediate containers a failed or cancelled build leaves (found by the name in
// their RUN command).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildUpdate } from '../../src/engine/build.js';
import type { Engine } from '../../src/engine/engine.js';
import { ContainerStartError, parseRunForm, type RunForm, type RunSpec } from '../../src/engine/run-spec.js';
import { docker, inspect, TEST_IMAGE, TEST_LABEL, waitFor } from '../support/docker.js';
import { BuildContexts } from '../support/build-context.js';
import { connectTestEngine } from '../support/engine.js';

const PREFIX = `dh-${randomBytes(4).toString('hex')}`;
const TAG = `${PREFIX}-built:latest`;
const VOLUME = `${PREFIX}-vol`;

let engine: Engine;
const contexts = new BuildContexts();
const context = (files: Record<string, string>) => contexts.make(files);

async function build(dir: string, tag: string, signal = new AbortController().signal): Promise<BuildUpdate[]> {
  const updates: BuildUpdate[] = [];
  for await (const update of await engine.buildImage(dir, { tag }, signal)) updates.push(update);
  return updates;
}

function outputOf(updates: BuildUpdate[]): string[] {
  return updates.flatMap((u) => (u.kind === 'output' ? [u.line] : []));
}

function spec(form: RunForm): RunSpec {
  const parsed = parseRunForm(form);
  if ('errors' in parsed) throw new Error(`the form has errors: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
}

/** Containers whose command names this run's prefix: ours, intermediate build containers included. */
async function ourContainers(filter: string[] = []): Promise<string[]> {
  const lines = (await docker('ps', '--all', '--no-trunc', ...filter, '--format', '{{.ID}} {{.Names}} {{.Command}}')).split('\n');
  return lines.filter((line) => line.includes(PREFIX)).map((line) => line.split(' ')[0] as string);
}

beforeAll(async () => {
  engine = await connectTestEngine();
});

afterAll(async () => {
  const ids = await ourContainers();
  if (ids.length > 0) await docker('rm', '--force', '--volumes', ...ids);
  await docker('volume', 'rm', '--force', VOLUME).catch(() => undefined);
  const images = (await docker('images', '--format', '{{.Repository}}:{{.Tag}}')).split('\n').filter((ref) => ref.startsWith(PREFIX));
  if (images.length > 0) await docker('rmi', '--force', ...images);
  await contexts.removeAll();
  engine.close?.();
});

describe('buildImage', () => {
  it('builds with .dockerignore honoured, streaming the steps and ending with the image id', { timeout: 60_000 }, async () => {
    const dir = await context({
      Dockerfile: [
        `FROM ${TEST_IMAGE}`,
        'COPY . /ctx/',
        `RUN echo ${PREFIX} > /built.txt && echo ran-${PREFIX}`,
        `LABEL ${TEST_LABEL}=1`,
      ].join('\n'),
      // The CLI sends the Dockerfile and .dockerignore even when excluded (the build needs them);
      // the engine then leaves them out of COPY, as it does for `docker build`.
      '.dockerignore': '# not sent\nsecret.txt\n**/*.log\n!keep/important.log\nDockerfile\n.dockerignore\n',
      'kept.txt': 'kept',
      'secret.txt': 'secret',
      'logs/a.log': 'log',
      'keep/important.log': 'important',
    });
    const updates = await build(dir, TAG);
    const last = updates.at(-1);
    expect(last).toMatchObject({ kind: 'built' });
    const imageId = (last as { imageId: string }).imageId;
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const output = outputOf(updates);
    expect(output).toContain(`Step 1/4 : FROM ${TEST_IMAGE}`);
    expect(output).toContain(`ran-${PREFIX}`);
    expect(output).toContain(`Successfully tagged ${TAG}`);

    const image = await inspect(TAG);
    expect(image.Id).toBe(imageId);
    expect(image.Config.Labels).toMatchObject({ [TEST_LABEL]: '1' });
    // As `docker build` copies this context (checked with the CLI): logs/ stays, emptied.
    const files = (await docker('run', '--rm', '--label', `${TEST_LABEL}=1`, TAG, 'find', '/ctx')).split('\n').sort();
    expect(files).toEqual(['/ctx', '/ctx/keep', '/ctx/keep/important.log', '/ctx/kept.txt', '/ctx/logs']);
  });

  it('ends with the engine\'s words for a Dockerfile it cannot parse', async () => {
    const dir = await context({ Dockerfile: `FROM ${TEST_IMAGE}\nNOSUCHINSTRUCTION ${PREFIX}\n` });
    const updates = await build(dir, `${PREFIX}-bad:latest`);
    expect(updates.at(-1)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/unknown instruction: NOSUCHINSTRUCTION/i) });
  });

  it('ends with the engine\'s words for a step that fails', { timeout: 60_000 }, async () => {
    const dir = await context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${PREFIX} && exit 3\n` });
    const updates = await build(dir, `${PREFIX}-failing:latest`);
    expect(updates.at(-1)).toMatchObject({ kind: 'failed', message: expect.stringContaining('returned a non-zero code: 3') });
  });

  it('stops the build when aborted', { timeout: 60_000 }, async () => {
    const dir = await context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo sleeping-${PREFIX} && sleep 600\n` });
    const controller = new AbortController();
    const updates: BuildUpdate[] = [];
    for await (const update of await engine.buildImage(dir, { tag: `${PREFIX}-aborted:latest` }, controller.signal)) {
      updates.push(update);
      if (update.kind === 'output' && update.line === `sleeping-${PREFIX}`) controller.abort();
    }
    // Cancelled: no ending of its own, and the step's container is stopped long before its sleep ends.
    expect(updates.every((u) => u.kind === 'output')).toBe(true);
    await waitFor(async () => (await ourContainers(['--filter', 'status=running'])).length === 0, {
      timeoutMs: 30_000, message: 'the cancelled build\'s RUN container to stop',
    });
    await expect(docker('image', 'inspect', `${PREFIX}-aborted:latest`)).rejects.toThrow(/No such image/i);
  });
});

describe('runContainer', () => {
  it('creates and starts with each docker run setting in place', { timeout: 60_000 }, async () => {
    await docker('image', 'inspect', TAG).catch(async () => {
      const dir = await context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${PREFIX} > /built.txt\n` });
      await build(dir, TAG);
    });
    const id = await engine.runContainer(spec({
      image: TAG,
      name: `${PREFIX}-run`,
      command: 'sleep 3600',
      env: ['GREETING=hello world'],
      labels: [`${TEST_LABEL}=1`],
      ports: ['127.0.0.1::8080'],
      volumes: [`${VOLUME}:/data`],
      restart: 'on-failure:3',
      memory: '64m',
      cpus: '0.5',
    }));
    const doc = await inspect(id);
    expect(doc.Name).toBe(`/${PREFIX}-run`);
    expect(doc.State.Running).toBe(true);
    expect(doc.Config.Cmd).toEqual(['sleep', '3600']);
    expect(doc.Config.Env).toContain('GREETING=hello world');
    expect(doc.Config.Labels).toMatchObject({ [TEST_LABEL]: '1' });
    expect(doc.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(doc.NetworkSettings.Ports['8080/tcp'][0].HostPort).toMatch(/^\d+$/);
    expect(doc.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: VOLUME, Destination: '/data', RW: true })]);
    expect(doc.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(doc.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(doc.HostConfig.NanoCpus).toBe(500_000_000);
    expect(await docker('exec', id, 'cat', '/built.txt')).toBe(PREFIX);
  });

  it('says so, with the engine\'s words and the id, when the created container does not start', async () => {
    const attempt = engine.runContainer(spec({ image: TEST_IMAGE, name: `${PREFIX}-nostart`, command: `no-such-program-${PREFIX}`, labels: [`${TEST_LABEL}=1`] }));
    const error = await attempt.then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ContainerStartError);
    const { containerId, message } = error as ContainerStartError;
    expect(message).toContain('executable file not found');
    expect(message).toContain(containerId.slice(0, 12));
    // Left in place, as `docker run` leaves it.
    expect((await inspect(containerId)).State.Status).toBe('created');
  });

  it('refuses a name already taken, in the engine\'s words', async () => {
    await docker('create', '--name', `${PREFIX}-taken`, '--label', `${TEST_LABEL}=1`, TEST_IMAGE);
    await expect(engine.runContainer(spec({ image: TEST_IMAGE, name: `${PREFIX}-taken`, labels: [`${TEST_LABEL}=1`] })))
      .rejects.toThrow(/already in use/);
  });
});
