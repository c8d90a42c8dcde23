import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/views/HelpOverlay.js';
import { KEYMAP, commandFor, keyName, keymapMarkdown, type Scope } from '../../src/views/keymap.js';

describe('keyName', () => {
  it.each([
    ['up', '', { upArrow: true }],
    ['down', '', { downArrow: true }],
    ['left', '', { leftArrow: true }],
    ['right', '', { rightArrow: true }],
    ['pageup', '', { pageUp: true }],
    ['pagedown', '', { pageDown: true }],
    ['home', '', { home: true }],
    ['end', '', { end: true }],
    ['enter', '\r', { return: true }],
    ['escape', '', { escape: true }],
    ['tab', '\t', { tab: true }],
    ['shift+tab', '', { tab: true, shift: true }],
    ['backspace', '', { backspace: true }],
    ['backspace', '', { delete: true }],
    ['ctrl+c', 'c', { ctrl: true }],
    ['ctrl+d', 'd', { ctrl: true }],
    ['space', ' ', {}],
    ['j', 'j', {}],
    ['G', 'G', { shift: true }],
    ['K', 'K', { shift: true }],
    ['?', '?', {}],
    ['/', '/', {}],
  ])('names %s', (name, input, key) => {
    expect(keyName(input, key)).toBe(name);
  });
});

describe('commandFor', () => {
  it('finds list and global bindings', () => {
    expect(commandFor('j', ['list', 'global'])).toBe('down');
    expect(commandFor('G', ['list', 'global'])).toBe('bottom');
    expect(commandFor('g', ['list', 'global'])).toBe('top');
    expect(commandFor('q', ['list', 'global'])).toBe('quit');
    expect(commandFor('ctrl+c', ['list', 'global'])).toBe('quit');
  });

  it('tells capitals apart from lower case', () => {
    expect(commandFor('s', ['list'])).toBe('stop');
    expect(commandFor('S', ['list'])).toBe('start');
    expect(commandFor('k', ['list'])).toBe('up');
    expect(commandFor('K', ['list'])).toBe('kill');
  });

  it('lets a dialog scope shadow the list', () => {
    expect(commandFor('enter', ['confirm', 'list', 'global'])).toBe('confirmNo');
    expect(commandFor('j', ['kill', 'list', 'global'])).toBe('signalNext');
    expect(commandFor('escape', ['help', 'global'])).toBe('helpClose');
    expect(commandFor('?', ['help', 'global'])).toBe('helpClose');
  });

  it('falls through to a later scope for keys the first one leaves free', () => {
    expect(commandFor('ctrl+c', ['confirm', 'global'])).toBe('quit');
    expect(commandFor('s', ['confirm', 'list'])).toBe('stop');
  });

  it("does not bind 'q' in the filter box", () => {
    expect(commandFor('q', ['filter'])).toBeUndefined();
    expect(commandFor('enter', ['filter'])).toBe('filterKeep');
    expect(commandFor('escape', ['filter'])).toBe('filterClear');
  });

  it('returns undefined for unbound keys and no scopes', () => {
    expect(commandFor('z', ['list', 'global'])).toBeUndefined();
    expect(commandFor('j', [])).toBeUndefined();
  });
});

describe('KEYMAP', () => {
  const scopes: Scope[] = ['global', 'list', 'images', 'filter', 'confirm', 'kill', 'help'];

  it.each(scopes)('binds no key twice in %s', (scope) => {
    const keys = KEYMAP.filter((b) => b.scope === scope).flatMap((b) => b.keys);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it('describes every command it binds', () => {
    for (const binding of KEYMAP) expect(binding.description.trim(), binding.id).not.toBe('');
  });

  it('gives every binding at least one key', () => {
    for (const binding of KEYMAP) expect(binding.keys.length, binding.id).toBeGreaterThan(0);
  });

  it('names keys only in the vocabulary keyName produces', () => {
    const named = new Set(['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'enter', 'escape', 'tab', 'shift+tab', 'space', 'backspace']);
    for (const key of KEYMAP.flatMap((b) => b.keys)) {
      expect(named.has(key) || /^ctrl\+[a-z]$/.test(key) || [...key].length === 1, key).toBe(true);
    }
  });
});

describe('keymapMarkdown', () => {
  const markdown = keymapMarkdown();

  it("contains every binding's description in a table row", () => {
    for (const binding of KEYMAP) expect(markdown).toMatch(new RegExp(`\\| ${escape(binding.description)} \\|`));
  });

  it('labels keys as the help shows them', () => {
    expect(markdown).toContain('| `q` `Ctrl-c` | quit |');
    expect(markdown).toContain('| `j` `↓` | next row |');
    expect(markdown).toContain('| `PgDn` `Ctrl-d` | page down |');
    expect(markdown).toContain('| `n` `Esc` `Enter` | no, cancel (default) |');
  });

  it('has one titled table per scope and ends with one newline', () => {
    expect(markdown.match(/\| Keys \| Action \|/g)).toHaveLength(new Set(KEYMAP.map((b) => b.scope)).size);
    expect(markdown).toContain('**Kill: choose a signal**');
    expect(markdown.endsWith('|\n')).toBe(true);
  });
});

describe('keys typed ahead in one chunk', () => {
  it('names a bare DEL or ^H backspace and a bare CR enter (regression: held Backspace did nothing)', () => {
    expect(keyName('\x7f', {})).toBe('backspace');
    expect(keyName('\b', {})).toBe('backspace');
    expect(keyName('\r', {})).toBe('enter');
  });

  it('names a Tab typed ahead in one chunk with other keys (regression: :ima then Tab did not complete)', () => {
    expect(keyName('\t', {})).toBe('tab');
  });
});

describe('help layout', () => {
  it('fits every binding on one line of a help column, keys and description', () => {
    for (const line of helpLines()) expect(line.text.length, line.text).toBeLessThanOrEqual(37);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
