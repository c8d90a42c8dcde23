import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * For a describe block: a TLS engine with a context named "secure" and one running container on it
 * (named dh-tls-…), started before the block's tests and destroyed after them. The getters throw
 * when the engine did not start, so a test says so instead of reaching for undefined.
 */
export function useTlsEngineWithContainer(): { tls(): TlsEngine; name(): string } {
  let started: TlsEngine | undefined;
  let name = '';
  beforeAll(async () => {
    started = await startTlsEngine('secure');
    name = `dh-tls-${randomBytes(2).toString('hex')}`;
    await started.engine.run('--name', name);
  }, 90_000);
  afterAll(async () => {
    await started?.destroy();
  }, 60_000);
  const tls = () => {
    if (!started) throw new Error('the TLS engine did not start (see the beforeAll error)');
    return started;
  };
  return { tls, name: () => name };
}
