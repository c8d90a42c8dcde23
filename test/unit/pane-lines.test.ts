import { describe, expect, it } from 'vitest';
import type { ContainerDetails, ContainerRow } from '../../src/engine/types.js';
import { envLines, inspectLines, matchingLines, overviewLines, topLines, wrapPaneLines } from '../../src/views/pane-lines.js';
import { looksSecret, MASK, maskEnvEntry } from '../../src/views/secrets.js';
import { nextTab, TABS } from '../../src/views/tabs.js';
import { visibleTabs } from '../../src/views/MainPane.js';

describe('secrets', () => {
  it.each(['DB_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_AUTH', 'PRIVATE_KEY', 'SSH_KEY', 'SESSION_SECRET', 'DATABASE_DSN'])(
    '%s looks secret', (key) => expect(looksSecret(key)).toBe(true),
  );

  it.each(['PATH', 'HOME', 'LANG', 'KEYBOARD', 'MONKEY_COUNT', 'PORT'])('%s does not', (key) => expect(looksSecret(key)).toBe(false));

  it('masks the value only, keeps the key, and reveals on request', () => {
    expect(maskEnvEntry('DB_PASSWORD=hunter2', false)).toEqual({ key: 'DB_PASSWORD', value: MASK, masked: true });
    expect(maskEnvEntry('DB_PASSWORD=hunter2', true)).toEqual({ key: 'DB_PASSWORD', value: 'hunter2', masked: false });
    expect(maskEnvEntry('TOKEN=a=b', false).value).toBe(MASK);
    expect(maskEnvEntry('TOKEN=a=b', true).value).toBe('a=b');
    expect(maskEnvEntry('EMPTY_TOKEN=', false)).toEqual({ key: 'EMPTY_TOKEN', value: '', masked: false });
  });
});

describe('inspectLines', () => {
  const raw = { Id: 'abc', Config: { Env: ['DB_PASSWORD=hunter2', 'PLAIN=visible'], Labels: { a: 'b' } } };

  it('prints the document as docker inspect does, with secret env values masked', () => {
    const text = inspectLines(raw, false).map((l) => l.text).join('\n');
    expect(text).toContain(`"DB_PASSWORD=${MASK}"`);
    expect(text).toContain('"PLAIN=visible"');
    expect(text).not.toContain('hunter2');
    expect(text.split('\n')[0]).toBe('{');
  });

  it('shows them when revealed', () => {
    expect(inspectLines(raw, true).map((l) => l.text).join('\n')).toContain('"DB_PASSWORD=hunter2"');
  });
});

