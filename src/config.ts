// dockhand's configuration file: where it is, what it may say, and what it comes to once laid
// over the defaults. Reading and checking are pure functions of the text (tested with fixtures);
// only loadConfig touches the file system.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Document, isSeq, parseDocument, visit } from 'yaml';
import { DEFAULT_MAX_LINES } from './engine/log-buffer.js';
import { SINCE_PRESETS, type SincePreset } from './engine/log-follow.js';
import { KEYMAP, NAMED_KEYS, parseKeyName, type Binding, type KeyOverride } from './views/keymap.js';
import { CONTAINER_COLUMNS, type ColumnId } from './views/list-model.js';
import { TIMESTAMP_MODES, type TimestampMode } from './views/log-view.js';
import { defaultThemeName, THEME_NAMES, type ThemeName } from './views/theme.js';
import { VIEWS, type ViewId } from './views/view-ids.js';
import { COMMAND_LISTS, PLACEHOLDERS, unknownPlaceholders, type CommandList, type CustomCommand } from './views/custom-commands.js';

const SINCE_LABELS = SINCE_PRESETS.map((preset) => preset.label);
export type SinceLabel = SincePreset['label'];

export interface Config {
  theme: ThemeName;
  /** The list shown at start */
  defaultView: ViewId;
  /** q asks before quitting (Ctrl-C never does) */
  confirmQuit: boolean;
  /** As --read-only: nothing that changes the engine, on every engine this configuration reaches */
  readOnly: boolean;
  /** The containers list's columns that may show, as width allows, in the list's order of importance */
  columns: { containers: ColumnId[] };
  logs: { tail: number; since: SinceLabel; timestamps: TimestampMode };
  stats: { historyMinutes: number };
  /** Remapped bindings, in the file's order (which decides who keeps a key two of them take) */
  keys: KeyOverride[];
  /** The user's own commands per list, run from the palette (`:run NAME`) on the selected row */
  commands: Record<CommandList, CustomCommand[]>;
}

/** What the dashboard itself takes from the configuration; an absent one keeps its default. */
export type AppSettings = Partial<Pick<Config, 'defaultView' | 'confirmQuit' | 'columns' | 'logs' | 'stats' | 'commands'>> & {
  /** Said in the status line at start: problems the configuration was started despite, keys that collided */
  notice?: string | undefined;
};

/** Enough history to see what led up to now, little enough to open a busy log at once. */
export const DEFAULT_LOG_TAIL = 500;

/** Defaults depend on the environment only through NO_COLOR. */
export function defaultConfig(env: NodeJS.ProcessEnv): Config {
  return {
    theme: defaultThemeName(env),
    defaultView: 'containers',
    confirmQuit: false,
    readOnly: false,
    columns: { containers: [...CONTAINER_COLUMNS] },
    logs: { tail: DEFAULT_LOG_TAIL, since: 'all', timestamps: 'off' },
    stats: { historyMinutes: 10 },
    keys: [],
    commands: { containers: [], images: [], volumes: [], networks: [] },
  };
}

/** One reading a second is kept per minute of history; an hour stays under 300 kB a container. */
const MAX_HISTORY_MINUTES = 60;
/** More than the log buffer holds would be fetched only to be dropped. */
const MAX_LOG_TAIL = DEFAULT_MAX_LINES;

/** `$XDG_CONFIG_HOME/dockhand/config.yml`, or `~/.config/dockhand/config.yml` (XDG ignores a relative XDG_CONFIG_HOME). */
export function configPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config'), 'dockhand', 'config.yml');
}

/** The path as messages show it: ~ for the home directory. */
export function displayPath(file: string, homeDir: string): string {
  return file.startsWith(homeDir + path.sep) ? `~${file.slice(homeDir.length)}` : file;
}

// ---------------------------------------------------------------------------------------------
// Checking

/** How far apart two words are, a swap of neighbours counting as one edit (typos swap letters). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate `word` is most likely a typo of, if one is close enough to guess. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const allowed = lower.length <= 3 ? 1 : 2;
  return best && best.distance <= allowed ? best.candidate : undefined;
}

const show = (value: unknown) => (value === null || value === undefined ? 'an empty value' : JSON.stringify(value));

/** Where a problem is and what it is; collected, so one run reports every one of them. */
class Problems {
  readonly list: Array<{ at: string; message: string }> = [];

