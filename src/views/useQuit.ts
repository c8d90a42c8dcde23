import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp, useStdin, useStdout } from 'ink';
import { answerKeys } from './AnswerLine.js';
import { commandFor } from './keymap.js';
import { suspendToShell } from './terminal-handover.js';

export interface Quit {
  /** Quits, or with `confirm`, asks first */
  quit(): void;
  /** Every key goes here first: while the question is open it takes them all. */
  takesKey(name: string): boolean;
  /** The question, while it is asked, for the status line */
  prompt: string | undefined;
}

/**
 * Leaving the dashboard for the shell. Quitting is asked first when `confirm` is set (the
 * configuration's confirmQuit): a quit key then asks "Quit dockhand? y/n". Ctrl-C never asks: it
 * is the terminal's way out. Ctrl-Z (the keymap's suspend) stops dockhand until the shell's `fg`,
 * as does a SIGTSTP sent from elsewhere.
 */
export function useQuit(confirm: boolean): Quit {
  const { exit } = useApp();
  const { stdin, setRawMode } = useStdin();
  const { stdout } = useStdout();
  const [asking, setAsking] = useState(false);
  // Keys of one input chunk arrive before the next render: `q` then `y` typed ahead must quit.
  const askingNow = useRef(false);
  const lastKey = useRef('');
  /** From Ctrl-Z until the dashboard is back: keys typed ahead after it are nobody's. */
  const suspended = useRef(false);
  const ask = (open: boolean) => {
    askingNow.current = open;
    setAsking(open);
  };
  const suspend = useCallback(() => {
    if (suspended.current) return;
    suspended.current = true;
    void suspendToShell({ stdin, stdout, setRawMode }).then(() => {
      suspended.current = false;
    });
  }, [stdin, stdout, setRawMode]);
  useEffect(() => {
    process.on('SIGTSTP', suspend);
    return () => {
      process.off('SIGTSTP', suspend);
    };
  }, [suspend]);
  const { yes, no } = answerKeys();
  return {
    quit() {
      if (confirm && lastKey.current !== 'ctrl+c' && !askingNow.current) ask(true);
      else exit();
    },
    takesKey(name) {
      lastKey.current = name;
      if (suspended.current) return true;
      // Handled before any scope, as the tty's own Ctrl-Z would be: in text boxes and dialogs too.
      if (commandFor(name, ['global']) === 'suspend') {
        suspend();
        return true;
      }
      if (!askingNow.current) return false;
      const command = commandFor(name, ['confirm']);
      if (command === 'confirmYes' || name === 'ctrl+c') exit();
      else if (command === 'confirmNo') ask(false);
      return true;
    },
    prompt: asking ? `Quit dockhand? ${yes[0] ?? ''}/${no[0] ?? ''}` : undefined,
  };
}
