import { afterEach, describe, expect, it } from 'vitest';
import { helpLines } from '../../src/views/HelpOverlay.js';
import { activeKeymap, applyKeyOverrides, commandFor, keymapMarkdown, KEYMAP, keysFor, parseKeyName, setActiveKeymap } from '../../src/views/keymap.js';

afterEach(() => setActiveKeymap(KEYMAP));

describe('parseKeyName', () => {
  it.each([
    ['x', 'x'], ['X', 'X'], ['?', '?'], ['1', '1'],
    ['enter', 'enter'], ['Enter', 'enter'], ['Esc', 'escape'], ['escape', 'escape'], ['PgDn', 'pagedown'],
    ['↑', 'up'], ['Shift-Tab', 'shift+tab'], ['space', 'space'], [' ', 'space'],
    ['ctrl+d', 'ctrl+d'], ['Ctrl-D', 'ctrl+d'],
  ])('reads %j as %j', (text, name) => {
    expect(parseKeyName(text)).toBe(name);
  });

  it.each(['ss', '', 'f1', 'ctrl+1', 'delete', '\t', '\x7f'])('refuses %j', (text) => {
    expect(parseKeyName(text)).toBeUndefined();
  });
});

describe('applyKeyOverrides', () => {
  it('replaces the keys of one command in one scope only', () => {
    const { keymap, conflicts } = applyKeyOverrides([{ scope: 'list', id: 'stop', keys: ['X'] }]);
    expect(conflicts).toEqual([]);
    expect(keymap.find((b) => b.scope === 'list' && b.id === 'stop')?.keys).toEqual(['X']);
    expect(keymap).toHaveLength(KEYMAP.length);
    // The table itself is left alone: the README is generated from it.
    expect(KEYMAP.find((b) => b.id === 'stop')?.keys).toEqual(['s']);
  });

  it('takes a key from the binding that had it, and says so', () => {
    const { keymap, conflicts } = applyKeyOverrides([{ scope: 'list', id: 'stop', keys: ['x'] }]);
    expect(keymap.find((b) => b.id === 'composeDown')?.keys).toEqual([]);
    expect(conflicts).toEqual([`keys.list.stop: "x" was composeDown's key in list, now stop's (composeDown has no key left)`]);
  });

  it('leaves a key two remappings take to the first in the file', () => {
    const { keymap, conflicts } = applyKeyOverrides([
      { scope: 'list', id: 'stop', keys: ['X'] },
      { scope: 'list', id: 'remove', keys: ['X', 'd'] },
    ]);
    expect(keymap.find((b) => b.id === 'stop')?.keys).toEqual(['X']);
    expect(keymap.find((b) => b.id === 'remove')?.keys).toEqual(['d']);
    expect(conflicts).toEqual(['keys.list.stop and keys.list.remove both take "X": stop keeps it (first in the file)']);
  });

  it('says when a scoped key hides a global one, and the other way round', () => {
    expect(applyKeyOverrides([{ scope: 'list', id: 'start', keys: ['q'] }]).conflicts)
      .toEqual(['keys.list.start: "q" is also quit in global; in list, start comes first']);
    expect(applyKeyOverrides([{ scope: 'global', id: 'help', keys: ['?', 'n'] }]).conflicts)
      .toEqual(['keys.global.help: "n" is confirmNo in confirm, kill, prune; searchNext in pane, logs, which comes first there']);
  });

  it("says when the images list's own key hides a list key there, and the other way round", () => {
    expect(applyKeyOverrides([{ scope: 'list', id: 'toggleStopped', keys: ['t'] }]).conflicts)
      .toEqual(['keys.list.toggleStopped: "t" is tagImage in images, which comes first there']);
    expect(applyKeyOverrides([{ scope: 'images', id: 'pullImage', keys: ['e'] }]).conflicts)
      .toEqual(['keys.images.pullImage: "e" is also toggleStopped in list; in images, pullImage comes first']);
  });

  it('finds nothing to say about the keys a binding already had', () => {
    expect(applyKeyOverrides([{ scope: 'global', id: 'quit', keys: ['q', 'ctrl+c'] }]).conflicts).toEqual([]);
  });
});

describe('the active keymap', () => {
  it('is what dispatch and the help read; the README stays on the table', () => {
    const readme = keymapMarkdown();
    setActiveKeymap(applyKeyOverrides([{ scope: 'list', id: 'stop', keys: ['X'] }]).keymap);
    expect(commandFor('X', ['list', 'global'])).toBe('stop');
    expect(commandFor('s', ['list', 'global'])).toBeUndefined();
    expect(keysFor('stop', 'list')).toEqual(['X']);
    expect(helpLines().map((l) => l.text)).toContainEqual(expect.stringMatching(/^ {2}X +stop \(asks first\)$/));
    expect(keymapMarkdown()).toBe(readme);
    setActiveKeymap(KEYMAP);
    expect(activeKeymap()).toBe(KEYMAP);
    expect(commandFor('s', ['list'])).toBe('stop');
  });
});
