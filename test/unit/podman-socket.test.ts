import { describe, expect, it } from 'vitest';
import { ConnectError, explainConnectError } from '../../src/engine/connect.js';
import type { Engine } from '../../src/engine/engine.js';
import {
  connectOrFindPodman,
  mayLookForPodman,
  podmanEndpoint,
  podmanFoundNotice,
  podmanSockets,
} from '../../src/engine/podman-socket.js';
import type { Endpoint, EndpointSource } from '../../src/engine/types.js';

const DOCKER_SOCKET = '/var/run/docker.sock';
const USER_SOCKET = '/run/user/1000/podman/podman.sock';
const SYSTEM_SOCKET = '/run/podman/podman.sock';
const ENV = { XDG_RUNTIME_DIR: '/run/user/1000' };

function unixEndpoint(socketPath: string, source: EndpointSource): Endpoint {
  return { url: `unix://${socketPath}`, kind: 'unix', socketPath, contextName: 'default', source };
}

const DEFAULT = unixEndpoint(DOCKER_SOCKET, 'default');

/** The ConnectError connect() throws when the OS answers `code` for the endpoint's socket. */
function refusal(code: string, endpoint: Endpoint): ConnectError {
  return explainConnectError(Object.assign(new Error(`connect ${code} ${endpoint.socketPath}`), { code, syscall: 'connect' }), endpoint);
}

/** A stand-in for connect(): engines at some sockets, an OS error code at the others; records what was tried. */
function fakeConnect(answers: Record<string, string | 'engine'>) {
  const tried: string[] = [];
  const connectTo = async (endpoint: Endpoint): Promise<Engine> => {
    const socketPath = endpoint.socketPath ?? '';
    tried.push(socketPath);
    const answer = answers[socketPath] ?? 'ENOENT';
    if (answer === 'engine') return { info: { endpoint } } as unknown as Engine;
    throw refusal(answer, endpoint);
  };
  return { connectTo, tried };
}

describe('podmanSockets', () => {
  it('tries the user\'s own service first, then the system\'s', () => {
    expect(podmanSockets(ENV)).toEqual([USER_SOCKET, SYSTEM_SOCKET]);
  });

  it('has only the system\'s socket without XDG_RUNTIME_DIR (set or empty)', () => {
    expect(podmanSockets({})).toEqual([SYSTEM_SOCKET]);
    expect(podmanSockets({ XDG_RUNTIME_DIR: '' })).toEqual([SYSTEM_SOCKET]);
  });
});

describe('mayLookForPodman', () => {
  it('looks when nothing is at the default socket: no socket file, or nobody listening', () => {
    expect(mayLookForPodman(refusal('ENOENT', DEFAULT))).toBe(true);
    expect(mayLookForPodman(refusal('ECONNREFUSED', DEFAULT))).toBe(true);
  });

  it('does not look past a Docker engine that is there but cannot be reached', () => {
    expect(mayLookForPodman(refusal('EACCES', DEFAULT))).toBe(false);
    expect(mayLookForPodman(refusal('ETIMEDOUT', DEFAULT))).toBe(false);
  });

  it('never replaces an engine that was named, even at the default socket', () => {
    for (const source of ['--host', 'DOCKER_HOST', '--context', 'DOCKER_CONTEXT', 'config.json'] as const) {
      expect(mayLookForPodman(refusal('ENOENT', unixEndpoint(DOCKER_SOCKET, source))), source).toBe(false);
    }
  });
});

describe('connectOrFindPodman', () => {
  it('uses Docker when it answers, and looks no further', async () => {
    const { connectTo, tried } = fakeConnect({ [DOCKER_SOCKET]: 'engine', [USER_SOCKET]: 'engine' });
    const engine = await connectOrFindPodman(DEFAULT, ENV, connectTo);
    expect(engine.info.endpoint).toBe(DEFAULT);
    expect(tried).toEqual([DOCKER_SOCKET]);
  });

  it('uses the first Podman socket that answers, marked as found that way', async () => {
    const { connectTo, tried } = fakeConnect({ [DOCKER_SOCKET]: 'ECONNREFUSED', [SYSTEM_SOCKET]: 'engine' });
    const readOnlyDefault = { ...DEFAULT, readOnly: true, configDir: '/home/me/.docker' };
    const engine = await connectOrFindPodman(readOnlyDefault, ENV, connectTo);
    expect(tried).toEqual([DOCKER_SOCKET, USER_SOCKET, SYSTEM_SOCKET]);
    expect(engine.info.endpoint).toEqual({
      ...readOnlyDefault, url: `unix://${SYSTEM_SOCKET}`, socketPath: SYSTEM_SOCKET, source: 'podman socket',
    });
  });

  it('keeps the Docker error, with the Podman sockets tried and how to start one, when none answers', async () => {
    const { connectTo } = fakeConnect({ [USER_SOCKET]: 'ECONNREFUSED', [SYSTEM_SOCKET]: 'EACCES' });
    const error = await connectOrFindPodman(DEFAULT, ENV, connectTo).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConnectError);
    const { endpoint, reason, fix } = error as ConnectError;
    expect(endpoint).toBe(DEFAULT);
    expect(reason).toBe(
      `the socket ${DOCKER_SOCKET} does not exist: the Docker engine is not running; Podman's sockets were tried too: ` +
      `${USER_SOCKET} (nothing listening), ${SYSTEM_SOCKET} (permission denied on ${SYSTEM_SOCKET})`,
    );
    expect(fix).toContain('sudo systemctl start docker');
    expect(fix).toContain(`systemctl --user start podman.socket, or podman system service --time=0 unix://${USER_SOCKET}`);
  });

  it('tells of a Docker engine the user may not reach, without trying Podman', async () => {
    const { connectTo, tried } = fakeConnect({ [DOCKER_SOCKET]: 'EACCES', [SYSTEM_SOCKET]: 'engine' });
    const error = await connectOrFindPodman(DEFAULT, ENV, connectTo).catch((err: unknown) => err);
    expect((error as ConnectError).reason).toBe(`permission denied on ${DOCKER_SOCKET}`);
    expect(tried).toEqual([DOCKER_SOCKET]);
  });

  it('never replaces a named endpoint that is not there', async () => {
    const named = unixEndpoint(DOCKER_SOCKET, 'DOCKER_HOST');
    const { connectTo, tried } = fakeConnect({ [SYSTEM_SOCKET]: 'engine' });
    const error = await connectOrFindPodman(named, ENV, connectTo).catch((err: unknown) => err);
    expect((error as ConnectError).reason).toBe(`the socket ${DOCKER_SOCKET} does not exist: the Docker engine is not running`);
    expect(tried).toEqual([DOCKER_SOCKET]);
  });
});

describe('podmanFoundNotice', () => {
  it('says which socket stands in for Docker\'s, and nothing for an engine found the CLI\'s way', () => {
    expect(podmanFoundNotice(podmanEndpoint(DEFAULT, SYSTEM_SOCKET)))
      .toBe(`using Podman's socket unix://${SYSTEM_SOCKET}: no Docker engine at ${DOCKER_SOCKET}`);
    expect(podmanFoundNotice(DEFAULT)).toBeUndefined();
  });
});
