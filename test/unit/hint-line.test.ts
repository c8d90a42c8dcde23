import { afterEach, describe, expect, it } from 'vitest';
import { applyKeyOverrides, hintLine, KEYMAP, LIST_HINTS, setActiveKeymap } from '../../src/views/keymap.js';
import { diskHints } from '../../src/views/disk-lines.js';

afterEach(() => setActiveKeymap(KEYMAP));

describe('hint lines', () => {
  it('name each command by its key, several keys joined, a range for the lists', () => {
    expect(hintLine(['list', 'global'], [...LIST_HINTS, ['stop', 'stop']])).toBe('? help · q quit · j/k move · 1-8 lists · s stop');
  });

  it('follow a remapped key, and leave out a command that has no key left', () => {
    setActiveKeymap(applyKeyOverrides([
      { scope: 'list', id: 'stop', keys: ['X'] },
      { scope: 'list', id: 'kill', keys: [] },
    ]).keymap);
    expect(hintLine(['list', 'global'], [['stop', 'stop'], ['kill', 'kill']])).toBe('X stop');
  });

  it('are built the same way for the disk usage view', () => {
    expect(diskHints('table')).toBe('? help · q quit · j/k choose · p preview prune · P all · R measure · Esc back');
  });
});
