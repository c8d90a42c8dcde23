// The one keymap table. Key dispatch, the help overlay and the README's key list all read it,
// so a binding cannot exist in one place and be missing from another.

/** Where a binding applies. Dialog scopes take every key while they are open. */
export type Scope =
  | 'global' | 'list' | 'images' | 'pane' | 'logs' | 'filter' | 'search' | 'confirm' | 'kill' | 'disk' | 'prune' | 'contexts' | 'palette' | 'help' | 'form';

export type CommandId =
  | 'quit' | 'suspend' | 'help' | 'filter'
  | 'down' | 'up' | 'top' | 'bottom' | 'pageDown' | 'pageUp'
  | 'toggleStopped'
  | 'start' | 'stop' | 'restart' | 'pauseToggle' | 'kill' | 'remove'
  | 'shell' | 'attach'
  | 'filterKeep' | 'filterClear' | 'filterBackspace'
  | 'nextTab' | 'previousTab' | 'zoomPane' | 'closePane' | 'toggleSecrets'
  | 'search' | 'searchNext' | 'searchPrevious' | 'searchKeep' | 'searchClear' | 'searchBackspace' | 'toggleRegex'
  | 'toggleWrap' | 'scrollLeft' | 'scrollRight' | 'cycleTimestamps' | 'cycleSince' | 'filterLogs'
  | 'moreContext' | 'lessContext' | 'saveLogs' | 'copyLogs' | 'projectLogs' | 'setUntil'
  | 'confirmYes' | 'confirmNo' | 'toggleForce' | 'toggleVolumes'
  | 'signalNext' | 'signalPrevious'
  | 'viewContainers' | 'viewImages' | 'viewVolumes' | 'viewNetworks' | 'nextView' | 'previousView'
  | 'sortNext' | 'sortReverse' | 'diskUsage' | 'toggleWholeImage' | 'toggleNoprune'
  | 'pruneCategory' | 'pruneEverything' | 'refreshDisk' | 'closeDisk' | 'toggleAllUnused'
  | 'contexts' | 'nextHost' | 'useContext' | 'closeContexts'
  | 'viewProjects' | 'viewServices' | 'viewNodes' | 'viewEvents' | 'nextProblem'
  | 'composeUp' | 'composeDown' | 'composeRecreate' | 'composePull'
  | 'scaleUp' | 'scaleDown' | 'scaleTo' | 'nodeAvailability'
  | 'toggleMark' | 'clearMarks'
  | 'pullImage' | 'tagImage' | 'pushImage' | 'buildImage' | 'runImage'
  | 'nextField' | 'previousField' | 'submitForm' | 'closeForm' | 'formBackspace'
  | 'palette' | 'paletteRun' | 'paletteCancel' | 'paletteComplete' | 'paletteBackspace'
  | 'helpClose';

export interface Binding {
  id: CommandId;
  /** Key names as produced by keyName(): 'j', 'G', 'up', 'pagedown', 'escape', 'ctrl+c' … */
  keys: readonly string[];
  scope: Scope;
  description: string;
  /** Changes the engine (or hands it to a program that could): refused under --read-only */
  mutates?: true;
}

