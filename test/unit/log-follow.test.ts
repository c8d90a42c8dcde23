import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { EngineRequestError } from '../../src/engine/errors.js';
import { LogBuffer, type LogEntry } from '../../src/engine/log-buffer.js';
import { LogFollower, SINCE_PRESETS, type LogFollowerOptions } from '../../src/engine/log-follow.js';
import type { LogLine, LogOptions } from '../../src/engine/log-stream.js';
import type { ContainerDetails, ContainerState, EngineEvent } from '../../src/engine/types.js';
import { waitFor } from '../support/docker.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

const ID = 'c0ffee'.padEnd(64, '0');

/** One open `logs` stream of the fake: lines are pushed by the test, and it ends or fails when told. */
class FakeLogStream implements AsyncIterable<LogLine> {
  private queue: LogLine[] = [];
  private done = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  aborted = false;

  constructor(readonly options: LogOptions, private readonly signal: AbortSignal, private readonly onClose: () => void) {
    signal.addEventListener('abort', () => {
      this.aborted = true;
      this.finish();
    }, { once: true });
  }

  get open(): boolean {
    return !this.done;
  }

  push(...lines: LogLine[]): void {
    this.queue.push(...lines);
    this.wake?.();
  }

  end(): void {
    this.finish();
  }

  fail(error: Error): void {
    this.failure = error;
    this.finish();
  }

  private finish(): void {
    if (!this.done) {
      this.done = true;
      this.onClose();
    }
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LogLine> {
    try {
      for (;;) {
        const line = this.queue.shift();
        if (line) {
          yield line;
          continue;
        }
        if (this.signal.aborted) return;
        if (this.failure) throw this.failure;
        if (this.done) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
      }
    } finally {
      this.finish();
    }
  }
}

/** The two calls a follower makes, scripted: every `logs` call opens a FakeLogStream the test drives. */
class FakeLogEngine implements Pick<Engine, 'logs' | 'inspectContainer'> {
  readonly streams: FakeLogStream[] = [];
  openStreams = 0;
  maxOpenStreams = 0;
  inspects = 0;
  /** Refusals for the next logs calls, in order. */
  refusals: Error[] = [];
  /** Refuse every logs call with this (a driver that can never be read). */
  refuseAlways: Error | undefined;
  state: ContainerState = 'running';
  exitCode = 0;
  finishedAt = '0001-01-01T00:00:00Z';
  /** Lines every new stream starts with (the engine's answer to `tail`/`since`). */
  nextStreamLines: LogLine[] = [];
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  async logs(_id: string, options: LogOptions, signal: AbortSignal): Promise<AsyncIterable<LogLine>> {
    const refusal = this.refusals.shift() ?? this.refuseAlways;
    this.requests.push(options);
    if (refusal) throw refusal;
    this.openStreams += 1;
    this.maxOpenStreams = Math.max(this.maxOpenStreams, this.openStreams);
    const stream = new FakeLogStream(options, signal, () => { this.openStreams -= 1; });
    stream.push(...this.nextStreamLines);
    this.nextStreamLines = [];
    this.streams.push(stream);
    return stream;
  }

  readonly requests: LogOptions[] = [];

  async inspectContainer(): Promise<ContainerDetails> {
    this.inspects += 1;
    return { state: this.state, exitCode: this.exitCode, finishedAt: this.finishedAt } as ContainerDetails;
  }

  get current(): FakeLogStream {
    const stream = this.streams[this.streams.length - 1];
    if (!stream) throw new Error('no logs stream was opened');
    return stream;
  }

