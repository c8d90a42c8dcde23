// What each main-pane tab shows, as plain lines: pure, so every tab is tested without Ink.
import type { LogLine } from '../engine/log-stream.js';
import type { Diagnosis, Fact } from '../engine/triage.js';
import type { ContainerDetails, ContainerRow, ProcessTable } from '../engine/types.js';
import { displayWidth, formatBytes, formatDuration, formatPorts, formatState, pad, sanitize, shortId, truncate, wrapText } from './format.js';
import { maskCommandLine, maskCommandWords, maskEnvEntry, maskLabel, looksSecret, MASK } from './secrets.js';

export type Tone = 'error' | 'warning' | 'ok' | 'dim' | 'title';

export interface PaneLine {
  /** Shown dim in a fixed-width column before the text. */
  label?: string;
  text: string;
  tone?: Tone;
}

/** The list's status text is as old as the last list; this is computed against the clock. */
function describeState(details: ContainerDetails, nowMs: number): string {
  const since = (iso: string) => formatDuration(Math.max(0, (nowMs - Date.parse(iso)) / 1000));
  const health = details.health ? ` (${details.health})` : '';
  switch (details.state) {
    case 'running': return `running, up ${since(details.startedAt)}${health}`;
    case 'paused': return `paused, up ${since(details.startedAt)}`;
    case 'restarting': return `restarting (restarted ${details.restartCount}×)`;
    case 'exited':
    case 'dead': return `${formatState(details)}, ${since(details.finishedAt)} ago`;
    default: return details.state;
  }
}

