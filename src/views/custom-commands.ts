// Custom commands from the configuration: an argv template per list, filled in with the selected
// row's values. Each {{Placeholder}} is replaced inside its own argv element, so a value can never
// become another argument or reach a shell; a shell runs only when the template names one itself.
import path from 'node:path';
import { refuseIfReadOnly } from '../engine/read-only.js';
import type { Endpoint } from '../engine/types.js';

export const COMMAND_LISTS = ['containers', 'images', 'volumes', 'networks'] as const;
export type CommandList = (typeof COMMAND_LISTS)[number];

export interface CustomCommand {
  name: string;
  argv: string[];
  /** Hand the terminal over (an interactive command), or run in the background with its output shown */
  terminal: boolean;
}

/** What each list's templates may name. */
export const PLACEHOLDERS: Record<CommandList, readonly string[]> = {
  containers: ['ID', 'Name', 'Image', 'Host'],
  images: ['ID', 'Tag', 'Host'],
  volumes: ['Name', 'Mountpoint', 'Host'],
  networks: ['ID', 'Name', 'Host'],
};

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** The placeholders a template names that its list does not offer. */
export function unknownPlaceholders(argv: readonly string[], list: CommandList): string[] {
  const names = argv.flatMap((arg) => [...arg.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
  return [...new Set(names.filter((name) => !PLACEHOLDERS[list].includes(name)))];
}

/** The argv with the row's values in place of its placeholders, element by element. */
export function expandArgv(argv: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return argv.map((arg) => arg.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole));
}

/**
 * The environment a command runs with: the user's, aimed at the engine dockhand uses, so a
 * `docker …` in a template talks to the same engine (context, host and TLS files).
 */
export function commandEnvironment(endpoint: Endpoint, base: NodeJS.ProcessEnv): Record<string, string> {
  // A custom command is any program: on a read-only endpoint none is aimed at the engine.
  refuseIfReadOnly(endpoint, 'a custom command');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY'].includes(key)) env[key] = value;
  }
  if (endpoint.contextName !== 'default') {
    env['DOCKER_CONTEXT'] = endpoint.contextName;
    return env;
  }
  env['DOCKER_HOST'] = endpoint.url;
  if (endpoint.tls?.verify) env['DOCKER_TLS_VERIFY'] = '1';
  if (endpoint.tls?.ca) env['DOCKER_CERT_PATH'] = path.dirname(endpoint.tls.ca);
  return env;
}
