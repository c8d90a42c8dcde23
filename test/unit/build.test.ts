// The build context as the CLI sends it (.dockerignore as moby reads it) and the classic
// builder's JSON lines as updates.
import { execFile } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { BuildContexts } from '../support/build-context.js';
import {
  baseImageRegistries, BuildContextError, BuildRun, contextEntries, dockerBuildArgs, packContext, readBuildOutput, resolveDockerfile, type BuildUpdate,
} from '../../src/engine/build.js';

const contexts = new BuildContexts();
afterEach(() => contexts.removeAll());
const contextOf = (files: Record<string, string>) => contexts.make(files);

describe('contextEntries', () => {
  test('everything, directories before their content, with no .dockerignore', async () => {
    const dir = await contextOf({ Dockerfile: 'FROM x', 'src/b.ts': '', 'src/a.ts': '', 'README.md': '' });
    expect(await contextEntries(dir, 'Dockerfile')).toEqual(['Dockerfile', 'README.md', 'src', 'src/a.ts', 'src/b.ts']);
  });

  test('patterns as moby matches them: *, **, ! exceptions, comments, a leading /', async () => {
    const dir = await contextOf({
      Dockerfile: '',
      '.dockerignore': '# comment\n\n/secret.txt\n**/*.log\n!keep.log\n*.tmp\nnode_modules\n',
      'secret.txt': '', 'a.log': '', 'keep.log': '', 'deep/er/b.log': '', 'deep/er/c.txt': '',
      'x.tmp': '', 'sub/y.tmp': '', 'node_modules/m/index.js': '',
    });
    expect(await contextEntries(dir, 'Dockerfile')).toEqual([
      '.dockerignore', 'Dockerfile', 'deep', 'deep/er', 'deep/er/c.txt', 'keep.log', 'sub', 'sub/y.tmp',
    ]);
  });

  test('an excluded directory is walked only for an exception inside it, and is not itself sent', async () => {
    const dir = await contextOf({
      Dockerfile: '',
      '.dockerignore': 'vendor\n!vendor/keep/**\nbuild\n',
      'vendor/drop.js': '', 'vendor/keep/k.js': '', 'build/out.bin': '',
    });
    expect(await contextEntries(dir, 'Dockerfile')).toEqual(['.dockerignore', 'Dockerfile', 'vendor/keep/k.js']);
  });

  test('the Dockerfile and .dockerignore are sent even when excluded, the Dockerfile in an excluded directory too', async () => {
    const dir = await contextOf({
      'docker/app.Dockerfile': '', 'docker/other': '', '.dockerignore': '*\n', 'main.go': '',
    });
    expect(await contextEntries(dir, 'docker/app.Dockerfile')).toEqual(['.dockerignore', 'docker/app.Dockerfile']);
  });

  test('a symbolic link is an entry of its own, not followed', async () => {
    const dir = await contextOf({ Dockerfile: '', 'real/file': '' });
    await symlink('real', join(dir, 'link'));
    expect(await contextEntries(dir, 'Dockerfile')).toEqual(['Dockerfile', 'link', 'real', 'real/file']);
  });
});

describe('packContext', () => {
  test('the tar holds exactly the entries, a link as a link', async () => {
    const dir = await contextOf({ Dockerfile: 'FROM x', '.dockerignore': 'big\n', 'big/blob': 'x', 'src/a.ts': 'a' });
    await symlink('src/a.ts', join(dir, 'alias'));
    const entries = await contextEntries(dir, 'Dockerfile');
    const listing = await new Promise<string>((resolve, reject) => {
      const child = execFile('tar', ['-tvf', '-'], (err, stdout) => (err ? reject(err) : resolve(stdout)));
      packContext(dir, entries).pipe(child.stdin as NodeJS.WritableStream);
    });
    const lines = listing.trim().split('\n');
    // The type letter of `tar -tv` and the name.
    expect(lines.map((line) => `${line[0]} ${line.split(/\s+/).slice(5).join(' ')}`)).toEqual([
      '- .dockerignore', '- Dockerfile', 'l alias -> src/a.ts', 'd src', '- src/a.ts',
    ]);
  });
});

describe('resolveDockerfile', () => {
  test('a path inside the context, with / separators; anything else refused before a request', async () => {
    const dir = await contextOf({ Dockerfile: '', 'ops/build.Dockerfile': '' });
    expect(await resolveDockerfile(dir)).toBe('Dockerfile');
    expect(await resolveDockerfile(dir, 'ops/../ops/build.Dockerfile')).toBe('ops/build.Dockerfile');
    expect(await resolveDockerfile(dir, join(dir, 'ops/build.Dockerfile'))).toBe('ops/build.Dockerfile');
    await expect(resolveDockerfile(dir, 'missing')).rejects.toThrow(new BuildContextError(`no Dockerfile at ${join(dir, 'missing')}`));
    await expect(resolveDockerfile(dir, 'ops')).rejects.toThrow(BuildContextError);
    await expect(resolveDockerfile(dir, '../Dockerfile')).rejects.toThrow(/is not inside the build context/);
  });
});

