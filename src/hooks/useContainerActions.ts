import { useCallback, useRef, useState } from 'react';
import type { ContainerSnapshot, ContainerSource } from '../engine/container-store.js';
import type { ActionOptions, Engine } from '../engine/engine.js';
import { describeEngineError, isNotFound } from '../engine/errors.js';
import { explainExitCode, refusedStartExitCode } from '../engine/exit-codes.js';
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

/** Said of a container that went (removed, or recreated under a new id) after the user chose it. */
export function noLongerExists(name: string): string {
  return `${name} no longer exists: nothing was done`;
}

/**
 * Why an action on `target` is not sent at all, from the list as it is now: its engine is away
 * (the list is only the last one seen, dimmed), or the container left the list since it was
 * chosen. Undefined when it may go ahead.
 */
export function actionRefusal(snapshot: ContainerSnapshot, target: { id: string; name: string }): string | undefined {
  const row = snapshot.containers.find((c) => c.id === target.id);
  // A fleet's rows each have a host of their own, which may be away while the others answer.
  const host = row?.host === undefined ? undefined : snapshot.hosts?.find((h) => h.name === row.host);
  const away = host ? host.state.status !== 'connected' : snapshot.connection.status !== 'connected';
  if (away) return `${target.name}: nothing done, the engine cannot be reached (reconnecting)`;
  if (snapshot.loaded && !row) return noLongerExists(target.name);
  return undefined;
}

/**
 * The engine's words, led by what they mean when a start failed on the command itself: the exit
 * code and its meaning, as `docker run` would say (on Podman the container keeps no trace of it).
 */
function failureInWords(action: ContainerAction, err: unknown): string {
  const words = describeEngineError(err);
  const code = action === 'start' || action === 'restart' ? refusedStartExitCode(words) : undefined;
  return code === undefined ? words : `${explainExitCode(code).summary} (exit code ${code}): ${words}`;
}

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
      const refusal = actionRefusal(store.getSnapshot(), target);
      if (refusal) {
        setStatus({ text: refusal, tone: 'error' });
        return;
      }
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
        // Removed between the key (or the confirmation) and the engine: by id, so nothing else was touched.
        const text = isNotFound(err) ? noLongerExists(target.name) : `${action} ${target.name}: ${failureInWords(action, err)}`;
        setStatus({ text, tone: 'error' });
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