  add(at: string, message: string): void {
    this.list.push({ at, message });
  }

  /** A value of the wrong kind, and what would do. */
  value(at: string, value: unknown, expected: string, candidates: readonly string[] = []): void {
    const guess = typeof value === 'string' ? closest(value, candidates) : undefined;
    this.add(at, `${show(value)} is not ${expected}${guess ? ` (did you mean "${guess}"?)` : ''}`);
  }

  /** A key that means nothing there; `known` says what would (the candidates, unless told). */
  unknown(at: string, what: string, candidates: readonly string[], known = candidates.join(', ')): void {
    const guess = closest(at.slice(at.lastIndexOf('.') + 1), candidates);
    this.add(at, `no such ${what}${guess ? `; did you mean "${guess}"?` : ''} (${known})`);
  }
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The mapping at `at` (undefined: the file's top level) with only the `known` keys; the others
 * and a value that is no mapping are problems.
 */
function section(value: unknown, at: string | undefined, known: readonly string[], problems: Problems, what = 'setting'): Record<string, unknown> {
  if (!isMapping(value)) {
    problems.add(at ?? '(top level)', `${show(value)} is not a mapping (${known.map((k) => `${k}: …`).join(', ')})`);
    return {};
  }
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.unknown(at ? `${at}.${key}` : key, what, known);
  return value;
}

/** Reads one setting with `read`; an absent one or a problem keeps the default. */
function setting<T>(value: unknown, fallback: T, read: (value: unknown) => T | undefined, onProblem: (value: unknown) => void): T {
  if (value === undefined) return fallback;
  const valid = read(value);
  if (valid === undefined) onProblem(value);
  return valid ?? fallback;
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: unknown): T | undefined => allowed.find((a) => a === value);
}

function wholeNumber(min: number, max: number) {
  return (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined);
}

const yesNo = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function readColumns(value: unknown, at: string, problems: Problems): ColumnId[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const columns: ColumnId[] = [];
  for (const item of items) {
    const column = CONTAINER_COLUMNS.find((c) => c === item);
    if (column) columns.push(column);
    else problems.value(at, item, `a column of the containers list (${CONTAINER_COLUMNS.join(', ')})`, CONTAINER_COLUMNS);
  }
  if (items.length === 0) problems.add(at, 'name at least one column');
  return columns.length === items.length && columns.length > 0 ? [...new Set(columns)] : undefined;
}

const KEY_NAME_HELP = `use a single character, or one of: ${NAMED_KEYS.join(', ')}, ctrl+a … ctrl+z`;

/**
 * `key`, `[key, key…]`, or `[]` for none (as --print-config writes a binding that lost its key);
 * YAML reads a lone digit as a number, which names that key all the same.
 */
function readKeys(value: unknown, at: string, problems: Problems): string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const keys: string[] = [];
  for (const item of items) {
    const text = typeof item === 'number' && Number.isInteger(item) && item >= 0 && item <= 9 ? String(item) : item;
    const key = typeof text === 'string' ? parseKeyName(text) : undefined;
    if (key) keys.push(key);
    else problems.add(at, `${show(item)} is not a key name (${KEY_NAME_HELP})`);
  }
  return keys.length === items.length ? [...new Set(keys)] : undefined;
}

const SCOPES = [...new Set(KEYMAP.map((b) => b.scope))];

function readKeyOverrides(value: unknown, problems: Problems): KeyOverride[] {
  const overrides: KeyOverride[] = [];
  const scopes = section(value, 'keys', SCOPES, problems, 'scope');
  for (const [scopeName, commands] of Object.entries(scopes)) {
    const scope = SCOPES.find((s) => s === scopeName);
    if (!scope) continue;
    const inScope: Binding[] = KEYMAP.filter((b) => b.scope === scope);
    if (!isMapping(commands)) {
      problems.add(`keys.${scope}`, `${show(commands)} is not a mapping of commands to keys (stop: x)`);
      continue;
    }
    for (const [idName, keysValue] of Object.entries(commands)) {
      const at = `keys.${scope}.${idName}`;
      const binding = inScope.find((b) => b.id === idName);
      if (!binding) {
        const elsewhere = [...new Set(KEYMAP.filter((b) => b.id === idName).map((b) => b.scope))];
        if (elsewhere.length > 0) problems.add(at, `${idName} is not a command of ${scope} (it is one of ${elsewhere.join(', ')})`);
        else problems.unknown(at, `command in ${scope}`, inScope.map((b) => b.id), 'dockhand --print-config lists them all');
        continue;
      }
      const keys = readKeys(keysValue, at, problems);
      if (keys) overrides.push({ scope, id: binding.id, keys });
    }
  }
  return overrides;
}

