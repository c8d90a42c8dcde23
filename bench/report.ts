// The figures of issue #9, their targets, and how a run is written down: bench/results/latest.json,
// the generated part of docs/BENCHMARKS.md and the headline figures in README.md.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export type FigureId =
  | 'startup' | 'idle-cpu' | 'dockhand-cpu' | 'key-p50' | 'key-p95' | 'event' | 'memory' | 'flood-key-p95' | 'flood-rss';

interface Target {
  /** The number of containers the target is set at; every N when absent. */
  n?: number;
  of: 'value' | 'ratio';
  max: number;
}

interface FigureSpec {
  name: string;
  unit: 'ms' | 'CPU s' | '% of a core' | 'MB';
  /** What the figure is compared with, measured in the same run. */
  reference?: string;
  /** Where the figure is measured: at every N, or only with the most containers. */
  at: 'every N' | 'largest N';
  targets: Target[];
}

export const FIGURES: Readonly<Record<FigureId, FigureSpec>> = {
  'startup': { name: 'Start-up', unit: 'ms', reference: 'docker ps -a', at: 'every N', targets: [{ n: 200, of: 'ratio', max: 8 }, { n: 200, of: 'value', max: 300 }] },
  'idle-cpu': { name: 'Idle cost (client + engine)', unit: 'CPU s', reference: 'docker stats', at: 'every N', targets: [{ n: 200, of: 'ratio', max: 0.5 }] },
  'dockhand-cpu': { name: "dockhand's own CPU", unit: '% of a core', at: 'every N', targets: [{ n: 200, of: 'value', max: 3 }] },
  'key-p50': { name: 'Key latency p50', unit: 'ms', at: 'every N', targets: [] },
  'key-p95': { name: 'Key latency p95', unit: 'ms', at: 'every N', targets: [{ n: 500, of: 'value', max: 50 }] },
  'event': { name: 'Event latency (median)', unit: 'ms', at: 'every N', targets: [{ of: 'value', max: 500 }] },
  'memory': { name: 'Peak RSS, 50,000 log lines', unit: 'MB', at: 'largest N', targets: [{ n: 500, of: 'value', max: 150 }] },
  'flood-key-p95': { name: 'Log flood: key latency p95', unit: 'ms', at: 'largest N', targets: [{ of: 'value', max: 150 }] },
  'flood-rss': { name: 'Log flood: peak RSS', unit: 'MB', at: 'largest N', targets: [{ of: 'value', max: 200 }] },
};

export interface Figure {
  id: FigureId;
  /** Containers on the engine. */
  n: number;
  value: number;
  reference?: number;
  /** value / reference */
  ratio?: number;
  /** How many measurements the figure is the median or percentile of. */
  samples: number;
  /** The targets that apply at this N, as the table shows them. */
  target?: string;
  verdict: 'met' | 'missed' | 'no target';
  /** For a missed target: by how much, e.g. "412 ms > 300 ms (+37%)". */
  missedBy?: string;
  /** Further readings behind the figure (percentiles, rates). */
  detail?: Record<string, number>;
}

export interface IdleCost {
  n: number;
  watcher: 'dockhand' | 'docker stats' | 'nothing (engine alone)';
  /** CPU seconds over the window, each the median of the runs on its own. */
  client: number;
  dockerd: number;
  containerd: number;
  shims: number;
}

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGB: number; kernel: string; node: string };
  /** 1-minute load averages when the run began and ended: anything else running inflates the figures. */
  load: { start: number; end: number };
  engine: { version: string; apiVersion: string };
  dockhand: { version: string; commit: string; bin: string };
  settings: {
    counts: number[];
    runs: number;
    idleWindowS: number;
    terminal: string;
    logLines: number;
    floodWindowS: number;
  };
  /** The terminal's own share of a start and of a key (tmux, the pty, the capture). */
  floors: { startMs: number; keyP50Ms: number; keyP95Ms: number };
  figures: Figure[];
  idleCosts: IdleCost[];
}