export const KEYMAP: readonly Binding[] = [
  { id: 'quit', keys: ['q', 'ctrl+c'], scope: 'global', description: 'quit' },
  { id: 'suspend', keys: ['ctrl+z'], scope: 'global', description: 'suspend (fg resumes)' },
  { id: 'help', keys: ['?'], scope: 'global', description: 'show/hide this help' },
  { id: 'down', keys: ['j', 'down'], scope: 'list', description: 'next row' },
  { id: 'up', keys: ['k', 'up'], scope: 'list', description: 'previous row' },
  { id: 'top', keys: ['g', 'home'], scope: 'list', description: 'first row' },
  { id: 'bottom', keys: ['G', 'end'], scope: 'list', description: 'last row' },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+d'], scope: 'list', description: 'page down' },
  { id: 'pageUp', keys: ['pageup', 'ctrl+u'], scope: 'list', description: 'page up' },
  { id: 'filter', keys: ['/'], scope: 'list', description: 'filter the list' },
  { id: 'toggleStopped', keys: ['e'], scope: 'list', description: 'hide/show stopped ones' },
  { id: 'start', keys: ['S'], scope: 'list', description: 'start', mutates: true },
  { id: 'stop', keys: ['s'], scope: 'list', description: 'stop (asks first)', mutates: true },
  { id: 'restart', keys: ['r'], scope: 'list', description: 'restart', mutates: true },
  { id: 'pauseToggle', keys: ['p'], scope: 'list', description: 'pause / unpause', mutates: true },
  { id: 'kill', keys: ['K'], scope: 'list', description: 'kill (choose a signal)', mutates: true },
  { id: 'remove', keys: ['d'], scope: 'list', description: 'remove (asks first)', mutates: true },
  { id: 'toggleMark', keys: ['space'], scope: 'list', description: 'mark: keys act on all' },
  { id: 'palette', keys: [':'], scope: 'list', description: 'command palette' },
  { id: 'clearMarks', keys: ['escape'], scope: 'list', description: 'unmark all' },
  { id: 'shell', keys: ['E'], scope: 'list', description: 'shell in the container', mutates: true },
  { id: 'attach', keys: ['a'], scope: 'list', description: 'attach (^P ^Q detaches)', mutates: true },
  { id: 'nextTab', keys: [']'], scope: 'list', description: 'next tab' },
  { id: 'previousTab', keys: ['['], scope: 'list', description: 'previous tab' },
  { id: 'zoomPane', keys: ['enter'], scope: 'list', description: 'open tab full screen' },
  { id: 'projectLogs', keys: ['L'], scope: 'list', description: 'Compose project logs' },
  { id: 'toggleSecrets', keys: ['m'], scope: 'list', description: 'reveal/mask secrets' },
  { id: 'viewContainers', keys: ['1'], scope: 'list', description: 'containers' },
  { id: 'viewImages', keys: ['2'], scope: 'list', description: 'images' },
  { id: 'viewVolumes', keys: ['3'], scope: 'list', description: 'volumes' },
  { id: 'viewNetworks', keys: ['4'], scope: 'list', description: 'networks' },
  { id: 'viewProjects', keys: ['5'], scope: 'list', description: 'Compose projects' },
  { id: 'viewServices', keys: ['6'], scope: 'list', description: 'Swarm services' },
  { id: 'viewNodes', keys: ['7'], scope: 'list', description: 'Swarm nodes' },
  { id: 'viewEvents', keys: ['8'], scope: 'list', description: 'engine events' },
  { id: 'nextView', keys: ['tab'], scope: 'list', description: 'next view (1→2→3→4)' },
  { id: 'previousView', keys: ['shift+tab'], scope: 'list', description: 'previous view' },
  { id: 'sortNext', keys: ['o'], scope: 'list', description: 'sort by the next column' },
  { id: 'sortReverse', keys: ['O'], scope: 'list', description: 'reverse the sort' },
  { id: 'diskUsage', keys: ['D'], scope: 'list', description: 'disk usage and prune' },
  { id: 'contexts', keys: ['c'], scope: 'list', description: 'Docker contexts: switch' },
  { id: 'composeUp', keys: ['u'], scope: 'list', description: 'project: compose up -d', mutates: true },
  { id: 'composeDown', keys: ['x'], scope: 'list', description: 'project: compose down', mutates: true },
  { id: 'composeRecreate', keys: ['R'], scope: 'list', description: 'project: recreate', mutates: true },
  { id: 'composePull', keys: ['P'], scope: 'list', description: 'project: compose pull', mutates: true },
  { id: 'scaleUp', keys: ['+'], scope: 'list', description: 'service: replicas +1', mutates: true },
  { id: 'scaleDown', keys: ['-'], scope: 'list', description: 'service: replicas -1', mutates: true },
  { id: 'scaleTo', keys: ['='], scope: 'list', description: 'service: scale to N', mutates: true },
  { id: 'nodeAvailability', keys: ['v'], scope: 'list', description: 'node: pause/drain', mutates: true },
  { id: 'nextHost', keys: ['H'], scope: 'list', description: 'next host (fleet)' },
  { id: 'nextProblem', keys: ['!'], scope: 'list', description: 'select next problem' },
  { id: 'pullImage', keys: ['P'], scope: 'images', description: 'pull (asks which)', mutates: true },
  { id: 'tagImage', keys: ['t'], scope: 'images', description: 'tag the image', mutates: true },
  { id: 'pushImage', keys: ['u'], scope: 'images', description: 'push the selected tag', mutates: true },
  { id: 'buildImage', keys: ['b'], scope: 'images', description: 'build (asks directory)', mutates: true },
  { id: 'runImage', keys: ['R'], scope: 'images', description: 'run a container (form)', mutates: true },
  { id: 'filterKeep', keys: ['enter'], scope: 'filter', description: 'keep the filter' },
  { id: 'filterClear', keys: ['escape'], scope: 'filter', description: 'clear the filter' },
  { id: 'filterBackspace', keys: ['backspace'], scope: 'filter', description: 'delete a character' },
  { id: 'paletteRun', keys: ['enter'], scope: 'palette', description: 'run the command' },
  { id: 'paletteComplete', keys: ['tab'], scope: 'palette', description: 'complete it' },
  { id: 'paletteCancel', keys: ['escape'], scope: 'palette', description: 'cancel' },
  { id: 'paletteBackspace', keys: ['backspace'], scope: 'palette', description: 'delete a character' },
  { id: 'confirmYes', keys: ['y'], scope: 'confirm', description: 'yes, do it' },
  { id: 'confirmNo', keys: ['n', 'escape', 'enter'], scope: 'confirm', description: 'no, cancel (default)' },
  { id: 'toggleForce', keys: ['f'], scope: 'confirm', description: 'remove: toggle force' },
  { id: 'toggleVolumes', keys: ['v'], scope: 'confirm', description: 'remove: toggle volumes' },
  { id: 'toggleWholeImage', keys: ['t'], scope: 'confirm', description: 'image: this tag or all' },
  { id: 'toggleNoprune', keys: ['p'], scope: 'confirm', description: 'image: keep parents' },
  { id: 'signalNext', keys: ['j', 'down'], scope: 'kill', description: 'next signal' },
  { id: 'signalPrevious', keys: ['k', 'up'], scope: 'kill', description: 'previous signal' },
  { id: 'confirmYes', keys: ['y'], scope: 'kill', description: 'send the chosen signal' },
  { id: 'confirmNo', keys: ['n', 'escape', 'enter'], scope: 'kill', description: 'cancel (default)' },
  { id: 'down', keys: ['j', 'down'], scope: 'pane', description: 'scroll down' },
  { id: 'up', keys: ['k', 'up'], scope: 'pane', description: 'scroll up' },
  { id: 'top', keys: ['g', 'home'], scope: 'pane', description: 'scroll to the top' },
  { id: 'bottom', keys: ['G', 'end'], scope: 'pane', description: 'scroll to the end' },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'pane', description: 'page down' },
  { id: 'pageUp', keys: ['pageup', 'ctrl+u'], scope: 'pane', description: 'page up' },
  { id: 'nextTab', keys: [']'], scope: 'pane', description: 'next tab' },
  { id: 'previousTab', keys: ['['], scope: 'pane', description: 'previous tab' },
  { id: 'search', keys: ['/'], scope: 'pane', description: 'search in this tab' },
  { id: 'searchNext', keys: ['n'], scope: 'pane', description: 'next match' },
  { id: 'searchPrevious', keys: ['N'], scope: 'pane', description: 'previous match' },
  { id: 'toggleSecrets', keys: ['m'], scope: 'pane', description: 'reveal/mask secrets' },
  { id: 'closePane', keys: ['escape'], scope: 'pane', description: 'back to the list' },
  { id: 'down', keys: ['j', 'down'], scope: 'logs', description: 'scroll down' },
  { id: 'up', keys: ['k', 'up'], scope: 'logs', description: 'scroll up (pauses)' },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'logs', description: 'page down' },
  { id: 'pageUp', keys: ['pageup', 'ctrl+u'], scope: 'logs', description: 'page up' },
  { id: 'top', keys: ['g', 'home'], scope: 'logs', description: 'oldest line' },
  { id: 'bottom', keys: ['G', 'end'], scope: 'logs', description: 'newest line, follow' },
  { id: 'search', keys: ['/'], scope: 'logs', description: 'search (Ctrl-r: regex)' },
  { id: 'searchNext', keys: ['n'], scope: 'logs', description: 'next (older) match' },
  { id: 'searchPrevious', keys: ['N'], scope: 'logs', description: 'previous (newer) match' },
  { id: 'filterLogs', keys: ['f'], scope: 'logs', description: 'only matching lines' },
  { id: 'moreContext', keys: ['+'], scope: 'logs', description: 'filter: more context' },
  { id: 'lessContext', keys: ['-'], scope: 'logs', description: 'filter: less context' },
  { id: 'toggleWrap', keys: ['w'], scope: 'logs', description: 'wrap long lines or not' },
  { id: 'scrollLeft', keys: ['left'], scope: 'logs', description: 'scroll left (no wrap)' },
  { id: 'scrollRight', keys: ['right'], scope: 'logs', description: 'scroll right (no wrap)' },
  { id: 'cycleTimestamps', keys: ['t'], scope: 'logs', description: 'time: off/local/UTC' },
  { id: 'cycleSince', keys: ['T'], scope: 'logs', description: 'since: 1m…24h, all' },
  { id: 'setUntil', keys: ['U'], scope: 'logs', description: 'until a time (or ago)' },
  { id: 'saveLogs', keys: ['S'], scope: 'logs', description: 'save to a file' },
  { id: 'copyLogs', keys: ['y'], scope: 'logs', description: 'copy match or screen' },
  { id: 'searchKeep', keys: ['enter'], scope: 'search', description: 'go to the first match' },
  { id: 'searchClear', keys: ['escape'], scope: 'search', description: 'clear the search' },
  { id: 'searchBackspace', keys: ['backspace'], scope: 'search', description: 'delete a character' },
  { id: 'toggleRegex', keys: ['ctrl+r'], scope: 'search', description: 'logs: regex or plain' },
  { id: 'down', keys: ['j', 'down'], scope: 'disk', description: 'next category' },
  { id: 'up', keys: ['k', 'up'], scope: 'disk', description: 'previous category' },
  { id: 'pruneCategory', keys: ['p', 'enter'], scope: 'disk', description: 'preview a prune of it' },
  { id: 'pruneEverything', keys: ['P'], scope: 'disk', description: 'preview a prune of all' },
  { id: 'refreshDisk', keys: ['R'], scope: 'disk', description: 'measure again' },
  { id: 'closeDisk', keys: ['escape', 'D'], scope: 'disk', description: 'back to the list' },
  { id: 'down', keys: ['j', 'down'], scope: 'prune', description: 'scroll down' },
  { id: 'up', keys: ['k', 'up'], scope: 'prune', description: 'scroll up' },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+d', 'space'], scope: 'prune', description: 'page down' },
  { id: 'pageUp', keys: ['pageup', 'ctrl+u'], scope: 'prune', description: 'page up' },
  { id: 'toggleAllUnused', keys: ['a'], scope: 'prune', description: 'unused only or all' },
  { id: 'confirmYes', keys: ['y'], scope: 'prune', description: 'delete what is listed', mutates: true },
  { id: 'confirmNo', keys: ['n', 'escape', 'enter'], scope: 'prune', description: 'cancel / back (default)' },
  { id: 'down', keys: ['j', 'down'], scope: 'contexts', description: 'next context' },
  { id: 'up', keys: ['k', 'up'], scope: 'contexts', description: 'previous context' },
  { id: 'useContext', keys: ['enter'], scope: 'contexts', description: 'connect to it, in place' },
  { id: 'closeContexts', keys: ['escape', 'c'], scope: 'contexts', description: 'back to the list' },
  { id: 'down', keys: ['j', 'down'], scope: 'help', description: 'scroll down' },
  { id: 'up', keys: ['k', 'up'], scope: 'help', description: 'scroll up' },
  { id: 'helpClose', keys: ['escape', '?', 'q'], scope: 'help', description: 'close the help' },
  { id: 'nextField', keys: ['tab', 'down'], scope: 'form', description: 'next field' },
  { id: 'previousField', keys: ['shift+tab', 'up'], scope: 'form', description: 'previous field' },
  { id: 'submitForm', keys: ['enter'], scope: 'form', description: 'check, show docker run' },
  { id: 'closeForm', keys: ['escape'], scope: 'form', description: 'close (nothing is run)' },
  { id: 'formBackspace', keys: ['backspace'], scope: 'form', description: 'delete a character' },
];

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Anywhere',
  list: 'Lists',
  images: 'Images list (2)',
  pane: 'Tab opened full screen (Enter)',
  logs: 'Logs tab, full screen',
  filter: 'Filter box',
  search: 'Search box',
  confirm: 'Confirmation',
  kill: 'Kill: choose a signal',
  disk: 'Disk usage (D)',
  prune: 'Prune preview',
  contexts: 'Contexts (c)',
  palette: 'Command palette (:)',
  help: 'Help',
  form: 'Run form',
};

