import { useRef, useState } from 'react';
import { useApp } from 'ink';
import { answerKeys } from './AnswerLine.js';
import { commandFor } from './keymap.js';

export interface Quit {
  /** Quits, or with `confirm`, asks first */
  quit(): void;
  /** Every key goes here first: while the question is open it takes them all. */
  takesKey(name: string): boolean;
  /** The question, while it is asked, for the status line */
  prompt: string | undefined;
}

/**
 * Quitting, asked first when `confirm` is set (the configuration's confirmQuit): a quit key
 * then asks "Quit dockhand? y/n". Ctrl-C never asks: it is the terminal's way out.
 */
export function useQuit(confirm: boolean): Quit {
  const { exit } = useApp();
  const [asking, setAsking] = useState(false);
  // Keys of one input chunk arrive before the next render: `q` then `y` typed ahead must quit.
  const askingNow = useRef(false);
  const lastKey = useRef('');
  const ask = (open: boolean) => {
    askingNow.current = open;
    setAsking(open);
  };
  const { yes, no } = answerKeys();
  return {
    quit() {
      if (confirm && lastKey.current !== 'ctrl+c' && !askingNow.current) ask(true);
      else exit();
    },
    takesKey(name) {
      lastKey.current = name;
      if (!askingNow.current) return false;
      const command = commandFor(name, ['confirm']);
      if (command === 'confirmYes' || name === 'ctrl+c') exit();
      else if (command === 'confirmNo') ask(false);
      return true;
    },
    prompt: asking ? `Quit dockhand? ${yes[0] ?? ''}/${no[0] ?? ''}` : undefined,
  };
}
