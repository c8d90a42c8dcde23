import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { closest, configPath, defaultConfig, displayPath, formatConfig, parseConfig } from '../../src/config.js';
import { applyKeyOverrides, KEYMAP } from '../../src/views/keymap.js';

const fixture = (name: string) => readFileSync(`test/fixtures/config/${name}`, 'utf8');
const FILE = '~/.config/dockhand/config.yml';
const ENV = {};
const SCOPES = [...new Set(KEYMAP.map((b) => b.scope))];

describe('configPath', () => {
  it('is under XDG_CONFIG_HOME, else ~/.config, and ignores a relative XDG_CONFIG_HOME as XDG says', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/xdg/dockhand/config.yml');
    expect(configPath({}, '/home/u')).toBe('/home/u/.config/dockhand/config.yml');
    expect(configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/dockhand/config.yml');
  });

  it('is shown with ~ for the home directory', () => {
    expect(displayPath('/home/u/.config/dockhand/config.yml', '/home/u')).toBe(FILE);
    expect(displayPath('/xdg/dockhand/config.yml', '/home/u')).toBe('/xdg/dockhand/config.yml');
  });
});

describe('parseConfig', () => {
  it('lays a valid file over the defaults', () => {
    const { config, problems } = parseConfig(fixture('valid.yml'), FILE, ENV);
    expect(problems).toEqual([]);
    expect(config).toEqual({
      theme: 'light',
      defaultView: 'images',
      confirmQuit: true,
      readOnly: true,
      columns: { containers: ['name', 'state', 'cpu', 'memory'] },
      logs: { tail: 200, since: '1h', timestamps: 'utc' },
      stats: { historyMinutes: 30 },
      keys: [
        { scope: 'list', id: 'stop', keys: ['X'] },
        { scope: 'list', id: 'remove', keys: ['d', 'ctrl+x'] },
        { scope: 'global', id: 'help', keys: ['F'] },
      ],
      commands: { containers: [], images: [], volumes: [], networks: [] },
    });
  });

  it('keeps every default a file does not mention; an empty file changes nothing', () => {
    expect(parseConfig('logs:\n  tail: 50\n', FILE, ENV).config).toEqual({ ...defaultConfig(ENV), logs: { ...defaultConfig(ENV).logs, tail: 50 } });
    expect(parseConfig('', FILE, ENV)).toEqual({ config: defaultConfig(ENV), problems: [] });
    expect(parseConfig('# only a comment\n', FILE, ENV)).toEqual({ config: defaultConfig(ENV), problems: [] });
  });

  it('names the file, the path of each bad key and what is allowed, in the file order, and guesses typos', () => {
    const { config, problems } = parseConfig(fixture('invalid.yml'), FILE, ENV);
    expect(problems).toEqual([
      `${FILE}: theme: "dark" is not one of: default, light, none`,
      `${FILE}: confirmQuit: "yes" is not true or false`,
      `${FILE}: colums: no such setting; did you mean "columns"? (theme, defaultView, confirmQuit, readOnly, columns, logs, stats, keys, commands)`,
      `${FILE}: logs.tial: no such setting; did you mean "tail"? (tail, since, timestamps)`,
      `${FILE}: logs.since: "2h" is not one of: 1m, 5m, 15m, 1h, 24h, all (did you mean "1h"?)`,
      `${FILE}: stats.historyMinutes: 0 is not a whole number of minutes from 1 to 60`,
      `${FILE}: keys.lst: no such scope; did you mean "list"? (${SCOPES.join(', ')})`,
      `${FILE}: keys.list.stop: "ss" is not a key name (use a single character, or one of: enter, escape, tab, shift+tab, backspace, space, up, down, left, right, pageup, pagedown, home, end, ctrl+a … ctrl+z)`,
      `${FILE}: keys.list.stpo: no such command in list; did you mean "stop"? (dockhand --print-config lists them all)`,
      `${FILE}: keys.list.searchNext: searchNext is not a command of list (it is one of pane, logs)`,
    ]);
    // Each bad setting keeps its default.
    expect(config).toEqual(defaultConfig(ENV));
  });

  it('says where YAML itself is broken', () => {
    const { config, problems } = parseConfig(fixture('syntax-error.yml'), FILE, ENV);
    expect(config).toEqual(defaultConfig(ENV));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${FILE}:4:\\d+: \\S`));
  });

  it('refuses a file that is not a mapping, and values of the wrong shape', () => {
    expect(parseConfig('- theme\n', FILE, ENV).problems).toEqual([`${FILE}: (top level): ["theme"] is not a mapping (theme: …, defaultView: …, confirmQuit: …, readOnly: …, columns: …, logs: …, stats: …, keys: …, commands: …)`]);
    expect(parseConfig('columns:\n  containers: [name, cpus]\n', FILE, ENV).problems).toEqual([
      `${FILE}: columns.containers: "cpus" is not a column of the containers list (name, state, cpu, memory, age, image, health, ports) (did you mean "cpu"?)`,
    ]);
    expect(parseConfig('columns:\n  containers: []\n', FILE, ENV).problems).toEqual([`${FILE}: columns.containers: name at least one column`]);
    expect(parseConfig('logs:\n  tail: -5\n', FILE, ENV).problems).toEqual([`${FILE}: logs.tail: -5 is not a whole number of lines from 0 to 50000`]);
    expect(parseConfig('logs:\n  tail:\n', FILE, ENV).problems).toEqual([`${FILE}: logs.tail: an empty value is not a whole number of lines from 0 to 50000`]);
    expect(parseConfig('keys:\n  list: x\n', FILE, ENV).problems).toEqual([`${FILE}: keys.list: "x" is not a mapping of commands to keys (stop: x)`]);
  });

  it('reads keys by name or by the help label, a lone digit as that key, and [] as none', () => {
    const { config, problems } = parseConfig('keys:\n  list:\n    stop: [Esc, PgDn, Ctrl-x, " "]\n    viewImages: 9\n    composeDown: []\n', FILE, ENV);
    expect(problems).toEqual([]);
    expect(config.keys).toEqual([
      { scope: 'list', id: 'stop', keys: ['escape', 'pagedown', 'ctrl+x', 'space'] },
      { scope: 'list', id: 'viewImages', keys: ['9'] },
      { scope: 'list', id: 'composeDown', keys: [] },
    ]);
  });

  it('takes its default theme from NO_COLOR, and a theme the file names over it', () => {
    expect(parseConfig('', FILE, { NO_COLOR: '1' }).config.theme).toBe('none');
    expect(parseConfig('', FILE, { NO_COLOR: '' }).config.theme).toBe('default');
    expect(parseConfig('theme: light\n', FILE, { NO_COLOR: '1' }).config.theme).toBe('light');
  });
});

describe('closest', () => {
  it('guesses swapped, missing and extra letters, and nothing far off', () => {
    expect(closest('tial', ['tail', 'since'])).toBe('tail');
    expect(closest('colour', ['columns', 'theme'])).toBeUndefined();
    expect(closest('Theme', ['theme'])).toBe('theme');
    expect(closest('xyz', ['tail'])).toBeUndefined();
  });
});

describe('formatConfig', () => {
  it('prints every setting and binding in the file format, which reads back as the same configuration', () => {
    const { config } = parseConfig(fixture('valid.yml'), FILE, ENV);
    const { keymap } = applyKeyOverrides(config.keys);
    const text = formatConfig(config, keymap, ['from the test']);
    expect(text).toMatch(/^# from the test\ntheme: light\n/);
    expect(text).toContain('  containers: [ name, state, cpu, memory ]\n');
    expect(text).toContain('    stop: X\n');
    const reread = parseConfig(text, FILE, ENV);
    expect(reread.problems).toEqual([]);
    expect({ ...reread.config, keys: [] }).toEqual({ ...config, keys: [] });
    // Printed in full, every binding reads back as it is.
    expect(applyKeyOverrides(reread.config.keys).keymap).toEqual(keymap);
    expect(parse(formatConfig(defaultConfig(ENV), KEYMAP, [])).keys.global.quit).toEqual(['q', 'ctrl+c']);
  });

  it('prints a binding that lost its key to a remapping as [], which reads back as such', () => {
    const { keymap } = applyKeyOverrides([{ scope: 'list', id: 'stop', keys: ['x'] }]);
    const text = formatConfig(defaultConfig(ENV), keymap, []);
    expect(text).toContain('    composeDown: []\n');
    const reread = parseConfig(text, FILE, ENV);
    expect(reread.problems).toEqual([]);
    expect(applyKeyOverrides(reread.config.keys)).toEqual({ keymap, conflicts: [] });
  });
});

describe("the README's Configuration section", () => {
  it('shows a file dockhand reads without a problem', () => {
    const example = /## Configuration\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))?.[1];
    expect(example).toBeDefined();
    const { config, problems } = parseConfig(example ?? '', FILE, ENV);
    expect(problems).toEqual([]);
    expect(config).not.toEqual(defaultConfig(ENV));
  });
});
