import { useEffect, useState } from 'react';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { isNotFound, toEngineError, unreachableReason } from '../engine/errors.js';
import type { ContainerDetails } from '../engine/types.js';

export type DetailsState =
  | { status: 'loading' }
  | { status: 'ready'; details: ContainerDetails }
  | { status: 'gone' }
  | { status: 'error'; message: string };

/**
 * Inspect of the selected container only. Moving the selection cancels the previous request
 * (rapid j/k must not queue inspects), and an event about this container re-reads it. So does an
 * action on it, as it begins and as it ends (`acting`): a start Docker refused changes the
 * container (its error, exit code 127) without any event about it.
 */
export function useContainerDetails(engine: Engine, store: ContainerSource, id: string | undefined, acting = false): DetailsState {
  const [state, setState] = useState<DetailsState>({ status: 'loading' });
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (!id) return;
    const unsubscribeEvents = store.onEvent((event) => {
      if (event.type === 'container' && event.id === id && !event.action.startsWith('exec_')) {
        setRevision((r) => r + 1);
      }
    });
    // What failed while the engine was away is read again once it is back.
    let wasConnected = store.getSnapshot().connection.status === 'connected';
    const unsubscribeStore = store.subscribe(() => {
      const connected = store.getSnapshot().connection.status === 'connected';
      if (connected && !wasConnected) setRevision((r) => r + 1);
      wasConnected = connected;
    });
    return () => {
      unsubscribeEvents();
      unsubscribeStore();
    };
  }, [store, id]);

  // Another container's answer (or its "gone") must not show under this one's name.
  useEffect(() => {
    setState({ status: 'loading' });
  }, [id]);

  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    // A short pause lets a held-down j/k pass over rows without inspecting each.
    const timer = setTimeout(() => {
      engine.inspectContainer(id, controller.signal).then(
        (details) => setState({ status: 'ready', details }),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          if (isNotFound(err)) return setState({ status: 'gone' });
          const unreachable = unreachableReason(err);
          // Read again by itself once the engine answers (the subscription above).
          const message = unreachable ? `${unreachable.charAt(0).toUpperCase()}${unreachable.slice(1)}: the details are read again once the engine is back.` : toEngineError(err).message;
          setState({ status: 'error', message });
        },
      );
    }, 60);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, id, revision, acting]);

  return state;
}
