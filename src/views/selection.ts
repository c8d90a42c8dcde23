import type { ContainerRow } from '../engine/types.js';

const CONTAINER_NUMBER = 'com.docker.compose.container-number';

/**
 * The container that took the place of `lost` (which left the list) in the user's eyes: the one
 * with its name, or, while Compose recreates it, the one with its project, service and replica
 * number. Compose v2 creates the new container under a temporary name and renames it once the old
 * one is removed; Compose v1 renames the old one first. Undefined when nothing took its place.
 */
export function successorOf(lost: ContainerRow, containers: readonly ContainerRow[]): ContainerRow | undefined {
  const byName = containers.find((c) => c.name === lost.name && c.host === lost.host);
  if (byName) return byName;
  const number = lost.labels[CONTAINER_NUMBER];
  if (!lost.project || !lost.service || number === undefined) return undefined;
  return containers.find((c) => c.host === lost.host && c.project === lost.project && c.service === lost.service
    && c.labels[CONTAINER_NUMBER] === number);
}
