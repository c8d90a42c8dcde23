import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import type { Engine } from '../../src/engine/engine.js';
import { LogBuffer, type LogEntry } from '../../src/engine/log-buffer.js';
import { LogFollower } from '../../src/engine/log-follow.js';
import { docker, removeTestContainers, runContainer, waitFor } from '../support/docker.js';
import { connectTestEngine } from '../support/engine.js';

let engine: Engine;
let store: ContainerStore;
const followers: LogFollower[] = [];

beforeAll(async () => {
  engine = await connectTestEngine();
  // The follower hears die and start the way the app does: from the store's event stream.
  store = new ContainerStore(engine);
  store.start();
  await waitFor(() => store.getSnapshot().loaded, { message: 'the container store to load', timeoutMs: 10_000 });
});

afterEach(() => {
  for (const follower of followers.splice(0)) follower.stop();
});

afterAll(async () => {
  store?.stop();
  await removeTestContainers();
});

/** What each `logs` request of a follower delivered, before the follower's de-duplication. */
type Deliveries = string[][];

async function followLogs(id: string, deliveries: Deliveries = []): Promise<LogBuffer> {
  const { tty } = await engine.inspectContainer(id);
  const buffer = new LogBuffer();
  const tail = 500;
  const recording: Pick<Engine, 'logs' | 'inspectContainer'> = {
    inspectContainer: (...args) => engine.inspectContainer(...args),
    logs: async (...args) => {
      const delivered: string[] = [];
      deliveries.push(delivered);
      const lines = await engine.logs(...args);
      return (async function* () {
        for await (const line of lines) {
          delivered.push(line.text);
          yield line;
        }
      })();
    },
  };
  const follower = new LogFollower(recording, { id, tty, tail, buffer, subscribeEvents: (listener) => store.onEvent(listener) });
  followers.push(follower);
  follower.start();
  return buffer;
}

function shown(buffer: LogBuffer): string[] {
  return buffer.slice().map((e: LogEntry) => (e.kind === 'line' ? `${e.stream}: ${e.plain}` : `[${e.kind}${e.exitCode === undefined ? '' : ` ${e.exitCode}`}] ${e.plain}`));
}

const exits = (buffer: LogBuffer) => buffer.slice().filter((e) => e.kind === 'restart' && e.exitCode !== undefined).length;

describe('LogFollower on the real engine', () => {
  it('marks the exit code, follows the container again after `docker start`, and repeats no line', async () => {
    // Each run counts itself in a file that survives the restart, prints to both streams, and exits 3.
    const script = [
      'n=$(cat /run-count 2>/dev/null || echo 0); n=$((n+1)); echo $n > /run-count',
      'echo "run $n line 1"', 'sleep 0.2', 'echo "run $n line 2" >&2', 'sleep 0.2', 'echo "run $n line 3"',
      'sleep 1.5', 'exit 3',
    ].join('; ');
    const { id } = await runContainer({ cmd: ['sh', '-c', script] });
    const deliveries: Deliveries = [];
    const buffer = await followLogs(id, deliveries);

    await waitFor(() => exits(buffer) === 1, { message: 'the first exit separator', timeoutMs: 15_000 });
    await docker('start', id);
    await waitFor(() => exits(buffer) === 2, { message: 'the second exit separator', timeoutMs: 15_000 });

    expect(shown(buffer)).toEqual([
      'stdout: run 1 line 1',
      'stderr: run 1 line 2',
      'stdout: run 1 line 3',
      '[restart 3] Container exited with code 3',
      '[restart] Container restarted',
      'stdout: run 2 line 1',
      'stderr: run 2 line 2',
      'stdout: run 2 line 3',
      '[restart 3] Container exited with code 3',
    ]);
    // The engine's since is inclusive: attaching again from the last line's time brought that
    // line back, and the follower dropped it.
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.[0]).toBe('run 1 line 3');
    const lines = buffer.slice().filter((e) => e.kind === 'line');
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(line.timeMs).toBe(Date.parse(line.time ?? ''));
    }
    // The separators carry the engine's times: the death after the run's last line, the start
    // after the death. (Not necessarily before the new run's first line: a process can print
    // before the engine announces its start.)
    const times = buffer.slice().map((e) => e.timeMs ?? Number.NaN);
    expect(times[3]).toBeGreaterThanOrEqual(times[2] ?? Number.NaN);
    expect(times[4]).toBeGreaterThanOrEqual(times[3] ?? Number.NaN);
    expect(times[8]).toBeGreaterThanOrEqual(times[7] ?? Number.NaN);
  }, 40_000);

  it('shows a TTY container\'s progress bars and colours as a terminal would, without its control sequences', async () => {
    const script = [
      'printf "downloading 10%%\\r downloading 20%%\\rdownloading 100%%\\n"',
      'printf "\\033[2J\\033[H\\033[1;31mfailed\\033[0m: \\033]0;pwned\\007retry\\n"',
      'printf "tab\\tstop\\n"',
      'sleep 3600',
    ].join('; ');
    const { id } = await runContainer({ args: ['--tty'], cmd: ['sh', '-c', script] });
    const buffer = await followLogs(id);
    await waitFor(() => buffer.length >= 3, { message: 'three lines', timeoutMs: 10_000 });
    expect(buffer.slice().map((e) => e.plain)).toEqual(['downloading 100%', 'failed: retry', 'tab     stop']);
    expect(buffer.at(1)?.text).toBe('\x1b[1;31mfailed\x1b[0m: retry');
  });

  it('gives the daemon\'s reason for a log driver that cannot be read', async () => {
    const { id } = await runContainer({ args: ['--log-driver', 'none'], cmd: ['sh', '-c', 'echo invisible; sleep 3600'] });
    const buffer = await followLogs(id);
    await waitFor(() => buffer.length > 0, { message: 'a notice', timeoutMs: 10_000 });
    expect(buffer.slice()).toEqual([
      expect.objectContaining({ kind: 'notice', stream: 'daemon', plain: 'configured logging driver does not support reading' }),
    ]);
  });
});
