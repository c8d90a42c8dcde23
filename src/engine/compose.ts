// Compose projects as the engine knows them, from the labels Compose puts on every container, and
// the compose CLI for what only it can do (up, down, recreate, pull): found on PATH, aimed at the
// engine dockhand uses, and run with an argv list, never through a shell.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { dockerCliArgs, findDockerCli, findExecutable } from './docker-cli.js';
import { LineSplitter } from './lines.js';
import { OutputLog, type OutputRun, type RunOutput } from './output-log.js';
import type { ContainerRow, Endpoint } from './types.js';

/** The labels Compose (1.x and 2.x alike) sets on the containers it creates. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
} as const;

export interface ComposeContainer {
  row: ContainerRow;
  /** com.docker.compose.container-number; undefined when the label is missing or not a number */
  number: number | undefined;
  /** Made by `compose run`: a task that ran once, not a replica of the service */
  oneoff: boolean;
}

export interface ComposeService {
  name: string;
  /** Replicas by container number, then the one-off containers by name */
  containers: ComposeContainer[];
  /** Running replicas and all replicas; one-off containers count in neither */
  running: number;
  total: number;
}

export interface ComposeProject {
  name: string;
  /** In a fleet: the host the project runs on (the same name on another host is another project) */
  host?: string;
  /** Where compose ran, on the machine it ran on; undefined when the containers do not say */
  workingDir: string | undefined;
  /** Absolute paths, in the order compose was given them */
  configFiles: string[];
  services: ComposeService[];
  /** Every container of the project, one-offs included: what project actions act on */
  containers: ContainerRow[];
  running: number;
  total: number;
}

/** `compose run` leaves its container behind: it is not a replica that is down. */
function isOneoff(row: ContainerRow): boolean {
  return row.labels[COMPOSE_LABELS.oneoff]?.toLowerCase() === 'true';
}

function containerNumber(row: ContainerRow): number | undefined {
  const number = Number.parseInt(row.labels[COMPOSE_LABELS.containerNumber] ?? '', 10);
  return Number.isNaN(number) ? undefined : number;
}

function byNumberThenName(a: ComposeContainer, b: ComposeContainer): number {
  return Number(a.oneoff) - Number(b.oneoff)
    || (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER)
    || a.row.name.localeCompare(b.row.name);
}

