// The engine's recent events in plain words, kept from the moment dockhand starts so the events
// view opens on history, not on an empty screen. Exec and health-probe chatter (a healthchecked
// container runs a probe every few seconds, three events each) is folded into counts, or it would
// bury everything else and push it out of the ring within minutes.
import type { ContainerSource } from './container-store.js';
import { eventTimeMs, splitAction } from './events.js';
import { explainExitCode, signalName } from './exit-codes.js';
import { fleetId } from './fleet.js';
import type { EngineEvent } from './types.js';

export type EventTone = 'error' | 'warning' | 'ok';

/** What one event says: the name of what it is about, a sentence, and the exit code's meaning. */
export interface EventWords {
  name: string;
  sentence: string;
  tone?: EventTone;
  /** For a death: what its exit code means and where it usually comes from */
  meaning?: string;
}

/** One engine event as the log keeps it. */
export interface LoggedEvent extends EventWords {
  kind: 'event';
  /** Grows by one per entry: a stable key for the selection while old entries drop out */
  seq: number;
  timeMs: number;
  host?: string;
  type: string;
  /** The engine's action, without what follows the colon ("health_status: healthy" → health_status) */
  action: string;
  /** As the source gives it: a fleet's container ids are "HOST/ID" */
  id: string;
  attributes: Readonly<Record<string, string>>;
}

/** A run of noise events between two others, counted instead of shown. */
export interface FoldedEvents {
  kind: 'folded';
  seq: number;
  /** The first and the last event of the run */
  timeMs: number;
  lastTimeMs: number;
  sentence: string;
  /** Events per noise kind, in the order they first came: exec 12, top 2 */
  counts: ReadonlyMap<string, number>;
  /** The names the events were about, in the order they first came */
  names: readonly string[];
  /** Hosts the events came from (a fleet's) */
  hosts: readonly string[];
}

export type LogEntry = LoggedEvent | FoldedEvents;

/** How many entries the log keeps: a busy afternoon of lifecycle events, at a few MiB. */
export const EVENT_LOG_CAPACITY = 5_000;

/** Names of a folded run shown in its sentence; the details pane lists them all. */
const FOLDED_NAMES_SHOWN = 3;

/** Container actions that are chatter, by the word a folded run counts them under. */
const NOISE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // Health probes are execs; `top` is what the Top tab polls; resize follows every terminal resize.
  // Podman inits every container before its start and cleans up after every death (once or twice).
  container: {
    exec_create: 'exec', exec_start: 'exec', exec_die: 'exec', exec_detach: 'exec',
    top: 'top', resize: 'resize', 'archive-path': 'copy', init: 'init', cleanup: 'cleanup',
  },
  // Every start and stop of a container with volumes mounts and unmounts each of them.
  volume: { mount: 'mount', unmount: 'mount' },
};

/** The word a folded run counts the event under, or undefined when it is worth a line of its own. */
export function noiseKind(event: Pick<EngineEvent, 'type' | 'action'>): string | undefined {
  return NOISE[event.type]?.[splitAction(event.action).action];
}

/** "12 exec events folded (web-1, db)"; "12 exec, 2 top events folded (web-1, db and 3 more)" */
export function foldedSentence(counts: ReadonlyMap<string, number>, names: readonly string[]): string {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const parts = [...counts].map(([word, n]) => `${n} ${word}`);
  const shown = names.slice(0, FOLDED_NAMES_SHOWN).join(', ');
  const more = names.length > FOLDED_NAMES_SHOWN ? ` and ${names.length - FOLDED_NAMES_SHOWN} more` : '';
  return `${parts.join(', ')} ${total === 1 ? 'event' : 'events'} folded${shown ? ` (${shown}${more})` : ''}`;
}

/** An id as 12 hex digits, the way the CLI shows it; names and tags are kept whole. */
function shortIdOf(id: string): string {
  const bare = id.slice(id.lastIndexOf('/') + 1);
  const hex = bare.startsWith('sha256:') ? bare.slice('sha256:'.length) : bare;
  return /^[0-9a-f]{64}$/.test(hex) ? hex.slice(0, 12) : bare;
}

/** A signal as the kill event gives it: a number ("15") on most engines, a name on some. */
function signalText(value: string | undefined): string {
  if (value === undefined || value === '') return 'a signal';
  return /^\d+$/.test(value) ? signalName(Number(value)) ?? `signal ${value}` : value;
}

/** "exit 137, out of memory"; "exit 143, terminated: SIGTERM"; "exit 3, application-defined" */
function exitWords(code: number, oom: boolean): { words: string; meaning: string } {
  if (oom) {
    return {
      words: `exit ${code}, out of memory`,
      meaning: 'The kernel\'s out-of-memory killer ended it: it reached its memory limit (or the host ran out). '
        + 'Raise the limit (--memory) or find what grows.',
    };
  }
  const explained = explainExitCode(code);
  const summary = explained.signal ? `${explained.summary.replace(` (${explained.signal})`, '')}: ${explained.signal}` : explained.summary;
  return { words: `exit ${code}, ${summary}`, meaning: explained.detail };
}

