// dockhand against an engine that listens on tcp with --tlsverify, reached as the Docker CLI
// reaches it: from DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, or from a context whose
// store holds the TLS files; and what a user is told when the certificates do not fit.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ConnectError } from '../../src/engine/connect.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import type { Engine } from '../../src/engine/engine.js';
import { docker, requireEngine } from '../support/docker.js';
import type { TlsCerts } from '../support/tls-certs.js';
import { startTlsEngine, type TlsEngine } from '../support/tls-engine.js';

const HOME = '/nonexistent';
/** The promise made to users: a failure explained within 5 s. */
const EXPLAINED_WITHIN_MS = 5000;

let tls: TlsEngine | undefined;
let certs: TlsCerts;
let configDir: string;
let tcpHost: string;
let container: { id: string; name: string };
/** DOCKER_CERT_PATH with the right CA and the client certificate. */
let goodCertPath: string;

beforeAll(async () => {
  await requireEngine();
  tls = await startTlsEngine('secure');
  ({ certs, configDir, tcpHost } = tls);
  const name = `dh-tls-${randomBytes(3).toString('hex')}`;
  container = { id: await tls.engine.run('--name', name), name };
  goodCertPath = certs.certPath('good', { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
}, 90_000);

afterAll(async () => {
  await tls?.destroy();
}, 60_000);

/** Connects and expects a ConnectError, within the time promised; returns it. */
async function failure(env: Record<string, string>): Promise<ConnectError> {
  const started = Date.now();
  const error = await connect(resolveEndpoint({ env, homeDir: HOME })).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = Date.now() - started;
  expect(error).toBeInstanceOf(ConnectError);
  expect(elapsed).toBeLessThan(EXPLAINED_WITHIN_MS);
  return error as ConnectError;
}

async function expectListsContainer(connected: Engine): Promise<void> {
  const rows = await connected.listContainers();
  expect(rows.find((row) => row.id === container.id)).toMatchObject({ name: container.name, state: 'running' });
}

describe('a tcp engine with --tlsverify', () => {
  it('is reached from DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH', async () => {
    const endpoint = resolveEndpoint({
      env: { DOCKER_HOST: tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: goodCertPath },
      homeDir: HOME,
    });
    expect(endpoint).toMatchObject({
      kind: 'tcp',
      url: tcpHost,
      source: 'DOCKER_HOST',
      tls: { verify: true, ca: join(goodCertPath, 'ca.pem'), cert: join(goodCertPath, 'cert.pem'), key: join(goodCertPath, 'key.pem') },
    });
    const connected = await connect(endpoint);
    expect(connected.info.serverApiVersion).toBe('1.41');
    await expectListsContainer(connected);
  });

  it('is reached from a context whose store holds the TLS files, as the Docker CLI reaches it', async () => {
    const dir = configDir;
    // The hand-written store is the CLI's own: the CLI reaches the engine through it.
    expect(await docker('--config', dir, '--context', 'secure', 'inspect', '--format', '{{.Name}}', container.id))
      .toBe(`/${container.name}`);

    // --context wins over DOCKER_HOST, and the context's TLS files over DOCKER_CERT_PATH, as in the CLI.
    const endpoint = resolveEndpoint({
      context: 'secure',
      env: { DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CERT_PATH: '/nonexistent' },
      homeDir: HOME,
    });
    expect(endpoint).toMatchObject({ kind: 'tcp', url: tcpHost, contextName: 'secure', source: '--context' });
    const tlsDir = join(dir, 'contexts', 'tls', createHash('sha256').update('secure').digest('hex'), 'docker');
    expect(endpoint.tls).toEqual({
      verify: true, ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem'),
    });
    const connected = await connect(endpoint);
    await expectListsContainer(connected);
  });

  it('names a failed certificate check when the CA is not the one that signed the engine', async () => {
    const wrongCa = certs.certPath('wrong-ca', { ca: certs.otherCa, cert: certs.clientCert, key: certs.clientKey });
    const error = await failure({ DOCKER_HOST: tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: wrongCa });
    expect(error.reason).toMatch(/^TLS handshake failed: .*certificate/);
    // The file to look at: the CA the engine's certificate was checked against.
    expect(error.reason).toContain(join(wrongCa, 'ca.pem'));
    expect(error.fix).toMatch(/CA/);
    expect(error.fix).toContain('DOCKER_CERT_PATH');
    expect(error.message).toBe(`Cannot connect to the Docker engine at ${tcpHost}: ${error.reason}`);
  });

  it('says the engine rejected the handshake when no client certificate is given', async () => {
    const noClient = certs.certPath('no-client', { ca: certs.ca });
    const error = await failure({ DOCKER_HOST: tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: noClient });
    expect(error.reason).toMatch(/^TLS handshake failed/);
    // The cause a user can act on: the engine wants a client certificate and none was sent
    // (DOCKER_CERT_PATH has no cert.pem/key.pem), said on one line, as the CLI prints `cause: REASON`,
    // not OpenSSL's internal error dump with its source file and trailing newline.
    expect(error.reason).toMatch(/client certificate/i);
    expect(error.reason).not.toMatch(/\n|:error:|deps\/openssl|rec_layer/);
    expect(error.fix).toContain('DOCKER_CERT_PATH');
  });

  it('says the engine speaks TLS when dockhand connects without it', async () => {
    const error = await failure({ DOCKER_HOST: tcpHost });
    expect(error.reason).toBe('the engine speaks TLS but dockhand connected without it');
    expect(error.fix).toContain('DOCKER_TLS_VERIFY=1');
    expect(error.fix).toContain('DOCKER_CERT_PATH');
  });
});