function describeLimits(details: ContainerDetails): string {
  const { memory, cpus, pidsLimit } = details.limits;
  const parts = [
    memory > 0 ? `memory ${formatBytes(memory)}` : '',
    cpus > 0 ? `${cpus} CPUs` : '',
    pidsLimit > 0 ? `${pidsLimit} pids` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** A labelled fact made of anyone's text (names, labels, build steps): sanitised here. */
export function fact(label: string, text: string, tone?: Tone): PaneLine {
  return { label, text: sanitize(text), ...(tone ? { tone } : {}) };
}

/** Labels as KEY=VALUE, the values of secret-looking keys masked unless revealed. */
export function labelLines(labels: Readonly<Record<string, string>>, revealSecrets: boolean): PaneLine[] {
  return Object.entries(labels).map(([key, value]) => fact('Label', `${key}=${maskLabel(key, value, revealSecrets)}`));
}

/**
 * The summary of one container, most telling first; the list's row until inspect answers.
 * `triaged`: a diagnosis above already says the exit code and the daemon's error.
 */
export function overviewLines(row: ContainerRow, details: ContainerDetails | undefined, nowMs: number, triaged = false, revealSecrets = false): PaneLine[] {
  const lines: PaneLine[] = [
    { label: 'Name', text: row.name },
    { label: 'ID', text: shortId(row.id) },
    { label: 'Image', text: row.image },
    { label: 'State', text: details ? describeState(details, nowMs) : row.status },
  ];
  if (!details) return [...lines, { label: 'Command', text: maskCommandLine(row.command, revealSecrets) }];
  if (!triaged && (details.state === 'exited' || details.state === 'dead')) {
    lines.push({ label: 'Exit code', text: `${details.exitCode}${details.oomKilled ? ' (out of memory)' : ''}`, tone: details.exitCode === 0 ? 'ok' : 'error' });
  }
  if (details.error && !triaged) lines.push({ label: 'Error', text: details.error, tone: 'error' });
  lines.push(
    { label: 'Command', text: maskCommandLine(details.command, revealSecrets) },
    ...(details.entrypoint ? [{ label: 'Entrypoint', text: maskCommandLine(details.entrypoint, revealSecrets) }] : []),
    { label: 'Created', text: details.created.replace('T', ' ').replace(/\.\d+Z$/, '') },
    { label: 'Restart', text: `${details.restartPolicy} (restarted ${details.restartCount}×)` },
    { label: 'Limits', text: describeLimits(details) },
  );
  if (row.project) lines.push({ label: 'Compose', text: `${row.project} / ${row.service ?? '?'}` });
  if (row.pod) lines.push({ label: 'Pod', text: row.pod });
  const ports = formatPorts(details.ports);
  if (ports) lines.push({ label: 'Ports', text: ports });
  for (const mount of details.mounts) {
    lines.push({ label: 'Mount', text: `${mount.type} ${mount.source} → ${mount.destination}${mount.rw ? '' : ' (ro)'}` });
  }
  for (const network of details.networks) {
    lines.push({ label: 'Network', text: `${network.name} ${network.ipAddress || '(no address)'}` });
  }
  return [...lines, ...labelLines(details.labels, revealSecrets)];
}

function formatFact(fact: Fact, nowMs: number): string {
  switch (fact.kind) {
    case 'text': return fact.value;
    case 'number': return String(fact.value);
    case 'bytes': return formatBytes(fact.value);
    case 'duration': return formatDuration(fact.value / 1000);
    case 'time': return `${localTime(fact.value)} (${formatDuration(Math.max(0, nowMs - fact.value) / 1000)} ago)`;
  }
}

/** "2024-06-10 10:00:01" in the viewer's time zone. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

const SEVERITY_TONE = { ok: 'ok', warning: 'warning', error: 'error' } as const;

/**
 * Why it died (or is unwell), first: the diagnosis in plain words, the daemon's own error, the
 * facts, the last health probes, then what its log said just before.
 */
export function triageLines(diagnosis: Diagnosis, logTail: readonly LogLine[] | undefined, nowMs: number): PaneLine[] {
  const lines: PaneLine[] = [{ text: diagnosis.headline, tone: SEVERITY_TONE[diagnosis.severity] }];
  for (const line of diagnosis.lines) lines.push({ text: line });
  if (diagnosis.engineError) lines.push({ label: 'Error', text: diagnosis.engineError, tone: 'error' });
  for (const fact of diagnosis.facts) lines.push({ label: fact.label, text: formatFact(fact, nowMs) });
  for (const probe of diagnosis.probes) {
    const when = probe.at === undefined ? '' : `${localTime(probe.at)} `;
    const result = probe.timedOut ? 'timed out' : `exit ${probe.exitCode}`;
    lines.push({ label: 'Probe', text: `${when}${result}  ${probe.output.replace(/\s+/g, ' ').trim()}`, tone: probe.exitCode === 0 ? undefined : 'warning' });
  }
  if (logTail && logTail.length > 0) {
    lines.push({ text: '' }, { text: logTail.length === 1 ? 'Last log line' : `Last ${logTail.length} log lines`, tone: 'title' }, ...logLines(logTail));
  }
  lines.push({ text: '' });
  return lines;
}

/** Log lines with stderr and the daemon's own complaints marked, so they stand out in a tail. */
export function logLines(log: readonly LogLine[]): PaneLine[] {
  return log.map((line) => ({
    text: line.stream === 'stdout' ? line.text : `${line.stream === 'stderr' ? 'stderr' : 'daemon'}│ ${line.text}`,
    ...(line.stream === 'stderr' ? { tone: 'warning' as const } : line.stream === 'daemon' ? { tone: 'error' as const } : {}),
  }));
}

/** Where a container's inspect document holds command lines: Config.Cmd, Config.Entrypoint, Args. */
const COMMAND_KEYS = ['Cmd', 'Entrypoint', 'Args'];

/**
 * The inspect document as `docker inspect` prints it, secrets masked unless revealed: env values,
 * label values and command arguments whose names look secret.
 */
export function inspectLines(raw: Record<string, unknown>, revealSecrets: boolean): PaneLine[] {
  const json = JSON.stringify(raw, (key, value: unknown) => {
    if (revealSecrets) return value;
    if (key === 'Labels' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([name, text]) => [name, typeof text === 'string' ? maskLabel(name, text, false) : text]));
    }
    if (COMMAND_KEYS.includes(key) && Array.isArray(value) && value.every((word) => typeof word === 'string')) {
      return maskCommandWords(value, false);
    }
    if (key === 'Env' && Array.isArray(value)) {
      return value.map((entry) => {
        if (typeof entry !== 'string') return entry;
        const { key: name, value: shown, masked } = maskEnvEntry(entry, revealSecrets);
        return masked ? `${name}=${shown}` : entry;
      });
    }
    return value;
  }, 2);
  return (json ?? '').split('\n').map((text) => ({ text }));
}

