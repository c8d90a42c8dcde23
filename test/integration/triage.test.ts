// Triage on a real engine: what the engine reports for each way a container goes wrong, read
// through DockerEngine, the event stream and diagnose(), and the last log lines before it exited.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { tailLogLines, type LogLine } from '../../src/engine/log-stream.js';
import { RestartHistory } from '../../src/engine/restart-history.js';
import { diagnose, type Fact } from '../../src/engine/triage.js';
import { docker, inspect, runContainer, waitFor, type RunContainerOptions } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

const MIB = 1024 * 1024;

let engine: Engine;
const history = new RestartHistory();
const events = new AbortController();
/** Only this file's containers are removed afterwards: other suites may be running theirs. */
const created: string[] = [];

beforeAll(async () => {
  engine = await connectTestEngine();
  const stream = await engine.openEvents(events.signal);
  void (async () => {
    for await (const event of stream) history.record(event);
  })();
});

afterAll(async () => {
  events.abort();
  if (created.length > 0) await docker('rm', '--force', ...created);
});

async function run(options: RunContainerOptions): Promise<string> {
  const name = options.name ?? `dh-triage-${randomBytes(4).toString('hex')}`;
  created.push(name);
  return (await runContainer({ ...options, name })).id;
}

async function exitedContainer(options: RunContainerOptions): Promise<string> {
  const id = await run(options);
  await waitFor(async () => (await inspect(id)).State.Status === 'exited', { timeoutMs: 15_000, message: `${id} to exit` });
  return id;
}

function fact(facts: Fact[], label: string): Fact | undefined {
  return facts.find((f) => f.label === label);
}

function signal(): AbortSignal {
  return AbortSignal.timeout(10_000);
}

describe('diagnose on the real engine', () => {
  it('tells an out-of-memory kill, with the 16MiB limit, and the events remember it', async () => {
    const id = await exitedContainer({ args: ['--memory', '16m'], cmd: ['sh', '-c', 'x=a; while :; do x=$x$x; done'] });
    const details = await engine.inspectContainer(id);
    expect(details).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true, limits: { memory: 16 * MIB } });
    await waitFor(() => history.lastDies(id).length === 1, { message: 'the die event' });
    expect(history.lastOom(id)).toBeDefined();
    expect(history.lastDies(id)[0]?.exitCode).toBe(137);

    const diagnosis = diagnose(details, history.forTriage(id, Date.now()), Date.now());
    expect(diagnosis.severity).toBe('error');
    expect(diagnosis.headline).toBe('Exited with code 137: killed by the out-of-memory killer');
    expect(fact(diagnosis.facts, 'Memory limit')).toEqual({ label: 'Memory limit', kind: 'bytes', value: 16 * MIB });
    expect(fact(diagnosis.facts, 'Ran for')).toMatchObject({ kind: 'duration' });
  });

  it('shows a command that does not exist: 127, not found, and the engine\'s words', async () => {
    const name = `dh-triage-nosuch-${randomBytes(4).toString('hex')}`;
    // `docker run` itself fails (exit 127), but the container stays behind, created and never started.
    await expect(run({ name, cmd: ['nosuch'] })).rejects.toThrow(/executable file not found/);
    const details = await engine.inspectContainer(name);
    expect(details).toMatchObject({ state: 'created', exitCode: 127, oomKilled: false });
    expect(details.error).toContain('exec: "nosuch": executable file not found in $PATH');

    const diagnosis = diagnose(details, history.forTriage(details.id, Date.now()), Date.now());
    expect(diagnosis.severity).toBe('error');
    expect(diagnosis.headline).toBe('Could not start (exit code 127): command not found');
    expect(diagnosis.engineError).toBe(details.error);
  });

  it('shows an unhealthy container\'s failing streak and its probe output with the exit code', async () => {
    const id = await run({ args: ['--health-cmd', 'echo probe-out; exit 1', '--health-interval', '1s', '--health-retries', '1'] });
    const details = await waitFor(async () => {
      const current = await engine.inspectContainer(id);
      return current.health === 'unhealthy' && current;
    }, { timeoutMs: 15_000, message: 'the container to turn unhealthy' });

    const diagnosis = diagnose(details, history.forTriage(id, Date.now()), Date.now());
    expect(diagnosis.severity).toBe('error');
    expect(diagnosis.headline).toMatch(/^Unhealthy: its health check failed \d+ times in a row$/);
    expect(fact(diagnosis.facts, 'Failing checks')).toMatchObject({ value: expect.any(Number) });
    expect(diagnosis.probes.length).toBeGreaterThan(0);
    expect(diagnosis.probes.at(-1)).toMatchObject({ exitCode: 1, timedOut: false, output: 'probe-out', at: expect.any(Number) });
  });

  it('tells a docker kill (137) from an out-of-memory kill', async () => {
    const id = await run({});
    await docker('kill', id);
    await waitFor(async () => (await inspect(id)).State.Status === 'exited', { message: 'the killed container to exit' });
    const details = await engine.inspectContainer(id);
    expect(details).toMatchObject({ exitCode: 137, oomKilled: false });
    await waitFor(() => history.lastDies(id).length === 1, { message: 'the die event' });
    expect(history.lastOom(id)).toBeUndefined();

    const diagnosis = diagnose(details, history.forTriage(id, Date.now()), Date.now());
    expect(diagnosis.headline).toBe('Exited with code 137: killed (SIGKILL)');
    expect(diagnosis.lines[0]).toMatch(/not by the out-of-memory killer/);
    expect(fact(diagnosis.facts, 'Signal')).toMatchObject({ value: 'SIGKILL' });
    expect(fact(diagnosis.facts, 'Memory limit')).toBeUndefined();
  });

  it('sees a restart loop in the die events, with the exit code inspect has already reset', async () => {
    const id = await run({ args: ['--restart', 'always'], cmd: ['sh', '-c', 'exit 3'] });
    await waitFor(() => history.isRestartLooping(id, Date.now()), { timeoutMs: 15_000, message: 'three deaths' });
    expect(history.lastDies(id).every((death) => death.exitCode === 3)).toBe(true);

    const details = await engine.inspectContainer(id);
    const diagnosis = diagnose(details, history.forTriage(id, Date.now()), Date.now());
    expect(diagnosis.severity).toBe('error');
    expect([diagnosis.headline, ...diagnosis.lines].join('\n')).toMatch(/Restart loop: it died \d+ times in the last 10 minutes/);
    expect(fact(diagnosis.facts, 'Restart policy')).toMatchObject({ value: 'always' });
  });
});

