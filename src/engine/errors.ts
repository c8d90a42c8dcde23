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

/**
 * What a request that never reached the daemon met, by the system's error code: the engine is
 * down, its socket is gone, or the link to it broke. The daemon's own answers carry a status.
 */
const UNREACHABLE: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'the engine\'s socket does not exist'],
  ['ECONNREFUSED', 'nothing listens at the engine\'s address'],
  ['ECONNRESET', 'the connection to the engine was lost'],
  ['EPIPE', 'the connection to the engine was lost'],
  ['ETIMEDOUT', 'the engine did not answer in time'],
  ['ESOCKETTIMEDOUT', 'the engine did not answer in time'],
  ['EHOSTUNREACH', 'the engine\'s host is unreachable'],
  ['ENETUNREACH', 'the engine\'s host is unreachable'],
  ['ENOTFOUND', 'the engine\'s host name does not resolve'],
  ['EAI_AGAIN', 'the engine\'s host name does not resolve'],
]);

/** Why the engine could not be reached at all, in words; undefined when it answered or the request was cancelled. */
export function unreachableReason(err: unknown): string | undefined {
  const e = toEngineError(err);
  return e.statusCode === undefined && e.code !== undefined ? UNREACHABLE.get(e.code) : undefined;
}

/** A failed request in words to show: why the engine could not be reached, or the daemon's own. */
export function describeEngineError(err: unknown): string {
  return unreachableReason(err) ?? toEngineError(err).message;
}
