import { useCallback, useRef, useState } from 'react';
import type { ContainerSource } from '../engine/container-store.js';
import type { ActionOptions, Engine } from '../engine/engine.js';
import { toEngineError } from '../engine/errors.js';
import type { ContainerAction } from '../engine/types.js';

export interface StatusMessage {
  text: string;
  tone: 'info' | 'error';
}

const PROGRESS: Record<ContainerAction, string> = {
  start: 'starting…', stop: 'stopping…', restart: 'restarting…', pause: 'pausing…',
  unpause: 'unpausing…', kill: 'killing…', remove: 'removing…',
};

const DONE: Record<ContainerAction, string> = {
  start: 'started', stop: 'stopped', restart: 'restarted', pause: 'paused',
  unpause: 'unpaused', kill: 'signalled', remove: 'removed',
};

/**
 * Runs lifecycle actions by container id (never by list position, which moves under us),
 * shows progress on the row while the engine works, and reports the daemon's own words.
 */
export function useContainerActions(engine: Engine, store: ContainerSource) {
  const [pending, setPending] = useState<ReadonlyMap<string, string>>(new Map());
  const [status, setStatus] = useState<StatusMessage | undefined>();
  const inFlight = useRef(new Set<string>());

  const run = useCallback(
    async (target: { id: string; name: string }, action: ContainerAction, options?: ActionOptions) => {
      if (inFlight.current.has(target.id)) {
        setStatus({ text: `${target.name}: an action is already running`, tone: 'info' });
        return;
      }
      inFlight.current.add(target.id);
      setPending((prev) => new Map(prev).set(target.id, PROGRESS[action]));
      try {
        await engine.containerAction(target.id, action, options);
        const detail = action === 'kill' ? ` with ${options?.signal ?? 'SIGKILL'}` : '';
        setStatus({ text: `${target.name} ${DONE[action]}${detail}`, tone: 'info' });
      } catch (err) {
        setStatus({ text: `${action} ${target.name}: ${toEngineError(err).message}`, tone: 'error' });
      } finally {
        inFlight.current.delete(target.id);
        setPending((prev) => {
          const next = new Map(prev);
          next.delete(target.id);
          return next;
        });
        store.refresh().catch(() => undefined);
      }
    },
    [engine, store],
  );

  return { pending, status, setStatus, run };
}