/** The subset of Ink's Key that names keys. */
export interface KeyFlags {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  return?: boolean; escape?: boolean; tab?: boolean; backspace?: boolean; delete?: boolean;
  ctrl?: boolean; shift?: boolean; meta?: boolean;
}

/** One name per key press, the vocabulary of KEYMAP. */
export function keyName(input: string, key: KeyFlags): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  // Typed ahead in one chunk (a paste, or keys faster than a render), Enter is a bare CR and
  // Backspace a bare DEL (or ^H): Ink names them only when each arrives alone.
  if (input === '\r' || input === '\n') return 'enter';
  if (input === '\t') return 'tab';
  if (input === '\x7f' || input === '\b') return 'backspace';
  if (input === ' ') return 'space';
  return input;
}

/** The table with the configuration's remappings: what dispatch and the help overlay read. */
let active: readonly Binding[] = KEYMAP;

/** Set once at start-up, before the first render (and by tests, which put KEYMAP back). */
export function setActiveKeymap(keymap: readonly Binding[]): void {
  active = keymap;
}

export function activeKeymap(): readonly Binding[] {
  return active;
}

/**
 * The command a key means in the given scopes, searched in order: the first scope that binds the
 * key wins, so an open dialog shadows the list and the list shadows nothing global by accident.
 */
