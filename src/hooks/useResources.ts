import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { ResourceStore, type ResourceKind, type ResourceRows, type ResourceSnapshot } from '../engine/resource-store.js';

export interface LiveResources<T> extends ResourceSnapshot<T> {
  /** Re-list now, e.g. after a removal, so its result shows before the engine's event arrives. */
  refresh: () => Promise<void>;
}

/**
 * The live list of one kind of resource, listed and kept current only while `active` (its pane is
 * on screen). The rows survive a pause, so coming back shows the last list while a fresh one loads.
 */
export function useResources<K extends ResourceKind>(
  engine: Engine,
  containerStore: ContainerSource,
  kind: K,
  active: boolean,
  /** What the engine's lists are of now (a fleet's focused host): another scope is another store */
  scope = '',
): LiveResources<ResourceRows[K]> {
  const store = useMemo(() => new ResourceStore(engine, containerStore, kind), [engine, containerStore, kind, scope]);
  useEffect(() => {
    if (!active) return;
    store.start();
    return () => store.stop();
  }, [store, active]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return useMemo(() => ({ ...snapshot, refresh: store.refresh }), [snapshot, store]);
}
