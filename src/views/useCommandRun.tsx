import { useEffect, useRef, useState } from 'react';
import { CommandRun, type CommandOutcome } from '../engine/compose.js';
import type { OutputRun } from '../engine/output-log.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { CommandOutput } from './CommandOutput.js';
import { commandFor } from './keymap.js';
import { COMMAND_WORDS, outputScreen, type RunWords } from './project-lines.js';

interface OutputState {
  argv: readonly string[];
  /** First output line shown; undefined follows the end */
  offset: number | undefined;
  cancelling: boolean;
}

/** Output lines reach the screen at most this often: a pull can print hundreds a second. */
const OUTPUT_REDRAW_MS = 100;

export interface CommandOutputPane {
  /** The whole body, `height` rows: known only once a dialog's rows are */
  render(height: number): React.ReactNode;
  /** False for keys it leaves to the app (help, quit) */
  handleKey(name: string, input: string): boolean;
  hints: string;
}

/** The run on screen with the words for its kind, its outcome type no longer needed once paired. */
interface ShownRun {
  run: OutputRun<unknown>;
  words: RunWords<unknown>;
}

/**
 * One run at a time with its output in a pane: a command run from an argv list (never a shell),
 * or anything else with output and an outcome (a build), shown under the command line that does
 * the same. The output follows its end; how it ended at the bottom. Esc cancels it while it runs
 * and closes the pane once it has ended.
 */
export function useCommandRun(width: number) {
  const [output, getOutput, setState] = useLatestState<{ pane: OutputState | undefined }>({ pane: undefined });
  const run = useRef<ShownRun | undefined>(undefined);
  const [, setVersion] = useState(0);
  const rowsRef = useRef(1);
  const setPane = (pane: OutputState | undefined) => setState({ pane });

  /** Shows `started` under `argv`, the command line that does the same. */
  const follow = <Outcome,>(argv: readonly string[], started: OutputRun<Outcome>, words: RunWords<Outcome>, onDone: (outcome: Outcome) => void) => {
    run.current = { run: started, words: { ...words, ended: (outcome) => words.ended(outcome as Outcome) } };
    setPane({ argv, offset: undefined, cancelling: false });
    void started.done.then((outcome) => {
      setVersion((v) => v + 1);
      onDone(outcome);
    });
  };

  const start = (argv: readonly string[], options: ConstructorParameters<typeof CommandRun>[1], onDone: (outcome: CommandOutcome) => void) =>
    follow(argv, new CommandRun(argv, options), COMMAND_WORDS, onDone);

  // The output reaches React on a timer, and only when lines arrived.
  const shown = output.pane !== undefined;
  useEffect(() => {
    if (!shown) return;
    let seen = -1;
    const timer = setInterval(() => {
      const version = run.current?.run.output().version ?? -1;
      if (version !== seen) {
        seen = version;
        setVersion(version);
      }
    }, OUTPUT_REDRAW_MS);
    return () => clearInterval(timer);
  }, [shown]);

  // Leaving dockhand (or this dashboard) must not leave a command running unseen.
  useEffect(() => () => run.current?.run.cancel(), []);

  const screenOf = (pane: OutputState, height: number) => outputScreen({
    argv: pane.argv,
    output: run.current?.run.output() ?? { lines: [], dropped: 0, outcome: undefined, version: 0 },
    words: run.current?.words ?? COMMAND_WORDS as RunWords<unknown>,
    offset: pane.offset,
    cancelling: pane.cancelling,
    width,
    height,
  });

  const scroll = (to: (offset: number, rows: number) => number | undefined) => {
    const pane = getOutput().pane;
    if (!pane) return;
    const screen = screenOf(pane, rowsRef.current);
    const next = to(screen.offset, screen.rows);
    // Back at the end means following it again.
    setPane({ ...pane, offset: next === undefined || next >= screen.maxOffset ? undefined : Math.max(0, next) });
  };

  const handleKey = (name: string): boolean => {
    const pane = getOutput().pane;
    if (!pane) return false;
    switch (commandFor(name, ['pane'])) {
      case 'down': scroll((o) => o + 1); return true;
      case 'up': scroll((o) => o - 1); return true;
      case 'pageDown': scroll((o, rows) => o + Math.max(1, rows - 1)); return true;
      case 'pageUp': scroll((o, rows) => o - Math.max(1, rows - 1)); return true;
      case 'top': scroll(() => 0); return true;
      case 'bottom': scroll(() => undefined); return true;
      case 'closePane':
        if (run.current && run.current.run.output().outcome === undefined) {
          run.current.run.cancel();
          setPane({ ...pane, cancelling: true });
        } else {
          run.current = undefined;
          setPane(undefined);
        }
        return true;
      default:
        return false;
    }
  };

  const render = (height: number) => {
    const pane = getOutput().pane;
    if (!pane) return null;
    rowsRef.current = height;
    return <CommandOutput screen={screenOf(pane, height)} width={width} height={height} />;
  };

  const current = run.current;
  const running = output.pane !== undefined && current !== undefined && current.run.output().outcome === undefined;
  const pane: CommandOutputPane | undefined = output.pane
    ? {
      render,
      handleKey,
      hints: running ? `? help · Esc ${current?.words.cancelHint ?? ''} · j/k scroll · G follow` : '? help · q quit · Esc close · j/k scroll · g/G top/end',
    }
    : undefined;
  return { start, follow, pane };
}