const TOP_LEVEL = ['theme', 'defaultView', 'confirmQuit', 'readOnly', 'columns', 'logs', 'stats', 'keys', 'commands'] as const;

/** `commands.LIST: [{ name, argv: [...], terminal? }]`, each template checked for what its list offers. */
function readCommands(value: unknown, problems: Problems): Config['commands'] {
  const commands: Config['commands'] = { containers: [], images: [], volumes: [], networks: [] };
  const lists = section(value, 'commands', COMMAND_LISTS, problems, 'list');
  for (const list of COMMAND_LISTS) {
    const entries = lists[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      problems.add(`commands.${list}`, `${show(entries)} is not a list of commands (- name: …, argv: [docker, logs, "{{ID}}"])`);
      continue;
    }
    entries.forEach((entry, i) => {
      const at = `commands.${list}[${i}]`;
      const fields = section(entry, at, ['name', 'argv', 'terminal'], problems, 'field');
      const name = fields['name'];
      const argv = fields['argv'];
      const terminal = fields['terminal'] ?? false;
      if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) return problems.add(`${at}.name`, `${show(name)} is not a command name (letters, digits, . _ -)`);
      if (commands[list].some((c) => c.name === name)) return problems.add(`${at}.name`, `"${name}" is already a command of ${list}`);
      if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string' || typeof a === 'number')) {
        return problems.add(`${at}.argv`, 'is not a list of words ([docker, logs, "{{ID}}"]; a shell only if you name one: [sh, -c, "…"])');
      }
      const words = argv.map(String);
      const unknown = unknownPlaceholders(words, list);
      if (unknown.length > 0) {
        return problems.add(`${at}.argv`, `{{${unknown.join('}}, {{')}}} is not offered for ${list} (${PLACEHOLDERS[list].map((p) => `{{${p}}}`).join(', ')})`);
      }
      if (typeof terminal !== 'boolean') return problems.add(`${at}.terminal`, `${show(terminal)} is not true or false`);
      commands[list].push({ name, argv: words, terminal });
    });
  }
  return commands;
}

/** The settings in `doc` over the defaults; each problem keeps its setting's default. */
function readConfig(doc: unknown, defaults: Config, problems: Problems): Config {
  // An empty file is a file that changes nothing.
  if (doc === null || doc === undefined) return defaults;
  const top = section(doc, undefined, TOP_LEVEL, problems);
  const columns = top['columns'] === undefined ? {} : section(top['columns'], 'columns', ['containers'], problems);
  const logs = top['logs'] === undefined ? {} : section(top['logs'], 'logs', ['tail', 'since', 'timestamps'], problems);
  const stats = top['stats'] === undefined ? {} : section(top['stats'], 'stats', ['historyMinutes'], problems);
  const value = (at: string, expected: string, candidates: readonly string[] = []) =>
    (v: unknown) => problems.value(at, v, expected, candidates);
  const choice = <T extends string>(at: string, allowed: readonly T[]) => value(at, `one of: ${allowed.join(', ')}`, allowed);
  return {
    theme: setting(top['theme'], defaults.theme, oneOf(THEME_NAMES), choice('theme', THEME_NAMES)),
    defaultView: setting(top['defaultView'], defaults.defaultView, oneOf(VIEWS), choice('defaultView', VIEWS)),
    confirmQuit: setting(top['confirmQuit'], defaults.confirmQuit, yesNo, value('confirmQuit', 'true or false')),
    readOnly: setting(top['readOnly'], defaults.readOnly, yesNo, value('readOnly', 'true or false')),
    columns: {
      containers: columns['containers'] === undefined
        ? defaults.columns.containers
        : readColumns(columns['containers'], 'columns.containers', problems) ?? defaults.columns.containers,
    },
    logs: {
      tail: setting(logs['tail'], defaults.logs.tail, wholeNumber(0, MAX_LOG_TAIL), value('logs.tail', `a whole number of lines from 0 to ${MAX_LOG_TAIL}`)),
      since: setting(logs['since'], defaults.logs.since, oneOf(SINCE_LABELS), choice('logs.since', SINCE_LABELS)),
      timestamps: setting(logs['timestamps'], defaults.logs.timestamps, oneOf(TIMESTAMP_MODES), choice('logs.timestamps', TIMESTAMP_MODES)),
    },
    stats: {
      historyMinutes: setting(stats['historyMinutes'], defaults.stats.historyMinutes, wholeNumber(1, MAX_HISTORY_MINUTES),
        value('stats.historyMinutes', `a whole number of minutes from 1 to ${MAX_HISTORY_MINUTES}`)),
    },
    keys: top['keys'] === undefined ? defaults.keys : readKeyOverrides(top['keys'], problems),
    commands: top['commands'] === undefined ? defaults.commands : readCommands(top['commands'], problems),
  };
}