export interface DescribeContext {
  /** An oom event of this container came just before this die */
  oom?: boolean;
  /** A kill event came before this die: someone asked for the death (docker stop, docker kill) */
  killed?: boolean;
  /** The name of the container a network event is about (its attributes carry only the id) */
  containerName?: string;
}

function describeContainer(event: EngineEvent, name: string, context: DescribeContext): Omit<EventWords, 'name'> {
  const { action, argument } = splitAction(event.action);
  const attributes = event.attributes;
  switch (action) {
    case 'create': return { sentence: `${name} created${attributes['image'] ? ` from ${attributes['image']}` : ''}` };
    case 'start': return { sentence: `${name} started`, tone: 'ok' };
    case 'restart': return { sentence: `${name} restarted` };
    case 'stop': return { sentence: `${name} stopped` };
    case 'kill': return { sentence: `${name} was sent ${signalText(attributes['signal'])}`, tone: 'warning' };
    case 'oom': return { sentence: `${name} ran out of memory: the kernel's OOM killer struck`, tone: 'error' };
    case 'pause': return { sentence: `${name} paused`, tone: 'warning' };
    case 'unpause': return { sentence: `${name} unpaused` };
    case 'destroy': return { sentence: `${name} removed` };
    case 'rename': return { sentence: `${(attributes['oldName'] ?? '').replace(/^\//, '') || 'a container'} renamed to ${name}` };
    case 'die': {
      const raw = attributes['exitCode'];
      if (raw === undefined || !/^-?\d+$/.test(raw)) return { sentence: `${name} died`, tone: 'error' };
      const code = Number(raw);
      if (code === 0 && !context.oom) return { sentence: `${name} exited cleanly (exit 0)`, meaning: explainExitCode(0).detail };
      const { words, meaning } = exitWords(code, context.oom === true);
      return { sentence: `${name} died (${words})`, tone: context.killed && !context.oom ? 'warning' : 'error', meaning };
    }
    case 'health_status':
      if (argument === 'unhealthy') return { sentence: `${name} turned unhealthy`, tone: 'error' };
      if (argument === 'healthy') return { sentence: `${name} is healthy`, tone: 'ok' };
      return { sentence: `${name} health: ${argument || 'unknown'}` };
    default:
      return { sentence: `${name} ${action.replaceAll('_', ' ')}${argument ? `: ${argument}` : ''}` };
  }
}

function describeResource(event: EngineEvent, name: string, context: DescribeContext): Omit<EventWords, 'name'> {
  const { action } = splitAction(event.action);
  const attributes = event.attributes;
  const container = context.containerName ?? shortIdOf(attributes['container'] ?? '');
  switch (`${event.type} ${action}`) {
    case 'image pull': return { sentence: `image ${name} pulled` };
    case 'image tag': return { sentence: `image ${shortIdOf(event.id)} tagged ${name}` };
    case 'image untag': return { sentence: `image ${name} untagged` };
    case 'image delete': return { sentence: `image ${name} deleted` };
    case 'volume create': return { sentence: `volume ${name} created${attributes['driver'] ? ` (${attributes['driver']})` : ''}` };
    case 'volume destroy': return { sentence: `volume ${name} removed` };
    case 'network create': return { sentence: `network ${name} created${attributes['type'] ? ` (${attributes['type']})` : ''}` };
    case 'network destroy':
    case 'network remove': return { sentence: `network ${name} removed` };
    case 'network connect': return { sentence: `${container} connected to network ${name}` };
    case 'network disconnect': return { sentence: `${container} disconnected from network ${name}` };
    default: return { sentence: `${event.type} ${name} ${action.replaceAll('_', ' ')}` };
  }
}

/**
 * An event in plain words. The name is the one the engine puts in the attributes (a container's,
 * a network's, an image reference), else the short id; image untag and delete events name the
 * image by its id only.
 */
export function describeEvent(event: EngineEvent, context: DescribeContext = {}): EventWords {
  const name = shortIdOf(event.attributes['name'] || event.id);
  const words = event.type === 'container' ? describeContainer(event, name, context) : describeResource(event, name, context);
  return { name, ...words };
}

/** Remembered container names (for network events that carry only the container's id) and health statuses. */
const REMEMBERED_NAMES = 2_000;

/**
 * A bounded ring of the engine's recent events, oldest first, with runs of noise folded into one
 * entry each. Views read it through `subscribe` / `getVersion` and copy `entries()` when the
 * version moved.
 */
export class EventLog {
  private readonly ring: Array<LogEntry | undefined>;
  /** Index of the oldest entry */
  private head = 0;
  private size = 0;
  private seq = 0;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  /** Containers whose oom or kill event awaits the die it causes */
  private readonly oomPending = new Set<string>();
  private readonly killPending = new Set<string>();
  /** Container id → name, from their own events: a new container is not in the list yet */
  private readonly names = new Map<string, string>();
  /** Container id → its last health status: Podman reports one after every probe, Docker only changes */
  private readonly healthStatuses = new Map<string, string>();

