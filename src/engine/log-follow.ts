// Follows one container's log into a LogBuffer, across its deaths and restarts. The engine ends a
// followed log when the container stops; the follower then says how it ended (a separator with the
// exit code), waits for the container's next `start` event, and attaches again from the time of
// the last line it has, dropping the lines the inclusive `since` sends twice. One stream at a time,
// no retry loop faster than a backoff, and a flood of lines is taken in slices that leave the
// event loop free for keys and renders. A Swarm service's log is followed the same way: it spans
// the service's tasks, so only the service's removal ends it.
import { cleanTerminalText, stripSgr } from './ansi.js';
import type { Engine } from './engine.js';
import { toEngineError, unreachableReason } from './errors.js';
import type { LogBuffer, LogEntry } from './log-buffer.js';
import type { LogLine, LogOptions } from './log-stream.js';
import type { EngineEvent } from './types.js';

/** The "since" choices the logs view offers; `seconds` is relative to now, undefined = the whole log. */
export const SINCE_PRESETS = [
  { label: '1m', seconds: 60 },
  { label: '5m', seconds: 300 },
  { label: '15m', seconds: 900 },
  { label: '1h', seconds: 3600 },
  { label: '24h', seconds: 86400 },
  { label: 'all', seconds: undefined },
] as const;

export type SincePreset = (typeof SINCE_PRESETS)[number];

export interface LogFollowerOptions {
  id: string;
  /** What `id` names; a container unless told otherwise. */
  subject?: 'container' | 'service';
  /** The container's Config.Tty, or the service's tasks' (framing depends on it; never guessed). */
  tty: boolean;
  /** Lines of history on the first attach. */
  tail: number;
  /** Relative, from a preset: the log from this many seconds before start(). */
  sinceSeconds?: number;
  /** Absolute end of the range, ms since the epoch. */
  untilMs?: number;
  buffer: LogBuffer;
  /** Every engine event (ContainerStore.onEvent); returns the unsubscribe. */
  subscribeEvents: (listener: (event: EngineEvent) => void) => () => void;
  /**
   * Called when the engine answers again after it could not be reached (onReconnected): a log
   * that could not be attached is attached again at once rather than after its backoff.
   */
  subscribeReconnected?: (listener: () => void) => () => void;
  /** How long to wait for the `die` event once the stream ended, before asking inspect. Default 1000 ms. */
  dieGraceMs?: number;
  /** First delay before attaching again after a failure; doubles up to maxRetryDelayMs. Default 1000 ms. */
  retryDelayMs?: number;
  /** Default 30 s. */
  maxRetryDelayMs?: number;
}

/** A daemon time: whole seconds since the epoch and nanoseconds, compared exactly (a double cannot hold both). */
interface TimeKey {
  seconds: number;
  nanos: number;
}

/** Where the previous attach stopped: the last line's time and the lines that carried exactly that time. */
interface Boundary {
  key: TimeKey;
  /** stream + text of each line at `key` (one array reused from line to line: no allocation per line). */
  lines: string[];
}

/** The boundary while attaching again: how many times each line at its time is still to be dropped. */
interface Skip {
  key: TimeKey;
  lines: Map<string, number>;
}

interface Exit {
  exitCode: number;
  key?: TimeKey;
}

type ContainerFate =
  | { kind: 'exited'; exit: Exit }
  | { kind: 'running' }
  | { kind: 'created' }
  | { kind: 'gone' };

type AttachOutcome =
  | { kind: 'ended'; lines: number; ms: number }
  | { kind: 'refused'; message: string; statusCode?: number };

/** Lines handled between looks at the clock. */
const LINES_PER_CHECK = 256;
/** The longest the follower keeps the event loop before letting timers, input and renders run. */
const SLICE_MS = 8;
/** Lines sharing the last timestamp remembered for de-duplication (they are normally one or two). */
const MAX_BOUNDARY_LINES = 1_000;
/** An attach that ends this soon with nothing read counts as a failure for the backoff. */
const SHORT_ATTACH_MS = 1_000;

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9})\d*)?(Z|[+-]\d\d:\d\d)$/;

