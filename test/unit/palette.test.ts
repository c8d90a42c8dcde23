import { describe, expect, it } from 'vitest';
import { argumentHint, complete, completions, parsePalette } from '../../src/views/palette.js';

const context = { contexts: ['default', 'prod-eu', 'prod-us'], sortKeys: ['name', 'state', 'cpu', 'memory', 'age', 'image'] };

describe('parsePalette', () => {
  it('knows the views by name and short name', () => {
    expect(parsePalette('images')).toEqual({ kind: 'view', view: 'images' });
    expect(parsePalette(' vol ')).toEqual({ kind: 'view', view: 'volumes' });
    expect(parsePalette('svc')).toEqual({ kind: 'view', view: 'services' });
    expect(parsePalette('ev')).toEqual({ kind: 'view', view: 'events' });
  });

  it('takes arguments: a context, a sort column and direction, filter text', () => {
    expect(parsePalette('ctx prod-eu')).toEqual({ kind: 'context', name: 'prod-eu' });
    expect(parsePalette('sort cpu')).toEqual({ kind: 'sort', key: 'cpu', descending: undefined });
    expect(parsePalette('sort name desc')).toEqual({ kind: 'sort', key: 'name', descending: true });
    expect(parsePalette('filter web api')).toEqual({ kind: 'filter', text: 'web api' });
    expect(parsePalette('q')).toEqual({ kind: 'quit' });
  });

  it('says what is wrong in words', () => {
    expect(parsePalette('ctx')).toBe('ctx needs a context name (Tab lists them)');
    expect(parsePalette('sort cpu up')).toBe('sort cpu takes asc or desc, not "up"');
    expect(parsePalette('imag')).toBe('no command "imag": did you mean images?');
    expect(parsePalette('zzz')).toBe('no command "zzz"');
  });
});

describe('completion', () => {
  it('completes the command word, then its argument', () => {
    expect(completions('n', context)).toEqual(['networks', 'nodes']);
    expect(complete('im', context)).toBe('images ');
    expect(complete('ctx prod', context)).toBe('ctx prod-');
    expect(complete('ctx prod-e', context)).toBe('ctx prod-eu ');
    expect(completions('sort c', context)).toEqual(['sort cpu']);
    expect(completions('sort cpu d', context)).toEqual(['sort cpu desc']);
    expect(complete('zzz', context)).toBe('zzz');
  });

  it('names the argument a command wants', () => {
    expect(argumentHint('ctx ')).toBe('context name');
    expect(argumentHint('images')).toBeUndefined();
  });
});