export function commandFor(name: string, scopes: readonly Scope[]): CommandId | undefined {
  return bindingFor(name, scopes)?.id;
}

/** The binding `name` runs: the first of `scopes` that binds the key decides. */
export function bindingFor(name: string, scopes: readonly Scope[]): Binding | undefined {
  for (const scope of scopes) {
    const binding = active.find((b) => b.scope === scope && b.keys.includes(name));
    if (binding) return binding;
  }
  return undefined;
}

/** The keys that run `id` in `scope` now, for texts that name them. */
export function keysFor(id: CommandId, scope: Scope): readonly string[] {
  return active.find((b) => b.id === id && b.scope === scope)?.keys ?? [];
}

/** A hint: the command(s), what the hint line calls them, and how several keys are joined. */
export type HintEntry = readonly [CommandId | readonly CommandId[], string, ('/' | '-')?];

/**
 * A key-hint line from the active keymap, so a remapped key is named as it now is: each entry as
 * "KEY word" (several commands' keys joined: "j/k move", "1-8 lists"), searched in `scopes` in
 * order; a command that has no key left is left out.
 */
export function hintLine(scopes: readonly Scope[], entries: readonly HintEntry[]): string {
  return entries.flatMap(([ids, word, join = '/']) => {
    const list: readonly CommandId[] = typeof ids === 'string' ? [ids] : ids;
    const labels = list.flatMap((id) => {
      const key = scopes.map((scope) => keysFor(id, scope)[0]).find((k) => k !== undefined);
      return key === undefined ? [] : [keyLabel(key)];
    });
    if (labels.length !== list.length) return [];
    return [`${join === '-' ? `${labels[0]}-${labels.at(-1)}` : labels.join('/')} ${word}`];
  }).join(' · ');
}