async function updatesOf(chunks: string[], signal = new AbortController().signal): Promise<BuildUpdate[]> {
  const updates: BuildUpdate[] = [];
  for await (const update of readBuildOutput(Readable.from(chunks.map((c) => Buffer.from(c))), signal)) updates.push(update);
  return updates;
}

describe('readBuildOutput', () => {
  test('stream text as lines, whatever the chunks and messages split, then the image id', async () => {
    const body = [
      '{"stream":"Step 1/2 : FROM busybox\\n"}\n{"stream":" ---\\u003e 1a2b\\n"}\n{"str',
      'eam":"Step 2/2 : RUN echo hi\\n"}\n{"stream":"hi"}\n{"stream":"\\r\\n"}\n',
      '{"aux":{"ID":"sha256:abc"}}\n{"stream":"Successfully built abc\\n"}\n',
    ];
    expect(await updatesOf(body)).toEqual([
      { kind: 'output', line: 'Step 1/2 : FROM busybox' },
      { kind: 'output', line: ' ---> 1a2b' },
      { kind: 'output', line: 'Step 2/2 : RUN echo hi' },
      { kind: 'output', line: 'hi' },
      { kind: 'output', line: 'Successfully built abc' },
      { kind: 'built', imageId: 'sha256:abc' },
    ]);
  });

  test('the engine\'s error ends it, in its words; pull status without its progress ticks', async () => {
    const body = [
      '{"status":"Pulling from library/busybox","id":"latest"}\n',
      '{"status":"Downloading","progressDetail":{"current":5,"total":10},"id":"f1"}\n',
      '{"status":"Pull complete","progressDetail":{},"id":"f1"}\n',
      '{"stream":"Step 2/2 : RUN false"}\n',
      '{"errorDetail":{"code":1,"message":"The command \'/bin/sh -c false\' returned a non-zero code: 1"},"error":"The command \'/bin/sh -c false\' returned a non-zero code: 1"}\n',
    ];
    expect(await updatesOf(body)).toEqual([
      { kind: 'output', line: 'latest: Pulling from library/busybox' },
      { kind: 'output', line: 'f1: Pull complete' },
      { kind: 'output', line: 'Step 2/2 : RUN false' },
      { kind: 'failed', message: 'The command \'/bin/sh -c false\' returned a non-zero code: 1' },
    ]);
  });

  // Podman 4.3's /v1.41/build, as captured: the image id arrives as aux.ID before its last lines,
  // and a failed RUN ends with its own words (no "returned a non-zero code").
  test('Podman\'s shape: STEP lines, aux.ID before the last lines, its error in its words', async () => {
    const built = [
      '{"stream":"STEP 1/2: FROM dockhand-test/busybox:latest\\n"}\n{"stream":"STEP 2/2: RUN echo hi\\n"}\n{"stream":"hi\\n"}\n',
      '{"stream":"COMMIT docker.io/library/app:1\\n"}\n{"stream":"--\\u003e 78ff42527d5\\n"}\n',
      '{"stream":"Successfully tagged docker.io/library/app:1\\n"}\n{"stream":"78ff42527d50\\n"}\n',
      '{"aux":{"ID":"sha256:78ff42527d50"}}\n{"stream":"Successfully built 78ff42527d50\\n"}\n{"stream":"Successfully tagged app:1\\n"}\n',
    ];
    expect(await updatesOf(built)).toEqual([
      ...[
        'STEP 1/2: FROM dockhand-test/busybox:latest', 'STEP 2/2: RUN echo hi', 'hi', 'COMMIT docker.io/library/app:1', '--> 78ff42527d5',
        'Successfully tagged docker.io/library/app:1', '78ff42527d50', 'Successfully built 78ff42527d50', 'Successfully tagged app:1',
      ].map((line) => ({ kind: 'output', line })),
      { kind: 'built', imageId: 'sha256:78ff42527d50' },
    ]);
    const failed = [
      '{"stream":"STEP 2/2: RUN echo about \\u0026\\u0026 exit 3\\n"}\n{"stream":"about\\n"}\n',
      '{"errorDetail":{"message":"building at STEP \\"RUN echo about \\u0026\\u0026 exit 3\\": while running runtime: exit status 3\\n"},'
        + '"error":"building at STEP \\"RUN echo about \\u0026\\u0026 exit 3\\": while running runtime: exit status 3\\n"}\n',
    ];
    expect(await updatesOf(failed)).toEqual([
      { kind: 'output', line: 'STEP 2/2: RUN echo about && exit 3' },
      { kind: 'output', line: 'about' },
      { kind: 'failed', message: 'building at STEP "RUN echo about && exit 3": while running runtime: exit status 3' },
    ]);
  });

  test('a build that ends with no image id and no error says so', async () => {
    expect(await updatesOf(['{"stream":"Step 1/1 : FROM scratch\\n"}\n'])).toEqual([
      { kind: 'output', line: 'Step 1/1 : FROM scratch' },
      { kind: 'failed', message: 'the engine ended the build without naming an image' },
    ]);
  });

  test('an abort ends the updates with no ending of their own', async () => {
    const controller = new AbortController();
    const body = new Readable({ read() {} });
    body.push('{"stream":"Step 1/2 : RUN sleep 600\\n"}\n');
    const updates: BuildUpdate[] = [];
    for await (const update of readBuildOutput(body, controller.signal)) {
      updates.push(update);
      controller.abort();
    }
    expect(updates).toEqual([{ kind: 'output', line: 'Step 1/2 : RUN sleep 600' }]);
    expect(body.destroyed).toBe(true);
  });
});

