/** An engine request that failed, carrying the daemon's own words when it gave any. */
export class EngineRequestError extends Error {
  constructor(message: string, readonly statusCode?: number, readonly code?: string) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

interface ModemError {
  statusCode?: number;
  json?: { message?: unknown } | null;
  reason?: string;
  message?: string;
  code?: string;
}

/** docker-modem rejects with its own shape; reduce it to the daemon's message and status. */
export function toEngineError(err: unknown): EngineRequestError {
  if (err instanceof EngineRequestError) return err;
  const e = (err ?? {}) as ModemError;
  const daemonMessage = typeof e.json?.message === 'string' ? e.json.message : undefined;
  const message = daemonMessage ?? e.reason ?? e.message ?? String(err);
  return new EngineRequestError(message.trim(), e.statusCode, e.code);
}

/** A container that vanished mid-request is routine in a live view, not an error to show. */
export function isNotFound(err: unknown): boolean {
  return toEngineError(err).statusCode === 404;
}