/** The start every list's hint line shares. */
export const LIST_HINTS: readonly HintEntry[] = [
  ['help', 'help'], ['quit', 'quit'], [['down', 'up'], 'move'], [['viewContainers', 'viewEvents'], 'lists', '-'],
];

/** The keys with names (besides single characters and Ctrl-letters), as the help labels them. */
const KEY_LABELS: Record<string, string> = {
  enter: 'Enter', escape: 'Esc', tab: 'Tab', 'shift+tab': 'Shift-Tab', backspace: 'Backspace', space: 'Space',
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
};

export const NAMED_KEYS: readonly string[] = Object.keys(KEY_LABELS);

export function keyLabel(name: string): string {
  if (KEY_LABELS[name]) return KEY_LABELS[name];
  if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5)}`;
  return name;
}

/**
 * A key as a configuration file writes it, by its name or by the label the help shows ("escape"
 * or "Esc", "ctrl+d" or "Ctrl-d", any case), spelt as keyName() spells it; undefined when no
 * key press is called that.
 */
export function parseKeyName(text: string): string | undefined {
  const lower = text.toLowerCase();
  const named = Object.entries(KEY_LABELS).find(([name, label]) => name === lower || label.toLowerCase() === lower);
  if (named) return named[0];
  if (text === ' ') return 'space';
  const ctrl = /^ctrl[+-]([a-z])$/.exec(lower);
  if (ctrl) return `ctrl+${ctrl[1]}`;
  // Control characters arrive as the named keys above (Enter, Tab, Backspace) or as Ctrl-letters.
  return [...text].length === 1 && text >= ' ' && text !== '\x7f' ? text : undefined;
}

/**
 * Whether dispatch asks `first` before `then` where both apply: every scope before global, and
 * the images list's own keys before the lists' (the same key means pull there, compose pull elsewhere).
 */
function comesBefore(first: Scope, then: Scope): boolean {
  return (first !== 'global' && then === 'global') || (first === 'images' && then === 'list');
}

/** The configuration's keys for one command in one scope, in place of the table's. */
export interface KeyOverride {
  scope: Scope;
  id: CommandId;
  keys: readonly string[];
}

/**
 * The table with `overrides` applied, and what they collide with. In one scope a key means one
 * command: a remapped key takes it from the table's binding, and of two remappings the one
 * first in the file keeps it. A scoped key over a global one is allowed (dispatch looks at the
 * scope first), but said, as the global command is then out of reach there.
 */
export function applyKeyOverrides(overrides: readonly KeyOverride[], base: readonly Binding[] = KEYMAP): { keymap: Binding[]; conflicts: string[] } {
  const indexOf = (b: Pick<Binding, 'scope' | 'id'>) => overrides.findIndex((o) => o.scope === b.scope && o.id === b.id);
  const keymap = base.map((b) => ({ ...b, keys: [...(overrides[indexOf(b)]?.keys ?? b.keys)] }));
  const conflicts: string[] = [];
  const path = (b: Pick<Binding, 'scope' | 'id'>) => `keys.${b.scope}.${b.id}`;
  const bindingOf = (o: KeyOverride) => keymap.find((b) => b.scope === o.scope && b.id === o.id);
  // Keys a binding had already collide with nothing new: the table itself is free of conflicts.
  const added = (o: KeyOverride) => {
    const before = base.find((b) => b.scope === o.scope && b.id === o.id)?.keys ?? [];
    return bindingOf(o)?.keys.filter((k) => !before.includes(k)) ?? [];
  };
  overrides.forEach((override, i) => {
    const mine = bindingOf(override);
    if (!mine) return;
    for (const key of added(override)) {
      for (const other of keymap.filter((b) => b !== mine && b.scope === mine.scope && b.keys.includes(key))) {
        const j = indexOf(other);
        if (j < 0) {
          other.keys = other.keys.filter((k) => k !== key);
          const left = other.keys.length === 0 ? ` (${other.id} has no key left)` : '';
          conflicts.push(`${path(mine)}: "${key}" was ${other.id}'s key in ${mine.scope}, now ${mine.id}'s${left}`);
        } else if (j < i) {
          mine.keys = mine.keys.filter((k) => k !== key);
          conflicts.push(`${path(other)} and ${path(mine)} both take "${key}": ${other.id} keeps it (first in the file)`);
        }
        // A later remapping meets this one when its own turn comes.
      }
    }
  });
  for (const override of overrides) {
    const mine = bindingOf(override);
    if (!mine) continue;
    for (const key of added(override)) {
      const withKey = keymap.filter((b) => b.keys.includes(key));
      const meanings = (of: readonly Binding[]) =>
        [...new Set(of.map((b) => b.id))].map((id) => `${id} in ${of.filter((b) => b.id === id).map((b) => b.scope).join(', ')}`).join('; ');
      const above = withKey.filter((b) => comesBefore(b.scope, mine.scope));
      const below = withKey.filter((b) => comesBefore(mine.scope, b.scope));
      if (above.length > 0) conflicts.push(`${path(mine)}: "${key}" is ${meanings(above)}, which comes first there`);
      if (below.length > 0) conflicts.push(`${path(mine)}: "${key}" is also ${meanings(below)}; in ${mine.scope}, ${mine.id} comes first`);
    }
  }
  return { keymap, conflicts };
}

/**
 * The bindings grouped by scope, in table order: the help overlay shows the active ones, the
 * README the defaults.
 */
export function bindingsByScope(keymap: readonly Binding[] = active): Array<{ scope: Scope; title: string; bindings: Binding[] }> {
  const scopes = [...new Set(keymap.map((b) => b.scope))];
  return scopes.map((scope) => ({
    scope,
    title: SCOPE_TITLES[scope],
    bindings: keymap.filter((b) => b.scope === scope),
  }));
}

/** The README's key section, generated from the default table; a test fails when the README differs from it. */
export function keymapMarkdown(): string {
  const lines: string[] = [];
  for (const group of bindingsByScope(KEYMAP)) {
    lines.push(`**${group.title}**`, '', '| Keys | Action |', '| --- | --- |');
    for (const b of group.bindings) {
      const keys = b.keys.map((k) => `\`${keyLabel(k).replaceAll('|', '\\|')}\``).join(' ');
      lines.push(`| ${keys} | ${b.description} |`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}
