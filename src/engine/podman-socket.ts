// With no engine named and nothing at Docker's default socket, dockhand looks where Podman serves
// its Docker-compatible API, so a Podman-only machine works without DOCKER_HOST. An engine the
// user named (flag, variable, context) is never replaced: asking for one and getting another
// would be worse than the error.

import { join } from 'node:path';
import { connect, ConnectError } from './connect.js';
import { DEFAULT_SOCKET } from './endpoint.js';
import type { Engine } from './engine.js';
import type { Endpoint } from './types.js';

const SYSTEM_SOCKET = '/run/podman/podman.sock';

/** Podman's usual sockets, in the order tried: the user's own (rootless) service, then the system's. */
export function podmanSockets(env: Record<string, string | undefined>): string[] {
  const runtimeDir = env.XDG_RUNTIME_DIR;
  return runtimeDir ? [join(runtimeDir, 'podman', 'podman.sock'), SYSTEM_SOCKET] : [SYSTEM_SOCKET];
}

/** What the OS said when nothing is at a socket: no socket file, or no process listening on it. */
function nothingAt(err: ConnectError): 'no such socket' | 'nothing listening' | undefined {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT') return 'no such socket';
  if (code === 'ECONNREFUSED') return 'nothing listening';
  return undefined;
}

/**
 * Whether a failed first contact lets dockhand look for Podman: the endpoint came from the default
 * rule and nothing is at the socket. Permission denied or a timeout is a Docker engine that is
 * there but cannot be reached, and the user must hear about that one.
 */
export function mayLookForPodman(err: ConnectError): boolean {
  return err.endpoint.source === 'default' && nothingAt(err) !== undefined;
}

/** The default endpoint moved to one of Podman's sockets; read-only and the config directory stay. */
export function podmanEndpoint(dockerDefault: Endpoint, socketPath: string): Endpoint {
  return { ...dockerDefault, url: `unix://${socketPath}`, kind: 'unix', socketPath, source: 'podman socket' };
}

/**
 * Connects to `endpoint`; when that is the default socket and nothing is there, to the first of
 * Podman's sockets that answers. When none does, the Docker error stands, saying what else was
 * tried and how to start Podman's service.
 */
export async function connectOrFindPodman(
  endpoint: Endpoint,
  env: Record<string, string | undefined>,
  connectTo: (endpoint: Endpoint) => Promise<Engine> = connect,
): Promise<Engine> {
  try {
    return await connectTo(endpoint);
  } catch (err) {
    if (!(err instanceof ConnectError) || !mayLookForPodman(err)) throw err;
    const sockets = podmanSockets(env);
    const failures: string[] = [];
    for (const socketPath of sockets) {
      try {
        return await connectTo(podmanEndpoint(endpoint, socketPath));
      } catch (podmanErr) {
        if (!(podmanErr instanceof ConnectError)) throw podmanErr;
        failures.push(`${socketPath} (${nothingAt(podmanErr) ?? podmanErr.reason})`);
      }
    }
    throw new ConnectError(
      endpoint,
      `${err.reason}; Podman's sockets were tried too: ${failures.join(', ')}`,
      `${err.fix}; or start Podman's service: systemctl --user start podman.socket, or podman system service --time=0 unix://${sockets[0]}`,
      { cause: err.cause },
    );
  }
}

/**
 * Said once at start when dockhand found Podman by itself, so nobody wonders where Docker went;
 * what it uses first, as a narrow terminal cuts the end of the line.
 */
export function podmanFoundNotice(endpoint: Endpoint): string | undefined {
  if (endpoint.source !== 'podman socket') return undefined;
  return `using Podman's socket ${endpoint.url}: no Docker engine at ${DEFAULT_SOCKET}`;
}
