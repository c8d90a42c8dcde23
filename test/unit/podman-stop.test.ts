// Stop and restart on Podman: the timeout dockhand sends, against a fake engine on a unix socket
// that answers as Podman 4.3 does (a container created through the Docker API has StopTimeout 0).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDockerEngine } from '../../src/engine/docker-engine.js';
import type { Endpoint } from '../../src/engine/types.js';

const PODMAN_VERSION = {
  Version: '4.3.1', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64',
  Components: [{ Name: 'Podman Engine', Version: '4.3.1' }],
};
const DOCKER_VERSION = { Version: '20.10.24', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64', Components: [{ Name: 'Engine', Version: '20.10.24' }] };

let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

/** A fake engine whose container has `stopTimeout`; resolves to its endpoint and the stop and restart requests it saw. */
async function fakeEngine(version: object, stopTimeout: number | undefined): Promise<{ endpoint: Endpoint; actions: string[] }> {
  dir = mkdtempSync(join(tmpdir(), 'dh-fake-'));
  const socketPath = join(dir, 'engine.sock');
  const actions: string[] = [];
  server = createServer((request, response) => {
    const url = request.url ?? '';
    response.setHeader('Content-Type', 'application/json');
    if (url.endsWith('/version')) {
      response.end(JSON.stringify(version));
    } else if (url.includes('/containers/c1/json')) {
      response.end(JSON.stringify({ Id: 'c1', Config: stopTimeout === undefined ? {} : { StopTimeout: stopTimeout } }));
    } else if (/\/containers\/c1\/(stop|restart)/.test(url)) {
      actions.push(url.replace(/^\/v[\d.]+/, ''));
      response.statusCode = 204;
      response.end();
    } else {
      response.statusCode = 404;
      response.end(JSON.stringify({ message: `not faked: ${url}` }));
    }
  });
  await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
  return { endpoint: { url: `unix://${socketPath}`, kind: 'unix', socketPath, contextName: 'default', source: '--host' }, actions };
}

describe('stop and restart timeouts', () => {
  it('sends Podman the 10 s Docker would wait, for a container whose stop timeout Podman left at 0', async () => {
    const { endpoint, actions } = await fakeEngine(PODMAN_VERSION, 0);
    const engine = await openDockerEngine(endpoint);
    await engine.containerAction('c1', 'stop');
    await engine.containerAction('c1', 'restart');
    expect(actions).toEqual(['/containers/c1/stop?t=10', '/containers/c1/restart?t=10']);
  });

  it('sends Podman the container\'s own stop timeout when it has one', async () => {
    const { endpoint, actions } = await fakeEngine(PODMAN_VERSION, 30);
    const engine = await openDockerEngine(endpoint);
    await engine.containerAction('c1', 'stop');
    expect(actions).toEqual(['/containers/c1/stop?t=30']);
  });

  it('lets Docker choose, as the docker CLI does', async () => {
    const { endpoint, actions } = await fakeEngine(DOCKER_VERSION, 0);
    const engine = await openDockerEngine(endpoint);
    await engine.containerAction('c1', 'stop');
    expect(actions).toEqual(['/containers/c1/stop']);
  });
});
