// The engine's progress stream for a pull or a push, one JSON message a line
// ({status, id, progressDetail: {current, total}, progress, aux, errorDetail, error}), turned
// into what `docker pull`/`docker push` draw: one line per layer with its phase and bytes, the
// overall bytes, and the outcome (the digest, or the engine's error with what to do about it).
// Pure: the engine adapter feeds it lines (lines.ts), the views draw its states.

export type TransferKind = 'pull' | 'push';

export type LayerPhase =
  | 'waiting'
  | 'downloading'
  | 'verifying'
  | 'downloaded'
  | 'extracting'
  | 'complete'
  | 'exists'
  | 'uploading'
  | 'pushed'
  | 'mounted'
  | 'retrying';

export interface LayerProgress {
  /** The engine's short layer id. */
  id: string;
  phase: LayerPhase;
  /** The engine's own words for the phase ("Mounted from dh/base", "Retrying in 5 seconds"). */
  status: string;
  /** Bytes of the current phase (downloading, extracting, uploading), when the engine says. */
  current?: number;
  total?: number;
  /** The layer's transfer size, remembered from its download or upload for the overall bytes. */
  size?: number;
}

export type RegistryErrorKind = 'not-found' | 'unauthorized' | 'unreachable' | 'other';

export interface RegistryError {
  kind: RegistryErrorKind;
  /** The engine's own words. */
  message: string;
  /** What to do about it, when dockhand knows ("log in with `docker login HOST`"). */
  hint?: string;
}

export type TransferOutcome =
  | { kind: 'done'; digest?: string }
  | { kind: 'failed'; error: RegistryError }
  | { kind: 'cancelled' };

export interface TransferState {
  kind: TransferKind;
  /** In the order the engine first named them. */
  layers: readonly LayerProgress[];
  /** Lines about the whole image: "Pulling from dh/busybox", "Status: Downloaded newer image for …". */
  messages: readonly string[];
  digest?: string;
  /** Set once the transfer is over. */
  outcome?: TransferOutcome;
}

interface ProgressMessage {
  status?: unknown;
  id?: unknown;
  progressDetail?: { current?: unknown; total?: unknown } | null;
  aux?: { Digest?: unknown } | null;
  error?: unknown;
  errorDetail?: { message?: unknown } | null;
}

const PHASES: ReadonlyArray<[RegExp, LayerPhase]> = [
  [/^(Pulling fs layer|Waiting|Preparing)$/, 'waiting'],
  [/^Downloading$/, 'downloading'],
  [/^Verifying Checksum$/, 'verifying'],
  [/^Download complete$/, 'downloaded'],
  [/^Extracting$/, 'extracting'],
  [/^Pull complete$/, 'complete'],
  [/^(Layer )?[Aa]lready exists$/, 'exists'],
  [/^Pushing$/, 'uploading'],
  [/^Pushed$/, 'pushed'],
  [/^Mounted from /, 'mounted'],
  [/^Retrying in /, 'retrying'],
];

/** Phases after which a layer's whole transfer size counts as moved. */
const TRANSFERRED: ReadonlySet<LayerPhase> = new Set(['verifying', 'downloaded', 'extracting', 'complete', 'pushed']);
/** Messages with an id that are about the image, not a layer ("Pulling from dh/busybox", id = the tag). */
const IMAGE_STATUS = /^Pulling from /;
const DIGEST = /(?:^Digest: |: digest: )(sha256:[0-9a-f]{64})/;

export function initialTransfer(kind: TransferKind): TransferState {
  return { kind, layers: [], messages: [] };
}

/**
 * The state after one line of the stream. Lines that are not JSON, or not a message, leave it
 * as it was: the stream is the engine's, but a proxy or a future engine may add to it.
 */
export function applyProgressLine(state: TransferState, line: string, registry: string): TransferState {
  if (state.outcome !== undefined) return state;
  let message: ProgressMessage;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return state;
    message = parsed as ProgressMessage;
  } catch {
    return state;
  }
  const failure = textOf(message.errorDetail?.message) ?? textOf(message.error);
  if (failure !== undefined) return { ...state, outcome: { kind: 'failed', error: explainRegistryError(failure, registry) } };

  const auxDigest = textOf(message.aux?.Digest);
  if (auxDigest !== undefined) return { ...state, digest: auxDigest };
  const status = textOf(message.status);
  if (status === undefined) return state;
  const id = textOf(message.id);
  if (id === undefined || IMAGE_STATUS.test(status)) {
    const digest = DIGEST.exec(status)?.[1];
    return { ...state, messages: [...state.messages, status], ...(digest !== undefined ? { digest } : {}) };
  }
  return { ...state, layers: updateLayer(state.layers, id, status, message.progressDetail ?? undefined) };
}

