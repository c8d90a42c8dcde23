// The command palette (`:`), k9s-style: a word for what to show or do, an argument where it
// takes one, Tab to complete either. Pure: App runs what `parsePalette` returns.

export type PaletteCommand =
  | { kind: 'view'; view: 'containers' | 'images' | 'volumes' | 'networks' | 'projects' | 'services' | 'nodes' | 'events' }
  | { kind: 'context'; name: string }
  | { kind: 'logs' }
  | { kind: 'prune' }
  | { kind: 'sort'; key: string; descending: boolean | undefined }
  | { kind: 'filter'; text: string }
  | { kind: 'run'; name: string }
  | { kind: 'help' }
  | { kind: 'quit' };

interface Verb {
  words: readonly string[];
  /** What the argument is, for the hint; undefined: none */
  argument?: string;
  build(args: string[]): PaletteCommand | string;
}

const VIEW_WORDS = {
  containers: ['containers', 'co', 'ps'],
  images: ['images', 'im'],
  volumes: ['volumes', 'vol'],
  networks: ['networks', 'net'],
  projects: ['projects', 'compose'],
  services: ['services', 'svc'],
  nodes: ['nodes', 'no'],
  events: ['events', 'ev'],
} as const;

const VERBS: readonly Verb[] = [
  ...Object.entries(VIEW_WORDS).map(([view, words]): Verb => ({
    words,
    build: () => ({ kind: 'view', view: view as keyof typeof VIEW_WORDS }),
  })),
  {
    words: ['ctx', 'context'],
    argument: 'context name',
    build: ([name]) => (name ? { kind: 'context', name } : 'ctx needs a context name (Tab lists them)'),
  },
  { words: ['logs'], build: () => ({ kind: 'logs' }) },
  { words: ['prune', 'df', 'disk'], build: () => ({ kind: 'prune' }) },
  {
    words: ['sort'],
    argument: 'column [asc|desc]',
    build: ([key, direction]) => {
      if (!key) return 'sort needs a column: name, state, cpu, memory, age or image';
      if (direction !== undefined && direction !== 'asc' && direction !== 'desc') return `sort ${key} takes asc or desc, not "${direction}"`;
      return { kind: 'sort', key, descending: direction === undefined ? undefined : direction === 'desc' };
    },
  },
  { words: ['filter'], argument: 'text', build: (args) => ({ kind: 'filter', text: args.join(' ') }) },
  {
    words: ['run'],
    argument: 'one of your commands',
    build: ([name]) => (name ? { kind: 'run', name } : 'run needs one of your commands (Tab lists them; config.yml, commands:)'),
  },
  { words: ['help'], build: () => ({ kind: 'help' }) },
  { words: ['q', 'quit'], build: () => ({ kind: 'quit' }) },
];

/** The palette's input as a command, or what is wrong with it in words. */
export function parsePalette(input: string): PaletteCommand | string {
  const [word = '', ...args] = input.trim().split(/\s+/);
  if (!word) return 'type a command: containers, images, ctx NAME, sort cpu, filter TEXT, q …';
  const verb = VERBS.find((v) => v.words.includes(word.toLowerCase()));
  if (!verb) {
    const close = completions(word, {}).slice(0, 3);
    return `no command "${word}"${close.length > 0 ? `: did you mean ${close.join(', ')}?` : ''}`;
  }
  return verb.build(args);
}

export interface PaletteContext {
  contexts?: readonly string[];
  sortKeys?: readonly string[];
  /** The custom commands of the list on screen */
  commands?: readonly string[];
}

/** Every whole input that completes `input`: commands while the first word is typed, then its arguments. */
export function completions(input: string, context: PaletteContext): string[] {
  const [word = '', ...args] = input.trimStart().split(/\s+/);
  if (args.length === 0) {
    return VERBS.flatMap((v) => v.words.filter((w) => w.startsWith(word.toLowerCase())).slice(0, 1));
  }
  const argumentsOf: Record<string, readonly string[] | undefined> = {
    ctx: context.contexts, context: context.contexts, sort: context.sortKeys, run: context.commands,
  };
  const partial = args.at(-1) ?? '';
  const choices = args.length === 1 ? argumentsOf[word.toLowerCase()] ?? [] : word.toLowerCase() === 'sort' ? ['asc', 'desc'] : [];
  const before = [word, ...args.slice(0, -1)].join(' ');
  return choices.filter((c) => c.startsWith(partial)).map((c) => `${before} ${c}`);
}

/** What Tab makes of the input: the only completion, else the longest prefix they share. */
export function complete(input: string, context: PaletteContext): string {
  const all = completions(input, context);
  if (all.length === 0) return input;
  if (all.length === 1) return `${all[0]} `;
  let prefix = all[0] ?? '';
  for (const candidate of all) while (!candidate.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > input.length ? prefix : input;
}

/** The argument a command wants, for the palette's placeholder. */
export function argumentHint(input: string): string | undefined {
  const [word = ''] = input.trim().split(/\s+/);
  return VERBS.find((v) => v.words.includes(word.toLowerCase()))?.argument;
}
