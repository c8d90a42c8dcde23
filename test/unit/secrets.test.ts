// Secret-looking values in labels and command lines are masked as env values are.
import { describe, expect, it } from 'vitest';
import { eventPaneLines } from '../../src/views/event-lines.js';
import { inspectLines, topLines } from '../../src/views/pane-lines.js';
import { looksSecret, MASK, maskCommandLine, maskCommandWords, maskLabel } from '../../src/views/secrets.js';

describe('labels', () => {
  it('masks the value of a secret-looking key unless revealed', () => {
    expect(maskLabel('traefik.http.middlewares.auth.basicauth.users', 'admin:$apr1$x', false)).toBe(MASK);
    expect(maskLabel('traefik.http.middlewares.auth.basicauth.users', 'admin:$apr1$x', true)).toBe('admin:$apr1$x');
    expect(maskLabel('com.example.api-token', 'abc', false)).toBe(MASK);
    expect(maskLabel('com.docker.compose.project', 'shop', false)).toBe('shop');
  });

  it('is not fooled by authors', () => {
    expect(looksSecret('org.opencontainers.image.authors')).toBe(false);
    expect(looksSecret('maintainer.author')).toBe(false);
    expect(looksSecret('GITHUB_AUTH')).toBe(true);
    expect(looksSecret('oauth.client')).toBe(true);
  });
});

describe('command lines', () => {
  it('masks NAME=value, --flag=value and --flag value when the name looks secret', () => {
    expect(maskCommandWords(['mysqld', '--password=hunter2', '--port=3306'], false)).toEqual(['mysqld', `--password=${MASK}`, '--port=3306']);
    expect(maskCommandWords(['redis-server', '--requirepass', 'hunter2', '--port', '6379'], false))
      .toEqual(['redis-server', '--requirepass', MASK, '--port', '6379']);
    expect(maskCommandWords(['env', 'DB_PASSWORD=hunter2', 'app'], false)).toEqual(['env', `DB_PASSWORD=${MASK}`, 'app']);
    expect(maskCommandWords(['sh', '-c', 'echo hi'], false)).toEqual(['sh', '-c', 'echo hi']);
  });

  it('reveals on request and keeps a joined line joined', () => {
    expect(maskCommandLine('app --token abc --verbose', false)).toBe(`app --token ${MASK} --verbose`);
    expect(maskCommandLine('app --token abc --verbose', true)).toBe('app --token abc --verbose');
  });
});

describe('where they are shown', () => {
  const raw = {
    Path: 'mysqld',
    Args: ['--password=hunter2'],
    Config: { Cmd: ['mysqld', '--password=hunter2'], Entrypoint: null, Labels: { 'com.example.api-token': 'hunter2', plain: 'seen' } },
  };

  it('inspect masks label values and command arguments until revealed', () => {
    const masked = inspectLines(raw, false).map((l) => l.text).join('\n');
    expect(masked).not.toContain('hunter2');
    expect(masked).toContain(`"com.example.api-token": "${MASK}"`);
    expect(masked).toContain(`"--password=${MASK}"`);
    expect(masked).toContain('"plain": "seen"');
    expect(inspectLines(raw, true).map((l) => l.text).join('\n')).toContain('"--password=hunter2"');
  });

  it('the events details mask a secret-looking label among the attributes until revealed', () => {
    const entry = { kind: 'event', sentence: 'web created', timeMs: 0, type: 'container', action: 'create', name: 'web', id: 'abc', attributes: { 'com.example.api-token': 'hunter2', image: 'busybox' } };
    const text = eventPaneLines(entry as unknown as Parameters<typeof eventPaneLines>[0]).map((l) => l.text).join('\n');
    expect(text).toContain(`com.example.api-token=${MASK}`);
    expect(text).toContain('image=busybox');
    const revealed = eventPaneLines(entry as unknown as Parameters<typeof eventPaneLines>[0], true).map((l) => l.text).join('\n');
    expect(revealed).toContain('com.example.api-token=hunter2');
  });

  it('top masks the arguments in its command column', () => {
    const table = { titles: ['PID', 'CMD'], processes: [['1', 'redis-server --requirepass hunter2']] };
    expect(topLines(table, 80).map((l) => l.text).join('\n')).not.toContain('hunter2');
    expect(topLines(table, 80, true).map((l) => l.text).join('\n')).toContain('hunter2');
  });
});