export function envLines(env: readonly string[], revealSecrets: boolean): PaneLine[] {
  if (env.length === 0) return [{ text: 'No environment variables', tone: 'dim' }];
  const entries = env.map((entry) => maskEnvEntry(entry, revealSecrets));
  const keyWidth = Math.min(32, Math.max(...entries.map((e) => displayWidth(e.key))));
  const lines: PaneLine[] = entries.map(({ key, value, masked }) => ({
    text: `${pad(key, keyWidth)}  ${value}`,
    ...(masked ? { tone: 'dim' as const } : {}),
  }));
  const hidden = entries.filter((e) => e.masked).length;
  const anySecret = env.some((entry) => looksSecret(entry.split('=')[0] ?? ''));
  if (hidden > 0) lines.push({ text: '' }, { text: `${hidden} secret-looking value(s) shown as ${MASK}: m reveals`, tone: 'dim' });
  else if (anySecret) lines.push({ text: '' }, { text: 'Secret-looking values are revealed: m hides them', tone: 'warning' });
  return lines;
}

/** Below this the full `ps -ef` set leaves the command no room: keep who, which and what. */
const NARROW_TOP_WIDTH = 60;
const NARROW_TOP_COLUMNS = ['UID', 'PID', 'CMD', 'COMMAND'];

/** `docker top` as a table, each column as wide as its widest cell up to a cap; the command takes the rest. */
export function topLines(table: ProcessTable, width: number, revealSecrets = false): PaneLine[] {
  if (table.processes.length === 0) return [{ text: 'No processes', tone: 'dim' }];
  // ps shows each process's arguments: a --password given on a command line would be there.
  const commandColumn = table.titles.findIndex((title) => title === 'CMD' || title === 'COMMAND');
  const keep = table.titles
    .map((title, i) => ({ title, i }))
    .filter(({ title }, n, all) => width >= NARROW_TOP_WIDTH || NARROW_TOP_COLUMNS.includes(title) || n === all.length - 1);
  const last = keep.length - 1;
  const widths = keep.map(({ title, i }, n) =>
    n === last ? 0 : Math.min(12, Math.max(displayWidth(title), ...table.processes.map((p) => displayWidth(p[i] ?? '')))),
  );
  const used = widths.reduce((sum, w) => sum + w + 1, 0);
  const row = (cells: readonly string[]) =>
    keep.map(({ i }, n) => (n === last ? truncate(cells[i] ?? '', Math.max(1, width - used)) : pad(cells[i] ?? '', widths[n] ?? 0))).join(' ');
  const masked = (p: readonly string[]) => p.map((cell, i) => (i === commandColumn ? maskCommandLine(cell, revealSecrets) : cell));
  return [{ text: row(table.titles), tone: 'title' }, ...table.processes.map((p) => ({ text: row(masked(p)) }))];
}

/** How wide the label column is: the longest label, within bounds that leave the text room. */
export function labelColumnWidth(lines: readonly PaneLine[], width: number): number {
  const longest = Math.max(0, ...lines.map((line) => displayWidth(line.label ?? '')));
  return Math.max(6, Math.min(longest + 1, 16, Math.floor(width / 3)));
}

/**
 * Long texts continued on the next lines under their label, cut at spaces where there is one,
 * so a diagnosis reads whole in a narrow side pane. Each piece is a line of its own for scrolling.
 */
export function wrapPaneLines(lines: readonly PaneLine[], width: number): PaneLine[] {
  const labelWidth = labelColumnWidth(lines, width);
  const wrapped: PaneLine[] = [];
  for (const line of lines) {
    const room = Math.max(8, width - (line.label === undefined ? 0 : labelWidth));
    wrapText(line.text, room).forEach((piece, i) => {
      wrapped.push({ ...line, ...(line.label === undefined ? {} : { label: i === 0 ? line.label : '' }), text: piece });
    });
  }
  return wrapped;
}

/** Indexes of the lines that contain `query` (plain text, case-insensitive). */
export function matchingLines(lines: readonly PaneLine[], query: string): number[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const hits: number[] = [];
  lines.forEach((line, i) => {
    if (`${line.label ?? ''} ${line.text}`.toLowerCase().includes(needle)) hits.push(i);
  });
  return hits;
}