  subscribe = (listener: (event: EngineEvent) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get subscribers(): number {
    return this.listeners.size;
  }

  emit(action: string, attributes: Record<string, string> = {}, timeNano = `${BigInt(Date.now()) * 1_000_000n}`, id = ID): void {
    const event: EngineEvent = {
      type: 'container', action, id, attributes: { name: 'web', image: 'busybox', ...attributes },
      time: Number(BigInt(timeNano) / 1_000_000_000n), timeNano,
    };
    for (const listener of [...this.listeners]) listener(event);
  }
}

function stdout(time: string, text: string): LogLine {
  return { stream: 'stdout', text, time };
}

const followers: LogFollower[] = [];

function follow(engine: FakeLogEngine, options: Partial<LogFollowerOptions> = {}) {
  const buffer = options.buffer ?? new LogBuffer();
  const follower = new LogFollower(engine, {
    id: ID, tty: false, tail: 500, buffer, subscribeEvents: engine.subscribe, dieGraceMs: 50, retryDelayMs: 20, ...options,
  });
  followers.push(follower);
  follower.start();
  return { follower, buffer };
}

afterEach(() => {
  for (const follower of followers.splice(0)) follower.stop();
});

const until = (what: string, fn: () => unknown, timeoutMs = 3_000) => waitFor(() => Boolean(fn()), { message: what, timeoutMs, intervalMs: 5 });

/** What the view sees, one string per entry. */
function shown(buffer: LogBuffer): string[] {
  return buffer.slice().map((e: LogEntry) => (e.kind === 'line' ? `${e.stream}: ${e.text}` : `[${e.kind}${e.exitCode === undefined ? '' : ` ${e.exitCode}`}] ${e.text}`));
}

describe('SINCE_PRESETS', () => {
  it('offers 1m, 5m, 15m, 1h, 24h and all', () => {
    expect(SINCE_PRESETS.map((p) => [p.label, p.seconds])).toEqual([
      ['1m', 60], ['5m', 300], ['15m', 900], ['1h', 3600], ['24h', 86400], ['all', undefined],
    ]);
  });
});

describe('LogFollower', () => {
  it('asks for the tail, followed, with timestamps, and pushes cleaned lines', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine, { tty: true, tail: 200 });
    await until('the stream', () => engine.streams.length === 1);
    expect(engine.requests[0]).toEqual({ tail: 200, follow: true, timestamps: true, tty: true });
    engine.current.push(
      stdout('2024-05-01T10:00:00.123456789Z', '\x1b[2J\x1b[H\x1b[32mready 10%\r100%'),
      { stream: 'stderr', text: 'warn\tslow', time: '2024-05-01T10:00:01Z' },
    );
    await until('two lines', () => buffer.length === 2);
    expect(buffer.at(0)).toEqual({
      seq: 0, kind: 'line', stream: 'stdout', text: '\x1b[32m100%', plain: '100%',
      time: '2024-05-01T10:00:00.123456789Z', timeMs: Date.parse('2024-05-01T10:00:00.123Z'),
    });
    expect(buffer.at(1)).toMatchObject({ kind: 'line', stream: 'stderr', text: 'warn    slow', plain: 'warn    slow' });
  });

  it('passes a since preset relative to start() and an until as seconds', async () => {
    const engine = new FakeLogEngine();
    const untilMs = Date.now() + 60_000;
    const before = Date.now() / 1000;
    follow(engine, { sinceSeconds: 300, untilMs });
    await until('the stream', () => engine.streams.length === 1);
    const request = engine.requests[0];
    expect(request?.until).toBe(untilMs / 1000);
    expect(request?.since).toBeGreaterThanOrEqual(Math.floor(before - 300) - 1);
    expect(request?.since).toBeLessThanOrEqual(Date.now() / 1000 - 300 + 1);
    expect(request?.tail).toBe(500);
  });

  it('marks the death with its exit code, and after a start continues without duplicates', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    engine.current.push(
      stdout('2024-05-01T10:00:00.5Z', 'first'),
      stdout('2024-05-01T10:00:01.000000700Z', 'same time A'),
      stdout('2024-05-01T10:00:01.000000700Z', 'same time B'),
    );
    await until('the first run', () => buffer.length === 3);
    engine.emit('die', { exitCode: '3' }, '1714557602000000000');
    engine.current.end();
    await until('the exit separator', () => buffer.length === 4);
    expect(buffer.at(3)).toMatchObject({
      kind: 'restart', stream: 'daemon', exitCode: 3, text: 'Container exited with code 3', plain: 'Container exited with code 3',
      time: '2024-05-01T10:00:02.000000000Z', timeMs: Date.parse('2024-05-01T10:00:02Z'),
    });
    expect(engine.inspects).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.streams).toHaveLength(1);

