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

/**
 * On a stream request docker-modem parses no JSON body: the daemon's words are only in its message,
 * after "(HTTP code 404) no such container - ".
 */
const STREAM_ERROR_PREFIX = /^\(HTTP code \d+\)[^-]*-\s*([\s\S]+)$/;

function afterStreamPrefix(message: string | undefined): string | undefined {
  return STREAM_ERROR_PREFIX.exec(message ?? '')?.[1]?.trim();
}

/** docker-modem rejects with its own shape; reduce it to the daemon's message and status. */
export function toEngineError(err: unknown): EngineRequestError {
  if (err instanceof EngineRequestError) {
    const words = afterStreamPrefix(err.message);
    return words ? new EngineRequestError(words, err.statusCode, err.code) : err;
  }
  const e = (err ?? {}) as ModemError;
  // json is null exactly when docker-modem did not read the body (streams); else it is the body.
  const daemonMessage = typeof e.json?.message === 'string'
    ? e.json.message
    : e.json === null ? afterStreamPrefix(e.message) : undefined;
  const message = daemonMessage ?? e.reason ?? e.message ?? String(err);
  return new EngineRequestError(message.trim(), e.statusCode, e.code);
}

/** A container that vanished mid-request is routine in a live view, not an error to show. */
export function isNotFound(err: unknown): boolean {
  return toEngineError(err).statusCode === 404;
}
