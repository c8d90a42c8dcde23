// Why a container is down or misbehaving, in plain words: what the Overview tab shows first.
// Pure: it reads an inspected container, what the event stream remembers about it, and the clock.
import { explainExitCode } from './exit-codes.js';
import type { ContainerDetails } from './types.js';

export type Severity = 'ok' | 'warning' | 'error';

/**
 * A labelled value. Numbers carry their unit in `kind` so views format them their own way
 * (binary units, local time, "3m 12s") without knowing where they came from.
 */
export type Fact =
  | { label: string; kind: 'text'; value: string }
  | { label: string; kind: 'number'; value: number }
  /** Bytes. */
  | { label: string; kind: 'bytes'; value: number }
  /** An instant, in ms since the epoch. */
  | { label: string; kind: 'time'; value: number }
  /** A length of time, in ms. */
  | { label: string; kind: 'duration'; value: number };

export interface ProbeResult {
  /** When the probe started, in ms since the epoch. */
  at: number | undefined;
  exitCode: number;
  /** The probe did not finish in time, or could not be run (its output says which). */
  timedOut: boolean;
  /** What the probe printed, trailing whitespace removed; untrusted text for the view to sanitise. */
  output: string;
}

export interface Diagnosis {
  severity: Severity;
  /** One sentence, shown first. */
  headline: string;
  /** Plain-word explanations under the headline, most important first. */
  lines: string[];
  facts: Fact[];
  /** The engine's own error text (State.Error), verbatim: it names the failing file or call. */
  engineError?: string;
  /** The last health probes, oldest first (the engine keeps five). */
  probes: ProbeResult[];
}

/** What the event stream remembers about a container, which inspect forgets when it restarts. */
export interface TriageHistory {
  /** Deaths (die events) in the last RESTART_LOOP_WINDOW_MS. */
  dies: number;
  restartLooping: boolean;
  /** The last oom event, in ms since the epoch: State.OOMKilled resets when the container starts. */
  oomAt?: number;
  /** The exit code of the last die event: State.ExitCode resets to 0 when the container starts. */
  lastExitCode?: number;
}

/** Whose engine it is, for what its inspect documents leave out. */
export type EngineKind = 'docker' | 'podman';

/** The engine's kind from its product name (`EngineInfo.product`). */
export function engineKind(product: string): EngineKind {
  return product === 'Podman Engine' ? 'podman' : 'docker';
}

/** Deaths within this window that make a restart loop. */
export const RESTART_LOOP_WINDOW_MS = 10 * 60_000;
export const RESTART_LOOP_DEATHS = 3;

const OOM_KILL_EXIT = 137;
/** Deaths by SIGINT and SIGTERM are usually someone stopping the container on purpose. */
const DELIBERATE_STOP_EXITS = new Set([130, 143]);

const RANK: Record<Severity, number> = { ok: 0, warning: 1, error: 2 };

/** Collects the parts of a diagnosis; severity only ever rises. */
class Findings {
  severity: Severity = 'ok';
  readonly lines: string[] = [];
  readonly facts: Fact[] = [];
  /** Where the first line of the highest severity so far is: a running container's headline. */
  private worst: { severity: Severity; index: number } | undefined;

  raise(severity: Severity, line?: string): void {
    if (RANK[severity] > RANK[this.severity]) this.severity = severity;
    if (line === undefined) return;
    if (severity !== 'ok' && (!this.worst || RANK[severity] > RANK[this.worst.severity])) {
      this.worst = { severity, index: this.lines.length };
    }
    this.lines.push(line);
  }

  /** Removes the worst line, to say it as the headline instead (without its full stop). */
  takeWorst(): string | undefined {
    if (!this.worst) return undefined;
    const [line] = this.lines.splice(this.worst.index, 1);
    this.worst = undefined;
    return line?.replace(/\.$/, '');
  }
}

/** Docker's times are RFC 3339; "0001-01-01T00:00:00Z" means never. */
function dockerTime(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}

function memoryLimitFact(details: ContainerDetails): Fact {
  return details.limits.memory > 0
    ? { label: 'Memory limit', kind: 'bytes', value: details.limits.memory }
    : { label: 'Memory limit', kind: 'text', value: 'none' };
}

/** How the container ended its last run: the exit code explained, OOM and signals told apart. */
function explainExit(details: ContainerDetails, engine: EngineKind, findings: Findings): string {
  const code = details.exitCode;
  findings.facts.push({ label: 'Exit code', kind: 'number', value: code });
  if (code === OOM_KILL_EXIT && details.oomKilled) {
    const limited = details.limits.memory > 0;
    findings.facts.push(memoryLimitFact(details));
    findings.raise('error', limited
      ? 'It used all the memory it may use (its memory limit) and the kernel killed it.'
      : 'It has no memory limit: the host ran out of memory and the kernel killed it.');
    return 'killed by the out-of-memory killer';
  }
  const explanation = explainExitCode(code);
  if (explanation.signal) findings.facts.push({ label: 'Signal', kind: 'text', value: explanation.signal });
  // Podman can leave OOMKilled false after an OOM kill (conmon misses it on cgroup v1): the limit
  // is then the user's best clue. Docker's OOMKilled false means the kernel did not do it.
  const oomUntold = code === OOM_KILL_EXIT && engine === 'podman';
  if (oomUntold) findings.facts.push(memoryLimitFact(details));
  const line = code !== OOM_KILL_EXIT
    ? explanation.detail
    : oomUntold
      ? 'It was sent SIGKILL: by a kill, by a stop that timed out, or by the out-of-memory killer, which Podman does not always record.'
      : 'It was sent SIGKILL, not by the out-of-memory killer: docker kill, or docker stop when it did not stop within the timeout.';
  findings.raise(code === 0 ? 'ok' : DELIBERATE_STOP_EXITS.has(code) ? 'warning' : 'error', line);
  return explanation.summary;
}

