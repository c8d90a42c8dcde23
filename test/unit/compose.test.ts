// Compose projects from container labels, where compose can run, and the exact argv it runs with.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMPOSE_LABELS, composeArgv, composeFilesProblem, composeInvocation, composeProjects, findComposeCli, type ComposeCli,
} from '../../src/engine/compose.js';
import type { ContainerRow, Endpoint } from '../../src/engine/types.js';
import { makeContainer } from '../support/fake-engine.js';

/** A container as Compose labels it: project, service, replica number, and where its files are. */
function composed(project: string, service: string, number: number, partial: Partial<ContainerRow> & { oneoff?: boolean; dir?: string; files?: string } = {}): ContainerRow {
  const { oneoff = false, dir = `/srv/${project}`, files = `/srv/${project}/docker-compose.yml`, ...rest } = partial;
  return makeContainer({
    name: oneoff ? `${project}_${service}_run_${number}` : `${project}-${service}-${number}`,
    ...rest,
    labels: {
      [COMPOSE_LABELS.project]: project,
      [COMPOSE_LABELS.service]: service,
      [COMPOSE_LABELS.containerNumber]: String(number),
      [COMPOSE_LABELS.oneoff]: oneoff ? 'True' : 'False',
      [COMPOSE_LABELS.workingDir]: dir,
      [COMPOSE_LABELS.configFiles]: files,
      ...rest.labels,
    },
  });
}

describe('composeProjects', () => {
  it('groups containers by project and service, replicas by container number (10 after 2), standalone ones left out', () => {
    const projects = composeProjects([
      composed('shop', 'web', 10),
      makeContainer({ name: 'lonely' }),
      composed('shop', 'web', 2),
      composed('blog', 'db', 1, { state: 'exited', exitCode: 1 }),
      composed('shop', 'db', 1),
      composed('shop', 'web', 1, { state: 'exited' }),
    ]);
    expect(projects.map((p) => p.name)).toEqual(['blog', 'shop']);
    const shop = projects[1];
    expect(shop?.services.map((s) => s.name)).toEqual(['db', 'web']);
    expect(shop?.services[1]?.containers.map((c) => c.row.name)).toEqual(['shop-web-1', 'shop-web-2', 'shop-web-10']);
    expect(shop?.services[1]).toMatchObject({ running: 2, total: 3 });
    expect(shop).toMatchObject({ running: 3, total: 4, workingDir: '/srv/shop', configFiles: ['/srv/shop/docker-compose.yml'] });
    expect(shop?.containers).toHaveLength(4);
    expect(projects[0]).toMatchObject({ running: 0, total: 1 });
  });

  it('marks one-off containers (compose run), lists them after the replicas and counts them in neither figure', () => {
    const [project] = composeProjects([
      composed('shop', 'web', 1, { oneoff: true, state: 'exited' }),
      composed('shop', 'web', 1),
    ]);
    const web = project?.services[0];
    expect(web?.containers.map((c) => [c.row.name, c.oneoff])).toEqual([['shop-web-1', false], ['shop_web_run_1', true]]);
    expect(web).toMatchObject({ running: 1, total: 1 });
    // Still the project's: project actions act on it too.
    expect(project?.containers).toHaveLength(2);
  });

  it('a project of the same name on two hosts of a fleet is two projects', () => {
    const projects = composeProjects([{ ...composed('shop', 'web', 1), host: 'b' }, { ...composed('shop', 'web', 1), host: 'a' }]);
    expect(projects.map((p) => [p.name, p.host])).toEqual([['shop', 'a'], ['shop', 'b']]);
  });

  it('takes the files from the newest replica (the last up), resolves relative config files, keeps their order', () => {
    const [project] = composeProjects([
      composed('shop', 'web', 1, { created: 100, dir: '/old', files: '/old/compose.yml' }),
      composed('shop', 'web', 2, { created: 200, dir: '/srv/shop', files: 'compose.yml, /etc/shop/override.yml' }),
      composed('shop', 'web', 3, { created: 300, oneoff: true, dir: '/elsewhere', files: '/elsewhere/x.yml' }),
    ]);
    expect(project?.workingDir).toBe('/srv/shop');
    expect(project?.configFiles).toEqual(['/srv/shop/compose.yml', '/etc/shop/override.yml']);
  });

  it('containers labelled by hand (no working dir, no files, no number) still form a project', () => {
    const row = makeContainer({ name: 'hand', labels: { [COMPOSE_LABELS.project]: 'manual' } });
    const [project] = composeProjects([row]);
    expect(project).toMatchObject({ name: 'manual', workingDir: undefined, configFiles: [] });
    expect(project?.services[0]).toMatchObject({ name: 'hand', total: 1 });
    expect(project?.services[0]?.containers[0]?.number).toBeUndefined();
  });
});

