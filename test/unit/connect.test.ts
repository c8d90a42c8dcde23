import { describe, expect, it } from 'vitest';
import { ConnectError, explainConnectError } from '../../src/engine/connect.js';
import { SshTunnelError } from '../../src/engine/ssh-tunnel.js';
import type { Endpoint } from '../../src/engine/types.js';

const SOCKET = '/var/run/docker.sock';

const UNIX: Endpoint = {
  url: `unix://${SOCKET}`,
  kind: 'unix',
  socketPath: SOCKET,
  contextName: 'default',
  source: 'default',
};

const TCP: Endpoint = {
  url: 'tcp://build.example.com:2375',
  kind: 'tcp',
  hostname: 'build.example.com',
  port: 2375,
  contextName: 'default',
  source: 'DOCKER_HOST',
};

const TLS: Endpoint = {
  url: 'tcp://build.example.com:2376',
  kind: 'tcp',
  hostname: 'build.example.com',
  port: 2376,
  tls: { ca: '/home/me/.docker/ca.pem', cert: '/home/me/.docker/cert.pem', key: '/home/me/.docker/key.pem', verify: true },
  contextName: 'build',
  source: '--context',
};

/** A Node system error as net.connect / dns / tls reject with it. */
function systemError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('explainConnectError', () => {
  it('says the socket is missing for ENOENT', () => {
    const error = explainConnectError(
      systemError('ENOENT', `connect ENOENT ${SOCKET}`, { errno: -2, syscall: 'connect', address: SOCKET }),
      UNIX,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.reason).toBe(`the socket ${SOCKET} does not exist: the Docker engine is not running`);
    expect(error.fix).toMatch(/^start it \(sudo systemctl start docker, or run dockerd\)/);
    expect(error.message).toBe(`Cannot connect to the Docker engine at unix://${SOCKET}: ${error.reason}`);
    expect(error.endpoint).toBe(UNIX);
  });

  it('says nothing listens for ECONNREFUSED on a socket', () => {
    const error = explainConnectError(
      systemError('ECONNREFUSED', `connect ECONNREFUSED ${SOCKET}`, { errno: -111, syscall: 'connect', address: SOCKET }),
      UNIX,
    );
    expect(error.reason).toBe(`nothing is listening on ${SOCKET}: the Docker engine is not running`);
    expect(error.fix).toContain('systemctl start docker');
  });

  it('suggests the docker group for EACCES on a socket', () => {
    const error = explainConnectError(
      systemError('EACCES', `connect EACCES ${SOCKET}`, { errno: -13, syscall: 'connect', address: SOCKET }),
      UNIX,
    );
    expect(error.reason).toBe(`permission denied on ${SOCKET}`);
    expect(error.fix).toContain('usermod -aG docker');
  });

  it('names host and port for ECONNREFUSED over tcp', () => {
    const error = explainConnectError(
      systemError('ECONNREFUSED', 'connect ECONNREFUSED 203.0.113.7:2375', { syscall: 'connect', address: '203.0.113.7', port: 2375 }),
      TCP,
    );
    expect(error.reason).toBe('connection refused by build.example.com:2375: no engine listens there');
    expect(error.fix).toContain('--host URL or --context NAME');
  });

  it('says the host name does not resolve for ENOTFOUND', () => {
    const error = explainConnectError(
      systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND build.example.com', { syscall: 'getaddrinfo', hostname: 'build.example.com' }),
      TCP,
    );
    expect(error.reason).toBe('the host name build.example.com cannot be resolved');
    expect(error.fix).toContain('check the spelling of the host');
  });

  it('blames the certificates for a TLS error code', () => {
    const error = explainConnectError(systemError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), TLS);
    expect(error.reason).toBe('TLS handshake failed: self-signed certificate (the engine\'s certificate, checked against /home/me/.docker/ca.pem)');
    expect(error.fix).toContain('DOCKER_CERT_PATH');
  });

  it('blames the certificates for an expired one', () => {
    expect(explainConnectError(systemError('CERT_HAS_EXPIRED', 'certificate has expired'), TLS).reason).toBe(
      'TLS handshake failed: certificate has expired (the engine\'s certificate, checked against /home/me/.docker/ca.pem)',
    );
  });

  it('names the client certificate the engine refused, without OpenSSL\'s dump', () => {
    const dump = '80ACE830437F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n';
    const refused = systemError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', dump, { reason: 'sslv3 alert bad certificate' });
    expect(explainConnectError(refused, TLS).reason).toBe(
      'TLS handshake failed: the engine refused the client certificate /home/me/.docker/cert.pem',
    );
    const { cert: _cert, key: _key, ...caOnly } = TLS.tls!;
    expect(explainConnectError(refused, { ...TLS, tls: caOnly }).reason).toBe(
      'TLS handshake failed: the engine wants a client certificate and dockhand has none (no cert.pem and key.pem)',
    );
  });

  it('uses the short reason of any other OpenSSL error', () => {
    const error = systemError('ERR_SSL_WRONG_VERSION_NUMBER', '80:error:0A00010B:SSL routines::wrong version number\n', { reason: 'wrong version number' });
    expect(explainConnectError(error, TLS).reason).toBe('TLS handshake failed: wrong version number');
  });

  it('names the unreadable TLS file', () => {
    const error = explainConnectError(
      systemError('ENOENT', "ENOENT: no such file or directory, open '/home/me/.docker/ca.pem'", {
        syscall: 'open', path: '/home/me/.docker/ca.pem',
      }),
      TLS,
    );
    expect(error.reason).toBe('cannot read the TLS file /home/me/.docker/ca.pem (ENOENT)');
    expect(error.fix).toContain('ca.pem, cert.pem, key.pem');
  });

  it('says no answer came for ETIMEDOUT', () => {
    const error = explainConnectError(systemError('ETIMEDOUT', 'timeout'), TCP);
    expect(error.reason).toBe('no answer from build.example.com:2375 within the time allowed');
    expect(error.fix).toContain('check that the engine is running and reachable');
  });

  it('says no answer came when the connect timeout aborted the request', () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    expect(explainConnectError(abort, UNIX).reason).toBe(`no answer from ${SOCKET} within the time allowed`);
  });

  it('asks for TLS when plain HTTP reached an HTTPS engine', () => {
    // docker-modem's rejection for GET /version answered by a TLS-only dockerd
    const body = Buffer.from('Client sent an HTTP request to an HTTPS server.\n');
    const modemError = Object.assign(
      new Error(`(HTTP code 400) unexpected - ${body.toString()} `),
      { reason: undefined, statusCode: 400, json: body },
    );
    const error = explainConnectError(modemError, TCP);
    expect(error.reason).toBe('the engine speaks TLS but dockhand connected without it');
    expect(error.fix).toBe('set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem');
  });

  it('keeps the text of an error it does not know', () => {
    const error = explainConnectError(new Error('socket hang up '), TCP);
    expect(error.reason).toBe('socket hang up');
    expect(error.fix).toContain('tcp://build.example.com:2375');
  });

  it('passes on what ssh said, cause and fix, for an ssh:// endpoint', () => {
    const endpoint: Endpoint = {
      url: 'ssh://deploy@build.example.com', kind: 'ssh', hostname: 'build.example.com', port: 22, username: 'deploy',
      contextName: 'default', source: 'DOCKER_HOST',
    };
    const error = explainConnectError(new SshTunnelError('build.example.com refused the login of deploy', 'ssh-add'), endpoint);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.endpoint).toBe(endpoint);
    expect(error.reason).toBe('build.example.com refused the login of deploy');
    expect(error.fix).toBe('ssh-add');
    expect(error.message).toBe('Cannot connect to the Docker engine at ssh://deploy@build.example.com: build.example.com refused the login of deploy');
  });

  it('returns a ConnectError unchanged', () => {
    const original = new ConnectError(UNIX, 'why', 'how');
    expect(explainConnectError(original, TCP)).toBe(original);
  });

  it.each([
    ['ENOENT on a socket', systemError('ENOENT', `connect ENOENT ${SOCKET}`, { syscall: 'connect' }), UNIX, SOCKET],
    ['ECONNREFUSED on a socket', systemError('ECONNREFUSED', `connect ECONNREFUSED ${SOCKET}`, { syscall: 'connect' }), UNIX, SOCKET],
    ['EACCES on a socket', systemError('EACCES', `connect EACCES ${SOCKET}`, { syscall: 'connect' }), UNIX, SOCKET],
    ['ECONNREFUSED over tcp', systemError('ECONNREFUSED', 'connect ECONNREFUSED', { syscall: 'connect' }), TCP, 'build.example.com:2375'],
    ['ENOTFOUND over tcp', systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND', { syscall: 'getaddrinfo' }), TCP, 'build.example.com:2375'],
    ['a TLS error', systemError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), TLS, 'build.example.com:2376'],
    ['ETIMEDOUT', systemError('ETIMEDOUT', 'timeout'), TCP, 'build.example.com:2375'],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH', 'connect EHOSTUNREACH'), TCP, 'build.example.com:2375'],
  ])('names the endpoint and gives a fix for %s', (_what, err, endpoint, where) => {
    const error = explainConnectError(err, endpoint);
    expect(error.message).toContain(where);
    expect(error.fix.trim()).not.toBe('');
  });
});