function updateLayer(
  layers: readonly LayerProgress[],
  id: string,
  status: string,
  detail: { current?: unknown; total?: unknown } | undefined,
): LayerProgress[] {
  const index = layers.findIndex((layer) => layer.id === id);
  const previous = index >= 0 ? layers[index] : undefined;
  const phase = PHASES.find(([pattern]) => pattern.test(status))?.[1] ?? previous?.phase ?? 'waiting';
  const current = byteCount(detail?.current);
  const total = byteCount(detail?.total);
  const layer: LayerProgress = { id, phase, status };
  if (current !== undefined) layer.current = current;
  if (total !== undefined) layer.total = total;
  const size = phase === 'downloading' || phase === 'uploading' ? total ?? previous?.size : previous?.size;
  if (size !== undefined) layer.size = size;
  return index >= 0 ? layers.map((old, i) => (i === index ? layer : old)) : [...layers, layer];
}

/** The bytes moved and to move over every layer whose size is known (present layers move none). */
export function overallBytes(state: TransferState): { current: number; total: number } {
  let current = 0;
  let total = 0;
  for (const layer of state.layers) {
    if (layer.size === undefined) continue;
    total += layer.size;
    // The engine's "current" may overshoot the total (compressed on the wire): never past it.
    if (TRANSFERRED.has(layer.phase)) current += layer.size;
    else if (layer.phase === 'downloading' || layer.phase === 'uploading') current += Math.min(layer.current ?? 0, layer.size);
  }
  return { current, total };
}

/** The state once the stream has ended: done unless it failed; cancelled when the user stopped it. */
export function finishTransfer(state: TransferState, cancelled: boolean): TransferState {
  if (state.outcome !== undefined) return state;
  if (cancelled) return { ...state, outcome: { kind: 'cancelled' } };
  return { ...state, outcome: { kind: 'done', ...(state.digest !== undefined ? { digest: state.digest } : {}) } };
}

/**
 * The states of a transfer from the lines of its stream, one per line that changed something,
 * the last with the outcome. Ends early on the engine's error; cancelled when the signal aborted.
 */
export async function* transferStates(
  kind: TransferKind,
  lines: AsyncIterable<string> | Iterable<string>,
  registry: string,
  signal: AbortSignal,
): AsyncGenerator<TransferState> {
  let state = initialTransfer(kind);
  for await (const line of lines) {
    if (signal.aborted) break;
    const next = applyProgressLine(state, line, registry);
    if (next === state) continue;
    state = next;
    if (state.outcome !== undefined) break;
    yield state;
  }
  yield finishTransfer(state, signal.aborted);
}

/**
 * A pull's states, the last given the digest `lookUp` finds when the stream named none: Podman's
 * Docker-compatible pull ends without Docker's "Digest: …" line. A failed look-up leaves it out.
 */
export async function* withPulledDigest(
  states: AsyncIterable<TransferState>,
  lookUp: () => Promise<string | undefined>,
): AsyncGenerator<TransferState> {
  for await (const state of states) {
    if (state.outcome?.kind !== 'done' || state.outcome.digest !== undefined) {
      yield state;
      continue;
    }
    const digest = await lookUp().catch(() => undefined);
    yield digest === undefined ? state : { ...state, digest, outcome: { kind: 'done', digest } };
  }
}

/** A transfer the engine refused before streaming (the HTTP answer of a pull, for one). */
export function failedTransfer(kind: TransferKind, message: string, registry: string): TransferState {
  return { ...initialTransfer(kind), outcome: { kind: 'failed', error: explainRegistryError(message, registry) } };
}

const UNAUTHORIZED = /unauthorized|authentication required|no basic auth credentials|incorrect username or password/i;
const NOT_FOUND = /not found|manifest unknown|does not exist|name unknown|no such image/i;
const DENIED = /denied/i;
const UNREACHABLE = /no such host|server misbehaving|connection refused|i\/o timeout|network is unreachable|no route to host|tls: |x509: /i;

/**
 * Sorts the engine's error for the registry at `registry` (host[:port]; Docker Hub as docker.io),
 * keeping its words. Docker Hub answers "denied" for a repository that does not exist, and says so.
 */
export function explainRegistryError(message: string, registry: string): RegistryError {
  const login = registry === 'docker.io' ? 'docker login' : `docker login ${registry}`;
  if (UNAUTHORIZED.test(message)) return { kind: 'unauthorized', message, hint: `log in with \`${login}\`` };
  if (NOT_FOUND.test(message)) return { kind: 'not-found', message };
  if (DENIED.test(message)) return { kind: 'unauthorized', message, hint: `log in with \`${login}\` as a user allowed to use this repository` };
  if (UNREACHABLE.test(message)) return { kind: 'unreachable', message, hint: `check the registry's name and that ${registry} is reachable from the engine's host` };
  return { kind: 'other', message };
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function byteCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
