// Property tests for exit codes in plain words and the diagnosis built on them. An exit code is
// whatever the engine recorded: 0-255 from Linux, -1 when it saw none, 32-bit values from Windows
// containers, and anything at all from a broken peer. Every one must be explained, the same way each time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainExitCode, signalName } from '../../src/engine/exit-codes.js';
import { diagnose, type TriageHistory } from '../../src/engine/triage.js';
import type { ContainerDetails, ContainerState, Health } from '../../src/engine/types.js';

/** Linux signal numbers and names (signal(7), x86/arm numbering). */
const LINUX_SIGNALS: ReadonlyArray<[number, string]> = [
  [1, 'SIGHUP'], [2, 'SIGINT'], [3, 'SIGQUIT'], [4, 'SIGILL'], [5, 'SIGTRAP'], [6, 'SIGABRT'], [7, 'SIGBUS'],
  [8, 'SIGFPE'], [9, 'SIGKILL'], [10, 'SIGUSR1'], [11, 'SIGSEGV'], [12, 'SIGUSR2'], [13, 'SIGPIPE'], [14, 'SIGALRM'],
  [15, 'SIGTERM'], [16, 'SIGSTKFLT'], [17, 'SIGCHLD'], [18, 'SIGCONT'], [19, 'SIGSTOP'], [20, 'SIGTSTP'], [21, 'SIGTTIN'],
  [22, 'SIGTTOU'], [23, 'SIGURG'], [24, 'SIGXCPU'], [25, 'SIGXFSZ'], [26, 'SIGVTALRM'], [27, 'SIGPROF'], [28, 'SIGWINCH'],
  [29, 'SIGIO'], [30, 'SIGPWR'], [31, 'SIGSYS'],
];

const integerCode = fc.oneof(
  fc.integer({ min: -1, max: 255 }),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32 - 1, 3221225477, 256, 256 + 137, -129),
);
/** What the type allows beyond integers. */
const oddCode = fc.oneof(fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 137.5, 1e21, -1e-9), fc.double());
const anyCode = fc.oneof(integerCode, oddCode);

describe('explainExitCode (property)', () => {
  it('explains every code in non-empty words without throwing', () => {
    fc.assert(fc.property(anyCode, (code) => {
      const explanation = explainExitCode(code);
      expect(explanation.summary.trim()).not.toBe('');
      expect(explanation.detail.trim()).not.toBe('');
    }), { numRuns: 500 });
  });

  it('gives the same words for the same code', () => {
    fc.assert(fc.property(anyCode, (code) => {
      expect(explainExitCode(code)).toEqual(explainExitCode(code));
    }));
  });

  it('reads 128 + n as death by signal n for every Linux signal', () => {
    fc.assert(fc.property(fc.constantFrom(...LINUX_SIGNALS), ([n, name]) => {
      const explanation = explainExitCode(128 + n);
      expect(signalName(n)).toBe(name);
      expect(explanation.signal).toBe(name);
      expect(explanation.summary).toContain(`(${name})`);
      expect(explanation.detail).toContain(`Signal ${n} (${name})`);
    }));
  });

  it('names a signal only for 129-159', () => {
    fc.assert(fc.property(anyCode, (code) => {
      fc.pre(!(Number.isInteger(code) && code >= 129 && code <= 159));
      expect(explainExitCode(code).signal).toBeUndefined();
    }), { numRuns: 500 });
  });

  it('calls a value that is no integer no exit status, never an application\'s code', () => {
    fc.assert(fc.property(oddCode, (code) => {
      fc.pre(!Number.isInteger(code));
      expect(explainExitCode(code).summary).toBe('no exit status');
    }), { examples: [[Number.NaN], [Infinity], [137.5]] });
  });

  it('explains every negative code as no exit status', () => {
    fc.assert(fc.property(fc.integer({ max: -1 }), (code) => {
      expect(explainExitCode(code).summary).toBe('no exit status');
    }));
  });
});

const NOW = Date.parse('2024-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const time = fc.oneof(
  fc.integer({ min: NOW - 86_400_000, max: NOW + 60_000 }).map(iso),
  fc.constantFrom('0001-01-01T00:00:00Z', '', 'not a time', '2024-13-45T99:99:99Z'),
);
const state = fc.constantFrom<ContainerState>('created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead');

