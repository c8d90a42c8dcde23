import { useEffect, useSyncExternalStore } from 'react';
import type { ContainerSnapshot, ContainerSource } from '../engine/container-store.js';
import type { StatsSampler } from '../engine/stats-sampler.js';
import type { StatsFigures } from '../engine/types.js';

export function useContainers(store: ContainerSource): ContainerSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/**
 * Live CPU/memory for the given containers only: the caller passes the running containers that
 * are on screen, and the sampler forgets the rest.
 */
export function useStats(sampler: StatsSampler, visibleRunningIds: readonly string[]): ReadonlyMap<string, StatsFigures> {
  const key = visibleRunningIds.join(',');
  useEffect(() => {
    sampler.setTargets(key ? key.split(',') : []);
  }, [sampler, key]);
  return useSyncExternalStore(sampler.subscribe, sampler.getSnapshot);
}
