// Certificates for a Docker engine that listens on tcp with --tlsverify, made with the openssl CLI
// the way Docker's "Protect the Docker daemon socket" guide makes them: a CA, a server certificate
// (serverAuth) and a client certificate (clientAuth) signed by it, plus a second, unrelated CA for
// the "wrong CA" case. Each openssl call gets its own small config file, so the result does not
// depend on the machine's /etc/ssl/openssl.cnf. RSA 2048 and one day of validity keep it fast.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface TlsCerts {
  /** The temp directory holding every file below. */
  dir: string;
  /** The CA that signed the server and client certificates (dockerd --tlscacert, client ca.pem). */
  ca: string;
  caKey: string;
  /** dockerd --tlscert / --tlskey: CN=127.0.0.1, subjectAltName IP:127.0.0.1, DNS:localhost, serverAuth. */
  serverCert: string;
  serverKey: string;
  /** The client's cert.pem / key.pem: CN=client, clientAuth. */
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing the engine presents. */
  otherCa: string;
  otherCaKey: string;
  /**
   * Makes a directory laid out as DOCKER_CERT_PATH (and a context's TLS directory) expects:
   * ca.pem, cert.pem, key.pem, each copied from the given file when given.
   */
  certPath(name: string, files: { ca?: string; cert?: string; key?: string }): string;
  /** Removes dir (certPath's directories are inside it). Safe to call more than once. */
  remove(): void;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd, timeout: 30_000 });
  } catch (error) {
    const { code, stderr } = error as Error & { code?: unknown; stderr?: string };
    const reason = code === 'ENOENT'
      ? 'no openssl CLI on PATH (Debian: apt-get install -y openssl)'
      : stderr?.trim() || String(error);
    throw new Error(`openssl ${args.join(' ')} failed: ${reason}`, { cause: error });
  }
}

/** A config for `openssl req` with a fixed subject and, for a CA, the CA extensions. */
function reqConfig(commonName: string, ca: boolean): string {
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    ...(ca ? ['x509_extensions = v3_ca'] : []),
    '[dn]',
    `CN = ${commonName}`,
    ...(ca
      ? [
          '[v3_ca]',
          'basicConstraints = critical, CA:true',
          'keyUsage = critical, keyCertSign, cRLSign',
          'subjectKeyIdentifier = hash',
        ]
      : []),
    '',
  ].join('\n');
}

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const config = join(dir, `${name}.cnf`);
  writeFileSync(config, reqConfig(`dockhand test ${name}`, true));
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}.pem`);
  await openssl(['genrsa', '-out', key, '2048'], dir);
  await openssl(['req', '-config', config, '-new', '-x509', '-days', '1', '-sha256', '-key', key, '-out', cert], dir);
  return { cert, key };
}

async function makeSigned(
  dir: string,
  ca: { cert: string; key: string },
  name: string,
  commonName: string,
  extensions: string[],
  files: { cert: string; key: string },
): Promise<void> {
  const config = join(dir, `${name}.cnf`);
  const extfile = join(dir, `${name}-ext.cnf`);
  const csr = join(dir, `${name}.csr`);
  writeFileSync(config, reqConfig(commonName, false));
  writeFileSync(extfile, `${extensions.join('\n')}\n`);
  await openssl(['genrsa', '-out', files.key, '2048'], dir);
  await openssl(['req', '-config', config, '-new', '-sha256', '-key', files.key, '-out', csr], dir);
  await openssl([
    'x509', '-req', '-days', '1', '-sha256', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial',
    '-out', files.cert, '-extfile', extfile,
  ], dir);
}

/** Generates a CA, a server certificate for 127.0.0.1, a client certificate and an unrelated CA. */
export async function generateTlsCerts(): Promise<TlsCerts> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-tls-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const [ca, other] = await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')]);
    const server = { cert: join(dir, 'server-cert.pem'), key: join(dir, 'server-key.pem') };
    const client = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    // One after the other: both take their serial number from the CA's ca.srl (-CAcreateserial).
    await makeSigned(dir, ca, 'server', '127.0.0.1', [
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'extendedKeyUsage = serverAuth',
      'keyUsage = critical, digitalSignature, keyEncipherment',
    ], server);
    await makeSigned(dir, ca, 'client', 'client', [
      'extendedKeyUsage = clientAuth',
      'keyUsage = critical, digitalSignature, keyEncipherment',
    ], client);
    return {
      dir,
      ca: ca.cert,
      caKey: ca.key,
      serverCert: server.cert,
      serverKey: server.key,
      clientCert: client.cert,
      clientKey: client.key,
      otherCa: other.cert,
      otherCaKey: other.key,
      certPath(name, files) {
        const target = join(dir, 'cert-paths', name);
        mkdirSync(target, { recursive: true });
        for (const key of ['ca', 'cert', 'key'] as const) {
          const source = files[key];
          if (source !== undefined) copyFileSync(source, join(target, `${key}.pem`));
        }
        return target;
      },
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * Writes a Docker context into the context store under configDir (what DOCKER_CONFIG names) as
 * `docker context create NAME --docker host=HOST,ca=..,cert=..,key=..` would: meta.json under
 * contexts/meta/<sha256 of NAME>/, the TLS files under contexts/tls/<sha256 of NAME>/docker/.
 */
export function writeTlsContext(
  configDir: string,
  name: string,
  host: string,
  files: { ca?: string; cert?: string; key?: string },
  skipTlsVerify = false,
): void {
  const id = createHash('sha256').update(name).digest('hex');
  const metaDir = join(configDir, 'contexts', 'meta', id);
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({
    Name: name,
    Metadata: { Description: `dockhand test context ${name}` },
    Endpoints: { docker: { Host: host, SkipTLSVerify: skipTlsVerify } },
  }));
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  mkdirSync(tlsDir, { recursive: true });
  for (const key of ['ca', 'cert', 'key'] as const) {
    const source = files[key];
    if (source !== undefined) copyFileSync(source, join(tlsDir, `${key}.pem`));
  }
}
