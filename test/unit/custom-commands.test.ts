import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { commandEnvironment, expandArgv, unknownPlaceholders } from '../../src/views/custom-commands.js';
import type { Endpoint } from '../../src/engine/types.js';

describe('custom command templates', () => {
  it('fills each argv element on its own: a value never becomes another argument', () => {
    const argv = expandArgv(['docker', 'logs', '--tail', '5', '{{ID}}', 'name={{ Name }}', '{{.State}}'], { ID: 'abc', Name: 'web; rm -rf /' });
    expect(argv).toEqual(['docker', 'logs', '--tail', '5', 'abc', 'name=web; rm -rf /', '{{.State}}']);
  });

  it('names the placeholders a list does not offer', () => {
    expect(unknownPlaceholders(['echo', '{{Tag}}', '{{Name}}'], 'containers')).toEqual(['Tag']);
    expect(unknownPlaceholders(['echo', '{{Tag}}'], 'images')).toEqual([]);
  });

  it('aims docker at the engine dockhand uses: a context by name, else the host and its TLS files', () => {
    const context: Endpoint = { url: 'ssh://me@box', kind: 'ssh', contextName: 'box', source: '--context' };
    expect(commandEnvironment(context, { DOCKER_HOST: 'tcp://elsewhere', PATH: '/bin' })).toEqual({ PATH: '/bin', DOCKER_CONTEXT: 'box' });
    const tls: Endpoint = {
      url: 'tcp://h:2376', kind: 'tcp', contextName: 'default', source: '--host', tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true },
    };
    expect(commandEnvironment(tls, {})).toEqual({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' });
  });
});

describe('commands in config.yml', () => {
  const parse = (text: string) => parseConfig(text, 'config.yml', {});

  it('reads commands per list', () => {
    const { config, problems } = parse('commands:\n  containers:\n    - name: tail\n      argv: [docker, logs, -f, "{{ID}}"]\n      terminal: true\n');
    expect(problems).toEqual([]);
    expect(config.commands.containers).toEqual([{ name: 'tail', argv: ['docker', 'logs', '-f', '{{ID}}'], terminal: true }]);
  });

  it('says what is wrong with a command, where', () => {
    const { problems } = parse([
      'commands:',
      '  containers:',
      '    - name: x',
      '      argv: [echo, "{{Tag}}"]',
      '    - name: y',
      '      argv: "echo hi"',
      '  pods: []',
    ].join('\n'));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('commands.containers[0].argv: {{Tag}} is not offered for containers ({{ID}}, {{Name}}, {{Image}}, {{Host}})'),
      expect.stringContaining('commands.containers[1].argv: is not a list of words'),
      expect.stringContaining('commands.pods'),
    ]));
  });
});