    // The engine's since is inclusive: the new stream starts with lines the follower has.
    engine.nextStreamLines = [
      stdout('2024-05-01T10:00:01.000000500Z', 'earlier, same microsecond'),
      stdout('2024-05-01T10:00:01.000000700Z', 'same time A'),
      stdout('2024-05-01T10:00:01.000000700Z', 'same time B'),
      stdout('2024-05-01T10:00:01.000000700Z', 'same time C, new'),
      stdout('2024-05-01T10:00:05Z', 'second run'),
      stdout('2024-05-01T10:00:05Z', 'second run'),
    ];
    engine.emit('start', {}, '1714557604000000000');
    await until('the second run', () => buffer.length === 8);
    expect(engine.requests[1]).toEqual({ tail: -1, follow: true, timestamps: true, tty: false, since: 1714557601.000000 });
    expect(shown(buffer)).toEqual([
      'stdout: first',
      'stdout: same time A',
      'stdout: same time B',
      '[restart 3] Container exited with code 3',
      '[restart] Container restarted',
      'stdout: same time C, new',
      'stdout: second run',
      'stdout: second run',
    ]);
    expect(buffer.at(4)).toMatchObject({ kind: 'restart', text: 'Container restarted', timeMs: Date.parse('2024-05-01T10:00:04Z') });
    expect(buffer.at(4)?.exitCode).toBeUndefined();
    expect(engine.maxOpenStreams).toBe(1);
  });

  it('asks inspect for the exit code when no die event comes (the container had already stopped)', async () => {
    const engine = new FakeLogEngine();
    engine.state = 'exited';
    engine.exitCode = 137;
    engine.finishedAt = '2024-05-01T10:00:09.25Z';
    engine.nextStreamLines = [stdout('2024-05-01T10:00:08Z', 'Killed')];
    const { buffer } = follow(engine);
    // Following a stopped container, the engine sends what there is and ends the stream.
    await until('the stream', () => engine.streams.length === 1);
    engine.current.end();
    await until('the separator', () => buffer.length === 2);
    expect(engine.inspects).toBe(1);
    expect(buffer.at(1)).toMatchObject({ kind: 'restart', exitCode: 137, time: '2024-05-01T10:00:09.250000000Z' });
    // A start event makes it attach again, from the last line.
    engine.state = 'running';
    engine.emit('start');
    await until('the second stream', () => engine.streams.length === 2);
    expect(engine.requests[1]).toMatchObject({ tail: -1, since: 1714557608 });
    expect(shown(buffer)).toEqual(['stdout: Killed', '[restart 137] Container exited with code 137', '[restart] Container restarted']);
  });

  it('continues from the stop time when the run printed nothing', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine, { sinceSeconds: 60 });
    await until('the stream', () => engine.streams.length === 1);
    engine.emit('die', { exitCode: '1' }, '1714557602123456789');
    engine.current.end();
    await until('the separator', () => buffer.length === 1);
    engine.emit('start');
    await until('the second stream', () => engine.streams.length === 2);
    expect(engine.requests[1]).toMatchObject({ tail: -1, since: 1714557602.123456 });
  });

  it('handles a restart policy: die and start both arrive before the stream ends', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    engine.current.push(stdout('2024-05-01T10:00:00Z', 'crash'));
    await until('the line', () => buffer.length === 1);
    engine.emit('die', { exitCode: '2' });
    engine.emit('start');
    engine.current.end();
    await until('the second stream', () => engine.streams.length === 2);
    expect(shown(buffer)).toEqual(['stdout: crash', '[restart 2] Container exited with code 2', '[restart] Container restarted']);
    expect(engine.maxOpenStreams).toBe(1);
  });

  it('ignores events of other containers', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    engine.emit('die', { exitCode: '9' }, undefined, 'other'.padEnd(64, '1'));
    engine.emit('start', {}, undefined, 'other'.padEnd(64, '1'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(buffer.length).toBe(0);
    expect(engine.streams).toHaveLength(1);
    expect(engine.current.open).toBe(true);
  });

  it('shows the daemon\'s reason when the log cannot be read, once, and does not retry until the container starts', async () => {
    const engine = new FakeLogEngine();
    // What docker-modem makes of the none driver's answer on a stream request.
    engine.refuseAlways = new EngineRequestError('(HTTP code 501) unexpected - configured logging driver does not support reading ', 501);
    const { buffer } = follow(engine);
    await until('the notice', () => buffer.length === 1);
    expect(buffer.at(0)).toMatchObject({
      kind: 'notice', stream: 'daemon', text: 'configured logging driver does not support reading', plain: 'configured logging driver does not support reading',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(engine.requests).toHaveLength(1);
    engine.emit('start');
    await until('a second try', () => engine.requests.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.requests).toHaveLength(2);
    expect(buffer.length).toBe(1);
  });

  it('retries a broken connection with a growing delay, not in a tight loop', async () => {
    const engine = new FakeLogEngine();
    engine.refuseAlways = new EngineRequestError('connect ECONNREFUSED /var/run/docker.sock');
    const { buffer } = follow(engine, { retryDelayMs: 20, maxRetryDelayMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // 20 + 40 + 80 + 160 ms: about five attempts in 400 ms, where a tight loop would make thousands.
    expect(engine.requests.length).toBeGreaterThanOrEqual(3);
    expect(engine.requests.length).toBeLessThanOrEqual(6);
    expect(shown(buffer)).toEqual(['[notice] connect ECONNREFUSED /var/run/docker.sock']);
    engine.refuseAlways = undefined;
    await until('the stream', () => engine.streams.length === 1, 3_000);
  });

  it('stops at a 404: the container is gone', async () => {
    const engine = new FakeLogEngine();
    engine.refuseAlways = new EngineRequestError(`(HTTP code 404) no such container - No such container: ${ID} `, 404);
    const { buffer } = follow(engine);
    await until('the notice', () => buffer.length === 1);
    expect(buffer.at(0)?.text).toBe(`No such container: ${ID}`);
    engine.emit('start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.requests).toHaveLength(1);
  });

  it('attaches again from the last line when the stream ends while the container runs', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    engine.current.push(stdout('2024-05-01T10:00:00.000001Z', 'one'));
    await until('the line', () => buffer.length === 1);
    engine.nextStreamLines = [stdout('2024-05-01T10:00:00.000001Z', 'one'), stdout('2024-05-01T10:00:01Z', 'two')];
    engine.current.fail(new Error('socket hang up'));
    await until('the second stream', () => engine.streams.length === 2);
    await until('the new line', () => buffer.length === 2);
    expect(shown(buffer)).toEqual(['stdout: one', 'stdout: two']);
    expect(engine.inspects).toBe(1);
    expect(engine.requests[1]).toMatchObject({ tail: -1, since: 1714557600.000001 });
  });

  it('says so when the container is removed, and stops', async () => {
    const engine = new FakeLogEngine();
    const { buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    engine.emit('die', { exitCode: '137' });
    engine.current.end();
    await until('the separator', () => buffer.length === 1);
    engine.emit('destroy');
    await until('the notice', () => buffer.length === 2);
    expect(shown(buffer)).toEqual(['[restart 137] Container exited with code 137', '[notice] The container was removed.']);
    engine.emit('start');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(engine.streams).toHaveLength(1);
  });

  it('stop() aborts the open stream, unsubscribes, and pushes nothing more', async () => {
    const engine = new FakeLogEngine();
    const { follower, buffer } = follow(engine);
    await until('the stream', () => engine.streams.length === 1);
    expect(engine.subscribers).toBe(1);
    follower.stop();
    expect(engine.current.aborted).toBe(true);
    expect(engine.subscribers).toBe(0);
    engine.current.push(stdout('2024-05-01T10:00:00Z', 'late'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(buffer.length).toBe(0);
    expect(engine.openStreams).toBe(0);
    expect(engine.inspects).toBe(0);
  });

  it('with an until in the past, ends with the log and attaches no more', async () => {
    const engine = new FakeLogEngine();
    engine.nextStreamLines = [stdout('2024-05-01T10:00:00Z', 'old')];
    const { buffer } = follow(engine, { untilMs: Date.now() - 1_000 });
    await until('the line', () => buffer.length === 1);
    engine.current.end();
    engine.emit('start');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engine.streams).toHaveLength(1);
    expect(engine.inspects).toBe(0);
  });

  it('reads the shared FakeEngine (the Engine interface) with ContainerStore events', async () => {
    const fake = new FakeEngine();
    const row = makeContainer({ name: 'web' });
    fake.setContainers([row]);
    fake.setLogs('web', [
      { stream: 'stdout', text: '\x1b[1mboot\x1b[0m', time: '2024-05-01T10:00:00Z' },
      { stream: 'stderr', text: 'oops', time: '2024-05-01T10:00:01Z' },
    ]);
    const store = new ContainerStore(fake);
    store.start();
    try {
      const buffer = new LogBuffer();
      const follower = new LogFollower(fake, { id: row.id, tty: false, tail: 10, buffer, subscribeEvents: (l) => store.onEvent(l) });
      followers.push(follower);
      follower.start();
      await until('the lines', () => buffer.length === 2);
      expect(buffer.slice().map((e) => [e.stream, e.plain])).toEqual([['stdout', 'boot'], ['stderr', 'oops']]);
    } finally {
      store.stop();
    }
  });

  describe('a flood of lines', () => {
    it('keeps the buffer bounded and the event loop answering through 200,000 lines', async () => {
      const TOTAL = 200_000;
      const engine = new FakeLogEngine();
      const buffer = new LogBuffer({ maxLines: 10_000 });
      // The stream hands out lines as fast as they are pulled, never waiting on I/O: only the
      // follower's own pauses can let anything else run.
      let produced = 0;
      engine.logs = async (_id, options, signal) => {
        engine.requests.push(options);
        if (engine.requests.length > 1) {
          return (async function* () {
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          })();
        }
        return (async function* () {
          const base = Date.parse('2024-05-01T10:00:00Z') / 1000;
          for (; produced < TOTAL; produced++) {
            const seconds = base + Math.floor(produced / 20_000);
            const nanos = String((produced % 20_000) * 50_000).padStart(9, '0');
            const iso = new Date(seconds * 1000).toISOString().replace('.000Z', `.${nanos}Z`);
            yield { stream: 'stdout', text: `\x1b[32mINFO\x1b[0m request ${produced} served in 3ms\r`, time: iso } satisfies LogLine;
          }
        })();
      };

      let maxGap = 0;
      let ticks = 0;
      let last = performance.now();
      let ticking = true;
      const tick = () => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks += 1;
        if (ticking) setTimeout(tick, 1);
      };
      setTimeout(tick, 1);

      // A collection before each reading, so the figures are what is kept, not garbage not yet collected.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      follow(engine, { buffer });
      await until('all lines', () => produced === TOTAL && buffer.dropped + buffer.length === TOTAL, 30_000);
      const elapsed = performance.now() - started;
      ticking = false;
      gc();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

      expect(buffer.length).toBe(10_000);
      expect(buffer.dropped).toBe(TOTAL - 10_000);
      expect(buffer.at(0)?.plain).toBe(`INFO request ${TOTAL - 10_000} served in 3ms`);
      expect(buffer.at(9_999)?.plain).toBe(`INFO request ${TOTAL - 1} served in 3ms`);
      // Timers kept running while 200,000 lines went through: a follower that never yields would
      // hold the loop for the whole flood and no timer would fire in between. Counted, not timed.
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(buffer.bytes).toBeLessThanOrEqual(buffer.maxBytes);
      // 10,000 kept lines of ~80 characters are a few MB; keeping all 200,000 would be 20 times that.
      expect(heapGrowth).toBeLessThan(24 * 1024 * 1024);
      console.log(`200k lines: ${elapsed.toFixed(0)} ms (${Math.round(TOTAL / (elapsed / 1000))} lines/s), longest event-loop gap ${maxGap.toFixed(1)} ms, heap +${(heapGrowth / 1e6).toFixed(1)} MB`);
    });
  });
});
