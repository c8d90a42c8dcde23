// What each main-pane tab shows, as plain lines: pure, so every tab is tested without Ink.
import type { ContainerDetails, ContainerRow, ProcessTable } from '../engine/types.js';
import { formatBytes, formatDuration, formatPorts, formatState, pad, shortId, truncate } from './format.js';
import { maskEnvEntry, looksSecret, MASK } from './secrets.js';

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

/** The summary of one container, most telling first; the list's row until inspect answers. */
export function overviewLines(row: ContainerRow, details: ContainerDetails | undefined, nowMs: number): PaneLine[] {
  const lines: PaneLine[] = [
    { label: 'Name', text: row.name },
    { label: 'ID', text: shortId(row.id) },
    { label: 'Image', text: row.image },
    { label: 'State', text: details ? describeState(details, nowMs) : row.status },
  ];
  if (!details) return [...lines, { label: 'Command', text: row.command }];
  if (details.state === 'exited' || details.state === 'dead') {
    lines.push({ label: 'Exit code', text: `${details.exitCode}${details.oomKilled ? ' (out of memory)' : ''}`, tone: details.exitCode === 0 ? 'ok' : 'error' });
  }
  if (details.error) lines.push({ label: 'Error', text: details.error, tone: 'error' });
  lines.push(
    { label: 'Command', text: details.command },
    ...(details.entrypoint ? [{ label: 'Entrypoint', text: details.entrypoint }] : []),
    { label: 'Created', text: details.created.replace('T', ' ').replace(/\.\d+Z$/, '') },
    { label: 'Restart', text: `${details.restartPolicy} (restarted ${details.restartCount}×)` },
    { label: 'Limits', text: describeLimits(details) },
  );
  if (row.project) lines.push({ label: 'Compose', text: `${row.project} / ${row.service ?? '?'}` });
  const ports = formatPorts(details.ports);
  if (ports) lines.push({ label: 'Ports', text: ports });
  for (const mount of details.mounts) {
    lines.push({ label: 'Mount', text: `${mount.type} ${mount.source} → ${mount.destination}${mount.rw ? '' : ' (ro)'}` });
  }
  for (const network of details.networks) {
    lines.push({ label: 'Network', text: `${network.name} ${network.ipAddress || '(no address)'}` });
  }
  for (const [key, value] of Object.entries(details.labels)) lines.push({ label: 'Label', text: `${key}=${value}` });
  return lines;
}

/** The inspect document as `docker inspect` prints it, secret env values masked unless revealed. */
export function inspectLines(raw: Record<string, unknown>, revealSecrets: boolean): PaneLine[] {
  const json = JSON.stringify(raw, (key, value: unknown) => {
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
  const keyWidth = Math.min(32, Math.max(...entries.map((e) => e.key.length)));
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
export function topLines(table: ProcessTable, width: number): PaneLine[] {
  if (table.processes.length === 0) return [{ text: 'No processes', tone: 'dim' }];
  const keep = table.titles
    .map((title, i) => ({ title, i }))
    .filter(({ title }, n, all) => width >= NARROW_TOP_WIDTH || NARROW_TOP_COLUMNS.includes(title) || n === all.length - 1);
  const last = keep.length - 1;
  const widths = keep.map(({ title, i }, n) =>
    n === last ? 0 : Math.min(12, Math.max(title.length, ...table.processes.map((p) => (p[i] ?? '').length))),
  );
  const used = widths.reduce((sum, w) => sum + w + 1, 0);
  const row = (cells: readonly string[]) =>
    keep.map(({ i }, n) => (n === last ? truncate(cells[i] ?? '', Math.max(1, width - used)) : pad(cells[i] ?? '', widths[n] ?? 0))).join(' ');
  return [{ text: row(table.titles), tone: 'title' }, ...table.processes.map((p) => ({ text: row(p) }))];
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
