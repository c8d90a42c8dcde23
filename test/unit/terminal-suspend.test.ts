// Ctrl-Z's sequence (terminal-handover.ts) on a fake terminal: what is written and switched, in order.
// The stop itself is the test's: a real SIGTSTP would stop the test runner.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { suspendToShell, terminalLentTo } from '../../src/views/terminal-handover.js';

function fakeTerminal() {
  const events: string[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: (on: boolean) => {
      events.push(`tty raw ${on}`);
    },
  }) as unknown as NodeJS.ReadStream;
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: false,
    write: (text: string) => {
      events.push(`write ${JSON.stringify(text)}`);
      return true;
    },
  }) as unknown as NodeJS.WriteStream;
  return { stdin, stdout, events, setRawMode: (on: boolean) => events.push(`ink raw ${on}`) };
}

describe('suspendToShell', () => {
  it('leaves the terminal as the shell had it, stops, and once continued takes it back: raw mode first, then the screen and a repaint', async () => {
    const { stdin, stdout, events, setRawMode } = fakeTerminal();
    let lentWhileStopped = false;
    await suspendToShell({
      stdin,
      stdout,
      setRawMode,
      stop: () => {
        events.push('stop');
        lentWhileStopped = terminalLentTo() === 'shell';
        setImmediate(() => process.emit('SIGCONT'));
      },
      redraw: () => events.push('redraw'),
    });
    expect(events).toEqual([
      'ink raw false',
      'tty raw false',
      'write "\\u001b[?7h\\u001b[?1049l\\u001b[?25h"',
      'stop',
      'tty raw true',
      'ink raw true',
      'write "\\u001b[?1049h\\u001b[?7l\\u001b[2J\\u001b[H\\u001b[?25l"',
      'redraw',
    ]);
    expect(lentWhileStopped).toBe(true);
    expect(terminalLentTo()).toBeUndefined();
  });

  it('swallows what Ink draws while the shell has the terminal', async () => {
    const { stdin, stdout, events, setRawMode } = fakeTerminal();
    await suspendToShell({
      stdin,
      stdout,
      setRawMode,
      stop: () => {
        stdout.write('a frame');
        setImmediate(() => process.emit('SIGCONT'));
      },
      redraw: () => stdout.write('the repaint'),
    });
    expect(events).not.toContain('write "a frame"');
    expect(events.at(-1)).toBe('write "the repaint"');
  });

  it('does nothing while the terminal is lent already (a SIGTSTP from elsewhere during Ctrl-Z)', async () => {
    const { stdin, stdout, events, setRawMode } = fakeTerminal();
    let again: string[] = [];
    await suspendToShell({
      stdin,
      stdout,
      setRawMode,
      stop: () => {
        const second = fakeTerminal();
        void suspendToShell({ stdin: second.stdin, stdout: second.stdout, setRawMode: second.setRawMode, stop: () => second.events.push('stop') });
        again = second.events;
        setImmediate(() => process.emit('SIGCONT'));
      },
      redraw: () => events.push('redraw'),
    });
    expect(again).toEqual([]);
  });
});
