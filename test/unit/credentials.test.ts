import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialError, findCredentials, registryAuthHeader } from '../../src/engine/credentials.js';

const HUB = 'https://index.docker.io/v1/';
const SECRET = 's3cr3t-do-not-show';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dh-creds-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  env = { PATH: `${bin}:/usr/bin:/bin` };
  // The fake `test` helper answers for three keys, records what it was asked, and says
  // "credentials not found" otherwise, as the real helpers do.
  helper(bin, 'test', `
read -r key
echo "$1 $key" >> "${dir}/asked"
case "$key" in
  registry.test) printf '{"ServerURL":"%s","Username":"alice","Secret":"${SECRET}"}' "$key" ;;
  tokens.test) printf '{"ServerURL":"%s","Username":"<token>","Secret":"${SECRET}"}' "$key" ;;
  ${HUB}) printf '{"ServerURL":"%s","Username":"hubuser","Secret":"${SECRET}"}' "$key" ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac`);
  // Helpers whose output holds the secret: it must never reach an error message.
  helper(bin, 'broken', `cat >/dev/null; echo "failed near ${SECRET}"; echo "${SECRET}" >&2; exit 3`);
  helper(bin, 'garbled', `cat >/dev/null; echo "not json ${SECRET}"`);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function helper(bin: string, name: string, body: string): void {
  const file = join(bin, `docker-credential-${name}`);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function config(value: unknown): void {
  writeFileSync(join(dir, 'config.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

function basic(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(CredentialError);
  expect((error as Error).message).not.toContain(SECRET);
  return error as Error;
}

describe('auths entries', () => {
  it('decodes the base64 auth of `docker login`, the password may hold colons', async () => {
    config({ auths: { 'registry.test': { auth: basic('alice', `${SECRET}:x`) } } });
    expect(await findCredentials(dir, 'registry.test', { env })).toEqual({
      username: 'alice', password: `${SECRET}:x`, serveraddress: 'registry.test',
    });
  });

  it('takes username/password and identity token fields', async () => {
    config({ auths: { 'a.test': { username: 'bob', password: SECRET }, 'b.test': { identitytoken: SECRET } } });
    expect(await findCredentials(dir, 'a.test', { env })).toEqual({ username: 'bob', password: SECRET, serveraddress: 'a.test' });
    expect(await findCredentials(dir, 'b.test', { env })).toEqual({ identitytoken: SECRET, serveraddress: 'b.test' });
  });

  it('finds Docker Hub under the index URL only, and a registry written as a URL by its host', async () => {
    config({ auths: { [HUB]: { auth: basic('hub', SECRET) }, 'https://old.test/v1/': { auth: basic('old', SECRET) } } });
    expect(await findCredentials(dir, HUB, { env })).toMatchObject({ username: 'hub' });
    expect(await findCredentials(dir, 'old.test', { env })).toMatchObject({ username: 'old', serveraddress: 'old.test' });
    expect(await findCredentials(dir, 'docker.io', { env })).toBeUndefined();
  });

  it('has nothing for another registry, a missing file, or no config directory', async () => {
    config({ auths: { 'a.test': { auth: basic('a', SECRET) } } });
    expect(await findCredentials(dir, 'other.test', { env })).toBeUndefined();
    expect(await findCredentials(join(dir, 'missing'), 'a.test', { env })).toBeUndefined();
    expect(Buffer.from(await registryAuthHeader(undefined, 'a.test'), 'base64url').toString()).toBe('{}');
  });

  it('explains a malformed entry or file without quoting it', async () => {
    config({ auths: { 'a.test': { auth: Buffer.from(SECRET).toString('base64') } } });
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toMatch(/malformed.*docker login/);
    config(`{"auths": {"a.test": {"auth": "${SECRET}"`);
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toMatch(/not valid JSON/);
  });
});

describe('credential helpers', () => {
  it('asks credHelpers[registry] with the registry on stdin, before the auths entries', async () => {
    config({ credHelpers: { 'registry.test': 'test' }, auths: { 'registry.test': { auth: basic('stale', 'x') } } });
    expect(await findCredentials(dir, 'registry.test', { env })).toEqual({ username: 'alice', password: SECRET, serveraddress: 'registry.test' });
    expect(readFileSync(join(dir, 'asked'), 'utf8')).toBe('get registry.test\n');
  });

  it('asks credsStore for every registry, Docker Hub by its index URL', async () => {
    config({ credsStore: 'test' });
    expect(await findCredentials(dir, HUB, { env })).toMatchObject({ username: 'hubuser', serveraddress: HUB });
    expect(await findCredentials(dir, 'tokens.test', { env })).toEqual({ identitytoken: SECRET, serveraddress: 'tokens.test' });
  });

  it('prefers the registry’s own helper to the store', async () => {
    config({ credsStore: 'broken', credHelpers: { 'registry.test': 'test' } });
    expect(await findCredentials(dir, 'registry.test', { env })).toMatchObject({ username: 'alice' });
  });

  it('goes anonymous when the helper has nothing for the registry', async () => {
    config({ credsStore: 'test' });
    expect(await findCredentials(dir, 'unknown.test', { env })).toBeUndefined();
  });

  it('explains a failing, garbled or missing helper without its output', async () => {
    config({ credsStore: 'broken' });
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toBe('docker-credential-broken could not give the credentials for a.test (exit code 3)');
    config({ credsStore: 'garbled' });
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toMatch(/other than JSON/);
    config({ credsStore: 'absent' });
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toMatch(/docker-credential-absent .* is not on PATH/);
    config({ credsStore: '../../bin/sh' });
    expect((await failure(findCredentials(dir, 'a.test', { env }))).message).toMatch(/invalid credential helper/);
  });
});

describe('registryAuthHeader', () => {
  it('is the engine’s base64url JSON AuthConfig', async () => {
    config({ credHelpers: { 'registry.test': 'test' } });
    const header = await registryAuthHeader(dir, 'registry.test', { env });
    expect(header).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
    expect(header.length % 4).toBe(0);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ username: 'alice', password: SECRET, serveraddress: 'registry.test' });
  });
});
