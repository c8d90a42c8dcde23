import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndpointError, listContexts, parseHostUrl, resolveEndpoint } from '../../src/engine/endpoint.js';

let home: string;
let configDir: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'dockhand-endpoint-'));
  configDir = join(home, '.docker');
  mkdirSync(configDir);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const sha = (name: string) => createHash('sha256').update(name).digest('hex');

interface ContextSpec {
  host?: string;
  skipTlsVerify?: boolean;
  description?: string;
  tlsFiles?: Array<'ca' | 'cert' | 'key'>;
}

/** Writes a context the way `docker context create` lays it out on disk. */
function writeContext(name: string, spec: ContextSpec = {}, dir = configDir): void {
  const metaDir = join(dir, 'contexts', 'meta', sha(name));
  mkdirSync(metaDir, { recursive: true });
  const endpoints = spec.host === undefined ? {} : { docker: { Host: spec.host, SkipTLSVerify: spec.skipTlsVerify ?? false } };
  const meta = { Name: name, Metadata: { Description: spec.description ?? '' }, Endpoints: endpoints };
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify(meta));
  if (spec.tlsFiles?.length) {
    const tlsDir = join(dir, 'contexts', 'tls', sha(name), 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of spec.tlsFiles) writeFileSync(join(tlsDir, `${file}.pem`), 'PEM');
  }
}

function writeConfig(content: unknown, dir = configDir): void {
  writeFileSync(join(dir, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));
}

function resolve(env: Record<string, string | undefined> = {}, flags: { context?: string; host?: string } = {}) {
  return resolveEndpoint({ ...flags, env, homeDir: home });
}

/** Runs fn and returns the EndpointError it throws. */
function endpointError(fn: () => unknown): EndpointError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointError);
    return error as EndpointError;
  }
  throw new Error('expected an EndpointError');
}

describe('precedence', () => {
  beforeEach(() => {
    writeContext('flag', { host: 'unix:///flag.sock' });
    writeContext('envctx', { host: 'unix:///envctx.sock' });
    writeContext('configured', { host: 'unix:///configured.sock' });
    writeConfig({ currentContext: 'configured' });
  });

  const everything = { DOCKER_HOST: 'unix:///env-host.sock', DOCKER_CONTEXT: 'envctx' };

  it('--context beats everything', () => {
    expect(resolve(everything, { context: 'flag' })).toMatchObject({
      url: 'unix:///flag.sock',
      contextName: 'flag',
      source: '--context',
    });
  });

  it('--host beats DOCKER_HOST, DOCKER_CONTEXT and config.json', () => {
    expect(resolve(everything, { host: 'unix:///flag-host.sock' })).toEqual({
      url: 'unix:///flag-host.sock',
      kind: 'unix',
      socketPath: '/flag-host.sock',
      contextName: 'default',
      source: '--host',
      configDir,
    });
  });

  it('DOCKER_HOST beats DOCKER_CONTEXT and config.json', () => {
    expect(resolve(everything)).toMatchObject({ url: 'unix:///env-host.sock', contextName: 'default', source: 'DOCKER_HOST' });
  });

  it('DOCKER_CONTEXT beats config.json', () => {
    expect(resolve({ DOCKER_CONTEXT: 'envctx' })).toMatchObject({
      url: 'unix:///envctx.sock',
      contextName: 'envctx',
      source: 'DOCKER_CONTEXT',
    });
  });

  it('uses currentContext from config.json', () => {
    expect(resolve()).toMatchObject({ url: 'unix:///configured.sock', contextName: 'configured', source: 'config.json' });
  });

  it('treats empty variables as unset, as the CLI does', () => {
    expect(resolve({ DOCKER_HOST: '', DOCKER_CONTEXT: '' })).toMatchObject({ source: 'config.json' });
  });

  it('reads config.json from DOCKER_CONFIG', () => {
    const elsewhere = join(home, 'elsewhere');
    mkdirSync(elsewhere);
    writeContext('other', { host: 'unix:///other.sock' }, elsewhere);
    writeConfig({ currentContext: 'other' }, elsewhere);
    // The endpoint keeps the directory: its config.json also has the registry credentials.
    expect(resolve({ DOCKER_CONFIG: elsewhere })).toMatchObject({ url: 'unix:///other.sock', source: 'config.json', configDir: elsewhere });
  });

  it('rejects --host together with --context', () => {
    const error = endpointError(() => resolve({}, { context: 'flag', host: 'unix:///x.sock' }));
    expect(error.message).toBe('conflicting options: either specify --host or --context, not both');
  });
});

