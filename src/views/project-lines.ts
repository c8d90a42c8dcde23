// What the projects view shows as plain lines: a project's details (every service, every replica,
// where its files are and whether compose can run here), a command line as one can paste it, and
// the screen of a compose command's output. Pure, so each is tested without Ink.
import type { CommandOutcome, ComposeCli, ComposeProject } from '../engine/compose.js';
import type { RunOutput } from '../engine/output-log.js';
import { shellQuote } from '../engine/run-spec.js';
import { COMPOSE_CLI_MISSING } from '../engine/compose.js';
import type { GroupAction, GroupActionReport } from '../engine/project-actions.js';
import type { ContainerRow } from '../engine/types.js';
import { formatState, plural } from './format.js';
import { wrapPaneLines, type PaneLine, type Tone } from './pane-lines.js';
import { projectTitle } from './project-model.js';

/** Whether a compose CLI was found; looking takes a process start, so it starts as 'looking'. */
export type CliLookup = { status: 'looking' } | { status: 'found'; cli: ComposeCli } | { status: 'missing' };

/** Why compose cannot run for a project, or undefined when it can (the CLI first: it is the bigger gap). */
export function composeBlocker(lookup: CliLookup, filesProblem: string | undefined): string | undefined {
  if (lookup.status === 'missing') return COMPOSE_CLI_MISSING;
  return filesProblem;
}

function cliText(lookup: CliLookup): string {
  switch (lookup.status) {
    case 'looking': return 'looking for docker compose…';
    case 'missing': return COMPOSE_CLI_MISSING;
    case 'found': return lookup.cli.kind === 'plugin' ? `docker compose (plugin of ${lookup.cli.path})` : lookup.cli.path;
  }
}

/** Compose names repeat the project ("shop-web-1", "shop_web_1"); under the project, "web-1" says it. */
function shortName(name: string, project: string): string {
  return name.startsWith(`${project}-`) || name.startsWith(`${project}_`) ? name.slice(project.length + 1) : name;
}

function replicaState(row: ContainerRow): { text: string; tone?: Tone } {
  const health = row.health === 'unhealthy' || row.health === 'starting' ? ` (${row.health})` : '';
  const text = `${formatState(row)}${health}`;
  if (row.state === 'running') return health ? { text, tone: 'warning' } : { text };
  if (row.state === 'dead' || (row.state === 'exited' && row.exitCode !== undefined && row.exitCode !== 0)) return { text, tone: 'error' };
  return { text, tone: 'dim' };
}

/**
 * The project's details: what it is, where its files are, whether compose can run for it here,
 * then every service with every replica (one-off containers marked). `focus` is a service whose
 * row is selected: it is marked.
 */
export function projectLines(
  project: ComposeProject,
  compose: { lookup: CliLookup; filesProblem: string | undefined },
  focus?: string,
): PaneLine[] {
  const down = project.total - project.running;
  const lines: PaneLine[] = [
    { label: 'Project', text: projectTitle(project) },
    {
      label: 'Running',
      text: `${project.running}/${project.total} replicas${down > 0 ? `, ${down} not running` : ''}`,
      ...(project.total > 0 ? { tone: down === 0 ? 'ok' : 'warning' } : {}),
    },
    { label: 'Dir', text: project.workingDir ?? 'unknown (no working_dir label)', ...(project.workingDir ? {} : { tone: 'dim' }) },
    ...(project.configFiles.length > 0
      ? project.configFiles.map((file, i): PaneLine => ({ label: i === 0 ? 'Config' : '', text: file }))
      : [{ label: 'Config', text: 'unknown (no config_files label)', tone: 'dim' } satisfies PaneLine]),
    { label: 'Compose', text: cliText(compose.lookup), ...(compose.lookup.status === 'missing' ? { tone: 'warning' } : {}) },
  ];
  if (compose.filesProblem) lines.push({ label: 'Files', text: `compose cannot run: ${compose.filesProblem}`, tone: 'warning' });
  lines.push({ text: '' }, { text: `Services: ${project.services.length}`, tone: 'title' });
  for (const service of project.services) {
    const marker = service.name === focus ? '▸ ' : '';
    lines.push({ text: `${marker}${service.name}  ${service.running}/${service.total} running`, tone: 'title' });
    for (const { row, oneoff } of service.containers) {
      const state = replicaState(row);
      lines.push({ text: `  ${shortName(row.name, project.name)}  ${oneoff ? 'one-off, ' : ''}${state.text}`, ...(state.tone ? { tone: state.tone } : {}) });
    }
  }
  return lines;
}

