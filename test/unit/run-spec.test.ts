// `docker run`'s essentials as a user types them: each field's parsing and refusals, the
// /containers/create body the CLI would send, and the command line shown to teach the CLI.
import { describe, expect, test } from 'vitest';
import {
  ContainerStartError, createQuery, dockerRunCommandLine, parseCommand, parseCpus, parseEnv, parseImage, parseLabel,
  parseMemory, parseName, parsePort, parseRestart, parseRunForm, parseVolume, runSpecToCreateOptions, shellQuote,
  type RunForm, type RunSpec,
} from '../../src/engine/run-spec.js';

function specOf(form: RunForm): RunSpec {
  const parsed = parseRunForm(form);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

const FULL: RunForm = {
  image: 'shop/web:1.2',
  name: 'web-1',
  command: `sh -c 'echo "hi there" && sleep 60'`,
  env: ['MODE=production', 'GREETING=hello world', ''],
  labels: ['team=shop'],
  ports: ['8080:80', '127.0.0.1:5353:53/udp', '9000'],
  volumes: ['data:/var/lib/data', '/srv/config:/etc/app:ro', '/cache'],
  network: 'backend',
  restart: 'on-failure:5',
  memory: '64m',
  cpus: '0.5',
};

describe('field parsing', () => {
  test('image: a reference or an id; a malformed one is refused in words', () => {
    expect(parseImage(' busybox ')).toEqual({ value: 'busybox' });
    expect(parseImage('127.0.0.1:5000/team/app:v1')).toEqual({ value: '127.0.0.1:5000/team/app:v1' });
    expect(parseImage('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toHaveProperty('value');
    expect(parseImage('')).toEqual({ error: 'an image is needed' });
    expect(parseImage('Shop/Web')).toHaveProperty('error', expect.stringContaining('invalid reference format'));
  });

  test('name: the engine\'s rule, empty for a name the engine picks', () => {
    expect(parseName('')).toEqual({ value: '' });
    expect(parseName('/web_1.a-b')).toEqual({ value: 'web_1.a-b' });
    expect(parseName('a')).toHaveProperty('error', expect.stringContaining('two characters or more'));
    expect(parseName('-web')).toHaveProperty('error');
    expect(parseName('my web')).toHaveProperty('error');
  });

  test('command: split as a shell splits it, with no expansion', () => {
    expect(parseCommand('')).toEqual({ value: [] });
    expect(parseCommand(`  sh -c 'echo "$HOME" x'  `)).toEqual({ value: ['sh', '-c', 'echo "$HOME" x'] });
    expect(parseCommand(`echo "a \\"b\\" \\x" '' c\\ d`)).toEqual({ value: ['echo', 'a "b" \\x', '', 'c d'] });
    expect(parseCommand(`echo 'oops`)).toEqual({ error: `the command has an unclosed ' quote` });
  });

  test('env: KEY=value written out; dockhand passes none of its own environment', () => {
    expect(parseEnv('A=1=2')).toEqual({ value: 'A=1=2' });
    expect(parseEnv('EMPTY=')).toEqual({ value: 'EMPTY=' });
    expect(parseEnv('HOME')).toHaveProperty('error', expect.stringContaining('give a value (HOME=value)'));
    expect(parseEnv('=x')).toHaveProperty('error', '-e =x: the variable has no name');
  });

  test('labels: key=value, or a key alone with an empty value', () => {
    expect(parseLabel('a=b=c')).toEqual({ value: ['a', 'b=c'] });
    expect(parseLabel('flag')).toEqual({ value: ['flag', ''] });
    expect(parseLabel('=x')).toHaveProperty('error');
  });

  test('ports: [ip:][host:]container[/proto]', () => {
    expect(parsePort('8080:80')).toEqual({ value: { hostIp: '', hostPort: '8080', containerPort: 80, protocol: 'tcp' } });
    expect(parsePort('127.0.0.1::80/UDP')).toEqual({ value: { hostIp: '127.0.0.1', hostPort: '', containerPort: 80, protocol: 'udp' } });
    expect(parsePort('[::1]:8080:80/sctp')).toEqual({ value: { hostIp: '::1', hostPort: '8080', containerPort: 80, protocol: 'sctp' } });
    expect(parsePort('443')).toEqual({ value: { hostIp: '', hostPort: '', containerPort: 443, protocol: 'tcp' } });
    expect(parsePort('8080:80/icmp')).toHaveProperty('error', '-p 8080:80/icmp: the protocol is tcp, udp or sctp, not "icmp"');
    expect(parsePort('8080:0')).toHaveProperty('error', '-p 8080:0: the container port "0" is not a number from 1 to 65535');
    expect(parsePort('70000:80')).toHaveProperty('error', '-p 70000:80: the host port "70000" is not a number from 1 to 65535');
    expect(parsePort('8000-8010:80')).toHaveProperty('error', expect.stringContaining('port ranges are not supported'));
    expect(parsePort('localhost:8080:80')).toHaveProperty('error', '-p localhost:8080:80: "localhost" is not an IP address');
    expect(parsePort('::1:8080:80')).toHaveProperty('error', expect.stringContaining('IPv6 address in brackets'));
  });

  test('volumes: a named volume or an absolute host path, an absolute destination, ro or rw', () => {
    expect(parseVolume('data:/data')).toEqual({ value: { source: 'data', target: '/data', readOnly: false } });
    expect(parseVolume('/srv:/srv:ro')).toEqual({ value: { source: '/srv', target: '/srv', readOnly: true } });
    expect(parseVolume('/scratch')).toEqual({ value: { source: '', target: '/scratch', readOnly: false } });
    expect(parseVolume('scratch')).toHaveProperty('error', expect.stringContaining('absolute path in the container'));
    expect(parseVolume('./src:/src')).toHaveProperty('error', expect.stringContaining('neither an absolute host path nor a volume name'));
    expect(parseVolume('data:data')).toHaveProperty('error', expect.stringContaining('must be an absolute path'));
    expect(parseVolume('data:/')).toHaveProperty('error', '-v data:/: the destination cannot be /');
    expect(parseVolume('data:/d:z')).toHaveProperty('error', '-v data:/d:z: the mode is ro or rw, not "z"');
  });

  test('restart: no, always, unless-stopped, on-failure[:N]', () => {
    expect(parseRestart('')).toEqual({ value: { name: 'no' } });
    expect(parseRestart('unless-stopped')).toEqual({ value: { name: 'unless-stopped' } });
    expect(parseRestart('on-failure')).toEqual({ value: { name: 'on-failure', maximumRetryCount: 0 } });
    expect(parseRestart('on-failure:3')).toEqual({ value: { name: 'on-failure', maximumRetryCount: 3 } });
    expect(parseRestart('always:3')).toHaveProperty('error', '--restart always:3: only on-failure takes a maximum retry count');
    expect(parseRestart('sometimes')).toHaveProperty('error', expect.stringContaining('no, always, unless-stopped or on-failure[:N]'));
  });

  test('memory: sizes in powers of 1024, as the CLI reads them', () => {
    expect(parseMemory('')).toEqual({ value: 0 });
    expect(parseMemory('64m')).toEqual({ value: 64 * 2 ** 20 });
    expect(parseMemory('1G')).toEqual({ value: 2 ** 30 });
    expect(parseMemory('1.5gb')).toEqual({ value: 1.5 * 2 ** 30 });
    expect(parseMemory('4096')).toEqual({ value: 4096 });
    expect(parseMemory('64 mega')).toHaveProperty('error', expect.stringContaining('such as 64m or 1g'));
    expect(parseMemory('0m')).toHaveProperty('error');
  });

  test('cpus: a positive decimal, exact in billionths', () => {
    expect(parseCpus('0.5')).toEqual({ value: 500_000_000 });
    expect(parseCpus('0.1')).toEqual({ value: 100_000_000 });
    expect(parseCpus('2')).toEqual({ value: 2_000_000_000 });
    expect(parseCpus('0')).toHaveProperty('error', expect.stringContaining('positive number of CPUs'));
    expect(parseCpus('-1')).toHaveProperty('error');
    expect(parseCpus('half')).toHaveProperty('error');
  });

  test('the form: every field\'s first problem, by field', () => {
    expect(parseRunForm({ image: '', ports: ['80', 'x'], memory: 'lots', cpus: '1' })).toEqual({
      errors: {
        image: 'an image is needed',
        ports: '-p x: the container port "x" is not a number from 1 to 65535',
        memory: '--memory lots: expected a size such as 64m or 1g (units b, k, m, g)',
      },
    });
  });
});

describe('runSpecToCreateOptions', () => {
  test('the body `docker run` sends for the same options', () => {
    const spec = specOf(FULL);
    expect(createQuery(spec)).toEqual({ name: 'web-1' });
    expect(runSpecToCreateOptions(spec)).toEqual({
      Image: 'shop/web:1.2',
      Cmd: ['sh', '-c', 'echo "hi there" && sleep 60'],
      Env: ['MODE=production', 'GREETING=hello world'],
      Labels: { team: 'shop' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '9000/tcp': {} },
      Volumes: { '/cache': {} },
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: {
        PortBindings: {
          '80/tcp': [{ HostIp: '', HostPort: '8080' }],
          '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
          '9000/tcp': [{ HostIp: '', HostPort: '' }],
        },
        Binds: ['data:/var/lib/data', '/srv/config:/etc/app:ro'],
        NetworkMode: 'backend',
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        Memory: 64 * 2 ** 20,
        NanoCpus: 500_000_000,
      },
    });
  });

  test('the essentials alone: the image\'s own command, the default network, no limits', () => {
    const spec = specOf({ image: 'busybox', detached: false });
    expect(createQuery(spec)).toEqual({});
    expect(runSpecToCreateOptions(spec)).toEqual({
      Image: 'busybox',
      Env: [],
      Labels: {},
      ExposedPorts: {},
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { PortBindings: {}, Binds: [], RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, Memory: 0, NanoCpus: 0 },
    });
  });

  test('two host ports for one container port are both bound', () => {
    const spec = specOf({ image: 'busybox', ports: ['8080:80', '8081:80'] });
    expect((runSpecToCreateOptions(spec)['HostConfig'] as { PortBindings: unknown }).PortBindings).toEqual({
      '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }],
    });
  });
});

describe('dockerRunCommandLine', () => {
  test('every option in the CLI\'s spelling, quoted where a shell would need it', () => {
    expect(dockerRunCommandLine(specOf(FULL))).toBe(
      `docker run -d --name web-1 --label team=shop -e MODE=production -e 'GREETING=hello world' ` +
      `-p 8080:80 -p 127.0.0.1:5353:53/udp -p 9000 -v data:/var/lib/data -v /srv/config:/etc/app:ro -v /cache ` +
      `--network backend --restart on-failure:5 --memory 64m --cpus 0.5 shop/web:1.2 sh -c 'echo "hi there" && sleep 60'`,
    );
  });

  test('the essentials alone, in the foreground; odd limits in their exact units', () => {
    expect(dockerRunCommandLine(specOf({ image: 'busybox', detached: false }))).toBe('docker run busybox');
    expect(dockerRunCommandLine(specOf({ image: 'busybox', memory: '1500k', cpus: '1.25', restart: 'on-failure', ports: ['[::1]:80:80'] })))
      // Quoted: a shell would take the brackets for a pattern.
      .toBe(`docker run -d -p '[::1]:80:80' --restart on-failure --memory 1500k --cpus 1.25 busybox`);
    expect(dockerRunCommandLine(specOf({ image: 'busybox', memory: '1g', command: `echo "it's" ''` })))
      .toBe(`docker run -d --memory 1g busybox echo 'it'\\''s' ''`);
  });

  test('shellQuote leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('a-b_c.d/e:f=g,h@i%j+k')).toBe('a-b_c.d/e:f=g,h@i%j+k');
    expect(shellQuote('')).toBe(`''`);
    expect(shellQuote('$(rm -rf /)')).toBe(`'$(rm -rf /)'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});

test('a container that did not start is named by its short id, a fleet host kept', () => {
  const id = 'a'.repeat(64);
  expect(new ContainerStartError(id, 'no such file').message)
    .toBe(`container ${'a'.repeat(12)} was created but did not start (it is left in place): no such file`);
  expect(new ContainerStartError(`prod/${id}`, 'x').message).toContain(`container prod/${'a'.repeat(12)} was created`);
});