/** Where the project's files are, as its newest container says (the last `up` is what counts). */
function projectFiles(rows: readonly ContainerRow[]): { workingDir: string | undefined; configFiles: string[] } {
  const labelled = rows
    .filter((row) => row.labels[COMPOSE_LABELS.workingDir] || row.labels[COMPOSE_LABELS.configFiles])
    .sort((a, b) => Number(isOneoff(a)) - Number(isOneoff(b)) || b.created - a.created)[0];
  if (!labelled) return { workingDir: undefined, configFiles: [] };
  const workingDir = labelled.labels[COMPOSE_LABELS.workingDir] || undefined;
  const configFiles = (labelled.labels[COMPOSE_LABELS.configFiles] ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(Boolean)
    .map((file) => (isAbsolute(file) || !workingDir ? file : resolve(workingDir, file)));
  return { workingDir, configFiles };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const projectNameOf = (row: ContainerRow) => row.project ?? row.labels[COMPOSE_LABELS.project];

/** The Compose projects among `rows`, by name (then host), each with its services by name. */
export function composeProjects(rows: readonly ContainerRow[]): ComposeProject[] {
  const groups = groupBy(rows, (row) => {
    const name = projectNameOf(row);
    return name ? `${row.host ?? ''}\u0000${name}` : undefined;
  });
  const projects = [...groups.values()].map((members): ComposeProject => {
    const first = members[0] as ContainerRow;
    // A container with the project label but no service label is still the project's.
    const services = groupBy(
      members.map((row): ComposeContainer => ({ row, number: containerNumber(row), oneoff: isOneoff(row) })),
      ({ row }) => row.service ?? row.labels[COMPOSE_LABELS.service] ?? row.name,
    );
    const serviceList = [...services].map(([name, containers]): ComposeService => {
      const replicas = containers.filter((c) => !c.oneoff);
      return {
        name,
        containers: containers.sort(byNumberThenName),
        running: replicas.filter((c) => c.row.state === 'running').length,
        total: replicas.length,
      };
    }).sort((a, b) => a.name.localeCompare(b.name));
    return {
      name: projectNameOf(first) ?? '',
      ...(first.host ? { host: first.host } : {}),
      ...projectFiles(members),
      services: serviceList,
      containers: members,
      running: serviceList.reduce((sum, s) => sum + s.running, 0),
      total: serviceList.reduce((sum, s) => sum + s.total, 0),
    };
  });
  return projects.sort((a, b) => a.name.localeCompare(b.name) || (a.host ?? '').localeCompare(b.host ?? ''));
}

/**
 * Why compose cannot be run for the project from this machine, or undefined when it can: compose
 * needs the very files the project was made from, and they are on the machine it ran on.
 */
export function composeFilesProblem(
  project: Pick<ComposeProject, 'workingDir' | 'configFiles'>,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (!project.workingDir) return `its containers do not say where the project is (no ${COMPOSE_LABELS.workingDir} label)`;
  if (!exists(project.workingDir)) return `working directory ${project.workingDir} not found on this machine`;
  if (project.configFiles.length === 0) return `its containers do not name its files (no ${COMPOSE_LABELS.configFiles} label)`;
  const missing = project.configFiles.find((file) => !exists(file));
  return missing ? `config file ${missing} not found on this machine` : undefined;
}

// ---- the compose CLI ----

/** `docker compose` (the CLI plugin, Compose 2) or a standalone `docker-compose` (1.x, or 2.x installed alone). */
export interface ComposeCli {
  kind: 'plugin' | 'standalone';
  /** The docker CLI for the plugin, docker-compose itself otherwise */
  path: string;
}

export const COMPOSE_CLI_MISSING = 'docker compose not found on PATH (nor docker-compose): install the compose plugin or docker-compose';

/** How long `docker compose version` may take to say whether the plugin is there. */
const PLUGIN_PROBE_TIMEOUT_MS = 5_000;

function succeeds(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((done) => {
    execFile(command, args, { env, timeout: PLUGIN_PROBE_TIMEOUT_MS }, (error) => done(!error));
  });
}

/**
 * The compose CLI the user would get: the docker CLI's plugin when `docker compose version`
 * works, else `docker-compose` on PATH. Asynchronous: the probe starts a process.
 */
export async function findComposeCli(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCli | undefined> {
  const docker = findDockerCli(env);
  if (docker && await succeeds(docker, ['compose', 'version'], env)) return { kind: 'plugin', path: docker };
  const standalone = findExecutable('docker-compose', env);
  return standalone ? { kind: 'standalone', path: standalone } : undefined;
}

/**
 * docker-compose's own flags for `endpoint`: a named context by name, the default one spelled out
 * as -H plus the TLS files it has (docker-compose reads no ~/.docker/ca.pem default, so a file
 * the endpoint lacks is simply not passed).
 */
function standaloneEndpointArgs(endpoint: Endpoint): string[] {
  if (endpoint.contextName !== 'default') return ['--context', endpoint.contextName];
  const args = ['-H', endpoint.url];
  const { tls } = endpoint;
  if (!tls) return args;
  args.push(tls.verify ? '--tlsverify' : '--tls');
  if (tls.ca) args.push('--tlscacert', tls.ca);
  if (tls.cert) args.push('--tlscert', tls.cert);
  if (tls.key) args.push('--tlskey', tls.key);
  return args;
}

/**
 * The compose CLI aimed at `endpoint`, the engine dockhand shows (not whatever DOCKER_HOST says):
 * the argv before compose's own options, and the environment without the variables that could
 * point it elsewhere.
 */
export function composeInvocation(cli: ComposeCli, endpoint: Endpoint, baseEnv: NodeJS.ProcessEnv = process.env): { prefix: string[]; env: Record<string, string> } {
  const { args, env } = dockerCliArgs(endpoint, baseEnv);
  const prefix = cli.kind === 'plugin' ? [cli.path, ...args, 'compose'] : [cli.path, ...standaloneEndpointArgs(endpoint)];
  return { prefix, env };
}

export type ComposeCommand = 'up' | 'down' | 'downVolumes' | 'recreate' | 'pull';

const SUBCOMMANDS: Record<ComposeCommand, readonly string[]> = {
  up: ['up', '-d'],
  down: ['down'],
  downVolumes: ['down', '-v'],
  recreate: ['up', '-d', '--force-recreate'],
  pull: ['pull'],
};

/** The subcommand as typed: "up -d", "down -v". */
export function composeSubcommandText(command: ComposeCommand): string {
  return SUBCOMMANDS[command].join(' ');
}

/** `down` takes no service names before Compose 2.20: it is always about the whole project. */
export function composeCommandTakesServices(command: ComposeCommand): boolean {
  return command === 'up' || command === 'recreate' || command === 'pull';
}

/**
 * The whole argv: the project named and its directory and files given explicitly, so neither the
 * current directory nor COMPOSE_* variables can make compose act on another project.
 */
export function composeArgv(
  prefix: readonly string[],
  project: Pick<ComposeProject, 'name' | 'workingDir' | 'configFiles'>,
  command: ComposeCommand,
  services: readonly string[] = [],
): string[] {
  return [
    ...prefix,
    '--project-name', project.name,
    ...(project.workingDir ? ['--project-directory', project.workingDir] : []),
    ...project.configFiles.flatMap((file) => ['-f', file]),
    ...SUBCOMMANDS[command],
    ...(composeCommandTakesServices(command) ? services : []),
  ];
}

// ---- running a command ----

/** How a command ended: its exit code, the signal that ended it, or why it could not start. */
export type CommandOutcome =
  | { status: 'exited'; exitCode: number }
  | { status: 'killed'; signal: string }
  | { status: 'failed'; reason: string };

/** A command's output so far and how it ended. */
export type CommandOutput = RunOutput<CommandOutcome>;

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Lines kept; compose pulls can print thousands */
  maxLines?: number;
  /** After cancel() asks nicely (SIGINT, as Ctrl-C), how long before SIGKILL */
  killAfterMs?: number;
}

const DEFAULT_KILL_AFTER_MS = 5_000;

/**
 * One command run from an argv list (no shell, so nothing in a project name or path is ever
 * interpreted), its stdout and stderr read by lines into a bounded buffer. stdin is closed: a
 * prompt gets its default answer instead of waiting for a keyboard it will never have.
 */
export class CommandRun implements OutputRun<CommandOutcome> {
  readonly done: Promise<CommandOutcome>;
  private readonly log: OutputLog<CommandOutcome>;
  private readonly killAfterMs: number;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(readonly argv: readonly string[], options: RunOptions = {}) {
    this.log = new OutputLog(options.maxLines);
    this.killAfterMs = options.killAfterMs ?? DEFAULT_KILL_AFTER_MS;
    const [command = '', ...args] = argv;
    this.child = spawn(command, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    // One splitter per stream: a line is never made of pieces of both.
    for (const stream of [this.child.stdout, this.child.stderr]) {
      const splitter = new LineSplitter();
      stream?.on('data', (chunk: Buffer) => this.log.append(splitter.push(chunk)));
      stream?.on('end', () => this.log.append(splitter.flush()));
    }
    this.done = new Promise((settle) => {
      // 'error' alone when it never started; 'close' once it ended and its streams are read.
      this.child.once('error', (error) => settle(this.finish({ status: 'failed', reason: error.message })));
      this.child.once('close', (code, signal) => {
        settle(this.finish(code === null ? { status: 'killed', signal: signal ?? 'a signal' } : { status: 'exited', exitCode: code }));
      });
    });
  }

  output(): CommandOutput {
    return this.log.output();
  }

  /** Asks the command to stop as Ctrl-C would, and kills it if it has not after a while. */
  cancel(): void {
    if (this.log.ended || this.child.exitCode !== null) return;
    this.child.kill('SIGINT');
    this.killTimer ??= setTimeout(() => this.child.kill('SIGKILL'), this.killAfterMs);
  }

  private finish(outcome: CommandOutcome): CommandOutcome {
    if (this.killTimer) clearTimeout(this.killTimer);
    return this.log.finish(outcome);
  }
}
