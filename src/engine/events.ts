import type { EngineEvent } from './types.js';

/** The range of a Date, in seconds: a time beyond it is no instant, and its ms would overflow to Infinity. */
const MAX_TIME_SECONDS = 8.64e12;

/**
 * Parses one line of `GET /events`. Returns undefined for anything that is not an event
 * (a malformed line must never take the stream down).
 */
export function parseEventLine(line: string): EngineEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const doc = raw as Record<string, unknown>;
  const actor = (typeof doc['Actor'] === 'object' && doc['Actor'] !== null ? doc['Actor'] : {}) as Record<string, unknown>;
  const type = str(doc['Type']) ?? str(doc['type']);
  const engineAction = str(doc['Action']) ?? str(doc['status']);
  const rawAttributes = actor['Attributes'];
  // fromEntries defines own properties: assigning would turn a label named __proto__ into a no-op.
  const attributes: Record<string, string> = Object.fromEntries(
    Object.entries(typeof rawAttributes === 'object' && rawAttributes !== null ? rawAttributes : {})
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  // Podman's image `build` event has an empty ID and names the built image's id in `name`.
  const id = str(actor['ID']) ?? str(doc['id']) ?? (type === 'image' ? str(attributes['name']) : undefined);
  if (!type || !engineAction || !id) return undefined;
  const action = type === 'container' ? dockerContainerAction(engineAction, str(doc['HealthStatus'])) : engineAction;
  if (type === 'container' && action === 'die' && attributes['exitCode'] === undefined && attributes['containerExitCode'] !== undefined) {
    // Only where Docker's own attribute is missing: on Docker a label may be named containerExitCode.
    attributes['exitCode'] = attributes['containerExitCode'];
  }
  const time = typeof doc['time'] === 'number' && Math.abs(doc['time']) <= MAX_TIME_SECONDS ? doc['time'] : 0;
  return { type, action, id, attributes, time, timeNano: exactTimeNano(line, doc['timeNano']) ?? String(time * 1e9) };
}

/**
 * Podman's names for Docker's container actions (its compat stream passes some of libpod's
 * through). Translated here, once, so the list, the restart history and the events view all read
 * Docker's vocabulary.
 */
const PODMAN_CONTAINER_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['remove', 'destroy'],
  ['died', 'die'],
  ['exec_died', 'exec_die'],
]);

/**
 * A container action in Docker's words. Podman sends a health check's result in a HealthStatus
 * field beside a bare `health_status`, where Docker writes it into the action after a colon.
 */
function dockerContainerAction(action: string, healthStatus: string | undefined): string {
  if (action === 'health_status' && healthStatus) return `health_status: ${healthStatus}`;
  return PODMAN_CONTAINER_ACTIONS.get(action) ?? action;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * timeNano exceeds 2^53, so JSON.parse rounds it: read the digits from the raw text instead. The
 * text may hold other "timeNano" keys (nested in Actor, say): the right digits round to the parsed value.
 */
function exactTimeNano(line: string, parsed: unknown): string | undefined {
  if (typeof parsed !== 'number' || !(Math.abs(parsed) <= MAX_TIME_SECONDS * 1e9)) return undefined;
  for (const match of line.matchAll(/"timeNano"\s*:\s*(\d+)/g)) {
    if (Number(match[1]) === parsed) return match[1];
  }
  return undefined;
}

/** Event time in ms; timeNano is exact where `time` is whole seconds. */
export function eventTimeMs(event: EngineEvent): number {
  return /^\d+$/.test(event.timeNano) ? Number(BigInt(event.timeNano) / 1_000_000n) : event.time * 1000;
}

/**
 * Container actions that change what the list shows. Health probes run as execs, so
 * exec_* (and attach/resize/top chatter) would otherwise trigger a refresh every few seconds.
 */
const LIST_CHANGING_ACTIONS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'oom', 'pause', 'unpause',
  'rename', 'destroy', 'update', 'health_status',
]);

/**
 * The engine's action without its argument: "exec_start: sh -c true" → exec_start, and the
 * argument, "sh -c true" (a health status, a command line).
 */
export function splitAction(action: string): { action: string; argument: string } {
  const colon = action.indexOf(':');
  return colon < 0 ? { action, argument: '' } : { action: action.slice(0, colon).trim(), argument: action.slice(colon + 1).trim() };
}

export function changesContainerList(event: EngineEvent): boolean {
  // health_status carries its result after a colon: "health_status: healthy"
  return event.type === 'container' && LIST_CHANGING_ACTIONS.has(splitAction(event.action).action);
}
