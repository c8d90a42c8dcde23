import { useState } from 'react';
import { Box, Text } from 'ink';
import type { AppSettings } from '../config.js';
import type { ContextEntry } from '../engine/endpoint.js';
import type { Session } from '../session.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { App } from './App.js';
import { tooSmallLines } from './layout.js';
import { ThemeProvider, type Theme } from './theme.js';

interface Props {
  first: Session;
  /** Connects to a context; rejects with why not (the dashboard stays on the current engine). */
  open(contextName: string): Promise<Session>;
  listContexts(): ContextEntry[];
  logTail: number;
  theme: Theme;
  settings: AppSettings;
  /** Told about every session that replaced another, so the process can stop it at exit */
  onSwitch?(session: Session): void;
}

/** The dashboard on one session at a time: choosing a context replaces it in place. */
export function Root({ first, open, listContexts, logTail, theme, settings, onSwitch }: Props) {
  const [current, setCurrent] = useState({ session: first, generation: 0 });
  const switchTo = async (name: string) => {
    const next = await open(name);
    current.session.stop();
    onSwitch?.(next);
    setCurrent((previous) => ({ session: next, generation: previous.generation + 1 }));
  };
  const { session } = current;
  const { cols, rows } = useTerminalSize();
  const tooSmall = tooSmallLines(cols, rows);
  return (
    <ThemeProvider value={theme}>
      {/* Hidden, not unmounted, on a terminal too small for it: what was selected, typed or open is still there after. */}
      <Box display={tooSmall ? 'none' : 'flex'}>
        <App
          // A new engine starts a new dashboard: nothing selected or filtered belongs to the old one.
          key={current.generation}
          engine={session.engine}
          store={session.store}
          sampler={session.sampler}
          events={session.events}
          logTail={logTail}
          contexts={{ list: listContexts, inUse: session.contextName, switchTo }}
          settings={settings}
        />
      </Box>
      {tooSmall ? <Text>{tooSmall.join('\n')}</Text> : null}
    </ThemeProvider>
  );
}
