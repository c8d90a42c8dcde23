import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { render } from 'ink';
import { SizedStdout } from './sized-stdout.js';

export interface SizedRender {
  stdout: SizedStdout;
  /** The last frame as written, colour codes and all. */
  raw(): string;
  /** The last frame as read: without colour codes (FORCE_COLOR may be set where tests run). */
  frame(): string;
  rerender(element: ReactElement): void;
  unmount(): void;
}

/**
 * Renders into a terminal of `columns` x `rows`, with the options ink-testing-library uses: debug
 * mode writes every frame (and ignores CI), and nothing patches the console or exits on Ctrl-C.
 */
export function renderSized(element: ReactElement, columns: number, rows: number, stdin?: NodeJS.ReadStream): SizedRender {
  const stdout = new SizedStdout(columns, rows);
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(columns, rows) as unknown as NodeJS.WriteStream,
    ...(stdin ? { stdin } : {}),
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdout,
    raw: () => stdout.frames.at(-1) ?? '',
    frame: () => stripVTControlCharacters(stdout.frames.at(-1) ?? ''),
    rerender: (next) => instance.rerender(next),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}
