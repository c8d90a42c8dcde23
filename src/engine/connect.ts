import type { Engine } from './engine.js';
import { openDockerEngine } from './docker-engine.js';
import { readOnlyEngine } from './read-only.js';
import { SshTunnel, SshTunnelError } from './ssh-tunnel.js';
import type { Endpoint } from './types.js';

/** Why dockhand could not reach an engine, in words a user can act on. */
export class ConnectError extends Error {
  /** `cause` is what the OS or the engine said, kept for callers that decide by it (podman-socket.ts). */
  constructor(readonly endpoint: Endpoint, readonly reason: string, readonly fix: string, options?: ErrorOptions) {
    super(`Cannot connect to the Docker engine at ${endpoint.url}: ${reason}`, options);
    this.name = 'ConnectError';
  }
}

interface SystemError {
  code?: string;
  path?: string;
  syscall?: string;
  statusCode?: number;
  message?: string;
  json?: { message?: string } | null;
  reason?: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_OSSL_PEM_NO_START_LINE', 'CERT_SIGNATURE_FAILURE',
]);

/** Verdicts on the engine's own certificate: the CA file it was checked against is what to look at. */
const SERVER_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE',
]);

/** Alerts a TLS server sends when it does not accept the client's certificate (or its absence). */
const CLIENT_CERT_REFUSED = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
]);

const ELSEWHERE = 'or point dockhand at another engine with --host URL or --context NAME';

/** Maps a failed first contact to the cause and the fix, by what the OS or the engine said. */
export function explainConnectError(err: unknown, endpoint: Endpoint): ConnectError {
  if (err instanceof ConnectError) return err;
  const fail = (reason: string, fix: string) => new ConnectError(endpoint, reason, fix, { cause: err });
  if (err instanceof SshTunnelError) return fail(err.reason, err.fix);
  const e = (err ?? {}) as SystemError;
  const where = endpoint.kind === 'unix' ? endpoint.socketPath ?? endpoint.url : `${endpoint.hostname}:${endpoint.port}`;

  if (e.code === 'ETIMEDOUT' || e.code === 'ABORT_ERR' || e.code === 'ESOCKETTIMEDOUT') {
    return fail(`no answer from ${where} within the time allowed`, `check that the engine is running and reachable, ${ELSEWHERE}`);
  }
  if (e.syscall === 'open' && e.path) {
    return fail(`cannot read the TLS file ${e.path} (${e.code ?? 'error'})`, 'check DOCKER_CERT_PATH or the context\'s TLS files (ca.pem, cert.pem, key.pem)');
  }
  if (e.code && CLIENT_CERT_REFUSED.has(e.code)) {
    const refused = endpoint.tls?.cert
      ? `the engine refused the client certificate ${endpoint.tls.cert}`
      : 'the engine wants a client certificate and dockhand has none (no cert.pem and key.pem)';
    return fail(`TLS handshake failed: ${refused}`, 'put cert.pem and key.pem signed by the engine\'s CA in DOCKER_CERT_PATH, or in the context\'s TLS files');
  }
  if (e.code && TLS_CODES.has(e.code) || e.code?.startsWith('ERR_SSL_') || /certificate|SSL|TLS/i.test(e.message ?? '') && !e.statusCode) {
    // OpenSSL's message is a multi-line dump; its reason is the readable part.
    const detail = (e.code?.startsWith('ERR_SSL_') && e.reason ? e.reason : e.message ?? e.code ?? 'unknown').trim();
    const checkedAgainst = e.code && SERVER_CERT_CODES.has(e.code)
      ? ` (the engine's certificate, checked against ${endpoint.tls?.ca ?? 'the system CAs: no ca.pem given'})`
      : '';
    return fail(`TLS handshake failed: ${detail}${checkedAgainst}`, 'check the CA and client certificates (DOCKER_CERT_PATH, DOCKER_TLS_VERIFY) or the context\'s TLS files');
  }
  if (endpoint.kind === 'unix') {
    if (e.code === 'ENOENT') {
      return fail(`the socket ${where} does not exist: the Docker engine is not running`, `start it (sudo systemctl start docker, or run dockerd), ${ELSEWHERE}`);
    }
    if (e.code === 'ECONNREFUSED') {
      return fail(`nothing is listening on ${where}: the Docker engine is not running`, `start it (sudo systemctl start docker, or run dockerd), ${ELSEWHERE}`);
    }
    if (e.code === 'EACCES' || e.code === 'EPERM') {
      return fail(`permission denied on ${where}`, 'add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or run dockhand with sudo');
    }
  } else {
    if (e.code === 'ECONNREFUSED') {
      return fail(`connection refused by ${where}: no engine listens there`, `check the host and port, and that dockerd listens on tcp, ${ELSEWHERE}`);
    }
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      return fail(`the host name ${endpoint.hostname} cannot be resolved`, `check the spelling of the host, ${ELSEWHERE}`);
    }
    if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ECONNRESET') {
      return fail(`${where} is unreachable (${e.code})`, `check the network path to the host, ${ELSEWHERE}`);
    }
    const daemonText = e.json?.message ?? e.reason ?? e.message ?? '';
    if (e.statusCode === 400 && /HTTPS/i.test(daemonText)) {
      return fail('the engine speaks TLS but dockhand connected without it', 'set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem');
    }
  }
  const detail = e.json?.message ?? e.reason ?? e.message ?? String(err);
  return fail(detail.trim() || 'unknown error', `check that a Docker engine answers at ${endpoint.url}, ${ELSEWHERE}`);
}

/**
 * First contact with an engine, bounded in time so a dead or firewalled host fails within the
 * promise of five seconds rather than the OS's minute-long connect timeout. An ssh:// engine is
 * reached through an SshTunnel, which the engine keeps (DockerEngine.close() ends it).
 */
export async function connect(endpoint: Endpoint, timeoutMs = 4000): Promise<Engine> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const tunnel = endpoint.kind === 'ssh' ? new SshTunnel(endpoint) : undefined;
  try {
    const engine = await Promise.race([
      openDockerEngine(endpoint, timeout, tunnel),
      new Promise<never>((_, reject) => {
        timeout.addEventListener('abort', () => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), { once: true });
      }),
    ]);
    return endpoint.readOnly ? readOnlyEngine(engine) : engine;
  } catch (err) {
    const explained = (await tunnel?.explainFailure(err)) ?? err;
    tunnel?.close();
    throw explainConnectError(explained, endpoint);
  }
}
