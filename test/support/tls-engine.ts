import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateEngine } from './private-engine.js';
import { generateTlsCerts, writeTlsContext, type TlsCerts } from './tls-certs.js';

/** A private engine on tcp with --tlsverify, and a DOCKER_CONFIG whose context reaches it. */
export interface TlsEngine {
  certs: TlsCerts;
  engine: PrivateEngine;
  /** tcp://127.0.0.1:PORT */
  tcpHost: string;
  /** A DOCKER_CONFIG directory holding the context `contextName` with the client's TLS files. */
  configDir: string;
  contextName: string;
  destroy(): Promise<void>;
}

export async function startTlsEngine(contextName = 'secure'): Promise<TlsEngine> {
  const certs = await generateTlsCerts();
  let engine: PrivateEngine | undefined;
  let configDir: string | undefined;
  const destroy = async () => {
    try {
      await engine?.destroy();
    } finally {
      certs.remove();
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    }
  };
  try {
    engine = await PrivateEngine.start({ tls: { ca: certs.ca, cert: certs.serverCert, key: certs.serverKey } });
    const tcpHost = engine.tcpHost ?? '';
    configDir = mkdtempSync(join(tmpdir(), 'dh-tls-config-'));
    writeTlsContext(configDir, contextName, tcpHost, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
    return { certs, engine, tcpHost, configDir, contextName, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