describe('composeFilesProblem', () => {
  const project = { workingDir: '/srv/shop', configFiles: ['/srv/shop/a.yml', '/srv/shop/b.yml'] };

  it('is undefined when the directory and every file are there', () => {
    expect(composeFilesProblem(project, () => true)).toBeUndefined();
  });

  it('names the first file missing on this machine', () => {
    expect(composeFilesProblem(project, (path) => path !== '/srv/shop/b.yml')).toBe('config file /srv/shop/b.yml not found on this machine');
  });

  it('says when the directory is missing, or when the labels do not say', () => {
    expect(composeFilesProblem(project, () => false)).toBe('working directory /srv/shop not found on this machine');
    expect(composeFilesProblem({ workingDir: undefined, configFiles: [] })).toContain('no com.docker.compose.project.working_dir label');
    expect(composeFilesProblem({ workingDir: '/', configFiles: [] })).toContain('no com.docker.compose.project.config_files label');
  });
});

describe('composeArgv', () => {
  const prefix = ['/usr/bin/docker-compose', '-H', 'unix:///var/run/docker.sock'];
  const project = { name: 'shop', workingDir: '/srv/shop', configFiles: ['/srv/shop/docker-compose.yml', '/srv/shop/override.yml'] };
  const common = [...prefix, '--project-name', 'shop', '--project-directory', '/srv/shop', '-f', '/srv/shop/docker-compose.yml', '-f', '/srv/shop/override.yml'];

  it.each([
    ['up', ['up', '-d']],
    ['down', ['down']],
    ['downVolumes', ['down', '-v']],
    ['recreate', ['up', '-d', '--force-recreate']],
    ['pull', ['pull']],
  ] as const)('%s', (command, tail) => {
    expect(composeArgv(prefix, project, command)).toEqual([...common, ...tail]);
  });

  it('names a service for up, recreate and pull; down is always the whole project', () => {
    expect(composeArgv(prefix, project, 'recreate', ['web'])).toEqual([...common, 'up', '-d', '--force-recreate', 'web']);
    expect(composeArgv(prefix, project, 'pull', ['web'])).toEqual([...common, 'pull', 'web']);
    expect(composeArgv(prefix, project, 'down', ['web'])).toEqual([...common, 'down']);
  });

  it('passes hostile names as single arguments', () => {
    const argv = composeArgv(['docker-compose'], { name: 'x; rm -rf /', workingDir: '/tmp/$(id)', configFiles: ['/tmp/a b.yml'] }, 'up');
    expect(argv).toEqual(['docker-compose', '--project-name', 'x; rm -rf /', '--project-directory', '/tmp/$(id)', '-f', '/tmp/a b.yml', 'up', '-d']);
  });
});

describe('composeInvocation', () => {
  const unix: Endpoint = { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', contextName: 'default', source: 'default' };
  const plugin: ComposeCli = { kind: 'plugin', path: '/usr/bin/docker' };
  const standalone: ComposeCli = { kind: 'standalone', path: '/usr/bin/docker-compose' };
  const decoys = { DOCKER_HOST: 'tcp://decoy.invalid:2375', DOCKER_CONTEXT: 'decoy', PATH: '/usr/bin' };

  it('aims the plugin at the engine dockhand uses, whatever DOCKER_HOST says', () => {
    const { prefix, env } = composeInvocation(plugin, unix, decoys);
    expect(prefix).toEqual(['/usr/bin/docker', '-H', 'unix:///var/run/docker.sock', 'compose']);
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('gives docker-compose its own flags: -H and the TLS files the endpoint has, or the context by name', () => {
    const tls: Endpoint = {
      url: 'tcp://10.0.0.5:2376', kind: 'tcp', hostname: '10.0.0.5', port: 2376, contextName: 'default', source: 'DOCKER_HOST',
      tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', verify: true },
    };
    expect(composeInvocation(standalone, tls, decoys).prefix).toEqual([
      '/usr/bin/docker-compose', '-H', 'tcp://10.0.0.5:2376', '--tlsverify', '--tlscacert', '/certs/ca.pem', '--tlscert', '/certs/cert.pem',
    ]);
    expect(composeInvocation(standalone, { ...unix, contextName: 'remote', source: '--context' }, decoys).prefix)
      .toEqual(['/usr/bin/docker-compose', '--context', 'remote']);
  });
});

describe('findComposeCli', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'dh-compose-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const executable = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };

  it('prefers the docker CLI plugin when `docker compose version` works', async () => {
    executable('docker', '[ "$1 $2" = "compose version" ] && exit 0; exit 1');
    executable('docker-compose', 'exit 0');
    expect(await findComposeCli({ PATH: dir })).toEqual({ kind: 'plugin', path: join(dir, 'docker') });
  });

  it('falls back to docker-compose on PATH when the plugin is missing', async () => {
    executable('docker', 'echo "docker: unknown command: docker compose" >&2; exit 1');
    executable('docker-compose', 'exit 0');
    expect(await findComposeCli({ PATH: dir })).toEqual({ kind: 'standalone', path: join(dir, 'docker-compose') });
  });

  it('is undefined when neither is there', async () => {
    expect(await findComposeCli({ PATH: dir })).toBeUndefined();
  });
});