export interface ParsedConfig {
  config: Config;
  /** Each as `FILE: PATH.OF.KEY: what is wrong and what is allowed`; the config keeps defaults there. */
  problems: string[];
}

/** The configuration a file's text gives; `shownPath` names the file in problems. */
export function parseConfig(text: string, shownPath: string, env: NodeJS.ProcessEnv): ParsedConfig {
  const defaults = defaultConfig(env);
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const where = error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
      return `${shownPath}${where}: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    return { config: defaults, problems };
  }
  const problems = new Problems();
  const settings: unknown = doc.toJS();
  const config = readConfig(settings, defaults, problems);
  // In the file's order, as the user reads it.
  const order = isMapping(settings) ? Object.keys(settings) : [];
  const rank = (at: string) => order.indexOf(at.split('.')[0] ?? '');
  const sorted = [...problems.list].sort((a, b) => rank(a.at) - rank(b.at));
  return { config, problems: sorted.map(({ at, message }) => `${shownPath}: ${at}: ${message}`) };
}

export interface LoadedConfig extends ParsedConfig {
  file: string;
  /** `file` as messages name it */
  shownPath: string;
  /** False: there is no file, and the defaults apply, silently. */
  found: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv, homeDir: string): LoadedConfig {
  const file = configPath(env, homeDir);
  const shownPath = displayPath(file, homeDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file, shownPath, found: false, config: defaultConfig(env), problems: [] };
    return { file, shownPath, found: true, config: defaultConfig(env), problems: [`${shownPath}: cannot read it (${code ?? (err as Error).message})`] };
  }
  return { file, shownPath, found: true, ...parseConfig(text, shownPath, env) };
}

// ---------------------------------------------------------------------------------------------
// Printing

/**
 * The configuration in the file's own format, every binding included (so it names every command
 * a file can remap); lists flow on one line, and a single key is written alone.
 */
export function formatConfig(config: Config, keymap: readonly Binding[], header: readonly string[]): string {
  const keys: Record<string, Record<string, string | string[]>> = {};
  for (const binding of keymap) {
    const scope = (keys[binding.scope] ??= {});
    scope[binding.id] = binding.keys.length === 1 ? binding.keys[0] ?? '' : [...binding.keys];
  }
  const { keys: _overrides, ...settings } = config;
  const doc = new Document({ ...settings, keys });
  visit(doc, { Seq: (_, node) => { if (isSeq(node)) node.flow = true; } });
  return `${header.map((line) => `# ${line}\n`).join('')}${doc.toString({ lineWidth: 0 })}`;
}

/** What a start has to say about the configuration: problems it started despite, keys that collided. */
export function configRemarks(loaded: Pick<LoadedConfig, 'problems' | 'shownPath'>, conflicts: readonly string[]): string[] {
  return [...loaded.problems.map((problem) => `${problem} (the default applies)`), ...conflicts.map((conflict) => `${loaded.shownPath}: ${conflict}`)];
}

/** The remarks as one status line: the first, and how to see the rest. */
export function remarksNotice(remarks: readonly string[], seeAll: string): string | undefined {
  if (remarks.length <= 1) return remarks[0];
  return `${remarks[0]} (and ${remarks.length - 1} more: ${seeAll})`;
}