describe('baseImageRegistries', () => {
  test('the registry of each base image, as config.json keys it; Docker Hub by its index URL', () => {
    const dockerfile = [
      '# syntax comment',
      'FROM --platform=linux/amd64 127.0.0.1:5000/team/base:1 AS build',
      'from busybox',
      'FROM ghcr.io/org/tool@sha256:' + 'a'.repeat(64),
      'FROM \\',
      '  registry.example.com/x',
    ].join('\n');
    expect(baseImageRegistries(dockerfile)).toEqual(['127.0.0.1:5000', 'https://index.docker.io/v1/', 'ghcr.io', 'registry.example.com']);
  });

  test('leaves out scratch, earlier stages and references made of ARGs', () => {
    const dockerfile = 'ARG BASE=alpine\nFROM $BASE AS one\nFROM scratch AS two\nFROM one\nFROM TWO\nFROM ${BASE}:3\n';
    expect(baseImageRegistries(dockerfile)).toEqual([]);
  });
});

describe('BuildRun', () => {
  const updates = (...items: BuildUpdate[]) => async () => (async function* () { yield* items; })();

  test('keeps the output lines as a terminal shows them and ends with the image', async () => {
    const run = new BuildRun(updates({ kind: 'output', line: '\u001B[1mStep 1/1 : FROM x\u001B[0m' }, { kind: 'built', imageId: 'sha256:abc' }));
    expect(await run.done).toEqual({ status: 'built', imageId: 'sha256:abc' });
    expect(run.output()).toMatchObject({ lines: ['Step 1/1 : FROM x'], outcome: { status: 'built' } });
  });

  test('a build refused before it started (no Dockerfile) fails with the reason', async () => {
    const run = new BuildRun(async () => { throw new BuildContextError('no Dockerfile at /x/Dockerfile'); });
    expect(await run.done).toEqual({ status: 'failed', reason: 'no Dockerfile at /x/Dockerfile' });
  });

  test('a failed build\'s reason also ends its output, where a long one wraps whole', async () => {
    const reason = 'building at STEP "RUN echo about-to-fail && exit 3": while running runtime: exit status 3';
    const run = new BuildRun(updates({ kind: 'output', line: 'about-to-fail' }, { kind: 'failed', message: reason }));
    expect(await run.done).toEqual({ status: 'failed', reason });
    expect(run.output().lines).toEqual(['about-to-fail', reason]);
  });

  test('cancel aborts the engine\'s build and ends it as cancelled', async () => {
    let aborted = false;
    const run = new BuildRun(async (signal) => (async function* (): AsyncGenerator<BuildUpdate> {
      yield { kind: 'output', line: 'Step 1/2 : RUN sleep 100' };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      aborted = signal.aborted;
    })());
    await new Promise((resolve) => setImmediate(resolve));
    run.cancel();
    expect(await run.done).toEqual({ status: 'cancelled' });
    expect(aborted).toBe(true);
    expect(run.output().lines).toEqual(['Step 1/2 : RUN sleep 100']);
  });
});

describe('dockerBuildArgs', () => {
  test('the command line that does the same build', () => {
    expect(dockerBuildArgs('/src/app', { tag: 'app:1' })).toEqual(['docker', 'build', '-t', 'app:1', '/src/app']);
    expect(dockerBuildArgs('/src/app', { tag: 'app:1', dockerfile: 'ci/Dockerfile' })).toEqual(['docker', 'build', '-t', 'app:1', '-f', 'ci/Dockerfile', '/src/app']);
  });
});