const containerDetails: fc.Arbitrary<ContainerDetails> = fc.record({
  state,
  exitCode: anyCode,
  error: fc.oneof(fc.constant(''), fc.string({ maxLength: 40 })),
  oomKilled: fc.boolean(),
  health: fc.constantFrom<Health>(undefined, 'healthy', 'unhealthy', 'starting'),
  startedAt: time,
  finishedAt: time,
  restartCount: fc.oneof(fc.nat(), oddCode),
  restartPolicy: fc.constantFrom('no', 'always', 'on-failure', 'unless-stopped', ''),
  healthFailingStreak: fc.oneof(fc.nat({ max: 20 }), oddCode),
  healthLog: fc.array(fc.record({ start: time, end: time, exitCode: anyCode, output: fc.string({ maxLength: 30 }) }), { maxLength: 5 }),
  memory: fc.oneof(fc.nat(), oddCode),
}).map(({ memory, ...fields }) => ({
  id: 'c0ffee', name: 'web', image: 'busybox', imageId: 'sha256:1', command: 'sleep 1', entrypoint: '', created: iso(NOW),
  ports: [], mounts: [], labels: {}, tty: false, openStdin: false, env: [], networks: [], raw: {},
  limits: { memory, cpus: 0, cpuShares: 0, pidsLimit: 0 },
  ...fields,
}));

const history: fc.Arbitrary<TriageHistory> = fc.record({
  dies: fc.oneof(fc.nat({ max: 50 }), oddCode),
  restartLooping: fc.boolean(),
  oomAt: fc.option(fc.oneof(fc.integer({ min: NOW - 86_400_000, max: NOW + 60_000 }), oddCode), { nil: undefined }),
  lastExitCode: fc.option(anyCode, { nil: undefined }),
}).map(({ oomAt, lastExitCode, ...rest }) => ({
  ...rest, ...(oomAt !== undefined ? { oomAt } : {}), ...(lastExitCode !== undefined ? { lastExitCode } : {}),
}));

describe('diagnose (property)', () => {
  it('diagnoses any container and history without throwing, with a headline', () => {
    fc.assert(fc.property(containerDetails, history, (details, past) => {
      const diagnosis = diagnose(details, past, NOW);
      expect(diagnosis.headline.trim()).not.toBe('');
      expect(['ok', 'warning', 'error']).toContain(diagnosis.severity);
      for (const line of diagnosis.lines) expect(line.trim()).not.toBe('');
      expect(diagnosis.probes).toHaveLength(details.healthLog.length);
    }), { numRuns: 300 });
  });

  it('is a function of its input: the same container gives the same diagnosis', () => {
    fc.assert(fc.property(containerDetails, history, (details, past) => {
      expect(diagnose(details, past, NOW)).toEqual(diagnose(structuredClone(details), structuredClone(past), NOW));
    }));
  });

  it('heads a stopped container with its exit code explained, and states the code as a fact', () => {
    fc.assert(fc.property(containerDetails, history, (details, past) => {
      fc.pre(details.state === 'exited' || details.state === 'dead' || details.state === 'restarting');
      fc.pre(!(details.exitCode === 137 && details.oomKilled));
      const diagnosis = diagnose(details, past, NOW);
      const explanation = explainExitCode(details.exitCode);
      expect(diagnosis.headline).toContain(`code ${details.exitCode}`);
      expect(diagnosis.headline.endsWith(`: ${explanation.summary}`)).toBe(true);
      expect(diagnosis.facts).toContainEqual({ label: 'Exit code', kind: 'number', value: details.exitCode });
      if (explanation.signal) expect(diagnosis.facts).toContainEqual({ label: 'Signal', kind: 'text', value: explanation.signal });
    }), { numRuns: 300 });
  });

  it('counts an exit other than 0, SIGINT and SIGTERM as an error', () => {
    fc.assert(fc.property(containerDetails, history, (details, past) => {
      fc.pre(details.state === 'exited' && ![0, 130, 143].includes(details.exitCode));
      expect(diagnose(details, past, NOW).severity).toBe('error');
    }));
  });

  it('tells a running container what its last death meant', () => {
    fc.assert(fc.property(containerDetails, history, anyCode, (details, past, lastExitCode) => {
      const diagnosis = diagnose({ ...details, state: 'running' }, { ...past, lastExitCode }, NOW);
      expect(diagnosis.lines).toContain(`It last died with exit code ${lastExitCode}: ${explainExitCode(lastExitCode).summary}.`);
    }));
  });
});
