// Podman's pods, which its Docker-compatible API does not show: the compat container list and
// inspect carry no pod, only the libpod list does (`Pod` id and `PodName` per container).

/** One container of `GET /libpod/containers/json`, as far as dockhand reads it. */
export interface RawLibpodContainer {
  Id?: string;
  /** The pod's id; '' when the container is in none */
  Pod?: string;
  PodName?: string;
  /** The health check's status (healthy, unhealthy, starting), '' without one */
  Status?: string;
}

/** Container id → the name of the pod it belongs to, for the containers that are in one. */
export function podNamesById(containers: readonly RawLibpodContainer[] | null): Map<string, string> {
  const pods = new Map<string, string>();
  for (const container of containers ?? []) {
    if (container.Id && container.Pod) pods.set(container.Id, container.PodName || container.Pod.slice(0, 12));
  }
  return pods;
}
