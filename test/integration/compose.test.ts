// Compose projects on the real engine: two projects made with `docker run` and Compose's labels
// (two replicas of one service each), a project stop through the Engine API, and the compose CLI
// run through dockhand's runner on a project of its own. The engine may be shared: everything
// here is named dh-<hex>, labelled dockhand.test=1, and removed afterwards by name.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPOSE_LABELS, CommandRun, composeArgv, composeInvocation, composeProjects, findComposeCli, type ComposeCli,
} from '../../src/engine/compose.js';
import type { Engine } from '../../src/engine/engine.js';
import { actionTargets, actOnContainers } from '../../src/engine/project-actions.js';
import { docker, runContainer, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

const PREFIX = `dh-${randomBytes(3).toString('hex')}`;
const FIRST = `${PREFIX}-a`;
const SECOND = `${PREFIX}-b`;
/** The project docker-compose itself makes */
const MADE = `${PREFIX}-c`;

let engine: Engine;
let projectDir: string;

const composeLabels = (project: string, number: number) => ({
  [COMPOSE_LABELS.project]: project,
  [COMPOSE_LABELS.service]: 'web',
  [COMPOSE_LABELS.containerNumber]: String(number),
  [COMPOSE_LABELS.oneoff]: 'False',
  [COMPOSE_LABELS.workingDir]: `/nonexistent/${project}`,
  [COMPOSE_LABELS.configFiles]: `/nonexistent/${project}/docker-compose.yml`,
});

/** Ours only: other people's projects may be on the same engine. */
async function ourProjects() {
  return composeProjects(await engine.listContainers()).filter((p) => p.name.startsWith(PREFIX));
}

async function stateOf(name: string): Promise<string> {
  return docker('inspect', '--format', '{{.State.Status}}', name);
}

/** The compose CLI this machine has; its absence fails the test rather than skipping it. */
async function requireComposeCli(): Promise<ComposeCli> {
  const cli = await findComposeCli();
  if (!cli) {
    throw new Error('Neither `docker compose` nor `docker-compose` is on PATH: scripts/engine.sh installs docker-compose (apt-get install -y docker-compose); run it as root.');
  }
  return cli;
}

beforeAll(async () => {
  engine = await connectTestEngine();
  for (const project of [FIRST, SECOND]) {
    for (const number of [1, 2]) {
      // A 1 s stop timeout: busybox sleep as PID 1 ignores SIGTERM, and the default is 10 s.
      await runContainer({ name: `${project}-web-${number}`, args: ['--stop-timeout', '1'], labels: composeLabels(project, number) });
    }
  }
  projectDir = await mkdtemp(join(tmpdir(), `${PREFIX}-`));
  // JSON is YAML too; the short grace period as above.
  const web = { image: TEST_IMAGE, command: 'sleep 3600', stop_grace_period: '1s', labels: { [TEST_LABEL]: '1' } };
  await writeFile(join(projectDir, 'docker-compose.yml'), JSON.stringify({ version: '2.4', services: { web } }));
});

afterAll(async () => {
  const ours = (await docker('ps', '--all', '--quiet', '--filter', `name=${PREFIX}`)).split('\n').filter(Boolean);
  if (ours.length > 0) await docker('rm', '--force', ...ours);
  await docker('network', 'rm', `${MADE}_default`).catch(() => undefined);
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

describe('Compose projects on a real engine', () => {
  it('lists both projects with both replicas of their service, by container number', async () => {
    const projects = await ourProjects();
    expect(projects.map((p) => p.name)).toEqual([FIRST, SECOND]);
    for (const project of projects) {
      expect(project.services.map((s) => s.name)).toEqual(['web']);
      expect(project.services[0]?.containers.map((c) => [c.row.name, c.number, c.oneoff])).toEqual([
        [`${project.name}-web-1`, 1, false],
        [`${project.name}-web-2`, 2, false],
      ]);
      expect(project).toMatchObject({ running: 2, total: 2, workingDir: `/nonexistent/${project.name}` });
    }
  });

  it('a project stop stops all and only that project’s containers', async () => {
    const first = (await ourProjects()).find((p) => p.name === FIRST);
    const targets = actionTargets(first?.containers ?? [], 'stop');
    expect(targets.map((t) => t.name).sort()).toEqual([`${FIRST}-web-1`, `${FIRST}-web-2`]);
    const report = await actOnContainers(engine, targets, 'stop');
    expect(report.failed).toEqual([]);
    expect(report.done.map((t) => t.name).sort()).toEqual([`${FIRST}-web-1`, `${FIRST}-web-2`]);
    expect(await stateOf(`${FIRST}-web-1`)).toBe('exited');
    expect(await stateOf(`${FIRST}-web-2`)).toBe('exited');
    expect(await stateOf(`${SECOND}-web-1`)).toBe('running');
    expect(await stateOf(`${SECOND}-web-2`)).toBe('running');
    const after = await ourProjects();
    expect(after.map((p) => [p.name, p.running, p.total])).toEqual([[FIRST, 0, 2], [SECOND, 2, 2]]);
  });

  it('a refusal comes back in the daemon’s words, and the others are still done', async () => {
    const second = (await ourProjects()).find((p) => p.name === SECOND);
    const report = await actOnContainers(engine, [...(second?.containers ?? []), { id: `${PREFIX}-missing`, name: `${PREFIX}-missing` }], 'pause');
    expect(report.done.map((t) => t.name).sort()).toEqual([`${SECOND}-web-1`, `${SECOND}-web-2`]);
    expect(report.gone.map((t) => t.name)).toEqual([`${PREFIX}-missing`]);
    const again = await actOnContainers(engine, second?.containers ?? [], 'pause');
    expect(again.failed.map((f) => f.message)).toEqual([expect.stringMatching(/is already paused/), expect.stringMatching(/is already paused/)]);
    await actOnContainers(engine, second?.containers ?? [], 'unpause');
  });

  it('the compose argv aims at dockhand’s engine and names the project, its directory and files exactly', async () => {
    const cli = await requireComposeCli();
    const { prefix } = composeInvocation(cli, engine.info.endpoint);
    const endpoint = engine.info.endpoint.contextName === 'default' ? ['-H', engine.info.endpoint.url] : ['--context', engine.info.endpoint.contextName];
    expect(prefix).toEqual(cli.kind === 'plugin' ? [cli.path, ...endpoint, 'compose'] : [cli.path, ...endpoint]);
    const file = join(projectDir, 'docker-compose.yml');
    expect(composeArgv(prefix, { name: MADE, workingDir: projectDir, configFiles: [file] }, 'downVolumes')).toEqual([
      ...prefix, '--project-name', MADE, '--project-directory', projectDir, '-f', file, 'down', '-v',
    ]);
  });

  it('runs up -d and down through the runner, with their output and exit codes', async () => {
    const cli = await requireComposeCli();
    const { prefix, env } = composeInvocation(cli, engine.info.endpoint);
    const project = { name: MADE, workingDir: projectDir, configFiles: [join(projectDir, 'docker-compose.yml')] };

    const up = new CommandRun(composeArgv(prefix, project, 'up'), { env, cwd: projectDir });
    const upOutcome = await up.done;
    expect(upOutcome, up.output().lines.join('\n')).toEqual({ status: 'exited', exitCode: 0 });
    // Compose 1.x says "Creating x ... done", 2.x "Container x  Started": both name the container.
    expect(up.output().lines.join('\n')).toMatch(new RegExp(`${MADE}[-_]web[-_]1`));

    const [made] = (await ourProjects()).filter((p) => p.name === MADE);
    expect(made).toMatchObject({ running: 1, total: 1, workingDir: projectDir, configFiles: project.configFiles });
    expect(made?.services[0]?.containers[0]?.number).toBe(1);

    const down = new CommandRun(composeArgv(prefix, project, 'down'), { env, cwd: projectDir });
    expect(await down.done, down.output().lines.join('\n')).toEqual({ status: 'exited', exitCode: 0 });
    expect(down.output().lines.join('\n')).toMatch(/Remov/);
    expect((await ourProjects()).some((p) => p.name === MADE)).toBe(false);
  }, 120_000);

  it('a compose command that fails reports its exit code and compose’s own words', async () => {
    const cli = await requireComposeCli();
    const { prefix, env } = composeInvocation(cli, engine.info.endpoint);
    const missing = join(projectDir, 'no-such-compose.yml');
    const run = new CommandRun(composeArgv(prefix, { name: MADE, workingDir: projectDir, configFiles: [missing] }, 'up'), { env, cwd: projectDir });
    const outcome = await run.done;
    expect(outcome.status === 'exited' && outcome.exitCode).not.toBe(0);
    expect(run.output().lines.join('\n')).toContain('no-such-compose.yml');
  }, 60_000);
});
