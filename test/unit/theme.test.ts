import { describe, expect, it } from 'vitest';
import { colorDepth, defaultThemeName, makeTheme, pickTheme, THEME_NAMES, type Role } from '../../src/views/theme.js';

const ROLES: Role[] = ['ok', 'warning', 'error', 'accent', 'special', 'dim', 'title', 'heading', 'border'];
const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

describe('colorDepth', () => {
  it.each([
    [{ TERM: 'xterm' }, 'basic'],
    [{ TERM: 'linux' }, 'basic'],
    [{ TERM: 'screen' }, 'basic'],
    [{}, 'basic'],
    [{ TERM: 'xterm-256color' }, 'extended'],
    [{ TERM: 'screen-256color' }, 'extended'],
    [{ TERM: 'xterm', COLORTERM: 'truecolor' }, 'extended'],
    [{ TERM: 'xterm', COLORTERM: '24bit' }, 'extended'],
    [{ TERM: 'xterm-kitty' }, 'extended'],
  ])('%j: %s', (env, depth) => {
    expect(colorDepth(env)).toBe(depth);
  });
});

describe('defaultThemeName', () => {
  it('is none when NO_COLOR is set to anything, default otherwise', () => {
    expect(defaultThemeName({ NO_COLOR: '1' })).toBe('none');
    expect(defaultThemeName({ NO_COLOR: 'false' })).toBe('none');
    expect(defaultThemeName({ NO_COLOR: '' })).toBe('default');
    expect(defaultThemeName({})).toBe('default');
  });

  it('is none on a terminal that says it is dumb', () => {
    expect(defaultThemeName({ TERM: 'dumb' })).toBe('none');
    expect(defaultThemeName({ TERM: 'vt100' })).toBe('default');
  });
});

describe('themes', () => {
  it('default draws meaning with the basic hues only, and never text in white or black', () => {
    for (const depth of ['basic', 'extended'] as const) {
      const theme = makeTheme('default', depth);
      for (const role of ROLES) {
        const { color } = theme.style(role);
        if (color !== undefined) expect(BASIC.filter((c) => c !== 'white' && c !== 'black')).toContain(color);
      }
    }
    expect(makeTheme('default', 'basic').style('dim')).toEqual({ dimColor: true });
    expect(makeTheme('default', 'basic').style('error')).toEqual({ color: 'red' });
  });

  it('light uses darker tones where it can, and basic hues that read on white with 16 colours', () => {
    expect(pickTheme('light', { TERM: 'xterm-256color' }).style('warning').color).toMatch(/^#/);
    expect(pickTheme('light', { TERM: 'xterm' }).style('warning').color).toBe('magenta');
    expect(pickTheme('light', { TERM: 'xterm' }).style('accent').color).toBe('blue');
    for (const role of ROLES) {
      const { color } = pickTheme('light', { TERM: 'xterm' }).style(role);
      if (color !== undefined) expect(['red', 'green', 'blue', 'magenta']).toContain(color);
    }
  });

  it('none has no colour at all but keeps bold and dim; log colours go too', () => {
    const none = pickTheme('none', { TERM: 'xterm-256color', COLORTERM: 'truecolor' });
    for (const role of ROLES) expect(none.style(role).color).toBeUndefined();
    expect(none.style('title')).toEqual({ bold: true });
    expect(none.style('dim')).toEqual({ dimColor: true });
    expect(none.color('red')).toBeUndefined();
    expect(none.color('#ff0000')).toBeUndefined();
  });

  it('draws colours a log names through the palette: basic hues as the theme has them, others as they are', () => {
    expect(makeTheme('default', 'basic').color('yellow')).toBe('yellow');
    expect(makeTheme('light', 'basic').color('yellow')).toBe('magenta');
    expect(makeTheme('light', 'basic').color('white')).toBeUndefined();
    expect(makeTheme('light', 'extended').color('ansi256(208)')).toBe('ansi256(208)');
    expect(makeTheme('default', 'basic').color('constructor')).toBe('constructor');
  });

  it('gives no style for no role', () => {
    for (const name of THEME_NAMES) expect(makeTheme(name, 'basic').style(undefined)).toEqual({});
  });
});