function parseTime(time: string | undefined): TimeKey | undefined {
  if (time === undefined) return undefined;
  const match = RFC3339.exec(time);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return { seconds: Math.floor(ms / 1000), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function compareKeys(a: TimeKey, b: TimeKey): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

function keyToMs(key: TimeKey): number {
  return key.seconds * 1000 + Math.floor(key.nanos / 1e6);
}

function keyToTime(key: TimeKey): string | undefined {
  const date = new Date(key.seconds * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.\d+Z$/, `.${String(key.nanos).padStart(9, '0')}Z`);
}

function timeFields(key: TimeKey | undefined): Pick<LogEntry, 'time' | 'timeMs'> {
  const time = key ? keyToTime(key) : undefined;
  return key && time !== undefined ? { time, timeMs: keyToMs(key) } : {};
}

/**
 * The engine's `since`: seconds with a fraction, rounded down to the microsecond. Built from a
 * decimal string so the number prints back as exactly that string in the query; rounding down
 * can only bring back lines the boundary check drops.
 */
function keyToSince(key: TimeKey): number {
  return Number(`${key.seconds}.${String(Math.floor(key.nanos / 1000)).padStart(6, '0')}`);
}

function eventKey(event: EngineEvent): TimeKey {
  try {
    const nanos = BigInt(event.timeNano);
    if (nanos > 0n) return { seconds: Number(nanos / 1_000_000_000n), nanos: Number(nanos % 1_000_000_000n) };
  } catch {
    // Fall through to the whole seconds.
  }
  return { seconds: event.time, nanos: 0 };
}

function lineIdentity(line: LogLine): string {
  return `${line.stream}\u0000${line.text}`;
}

function daemonWords(err: unknown): { message: string; statusCode?: number } {
  const unreachable = unreachableReason(err);
  if (unreachable) return { message: `${unreachable.charAt(0).toUpperCase()}${unreachable.slice(1)}: the log goes on once the engine is back.` };
  const e = toEngineError(err);
  return e.statusCode === undefined ? { message: e.message } : { message: e.message, statusCode: e.statusCode };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Follows one container's log into `options.buffer` until stop(). Entries it pushes:
 * - `line`: a log line (stream stdout/stderr; `daemon` for the engine's own error text);
 * - `restart` with `exitCode`: the container stopped ("Container exited with code N");
 * - `restart` without `exitCode`: it started again and the log continues ("Container restarted");
 * - `notice`: the log cannot be read, with the daemon's reason, or the container was removed.
 */
export class LogFollower {
  private readonly lifetime = new AbortController();
  private started = false;
  private unsubscribe: (() => void) | undefined;
  private readonly wakers = new Set<() => void>();
  /** The `die` of the current run, once its event came. */
  private died: Exit | undefined;
  /** A `start` event came after the run ended (or after the follower decided it had). */
  private startedAgain: EngineEvent | undefined;
  private removed = false;
  /** The engine answered again after it could not be reached, since the last attach failed. */
  private reconnected = false;
  private unsubscribeReconnected: (() => void) | undefined;
  /** The last line's time: the next attach starts there. */
  private boundary: Boundary | undefined;
  /** No line yet, but a run ended: the next attach starts at its end. */
  private resumeKey: TimeKey | undefined;
  /** While attaching again: lines at or before this boundary were already received. */
  private skipping: Skip | undefined;
  private lastNotice: string | undefined;
  private readonly sinceSeconds: number | undefined;
  private sinceKey: TimeKey | undefined;
  /** Ends the service log stream open now: the engine keeps a removed service's stream open. */
  private endServiceStream: (() => void) | undefined;

  constructor(
    /** serviceLogs is only read when following a service. */
    private readonly engine: Pick<Engine, 'logs' | 'inspectContainer'> & Partial<Pick<Engine, 'serviceLogs'>>,
    private readonly options: LogFollowerOptions,
  ) {
    this.sinceSeconds = options.sinceSeconds;
  }

  start(): void {
    if (this.started || this.lifetime.signal.aborted) return;
    this.started = true;
    if (this.sinceSeconds !== undefined) {
      const sinceMs = Date.now() - this.sinceSeconds * 1000;
      this.sinceKey = { seconds: Math.floor(sinceMs / 1000), nanos: (sinceMs % 1000) * 1e6 };
    }
    // Subscribed before the first attach, so no die or start falls between.
    this.unsubscribe = this.options.subscribeEvents((event) => this.onEvent(event));
    this.unsubscribeReconnected = this.options.subscribeReconnected?.(() => {
      this.reconnected = true;
      this.wake();
    });
    void this.run().catch(() => {
      // run() handles its own failures; this is only a guard against an unhandled rejection.
    });
  }

  /** Aborts the open stream and any wait; nothing is pushed afterwards. */
  stop(): void {
    this.lifetime.abort();
    this.endServiceStream?.();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unsubscribeReconnected?.();
    this.unsubscribeReconnected = undefined;
    this.wake();
  }

  private get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  private onEvent(event: EngineEvent): void {
    if (this.options.subject === 'service') {
      if (event.type === 'service' && event.action === 'remove' && event.id === this.options.id) {
        this.removed = true;
        this.endServiceStream?.();
        this.wake();
      }
      return;
    }
    if (event.type !== 'container' || !this.isOurs(event.id)) return;
    if (event.action === 'die') {
      const exitCode = Number(event.attributes['exitCode']);
      this.died = Number.isInteger(exitCode) ? { exitCode, key: eventKey(event) } : undefined;
      this.startedAgain = undefined;
    } else if (event.action === 'start') {
      this.startedAgain = event;
    } else if (event.action === 'destroy') {
      this.removed = true;
    } else {
      return;
    }
    this.wake();
  }

  private isOurs(id: string): boolean {
    const ours = this.options.id;
    return id === ours || (ours.length >= 12 && id.startsWith(ours));
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  /** Resolves when `done()` holds (checked on every event of this container), after timeoutMs, or on stop(). */
  private waitUntil(done: () => boolean, timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.wakers.delete(check);
        resolve();
      };
      const check = () => {
        if (this.signal.aborted || done()) finish();
      };
      if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
      this.wakers.add(check);
      check();
    });
  }

  private async run(): Promise<void> {
    const minDelay = this.options.retryDelayMs ?? 1_000;
    const maxDelay = this.options.maxRetryDelayMs ?? 30_000;
    let delay = minDelay;
    while (!this.signal.aborted) {
      const outcome = await this.attach();
      if (this.signal.aborted) return;

      if (outcome.kind === 'refused') {
        this.notice(outcome.message);
        if (outcome.statusCode === 404 || this.removed) return;
        // A daemon that refuses for a reason (4xx; 501: the driver cannot be read) says the same
        // until the container changes: try again when it starts. A broken connection may heal.
        const transient = outcome.statusCode === undefined || (outcome.statusCode >= 500 && outcome.statusCode !== 501);
        this.startedAgain = undefined;
        this.reconnected = false;
        await this.waitUntil(() => this.startedAgain !== undefined || this.removed || this.reconnected, transient ? delay : undefined);
        delay = Math.min(delay * 2, maxDelay);
        if (this.removed) return this.gone();
        continue;
      }

      if (this.options.untilMs !== undefined && Date.now() >= this.options.untilMs) {
        // The range is over: the log ends here, with how the container ended if it did so meanwhile.
        if (this.died) this.exited(this.died);
        return;
      }

      const fate = await this.fate();
      if (this.signal.aborted) return;
      switch (fate.kind) {
        case 'gone':
          return this.gone();
        case 'exited':
        case 'created': {
          if (fate.kind === 'exited') this.exited(fate.exit);
          await this.waitUntil(() => this.startedAgain !== undefined || this.removed);
          if (this.signal.aborted) return;
          if (this.removed) return this.gone();
          if (fate.kind === 'exited' && this.startedAgain) this.restarted(this.startedAgain);
          // The stop's time is where the next run's lines begin when the last run printed nothing.
          if (!this.boundary && fate.kind === 'exited' && fate.exit.key) this.resumeKey = fate.exit.key;
          delay = minDelay;
          break;
        }
        case 'running':
          // The stream ended while the container runs (a client timeout, a daemon restart, a
          // restart whose events were missed): attach again from the last line, at once unless
          // the stream keeps ending without a line.
          if (outcome.lines === 0 && outcome.ms < SHORT_ATTACH_MS) {
            this.startedAgain = undefined;
            this.reconnected = false;
            await this.waitUntil(() => this.startedAgain !== undefined || this.removed || this.reconnected, delay);
            delay = Math.min(delay * 2, maxDelay);
            if (this.removed) return this.gone();
          } else {
            delay = minDelay;
          }
          break;
      }
      this.died = undefined;
      this.startedAgain = undefined;
    }
  }

  /** Opens the log (from the boundary when attaching again) and reads it to its end. */
  private async attach(): Promise<AttachOutcome> {
    const resumeFrom = this.boundary?.key ?? this.resumeKey;
    const since = resumeFrom ?? this.sinceKey;
    const request: LogOptions = {
      // Attaching again, everything after the boundary is wanted, however much the new run wrote.
      tail: resumeFrom === undefined ? this.options.tail : -1,
      follow: true,
      timestamps: true,
      tty: this.options.tty,
      ...(since !== undefined ? { since: keyToSince(since) } : {}),
      ...(this.options.untilMs !== undefined ? { until: this.options.untilMs / 1000 } : {}),
    };
    this.skipping = undefined;
    if (this.boundary) {
      const lines = new Map<string, number>();
      for (const identity of this.boundary.lines) lines.set(identity, (lines.get(identity) ?? 0) + 1);
      this.skipping = { key: this.boundary.key, lines };
    }
    const began = Date.now();
    let lines: AsyncIterable<LogLine>;
    try {
      lines = await this.read(request);
    } catch (err) {
      return { kind: 'refused', ...daemonWords(err) };
    }
    let count = 0;
    try {
      let sliceStart = performance.now();
      let sinceCheck = 0;
      for await (const line of lines) {
        if (this.signal.aborted) break;
        if (this.take(line)) count += 1;
        if (++sinceCheck >= LINES_PER_CHECK) {
          sinceCheck = 0;
          if (performance.now() - sliceStart >= SLICE_MS) {
            await yieldToEventLoop();
            sliceStart = performance.now();
          }
        }
      }
    } catch {
      // A stream that breaks mid-way ends like one that closed: the container's fate decides what follows.
    }
    return { kind: 'ended', lines: count, ms: Date.now() - began };
  }

  private read(request: LogOptions): Promise<AsyncIterable<LogLine>> {
    const { id, subject } = this.options;
    if (subject !== 'service') return this.engine.logs(id, request, this.signal);
    if (!this.engine.serviceLogs) throw new Error('this engine cannot read service logs');
    const stream = new AbortController();
    this.endServiceStream = () => stream.abort();
    return this.engine.serviceLogs(id, request, stream.signal);
  }

  /** Pushes one line unless the previous attach already had it. Returns whether it was pushed. */
  private take(line: LogLine): boolean {
    const key = parseTime(line.time);
    if (key && this.skipping) {
      const order = compareKeys(key, this.skipping.key);
      if (order < 0) return false;
      if (order === 0) {
        const identity = lineIdentity(line);
        const seen = this.skipping.lines.get(identity) ?? 0;
        if (seen > 0) {
          this.skipping.lines.set(identity, seen - 1);
          return false;
        }
      } else {
        this.skipping = undefined;
      }
    }
    if (key) this.remember(key, line);
    const text = cleanTerminalText(line.text);
    // No object spreads on this path: it runs for every line of a flood.
    const entry: Omit<LogEntry, 'seq'> = { kind: 'line', stream: line.stream, text, plain: stripSgr(text) };
    if (line.time !== undefined) entry.time = line.time;
    if (key) entry.timeMs = keyToMs(key);
    this.push(entry);
    return true;
  }

  private remember(key: TimeKey, line: LogLine): void {
    const boundary = this.boundary;
    if (!boundary) {
      this.boundary = { key, lines: [lineIdentity(line)] };
      return;
    }
    const order = compareKeys(key, boundary.key);
    if (order > 0) {
      boundary.key = key;
      boundary.lines.length = 0;
      boundary.lines.push(lineIdentity(line));
    } else if (order === 0 && boundary.lines.length < MAX_BOUNDARY_LINES) {
      boundary.lines.push(lineIdentity(line));
    }
  }

  /** How the run ended: its `die` event if it comes soon, else what inspect says. */
  private async fate(): Promise<ContainerFate> {
    // A service has no run that ends: its log stops with the service, or with the connection.
    if (this.options.subject === 'service') return { kind: this.removed ? 'gone' : 'running' };
    if (!this.died) await this.waitUntil(() => this.died !== undefined || this.removed, this.options.dieGraceMs ?? 1_000);
    if (this.removed) return { kind: 'gone' };
    if (this.died) return { kind: 'exited', exit: this.died };
    try {
      const details = await this.engine.inspectContainer(this.options.id, this.signal);
      // A start after this point is a new run, whatever came before.
      this.startedAgain = undefined;
      switch (details.state) {
        case 'exited':
        case 'dead': {
          const key = parseTime(details.finishedAt);
          return { kind: 'exited', exit: key ? { exitCode: details.exitCode, key } : { exitCode: details.exitCode } };
        }
        case 'created':
          return { kind: 'created' };
        case 'removing':
          return { kind: 'gone' };
        default:
          return { kind: 'running' };
      }
    } catch (err) {
      if (toEngineError(err).statusCode === 404) return { kind: 'gone' };
      // The engine is away: treat it as a stream that ended while running (attach again, with backoff).
      return { kind: 'running' };
    }
  }

  private exited(exit: Exit): void {
    this.push({
      kind: 'restart',
      stream: 'daemon',
      text: `Container exited with code ${exit.exitCode}`,
      plain: `Container exited with code ${exit.exitCode}`,
      exitCode: exit.exitCode,
      ...timeFields(exit.key),
    });
  }

  private restarted(event: EngineEvent): void {
    this.push({
      kind: 'restart',
      stream: 'daemon',
      text: 'Container restarted',
      plain: 'Container restarted',
      ...timeFields(eventKey(event)),
    });
  }

  private gone(): void {
    this.notice(this.options.subject === 'service' ? 'The service was removed.' : 'The container was removed.');
  }

  /** A notice, unless the same one is the last thing pushed (a retry that fails again says nothing new). */
  private notice(message: string): void {
    const text = stripSgr(cleanTerminalText(message));
    if (this.lastNotice === text) return;
    this.push({ kind: 'notice', stream: 'daemon', text, plain: text });
    this.lastNotice = text;
  }

  private push(entry: Omit<LogEntry, 'seq'>): void {
    if (this.signal.aborted) return;
    this.lastNotice = undefined;
    this.options.buffer.push(entry);
  }
}