describe('logs on the real engine', () => {
  const text = (lines: LogLine[]) => lines.map(({ stream, text }) => ({ stream, text }));

  it('returns the last lines before it exited, stdout and stderr in order, stderr marked', async () => {
    // The pauses make the order certain: the engine copies stdout and stderr concurrently.
    const script = 'echo out1; usleep 200000; echo err1 >&2; usleep 200000; echo out2; usleep 200000; echo err2 >&2; exit 3';
    const id = await exitedContainer({ cmd: ['sh', '-c', script] });
    const lines = await tailLogLines(engine, id, false, 20, signal());
    expect(text(lines)).toEqual([
      { stream: 'stdout', text: 'out1' },
      { stream: 'stderr', text: 'err1' },
      { stream: 'stdout', text: 'out2' },
      { stream: 'stderr', text: 'err2' },
    ]);
    expect(lines.every((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(line.time ?? ''))).toBe(true);
    expect(text(await tailLogLines(engine, id, false, 1, signal()))).toEqual([{ stream: 'stderr', text: 'err2' }]);
  });

  it('joins a 40 KiB line the engine split into 16 KiB messages', async () => {
    const id = await exitedContainer({ cmd: ['sh', '-c', "head -c 40960 /dev/zero | tr '\\0' x; echo needle; echo after"] });
    const lines = await tailLogLines(engine, id, false, 20, signal());
    expect(lines.map((line) => line.text)).toEqual([`${'x'.repeat(40960)}needle`, 'after']);
  });

  it('reads a TTY container\'s raw output as lines', async () => {
    const id = await exitedContainer({ args: ['-t'], cmd: ['sh', '-c', 'echo tty1; echo tty2 >&2'] });
    const details = await engine.inspectContainer(id);
    expect(details.tty).toBe(true);
    const lines = await tailLogLines(engine, id, details.tty, 20, signal());
    expect(text(lines)).toEqual([{ stream: 'stdout', text: 'tty1' }, { stream: 'stdout', text: 'tty2' }]);
  });

  it('follows new lines and stops when the signal aborts', async () => {
    const id = await run({ cmd: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo line$i; usleep 100000; done'] });
    const controller = new AbortController();
    const seen: string[] = [];
    const stream = await engine.logs(id, { tail: 0, follow: true, timestamps: false, tty: false }, controller.signal);
    for await (const line of stream) {
      seen.push(line.text);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toHaveLength(3);
    expect(seen.every((line) => /^line\d+$/.test(line))).toBe(true);
  });

  it('rejects with the engine\'s reason when the log driver cannot be read', async () => {
    const id = await exitedContainer({ args: ['--log-driver', 'none'], cmd: ['echo', 'hi'] });
    await expect(engine.logs(id, { tail: 20, follow: false, timestamps: false, tty: false }, signal()))
      .rejects.toThrow(/does not support reading/);
  });
});
