// Colours by meaning. Views ask for a role (ok, warning, error…) and the theme decides how it
// looks, so one table makes dockhand readable on a dark terminal, a light one, or without colour.
import { createContext, useContext } from 'react';

export const THEME_NAMES = ['default', 'light', 'none'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** What a piece of text means; `dim` and `title` are the pane lines' tones of the same names. */
export type Role = 'ok' | 'warning' | 'error' | 'accent' | 'special' | 'dim' | 'title' | 'heading' | 'border';

/** The Ink Text props a role becomes. */
export interface Style {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

/** The eight hues of the basic ANSI palette, by Ink's names. */
type Hue = 'black' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white';

/**
 * Roles as hues and attributes, the same in every theme: a theme only changes how a hue is drawn.
 * Headings and titles stay in the terminal's own foreground, bold: colour is kept for meaning.
 */
const ROLES: Record<Role, { hue?: Hue; dimColor?: boolean; bold?: boolean }> = {
  ok: { hue: 'green' },
  warning: { hue: 'yellow' },
  error: { hue: 'red' },
  accent: { hue: 'cyan' },
  special: { hue: 'magenta' },
  dim: { dimColor: true },
  title: { bold: true },
  heading: { bold: true },
  border: { hue: 'cyan' },
};

/** What the terminal can draw, from TERM and COLORTERM as terminals announce it. */
export type ColorDepth = 'basic' | 'extended';

export function colorDepth(env: NodeJS.ProcessEnv): ColorDepth {
  const colorterm = env['COLORTERM']?.toLowerCase();
  if (colorterm === 'truecolor' || colorterm === '24bit') return 'extended';
  return /-256(colou?r)?$|^(xterm-kitty|xterm-ghostty|wezterm)$/i.test(env['TERM'] ?? '') ? 'extended' : 'basic';
}

/** How a theme draws each hue; a hue it leaves out is drawn as the terminal's palette has it. */
type Palette = Partial<Record<Hue | `${Hue}Bright`, string | undefined>>;

/**
 * default: the terminal's own palette, which its user tuned for their background, so it reads on
 * dark and light alike; nothing is drawn white or black. light: darker tones for a white
 * background; with 16 colours only, yellow and cyan (faint on white) become magenta and blue.
 */
const PALETTES: Record<Exclude<ThemeName, 'none'>, Record<ColorDepth, Palette>> = {
  default: { basic: {}, extended: {} },
  light: {
    extended: {
      red: '#a40e26', green: '#116329', yellow: '#7d4e00', blue: '#0550ae', magenta: '#6639ba', cyan: '#1b6b80',
      white: undefined, whiteBright: undefined, yellowBright: '#7d4e00', cyanBright: '#1b6b80',
    },
    basic: { yellow: 'magenta', cyan: 'blue', white: undefined, whiteBright: undefined, yellowBright: 'magenta', cyanBright: 'blue' },
  },
};

export interface Theme {
  /** The Text props for a role; none for no role. */
  style(role: Role | undefined): Style;
  /**
   * A colour as a log line or a role names it, as this theme draws it: the basic hues through its
   * palette, other colours as they are, nothing at all without colour.
   */
  color(color: string | undefined): string | undefined;
  /**
   * A background colour, as named: the palettes are for text on the terminal's background, and a
   * highlight names its text's colour itself. Nothing at all without colour.
   */
  background(color: string | undefined): string | undefined;
}

export function makeTheme(name: ThemeName, depth: ColorDepth): Theme {
  const palette: Palette | undefined = name === 'none' ? undefined : PALETTES[name][depth];
  const color = (value: string | undefined): string | undefined => {
    if (!palette || value === undefined) return undefined;
    return Object.hasOwn(palette, value) ? palette[value as keyof Palette] : value;
  };
  const styles = Object.fromEntries(Object.entries(ROLES).map(([role, { hue, ...attributes }]) => {
    const drawn = color(hue);
    return [role, drawn === undefined ? attributes : { ...attributes, color: drawn }];
  })) as Record<Role, Style>;
  return { style: (role) => (role ? styles[role] : {}), color, background: (value) => (palette ? value : undefined) };
}

/** The theme for this terminal: the named one, in the colours TERM and COLORTERM allow. */
export function pickTheme(name: ThemeName, env: NodeJS.ProcessEnv): Theme {
  return makeTheme(name, colorDepth(env));
}

/**
 * The theme when the configuration names none: none when NO_COLOR is set (https://no-color.org:
 * any non-empty value) or the terminal says it is dumb (TERM=dumb: attributes only, main.tsx),
 * else default. A theme named in the file wins, as that convention asks.
 */
export function defaultThemeName(env: NodeJS.ProcessEnv): ThemeName {
  return env['NO_COLOR'] || env['TERM'] === 'dumb' ? 'none' : 'default';
}

const ThemeContext = createContext<Theme>(makeTheme('default', 'basic'));

/** Root provides the theme; everything below reads it with useTheme(). */
export const ThemeProvider = ThemeContext.Provider;

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