describe('the default context', () => {
  it('is the local socket when nothing is configured', () => {
    expect(resolve()).toEqual({
      url: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      contextName: 'default',
      source: 'default',
      configDir,
    });
  });

  it('ignores a config.json without currentContext', () => {
    writeConfig({ auths: {} });
    expect(resolve()).toMatchObject({ url: 'unix:///var/run/docker.sock', source: 'default' });
  });

  it('means DOCKER_HOST when named by --context', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://remote:2375' }, { context: 'default' })).toMatchObject({
      url: 'tcp://remote:2375',
      contextName: 'default',
      source: '--context',
    });
  });

  it('means DOCKER_HOST when named by config.json', () => {
    writeConfig({ currentContext: 'default' });
    expect(resolve()).toMatchObject({ url: 'unix:///var/run/docker.sock', contextName: 'default', source: 'config.json' });
  });

  it('means the local socket when DOCKER_CONTEXT names it and DOCKER_HOST is unset', () => {
    expect(resolve({ DOCKER_CONTEXT: 'default' })).toMatchObject({
      url: 'unix:///var/run/docker.sock',
      contextName: 'default',
      source: 'DOCKER_CONTEXT',
    });
  });

  it('fails on a config.json that is not JSON, naming the file', () => {
    writeConfig('{ not json');
    const error = endpointError(() => resolve());
    expect(error.message).toContain(join(configDir, 'config.json'));
  });

  it('does not read config.json when a higher rule decides', () => {
    writeConfig('{ not json');
    expect(resolve({ DOCKER_HOST: 'unix:///x.sock' })).toMatchObject({ source: 'DOCKER_HOST' });
  });
});

describe('TLS from the environment', () => {
  it('is off for a plain tcp host', () => {
    const endpoint = resolve({ DOCKER_HOST: 'tcp://remote' });
    expect(endpoint).toEqual({
      url: 'tcp://remote:2375',
      kind: 'tcp',
      hostname: 'remote',
      port: 2375,
      contextName: 'default',
      source: 'DOCKER_HOST',
      configDir,
    });
  });

  it('DOCKER_TLS_VERIFY turns on verified TLS on port 2376 with the files from DOCKER_CERT_PATH', () => {
    const certs = join(home, 'certs');
    mkdirSync(certs);
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, file), 'PEM');
    const endpoint = resolve({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(endpoint).toMatchObject({ url: 'tcp://remote:2376', port: 2376 });
    expect(endpoint.tls).toEqual({
      ca: join(certs, 'ca.pem'),
      cert: join(certs, 'cert.pem'),
      key: join(certs, 'key.pem'),
      verify: true,
    });
  });

  it('leaves out missing files and defaults the cert dir to the config dir', () => {
    writeFileSync(join(configDir, 'ca.pem'), 'PEM');
    const endpoint = resolve({ DOCKER_HOST: 'tcp://remote:9999', DOCKER_TLS_VERIFY: '1' });
    expect(endpoint.port).toBe(9999);
    expect(endpoint.tls).toEqual({ ca: join(configDir, 'ca.pem'), verify: true });
  });

  it('applies to --host as well', () => {
    expect(resolve({ DOCKER_TLS_VERIFY: '1' }, { host: 'tcp://remote' }).tls).toEqual({ verify: true });
  });

  it('uses unverified TLS on port 2376 without DOCKER_TLS_VERIFY, as docker-modem does', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://remote:2376' }).tls).toEqual({ verify: false });
  });

  it('verifies on port 2376 when DOCKER_TLS_VERIFY is set', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '1' }).tls).toEqual({ verify: true });
  });

  it('DOCKER_TLS turns on TLS without verification', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS: '1' })).toMatchObject({ port: 2376, tls: { verify: false } });
  });

  it('https:// implies TLS', () => {
    expect(resolve({ DOCKER_HOST: 'https://remote' })).toMatchObject({ url: 'tcp://remote:2376', tls: { verify: false } });
  });

  it('does not apply to unix sockets', () => {
    expect(resolve({ DOCKER_HOST: 'unix:///x.sock', DOCKER_TLS_VERIFY: '1' }).tls).toBeUndefined();
  });
});