  constructor(private readonly capacity = EVENT_LOG_CAPACITY, private readonly listedName: (id: string) => string | undefined = () => undefined) {
    if (capacity < 1) throw new RangeError('an event log keeps at least one entry');
    this.ring = new Array<LogEntry | undefined>(capacity);
  }

  /** A log fed by every event of `source` from now on, naming containers by its list; returns it and how to stop. */
  static follow(source: Pick<ContainerSource, 'onEvent' | 'getSnapshot'>, capacity = EVENT_LOG_CAPACITY): { log: EventLog; stop: () => void } {
    const log = new EventLog(capacity, (id) => source.getSnapshot().containers.find((row) => row.id === id)?.name);
    return { log, stop: source.onEvent((event) => log.record(event)) };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Moves whenever an entry is added or a folded run grows. */
  getVersion = (): number => this.version;

  /** Oldest first. */
  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const entry = this.ring[(this.head + i) % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }

  record(event: EngineEvent): void {
    const timeMs = eventTimeMs(event);
    const noise = noiseKind(event) ?? this.repeatedHealth(event);
    if (noise) this.fold(noise, event, timeMs);
    else this.push(this.logged(event, timeMs));
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  private logged(event: EngineEvent, timeMs: number): LoggedEvent {
    const { action } = splitAction(event.action);
    const context: DescribeContext = {};
    if (event.type === 'container') {
      if (action === 'oom') this.oomPending.add(event.id);
      if (action === 'kill') this.killPending.add(event.id);
      if (action === 'die') {
        if (this.oomPending.delete(event.id)) context.oom = true;
        if (this.killPending.delete(event.id)) context.killed = true;
      }
      if (action === 'start' || action === 'destroy') {
        this.oomPending.delete(event.id);
        this.killPending.delete(event.id);
      }
      if (event.attributes['name']) remember(this.names, event.id, event.attributes['name']);
    }
    const container = event.attributes['container'];
    if (event.type === 'network' && container) {
      // Network events name the engine's own container id; a fleet's list knows it as HOST/ID.
      const id = event.host ? fleetId(event.host, container) : container;
      const name = this.names.get(id) ?? this.listedName(id);
      if (name) context.containerName = name;
    }
    const words = describeEvent(event, context);
    if (event.type === 'container' && action === 'destroy') {
      this.names.delete(event.id);
      this.healthStatuses.delete(event.id);
    }
    this.seq += 1;
    return {
      kind: 'event',
      seq: this.seq,
      timeMs,
      ...(event.host ? { host: event.host } : {}),
      type: event.type,
      action,
      id: event.id,
      attributes: event.attributes,
      ...words,
    };
  }

  /** Adds the event to the run at the newest end, or starts one. */
  private fold(word: string, event: EngineEvent, timeMs: number): void {
    const newest = this.size > 0 ? this.ring[(this.head + this.size - 1) % this.capacity] : undefined;
    const name = shortIdOf(event.attributes['name'] || event.id);
    if (newest?.kind === 'folded') {
      const counts = new Map(newest.counts).set(word, (newest.counts.get(word) ?? 0) + 1);
      const names = newest.names.includes(name) ? newest.names : [...newest.names, name];
      const hosts = !event.host || newest.hosts.includes(event.host) ? newest.hosts : [...newest.hosts, event.host];
      // A new object: views compare entries by identity to know what changed.
      this.ring[(this.head + this.size - 1) % this.capacity] = {
        ...newest, lastTimeMs: timeMs, counts, names, hosts, sentence: foldedSentence(counts, names),
      };
      return;
    }
    this.seq += 1;
    const counts = new Map([[word, 1]]);
    this.push({
      kind: 'folded', seq: this.seq, timeMs, lastTimeMs: timeMs, counts, names: [name], hosts: event.host ? [event.host] : [],
      sentence: foldedSentence(counts, [name]),
    });
  }

  private push(entry: LogEntry): void {
    if (this.size < this.capacity) {
      this.ring[(this.head + this.size) % this.capacity] = entry;
      this.size += 1;
      return;
    }
    this.ring[this.head] = entry;
    this.head = (this.head + 1) % this.capacity;
  }

  /** 'health' for a health status that repeats the container's last one, which is news to nobody. */
  private repeatedHealth(event: EngineEvent): string | undefined {
    const { action, argument } = splitAction(event.action);
    if (event.type !== 'container' || action !== 'health_status') return undefined;
    const repeated = this.healthStatuses.get(event.id) === argument;
    remember(this.healthStatuses, event.id, argument);
    return repeated ? 'health' : undefined;
  }
}

/** Sets id's value as the most recent, forgetting the least recent beyond REMEMBERED_NAMES. */
function remember(map: Map<string, string>, id: string, value: string): void {
  map.delete(id);
  map.set(id, value);
  if (map.size > REMEMBERED_NAMES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