/**
 * The first sentence for a container that is not running: its state and, when it stopped, why.
 * A running container's headline is the worst thing found about it, so it comes last.
 */
function stateHeadline(details: ContainerDetails, engine: EngineKind, started: number | undefined, findings: Findings): string | undefined {
  const code = details.exitCode;
  switch (details.state) {
    case 'running':
      return undefined;
    case 'created':
    case 'exited': {
      if (details.state === 'created' && !details.error) return 'Created, never started';
      // A failed start (command not found) leaves StartedAt unset and the exit code set.
      const summary = explainExit(details, engine, findings);
      return started === undefined ? `Could not start (exit code ${code}): ${summary}` : `Exited with code ${code}: ${summary}`;
    }
    case 'restarting': {
      const summary = explainExit(details, engine, findings);
      findings.raise('warning');
      return `Restarting after exit code ${code}: ${summary}`;
    }
    case 'dead': {
      const summary = explainExit(details, engine, findings);
      findings.raise('error', 'The engine failed to stop or remove it; it can only be removed.');
      return `Dead after exit code ${code}: ${summary}`;
    }
    case 'paused':
      findings.raise('warning', 'Its processes are frozen until it is unpaused.');
      return 'Paused';
    case 'removing':
      return 'Being removed';
  }
}

function runTimes(details: ContainerDetails, started: number | undefined, nowMs: number, findings: Findings): void {
  if (started === undefined) return;
  if (details.state === 'running' || details.state === 'paused') {
    findings.facts.push({ label: 'Started', kind: 'time', value: started }, { label: 'Up for', kind: 'duration', value: nowMs - started });
    return;
  }
  const finished = dockerTime(details.finishedAt);
  // A restarted container keeps the previous run's FinishedAt, which is then before StartedAt.
  if (finished === undefined || finished < started) return;
  findings.facts.push({ label: 'Finished', kind: 'time', value: finished }, { label: 'Ran for', kind: 'duration', value: finished - started });
}

function restarts(details: ContainerDetails, history: TriageHistory, findings: Findings): void {
  findings.facts.push(
    { label: 'Restart policy', kind: 'text', value: details.restartPolicy },
    { label: 'Restart count', kind: 'number', value: details.restartCount },
  );
  if (history.dies > 0) {
    findings.facts.push({ label: 'Deaths (10 min)', kind: 'number', value: history.dies });
  }
  if (history.restartLooping) {
    findings.raise('error', `Restart loop: it died ${history.dies} times in the last 10 minutes.`);
  }
  if (details.state === 'running' && history.lastExitCode !== undefined) {
    findings.raise('ok', `It last died with exit code ${history.lastExitCode}: ${explainExitCode(history.lastExitCode).summary}.`);
  }
}

/** An oom event the current State no longer shows (OOMKilled resets on start, and a killed child leaves it false). */
function oomEvent(details: ContainerDetails, history: TriageHistory, started: number | undefined, findings: Findings): void {
  if (history.oomAt === undefined || details.oomKilled) return;
  findings.facts.push({ label: 'Last OOM kill', kind: 'time', value: history.oomAt });
  const duringThisRun = started !== undefined && history.oomAt >= started;
  findings.raise('warning', duringThisRun
    ? 'The out-of-memory killer killed a process in it during this run.'
    : 'The out-of-memory killer stopped it before its last start.');
}

function health(details: ContainerDetails, findings: Findings): void {
  if (details.health === undefined) return;
  findings.facts.push({ label: 'Health', kind: 'text', value: details.health });
  const streak = details.healthFailingStreak;
  if (streak > 0) findings.facts.push({ label: 'Failing checks', kind: 'number', value: streak });
  // A stopped container's health is what it was when it stopped; only a running one is judged.
  if (details.state !== 'running') return;
  if (details.health === 'unhealthy') {
    findings.raise('error', `Unhealthy: its health check failed ${streak} times in a row.`);
  } else if (streak > 0) {
    findings.raise('warning', `Its last ${streak} health checks failed; more failures will make it unhealthy.`);
  }
}

/** A running container with nothing wrong found. */
function calmHeadline(details: ContainerDetails): string {
  if (details.health === 'healthy') return 'Running and healthy';
  if (details.health === 'starting') return 'Running, waiting for the first health check';
  return 'Running';
}

function probes(details: ContainerDetails): ProbeResult[] {
  return details.healthLog.map((probe) => ({
    at: dockerTime(probe.start),
    exitCode: probe.exitCode,
    timedOut: probe.exitCode < 0,
    output: probe.output.trimEnd(),
  }));
}

/**
 * Diagnoses a container from its inspect details and its recent events. `nowMs` is the local
 * clock; event times come from the engine's clock, so a skewed remote engine shifts the window.
 */
export function diagnose(details: ContainerDetails, history: TriageHistory, nowMs: number, engine: EngineKind = 'docker'): Diagnosis {
  const findings = new Findings();
  const started = dockerTime(details.startedAt);
  const notRunning = stateHeadline(details, engine, started, findings);
  runTimes(details, started, nowMs, findings);
  restarts(details, history, findings);
  oomEvent(details, history, started, findings);
  health(details, findings);
  return {
    severity: findings.severity,
    headline: notRunning ?? findings.takeWorst() ?? calmHeadline(details),
    lines: findings.lines,
    facts: findings.facts,
    ...(details.error ? { engineError: details.error } : {}),
    probes: probes(details),
  };
}