/** argv as one would type it in a shell, quoted where needed, so the line shown can be pasted. */
export function commandLineText(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

export function outcomeText(outcome: CommandOutcome): { text: string; tone: Tone } {
  switch (outcome.status) {
    case 'exited': return { text: `exit ${outcome.exitCode}`, tone: outcome.exitCode === 0 ? 'ok' : 'error' };
    case 'killed': return { text: `ended by ${outcome.signal}`, tone: 'warning' };
    case 'failed': return { text: `could not run: ${outcome.reason}`, tone: 'error' };
  }
}

export interface OutputScreen {
  /** The command line, wrapped */
  header: PaneLine[];
  /** The output lines in the window */
  body: PaneLine[];
  /** How it is going or how it ended, with the keys that apply */
  status: PaneLine;
  /** Where the window starts, and where it can start at most */
  offset: number;
  maxOffset: number;
  /** Output rows on screen */
  rows: number;
}

/** What the output pane says of one kind of run (a command, a build) while it runs and once it ended. */
export interface RunWords<Outcome> {
  ended(outcome: Outcome): { text: string; tone: Tone };
  running: string;
  cancelling: string;
  /** What Esc does while it runs, for the key hints */
  cancelHint: string;
}

export const COMMAND_WORDS: RunWords<CommandOutcome> = {
  ended: outcomeText,
  running: 'running… · Esc cancels (SIGINT)',
  cancelling: 'cancelling (SIGINT sent)…',
  cancelHint: 'cancel (SIGINT)',
};

/**
 * The output pane in `height` rows: the command line on top, the output in a window that follows
 * the end unless scrolled up (`offset` undefined = follow), and the status line at the bottom.
 */
export function outputScreen<Outcome>(input: {
  argv: readonly string[];
  output: RunOutput<Outcome>;
  words: RunWords<Outcome>;
  offset: number | undefined;
  cancelling: boolean;
  width: number;
  height: number;
}): OutputScreen {
  const { output, width, height, words } = input;
  const header = wrapPaneLines([{ text: `$ ${commandLineText(input.argv)}`, tone: 'title' }], width);
  const wrapped = wrapPaneLines(output.lines.map((text) => ({ text })), width);
  const body = output.dropped > 0 ? [{ text: `(${plural(output.dropped, 'earlier line')} not kept)`, tone: 'dim' } satisfies PaneLine, ...wrapped] : wrapped;
  // The command line may take all but two rows: one of output, one of status.
  const shownHeader = header.slice(0, Math.max(1, height - 2));
  const rows = Math.max(1, height - shownHeader.length - 1);
  const maxOffset = Math.max(0, body.length - rows);
  const offset = Math.min(input.offset ?? maxOffset, maxOffset);
  const ended = output.outcome !== undefined ? words.ended(output.outcome) : undefined;
  const status: PaneLine = ended
    ? { text: `${ended.text} · Esc closes`, tone: ended.tone }
    : { text: input.cancelling ? words.cancelling : words.running, tone: 'warning' };
  return { header: shownHeader, body: body.slice(offset, offset + rows), status, offset, maxOffset, rows };
}

/** What a row says while an action works on it, and what the status line says after. */
export const GROUP_ACTION_WORDS: Record<GroupAction, { progress: string; past: string }> = {
  start: { progress: 'starting…', past: 'started' },
  stop: { progress: 'stopping…', past: 'stopped' },
  restart: { progress: 'restarting…', past: 'restarted' },
  pause: { progress: 'pausing…', past: 'paused' },
  unpause: { progress: 'unpausing…', past: 'unpaused' },
  remove: { progress: 'removing…', past: 'removed' },
};

/**
 * "project shop: stopped 3 containers", or with failures every one named in the daemon's words:
 * "project shop: stopped 1 of 2; shop-db-1: driver failed …".
 */
export function groupReportText(report: GroupActionReport, title: string): { text: string; tone: 'info' | 'error' } {
  const { past } = GROUP_ACTION_WORDS[report.action];
  const total = report.done.length + report.gone.length + report.failed.length;
  const gone = report.gone.length > 0 ? ` (${report.gone.length} already gone)` : '';
  if (report.failed.length === 0) return { text: `${title}: ${past} ${plural(report.done.length, 'container')}${gone}`, tone: 'info' };
  const failures = report.failed.map((f) => `${f.name}: ${f.message}`).join('; ');
  return { text: `${title}: ${past} ${report.done.length} of ${total}${gone}; ${failures}`, tone: 'error' };
}
