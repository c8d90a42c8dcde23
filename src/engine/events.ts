import type { EngineEvent } from './types.js';

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
  const action = str(doc['Action']) ?? str(doc['status']);
  const id = str(actor['ID']) ?? str(doc['id']);
  if (!type || !action || !id) return undefined;
  const attributes: Record<string, string> = {};
  const rawAttributes = actor['Attributes'];
  if (typeof rawAttributes === 'object' && rawAttributes !== null) {
    for (const [key, value] of Object.entries(rawAttributes)) {
      if (typeof value === 'string') attributes[key] = value;
    }
  }
  const time = typeof doc['time'] === 'number' ? doc['time'] : 0;
  return { type, action, id, attributes, time, timeNano: exactTimeNano(line) ?? String(time * 1e9) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** timeNano exceeds 2^53, so JSON.parse rounds it: read the digits from the raw text instead. */
function exactTimeNano(line: string): string | undefined {
  return /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
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

export function changesContainerList(event: EngineEvent): boolean {
  if (event.type !== 'container') return false;
  // health_status carries its result after a colon: "health_status: healthy"
  const action = event.action.split(':')[0]?.trim() ?? '';
  return LIST_CHANGING_ACTIONS.has(action);
}