describe('envLines', () => {
  it('aligns keys, masks secrets and says how to reveal them', () => {
    const lines = envLines(['DB_PASSWORD=hunter2', 'PLAIN=visible'], false).map((l) => l.text);
    expect(lines[0]).toBe(`DB_PASSWORD  ${MASK}`);
    expect(lines[1]).toBe('PLAIN        visible');
    expect(lines.at(-1)).toContain('m reveals');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('warns while secrets are revealed', () => {
    const lines = envLines(['DB_PASSWORD=hunter2'], true);
    expect(lines[0]?.text).toContain('hunter2');
    expect(lines.at(-1)).toMatchObject({ tone: 'warning' });
  });
});

describe('topLines', () => {
  it('gives each column its widest cell and the command the rest', () => {
    const lines = topLines({ titles: ['UID', 'PID', 'CMD'], processes: [['root', '1', 'sleep 3600'], ['nobody', '12345', 'sh -c x']] }, 40);
    expect(lines.map((l) => l.text)).toEqual([
      'UID    PID   CMD',
      'root   1     sleep 3600',
      'nobody 12345 sh -c x',
    ]);
    expect(lines[0]?.tone).toBe('title');
  });

  it('keeps user, pid and command on a narrow pane, where ps -ef columns leave the command no room', () => {
    const table = {
      titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      processes: [['root', '4242', '4221', '0', '10:00', '?', '00:00:00', 'sleep 3600']],
    };
    expect(topLines(table, 30).map((l) => l.text)).toEqual(['UID  PID  CMD', 'root 4242 sleep 3600']);
    expect(topLines(table, 80)[0]?.text).toBe('UID  PID  PPID C STIME TTY TIME     CMD');
  });
});

describe('matchingLines', () => {
  it('finds lines by label or text, case-insensitively', () => {
    const lines = [{ label: 'Name', text: 'web' }, { text: 'Image nginx' }, { label: 'Label', text: 'tier=WEB' }];
    expect(matchingLines(lines, 'web')).toEqual([0, 2]);
    expect(matchingLines(lines, 'label')).toEqual([2]);
    expect(matchingLines(lines, '')).toEqual([]);
  });
});

describe('overviewLines', () => {
  const row: ContainerRow = {
    id: 'a'.repeat(64), name: 'web', image: 'nginx', command: 'nginx', state: 'exited', status: 'Exited (137) 1 minute ago',
    exitCode: 137, health: undefined, created: 0, ports: [], labels: {},
  };

  it('shows the list row until inspect answers', () => {
    expect(overviewLines(row, undefined, 0).map((l) => l.label)).toEqual(['Name', 'ID', 'Image', 'State', 'Command']);
  });

  it('states the exit code, the daemon error, limits and networks once it has', () => {
    const details = {
      id: row.id, name: 'web', image: 'nginx', imageId: 'sha256:x', command: 'nginx', entrypoint: '', created: '2024-06-10T09:58:00.1Z',
      state: 'exited', exitCode: 137, error: 'boom', oomKilled: true, health: undefined, startedAt: '2024-06-10T09:58:01Z',
      finishedAt: '2024-06-10T10:00:01Z', restartCount: 2, restartPolicy: 'always', ports: [], mounts: [], labels: {}, tty: false,
      openStdin: false, env: [], healthFailingStreak: 0, healthLog: [],
      networks: [{ name: 'bridge', ipAddress: '172.17.0.2', gateway: '', macAddress: '' }],
      limits: { memory: 16 * 1024 * 1024, cpus: 0.5, cpuShares: 0, pidsLimit: 0 }, raw: {},
    } satisfies ContainerDetails;
    const lines = overviewLines(row, details, Date.parse('2024-06-10T10:02:01Z'));
    const byLabel = Object.fromEntries(lines.map((l) => [l.label, l.text]));
    expect(byLabel['State']).toBe('exited (137) OOM, 2m ago');
    expect(byLabel['Exit code']).toBe('137 (out of memory)');
    expect(byLabel['Error']).toBe('boom');
    expect(byLabel['Limits']).toBe('memory 16MiB, 0.5 CPUs');
    expect(byLabel['Network']).toBe('bridge 172.17.0.2');
    expect(byLabel['Restart']).toBe('always (restarted 2×)');
  });
});

describe('tabs', () => {
  it('cycles through every tab in both directions', () => {
    expect(nextTab('top', 1)).toBe('overview');
    expect(nextTab('overview', -1)).toBe('top');
    expect(TABS.map((t) => t.title)).toEqual(['Overview', 'Logs', 'Stats', 'Inspect', 'Env', 'Top']);
  });

  it('shows the current tab and as many neighbours as fit, marking the hidden ones', () => {
    expect(visibleTabs('env', 200)).toMatchObject({ before: false, after: false });
    expect(visibleTabs('env', 200).tabs).toHaveLength(6);
    const narrow = visibleTabs('env', 28);
    expect(narrow.tabs.map((t) => t.id)).toContain('env');
    expect(narrow.tabs.reduce((sum, t) => sum + t.title.length + 2, 2)).toBeLessThanOrEqual(28);
    expect(narrow.before).toBe(true);
    expect(visibleTabs('overview', 12).tabs.map((t) => t.id)).toEqual(['overview']);
  });
});

describe('wrapPaneLines', () => {
  it('continues long text under its label, cut at spaces', () => {
    const wrapped = wrapPaneLines([{ label: 'Command', text: 'sh -c while true; do echo hello; sleep 1; done' }], 30);
    // A 30-column pane: an 8-column label leaves 22 for the text.
    expect(wrapped.map((l) => [l.label, l.text])).toEqual([
      ['Command', 'sh -c while true; do'],
      ['', 'echo hello; sleep 1;'],
      ['', 'done'],
    ]);
  });

  it('wraps the text as drawn, so escape sequences neither count nor repeat (regression: garbled hostile commands)', () => {
    const hostile = 'sh -c # \u001B[2J\u001B]0;pwned\u0007\u202Eevil\u202C 日本語🐳 and more words here';
    const wrapped = wrapPaneLines([{ label: 'Command', text: hostile }], 24);
    const joined = wrapped.map((l) => l.text).join(' ');
    expect(joined).toBe('sh -c # evil 日本語🐳 and more words here');
    for (const line of wrapped) expect(line.text).not.toMatch(/[\u001B\u202E]/);
  });

  it('splits a word longer than the room without losing characters', () => {
    const wrapped = wrapPaneLines([{ text: 'x'.repeat(25) }], 10);
    expect(wrapped.map((l) => l.text).join('')).toBe('x'.repeat(25));
    expect(wrapped.every((l) => l.text.length <= 10)).toBe(true);
  });
});
