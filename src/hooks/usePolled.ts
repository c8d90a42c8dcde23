import { useEffect, useState } from 'react';
import { describeEngineError } from '../engine/errors.js';

export type Polled<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

/**
 * Calls `read` now and every `intervalMs` while `enabled` (what is not on screen is not polled),
 * cancelling the request in flight when the key changes or the view goes away.
 */
export function usePolled<T>(
  key: string | undefined,
  enabled: boolean,
  intervalMs: number,
  read: (signal: AbortSignal) => Promise<T>,
): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ status: 'loading' });
  useEffect(() => {
    setState({ status: 'loading' });
    if (!key || !enabled) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const value = await read(controller.signal);
        if (!controller.signal.aborted) setState({ status: 'ready', value });
      } catch (err) {
        if (!controller.signal.aborted) setState({ status: 'error', message: describeEngineError(err) });
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // `read` is a new closure each render; the key says when it reads something else.
  }, [key, enabled, intervalMs]);
  return state;
}
