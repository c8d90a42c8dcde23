// A real image registry of the test's own on 127.0.0.1 (Debian's `docker-registry`, installed by
// scripts/engine.sh), storing in a temporary directory. The engine treats 127.0.0.0/8 registries
// as insecure by default, so plain http works without configuring the daemon. With `auth`, the
// registry asks for basic auth against an htpasswd file: the registry reads bcrypt entries only,
// made here with apache2-utils' `htpasswd -B` (also installed by scripts/engine.sh) rather than a
// hand-rolled bcrypt.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './docker.js';
import { accepts, freePort } from './private-engine.js';

const REGISTRY = '/usr/bin/docker-registry';
const SETUP_HINT = 'run `bash scripts/engine.sh` (it installs docker-registry and apache2-utils)';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export class TestRegistry {
  /** 127.0.0.1:PORT, the registry part of an image reference. */
  readonly host: string;

  private constructor(private readonly dir: string, private readonly process: ChildProcess, port: number) {
    this.host = `127.0.0.1:${port}`;
  }

  static async start(auth?: RegistryCredentials): Promise<TestRegistry> {
    const dir = mkdtempSync(join(tmpdir(), 'dh-registry-'));
    try {
      const port = await freePort();
      writeFileSync(join(dir, 'config.yml'), config(dir, port, auth));
      if (auth) writeFileSync(join(dir, 'htpasswd'), htpasswd(auth));
      const log = openSync(join(dir, 'registry.log'), 'w');
      let child: ChildProcess;
      try {
        child = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
      } finally {
        closeSync(log);
      }
      const registry = new TestRegistry(dir, child, port);
      // Raced against the wait below, which also handles its rejection when stop() ends the registry.
      const exited = new Promise<never>((_, reject) => {
        child.once('error', (error) => reject(new Error(`cannot start ${REGISTRY}: ${error.message}; ${SETUP_HINT}`)));
        child.once('exit', (code) => reject(new Error(`docker-registry exited (${code}): ${registry.log()}`)));
      });
      try {
        await Promise.race([waitFor(() => accepts(port), { timeoutMs: 15_000, message: `docker-registry on ${registry.host}` }), exited]);
      } catch (error) {
        await registry.stop();
        throw error;
      }
      return registry;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private log(): string {
    try {
      return readFileSync(join(this.dir, 'registry.log'), 'utf8').trim().split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Stops the registry and removes everything it stored. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const gone = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function config(dir: string, port: number, auth: RegistryCredentials | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (auth) lines.push('auth:', '  htpasswd:', '    realm: dockhand-test', `    path: ${join(dir, 'htpasswd')}`);
  return `${lines.join('\n')}\n`;
}

function htpasswd({ username, password }: RegistryCredentials): string {
  try {
    return execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`htpasswd failed: ${(error as Error).message}; ${SETUP_HINT}`);
  }
}
