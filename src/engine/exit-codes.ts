// Exit codes in plain words. A container's exit code is its main process's exit status, with the
// shell's convention for deaths by signal (128 + n) and a few codes Docker itself sets (125-127).

/** Linux signal names by number (x86 and arm numbering; 32 and up are real-time signals). */
const SIGNAL_NAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** What a death by the signal usually means: a short phrase, then where it tends to come from. */
const SIGNAL_MEANINGS: Readonly<Record<string, readonly [short: string, cause: string]>> = {
  SIGHUP: ['hung up', 'its terminal or controlling process went away'],
  SIGINT: ['interrupted', 'Ctrl-C, or docker stop with an image that sets STOPSIGNAL SIGINT'],
  SIGQUIT: ['quit', 'Ctrl-\\ or a quit request; the process may have dumped core'],
  SIGILL: ['illegal instruction', 'a binary built for another CPU, or a crash'],
  SIGTRAP: ['trace trap', 'a debugger breakpoint or a deliberate trap in the program'],
  SIGABRT: ['aborted', 'a failed assert or a call to abort() in the program'],
  SIGBUS: ['bus error', 'a bad memory access, e.g. to a truncated memory-mapped file'],
  SIGFPE: ['arithmetic error', 'e.g. an integer division by zero'],
  SIGKILL: ['killed', 'docker kill, docker stop after its timeout, or the out-of-memory killer'],
  SIGUSR1: ['user signal 1', 'a SIGUSR1 the program does not handle'],
  SIGSEGV: ['segmentation fault', 'the program accessed memory it may not (a crash)'],
  SIGUSR2: ['user signal 2', 'a SIGUSR2 the program does not handle'],
  SIGPIPE: ['broken pipe', 'it wrote to a pipe or socket whose reader had gone'],
  SIGALRM: ['alarm', 'a timer the program set expired and it does not handle the alarm'],
  SIGTERM: ['terminated', 'docker stop, or another polite request to stop'],
  SIGXCPU: ['CPU time limit exceeded', 'it reached its CPU time ulimit'],
  SIGXFSZ: ['file size limit exceeded', 'it reached its file size ulimit'],
  SIGSYS: ['bad system call', 'a system call the kernel or the seccomp profile refused'],
};

/** Exit statuses above 128 mean "killed by signal status - 128" for the signals that exist. */
const SIGNAL_BASE = 128;

export interface ExitCodeExplanation {
  /** A few words, lower case, to follow "Exited with code N: " */
  summary: string;
  /** One or two sentences a user can act on. */
  detail: string;
  /** The signal that ended the process, when the code says so (137 → SIGKILL). */
  signal?: string;
}

/** The Linux name of signal n (9 → SIGKILL), or undefined outside 1..31. */
export function signalName(n: number): string | undefined {
  return Number.isInteger(n) && n >= 1 ? SIGNAL_NAMES[n] : undefined;
}

const FIXED: Readonly<Record<number, ExitCodeExplanation>> = {
  0: { summary: 'finished successfully', detail: 'The main process ended on its own and reported success.' },
  1: {
    summary: 'application error',
    detail: 'The application reported a general error; its last log lines usually say which.',
  },
  2: {
    summary: 'usage error',
    detail: 'A shell builtin was misused or the program was called with wrong arguments: check the command.',
  },
  125: {
    summary: 'Docker could not run it',
    detail: 'docker run or the daemon failed before the command ran (an invalid option, or a daemon error).',
  },
  126: {
    summary: 'command cannot be invoked',
    detail: 'The command exists but could not be run: it is not executable, or permission was denied.',
  },
  127: {
    summary: 'command not found',
    detail: 'The command does not exist in the container: check the command, the entrypoint and PATH '
      + '(a bind mount over its directory can also hide it).',
  },
  128: {
    summary: 'invalid exit argument',
    detail: 'The program called exit with an invalid value, or the container failed to start for a reason '
      + 'the engine could not tell.',
  },
  255: {
    summary: 'exit status out of range',
    detail: 'The program exited with -1 or a value above 255 (exit statuses wrap around at 256).',
  },
};

/** The exit code in plain words: what happened and what usually causes it. */
export function explainExitCode(code: number): ExitCodeExplanation {
  const fixed = FIXED[code];
  if (fixed) return fixed;
  if (code < 0 || !Number.isInteger(code)) {
    // The engine records -1 when it never saw an exit status: a health probe that timed out or
    // could not run, or a process the engine lost track of. NaN or a fraction is no status either
    // (a broken peer), and calling it application-defined would send the user to the app's docs.
    return {
      summary: 'no exit status',
      detail: 'The engine saw no exit status: the process timed out, could not be run, or was lost track of.',
    };
  }
  const signal = signalName(code - SIGNAL_BASE);
  if (signal) {
    const [short, cause] = SIGNAL_MEANINGS[signal] ?? ['killed by a signal', 'a signal the program does not handle'];
    return {
      summary: `${short} (${signal})`,
      detail: `Signal ${code - SIGNAL_BASE} (${signal}) ended the process (${code} = 128 + ${code - SIGNAL_BASE}): ${cause}.`,
      signal,
    };
  }
  return {
    summary: 'application-defined',
    detail: `Exited with code ${code} (application-defined): its documentation or last log lines say what it means.`,
  };
}

/** The exit code Docker records for a start it refused for any reason but the command's. */
export const REFUSED_START_EXIT = 128;

/**
 * The exit code the docker CLI gives a run whose start the engine refused because of the command,
 * read from the engine's words as the CLI reads them: 127 when the command was not found, 126 when
 * it could not be invoked; undefined for any other refusal. Docker also records the code in the
 * container's state, but Podman records nothing (the container stays created with exit code 0), so
 * the answer to the start is all there is.
 */
export function refusedStartExitCode(engineMessage: string): 126 | 127 | undefined {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(engineMessage)) return 127;
  if (/permission denied|is a directory/.test(engineMessage)) return 126;
  return undefined;
}