function formatValue(value: number, unit: FigureSpec['unit']): string {
  if (unit === 'CPU s') return `${value.toFixed(2)} CPU s`;
  if (unit === '% of a core') return `${value.toFixed(1)}% of a core`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

const formatRatio = (ratio: number) => `${ratio < 1 ? ratio.toFixed(2) : ratio.toFixed(1)}×`;

/** A figure with the issue's targets at its N applied. */
export function judge(figure: Omit<Figure, 'verdict' | 'target' | 'missedBy' | 'ratio'>): Figure {
  const spec = FIGURES[figure.id];
  const ratio = figure.reference === undefined ? undefined : figure.value / figure.reference;
  const targets = spec.targets.filter((t) => t.n === undefined || t.n === figure.n);
  if (targets.length === 0) return { ...figure, ...(ratio === undefined ? {} : { ratio }), verdict: 'no target' };
  const format = (t: Target, amount: number) => (t.of === 'ratio' ? formatRatio(amount) : formatValue(amount, spec.unit));
  const describe = (t: Target) => `≤ ${format(t, t.max)}${t.of === 'ratio' ? ` ${spec.reference}` : ''}`;
  const misses = targets.flatMap((t) => {
    const actual = t.of === 'ratio' ? ratio ?? Number.NaN : figure.value;
    return actual <= t.max ? [] : [`${format(t, actual)} > ${format(t, t.max)} (+${Math.round((actual / t.max - 1) * 100)}%)`];
  });
  return {
    ...figure,
    ...(ratio === undefined ? {} : { ratio }),
    target: targets.map(describe).join(' and '),
    verdict: misses.length === 0 ? 'met' : 'missed',
    ...(misses.length === 0 ? {} : { missedBy: misses.join('; ') }),
  };
}

function figureRow(figure: Figure): string {
  const spec = FIGURES[figure.id];
  const reference = figure.reference === undefined ? '' : `${spec.reference}: ${formatValue(figure.reference, spec.unit)}`;
  const verdict = figure.verdict === 'missed' ? `**missed**: ${figure.missedBy}` : figure.verdict === 'met' ? 'met' : '';
  const cells = [spec.name, String(figure.n), formatValue(figure.value, spec.unit), reference,
    figure.ratio === undefined ? '' : formatRatio(figure.ratio), figure.target ?? '', verdict, String(figure.samples)];
  return `| ${cells.join(' | ')} |`;
}

/** The generated part of docs/BENCHMARKS.md: where and when, the floors, every figure, the idle cost by process. */
export function benchmarksSection(results: BenchResults): string {
  const { machine, engine, dockhand, settings, floors } = results;
  const ordered = [...results.figures].sort((a, b) =>
    Object.keys(FIGURES).indexOf(a.id) - Object.keys(FIGURES).indexOf(b.id) || a.n - b.n);
  const idle = results.idleCosts.map((c) => {
    const cells = [c.client, c.dockerd, c.containerd, c.shims, c.client + c.dockerd + c.containerd + c.shims].map((s) => s.toFixed(2));
    return `| ${c.n} | ${c.watcher} | ${cells.join(' | ')} |`;
  });
  return [
    `Run of ${results.date.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGB} GB, Linux ${machine.kernel}), ` +
      `Docker ${engine.version} (API ${engine.apiVersion}), Node ${machine.node}, dockhand ${dockhand.version} at ${dockhand.commit}. ` +
      `${settings.runs} runs; idle windows of ${settings.idleWindowS} s; a ${settings.terminal} terminal; ` +
      `log flood for ${settings.floodWindowS} s per run. Load average ${results.load.start.toFixed(1)} when it began, ` +
      `${results.load.end.toFixed(1)} when it ended (0 is a quiet machine).`,
    '',
    `Terminal floors (tmux, the pty and the capture, measured with trivial programs): start ${Math.round(floors.startMs)} ms ` +
      `(subtracted from start-up), key p50 ${floors.keyP50Ms.toFixed(1)} ms, p95 ${floors.keyP95Ms.toFixed(1)} ms (not subtracted).`,
    '',
    '| Figure | N | dockhand | Reference | Ratio | Target | Verdict | Samples |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...ordered.map(figureRow),
    '',
    `Idle cost by process, CPU seconds over ${settings.idleWindowS} s (median of the runs, each column on its own):`,
    '',
    '| N | Watching with | client | dockerd | containerd | shims | total |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...idle,
    '',
  ].join('\n');
}

/** The README's headline figures: each one that has a target, at the N of its target (the largest N for a target at every N). */
export function headline(results: BenchResults): string {
  const judged = results.figures.filter((f) => f.verdict !== 'no target');
  const largest = judged.filter((f) => !judged.some((other) => other.id === f.id && other.n > f.n));
  const lines = largest.map((f) => {
    const spec = FIGURES[f.id];
    const reference = f.reference === undefined ? '' : ` (${spec.reference}: ${formatValue(f.reference, spec.unit)}, ${formatRatio(f.ratio ?? Number.NaN)})`;
    return `- ${spec.name}, ${f.n} containers: ${formatValue(f.value, spec.unit)}${reference}; target ${f.target}: ${f.verdict === 'met' ? 'met' : `missed, ${f.missedBy}`}`;
  });
  const { date, machine, engine, settings, load } = results;
  const where = `- Measured ${date.slice(0, 10)} on ${machine.cores} cores (${machine.cpu}), Docker ${engine.version}, ` +
    `idle windows of ${settings.idleWindowS} s; load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end (0 is a quiet machine).`;
  return [...lines, where, ''].join('\n');
}

/** `text` with what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced by `content`. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no ${start} … ${end} section`);
  return `${text.slice(0, from + start.length)}\n${content}${text.slice(to)}`;
}

function rewriteSection(path: string, name: string, content: string): void {
  writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), name, content));
}

export interface ReportPaths {
  json: string;
  benchmarks: string;
  readme: string;
}

export function writeReport(results: BenchResults, paths: ReportPaths): void {
  // Written aside and renamed: an interrupted write never leaves half a file as the latest results.
  writeFileSync(`${paths.json}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${paths.json}.tmp`, paths.json);
  rewriteSection(paths.benchmarks, 'bench', benchmarksSection(results));
  rewriteSection(paths.readme, 'bench', headline(results));
}