describe('contexts', () => {
  it('uses the TLS files stored with the context and verifies by default', () => {
    writeContext('secure', { host: 'tcp://secure.example', tlsFiles: ['ca', 'cert', 'key'], description: 'prod' });
    const tlsDir = join(configDir, 'contexts', 'tls', sha('secure'), 'docker');
    expect(resolve({}, { context: 'secure' })).toEqual({
      url: 'tcp://secure.example:2376',
      kind: 'tcp',
      hostname: 'secure.example',
      port: 2376,
      tls: { ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem'), verify: true },
      contextName: 'secure',
      source: '--context',
      configDir,
    });
  });

  it('includes only the TLS files that exist, and honours SkipTLSVerify', () => {
    writeContext('partial', { host: 'tcp://h:1234', tlsFiles: ['ca'], skipTlsVerify: true });
    const tlsDir = join(configDir, 'contexts', 'tls', sha('partial'), 'docker');
    expect(resolve({}, { context: 'partial' }).tls).toEqual({ ca: join(tlsDir, 'ca.pem'), verify: false });
  });

  it('uses TLS without files when SkipTLSVerify is set', () => {
    writeContext('skip', { host: 'tcp://h', skipTlsVerify: true });
    expect(resolve({}, { context: 'skip' })).toMatchObject({ port: 2376, tls: { verify: false } });
  });

  it('uses plain tcp without files or SkipTLSVerify, even on port 2376, and ignores the TLS variables', () => {
    writeContext('plain', { host: 'tcp://h:2376' });
    expect(resolve({ DOCKER_TLS_VERIFY: '1', DOCKER_CONTEXT: 'plain' }).tls).toBeUndefined();
  });

  it('resolves ssh contexts', () => {
    writeContext('remote', { host: 'ssh://me@box' });
    expect(resolve({ DOCKER_CONTEXT: 'remote' })).toEqual({
      url: 'ssh://me@box',
      kind: 'ssh',
      hostname: 'box',
      port: 22,
      username: 'me',
      contextName: 'remote',
      source: 'DOCKER_CONTEXT',
      configDir,
    });
  });

  it('reports an unknown context by name with a fix', () => {
    const error = endpointError(() => resolve({ DOCKER_CONTEXT: 'nope' }));
    expect(error.message).toContain('"nope"');
    expect(error.message).toContain('DOCKER_CONTEXT');
    expect(error.fix).toContain('docker context ls');
    expect(error.fix).toContain('--context NAME');
  });

  it('reports a meta.json that is not JSON, naming the file', () => {
    writeContext('broken', { host: 'unix:///x.sock' });
    const metaFile = join(configDir, 'contexts', 'meta', sha('broken'), 'meta.json');
    writeFileSync(metaFile, '{"Name": "broken",');
    const error = endpointError(() => resolve({}, { context: 'broken' }));
    expect(error.message).toContain(metaFile);
  });

  it('reports a context without a docker endpoint, naming the file', () => {
    writeContext('empty');
    const error = endpointError(() => resolve({}, { context: 'empty' }));
    expect(error.message).toContain(join(configDir, 'contexts', 'meta', sha('empty'), 'meta.json'));
    expect(error.message).toContain('no docker endpoint');
  });

  it('reports a bad host inside a context, naming the context', () => {
    writeContext('weird', { host: 'ftp://h' });
    const error = endpointError(() => resolve({}, { context: 'weird' }));
    expect(error.message).toContain('context "weird"');
    expect(error.message).toContain('ftp://h');
  });
});

describe('parseHostUrl', () => {
  it.each([
    ['unix:///var/run/docker.sock', { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['unix://', { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['/tmp/docker.sock', { url: 'unix:///tmp/docker.sock', kind: 'unix', socketPath: '/tmp/docker.sock' }],
    ['tcp://host:1234', { url: 'tcp://host:1234', kind: 'tcp', hostname: 'host', port: 1234 }],
    ['tcp://host', { url: 'tcp://host:2375', kind: 'tcp', hostname: 'host', port: 2375 }],
    ['tcp://host:2375/base', { url: 'tcp://host:2375/base', kind: 'tcp', hostname: 'host', port: 2375 }],
    ['tcp://[::1]:2375', { url: 'tcp://[::1]:2375', kind: 'tcp', hostname: '::1', port: 2375 }],
    ['http://host:80', { url: 'tcp://host:80', kind: 'tcp', hostname: 'host', port: 80 }],
    ['https://host', { url: 'tcp://host:2376', kind: 'tcp', hostname: 'host', port: 2376 }],
    ['  tcp://host:1  ', { url: 'tcp://host:1', kind: 'tcp', hostname: 'host', port: 1 }],
  ] as const)('parses %s', (input, expected) => {
    expect(parseHostUrl(input)).toEqual(expected);
  });

  it.each([
    ['ssh://box', { url: 'ssh://box', kind: 'ssh', hostname: 'box', port: 22 }],
    ['ssh://me@box', { url: 'ssh://me@box', kind: 'ssh', hostname: 'box', port: 22, username: 'me' }],
    ['ssh://box:2222', { url: 'ssh://box:2222', kind: 'ssh', hostname: 'box', port: 2222 }],
    [
      'ssh://me@box:2222/run/user/1000/docker.sock',
      {
        url: 'ssh://me@box:2222/run/user/1000/docker.sock',
        kind: 'ssh',
        hostname: 'box',
        port: 2222,
        username: 'me',
        socketPath: '/run/user/1000/docker.sock',
      },
    ],
    ['ssh://box/', { url: 'ssh://box/', kind: 'ssh', hostname: 'box', port: 22 }],
  ] as const)('parses %s', (input, expected) => {
    expect(parseHostUrl(input)).toEqual(expected);
  });

  it('refuses Windows named pipes', () => {
    expect(endpointError(() => parseHostUrl('npipe:////./pipe/docker_engine')).message).toContain(
      'Windows named pipes are not supported',
    );
  });

  it.each(['tcp://', 'tcp://:2375', 'ssh://', 'ssh://me@', 'https://:1/x'])('refuses %s, which names no host', (input) => {
    expect(endpointError(() => parseHostUrl(input)).message).toContain('names no host');
  });

  it.each(['localhost:2375', 'docker.sock', 'ftp://host', 'fd://', 'tcp://host:port', 'tcp://host:99999', 'tcp://host:0', 'ssh://box?x=1', ''])(
    'refuses %j, quoting it and showing the accepted forms',
    (input) => {
      const error = endpointError(() => parseHostUrl(input));
      expect(error.message).toContain(`"${input}"`);
      expect(error.fix).toContain('unix:///');
      expect(error.fix).toContain('tcp://');
      expect(error.fix).toContain('ssh://');
    },
  );

  it('refuses a password in an ssh URL', () => {
    expect(endpointError(() => parseHostUrl('ssh://me:secret@box')).message).toContain('password');
  });

  it('names where a bad host came from', () => {
    expect(endpointError(() => resolve({ DOCKER_HOST: 'bogus' })).message).toBe('DOCKER_HOST: invalid Docker host "bogus"');
    expect(endpointError(() => resolve({}, { host: 'bogus' })).message).toBe('--host: invalid Docker host "bogus"');
  });
});

describe('listContexts', () => {
  beforeEach(() => {
    writeContext('prod', { host: 'ssh://me@prod', description: 'production' });
    writeContext('lab10', { host: 'tcp://lab:2376', tlsFiles: ['ca'] });
    writeContext('lab9', { host: 'unix:///lab.sock' });
  });

  it('lists default and the stored contexts by name, marking the current one from config.json', () => {
    writeConfig({ currentContext: 'prod' });
    expect(listContexts({ env: {}, homeDir: home })).toEqual([
      { name: 'default', description: 'Current DOCKER_HOST based configuration', url: 'unix:///var/run/docker.sock', current: false },
      { name: 'lab9', description: '', url: 'unix:///lab.sock', current: false },
      { name: 'lab10', description: '', url: 'tcp://lab:2376', current: false },
      { name: 'prod', description: 'production', url: 'ssh://me@prod', current: true },
    ]);
  });

  it('marks default current when DOCKER_HOST is set, and shows that host', () => {
    writeConfig({ currentContext: 'prod' });
    const entries = listContexts({ env: { DOCKER_HOST: 'tcp://elsewhere:2375', DOCKER_CONTEXT: 'lab9' }, homeDir: home });
    expect(entries.filter((entry) => entry.current).map((entry) => entry.name)).toEqual(['default']);
    expect(entries[0]).toMatchObject({ name: 'default', url: 'tcp://elsewhere:2375' });
  });

  it('marks the context named by DOCKER_CONTEXT', () => {
    const entries = listContexts({ env: { DOCKER_CONTEXT: 'lab10' }, homeDir: home });
    expect(entries.filter((entry) => entry.current).map((entry) => entry.name)).toEqual(['lab10']);
  });

  it('lists a current context that does not exist, with an error', () => {
    const entries = listContexts({ env: { DOCKER_CONTEXT: 'gone' }, homeDir: home });
    expect(entries.find((entry) => entry.name === 'gone')).toEqual({
      name: 'gone',
      description: '',
      url: '',
      current: true,
      error: 'context "gone" does not exist',
    });
  });

  it('lists a context without a docker endpoint with an error', () => {
    writeContext('bare');
    expect(listContexts({ env: {}, homeDir: home }).find((entry) => entry.name === 'bare')).toMatchObject({
      url: '',
      error: 'context has no docker endpoint',
    });
  });

  it('lists only default when there is no context store', () => {
    rmSync(join(configDir, 'contexts'), { recursive: true });
    expect(listContexts({ env: {}, homeDir: home })).toEqual([
      { name: 'default', description: 'Current DOCKER_HOST based configuration', url: 'unix:///var/run/docker.sock', current: true },
    ]);
  });
});
