// Property tests for the event stream path: bytes → LineSplitter → parseEventLine, and what the
// engine does with whatever comes out. The daemon's chunks follow neither lines nor characters, and
// a line can be anything a hostile or broken peer sends: none of it may throw or stop the stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContainerStore } from '../../src/engine/container-store.js';
import { EventLog } from '../../src/engine/event-log.js';
import { changesContainerList, eventTimeMs, parseEventLine } from '../../src/engine/events.js';
import { LineSplitter } from '../../src/engine/lines.js';
import { RestartHistory } from '../../src/engine/restart-history.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

/** Small enough that "huge" lines stay cheap to generate; the production limit only scales this. */
const MAX_LINE = 2048;

/** Text weighted towards what breaks byte-level code: multi-byte and astral characters, quotes, escapes. */
const text = (constraints: { minLength?: number; maxLength?: number } = {}) => fc.string({
  unit: fc.oneof(
    fc.constantFrom('é', '€', '日', '🐳', '\u{10FFFF}', '"', '\\', '\n', '\r', '\u2028', '\uFFFD'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  ...constraints,
});
const nonEmpty = text({ minLength: 1, maxLength: 12 });

/** Attribute names as labels can spell them, the ones that are special to JavaScript objects included. */
const attributeKey = fc.oneof(fc.constantFrom('name', 'image', 'exitCode', 'timeNano', '__proto__', 'constructor', 'toString'), text({ maxLength: 8 }));

interface EventModel {
  type: string;
  action: string;
  id: string;
  attributes: Array<[string, string]>;
  time: number;
  timeNano: string;
}

const eventModel: fc.Arbitrary<EventModel> = fc.record({
  type: nonEmpty,
  action: nonEmpty,
  id: nonEmpty,
  attributes: fc.uniqueArray(fc.tuple(attributeKey, text({ maxLength: 16 })), { selector: ([key]) => key, maxLength: 5 }),
  time: fc.integer({ min: 0, max: 4_000_000_000 }),
  nanos: fc.bigInt({ min: 0n, max: 999_999_999n }),
}).map(({ nanos, ...event }) => ({ ...event, timeNano: String(BigInt(event.time) * 1_000_000_000n + nanos) }));

/** The line as the engine writes it: legacy fields first, timeNano as a bare integer beyond 2^53. */
function eventLine(event: EventModel): string {
  const body = JSON.stringify({
    status: event.action,
    id: event.id,
    from: 'busybox:latest',
    Type: event.type,
    Action: event.action,
    Actor: { ID: event.id, Attributes: Object.fromEntries(event.attributes) },
    scope: 'local',
    time: event.time,
  });
  return `${body.slice(0, -1)},"timeNano":${event.timeNano}}`;
}

/** Lines that are not events; each kind must be skipped without disturbing its neighbours. */
const notAnEvent: fc.Arbitrary<string> = fc.oneof(
  // Truncated: a strict prefix of a JSON object is never valid JSON.
  fc.tuple(eventModel, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
    .map(([event, at]) => {
      const line = eventLine(event);
      return line.slice(0, Math.floor(line.length * at));
    }),
  // Garbage that is not JSON at all.
  text({ maxLength: 40 }).map((s) => s.replaceAll('\n', ' ')).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom('', ' ', '\r', '\t \r', '\uFEFF', '\u0000'),
  // JSON that is not an object.
  fc.oneof(fc.jsonValue({ maxDepth: 1 }).filter((v) => typeof v !== 'object' || v === null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }))
    .map((value) => JSON.stringify(value)),
  // An object missing a field an event needs, or carrying it with the wrong type.
  fc.tuple(eventModel, fc.constantFrom('Type', 'Action', 'ID'), fc.constantFrom(undefined, null, '', 0, 1, true, [], {}, ['x'], { a: 'b' }))
    .map(([event, field, bad]) => {
      const actor: Record<string, unknown> = { ID: event.id, Attributes: Object.fromEntries(event.attributes) };
      const doc: Record<string, unknown> = { Type: event.type, Action: event.action, Actor: actor, time: event.time };
      if (field === 'ID') actor['ID'] = bad;
      else doc[field] = bad;
      return JSON.stringify(doc);
    }),
  // Longer than the splitter keeps: dropped whole, even when it is a well-formed event.
  fc.tuple(eventModel, fc.integer({ min: 1, max: 3 * MAX_LINE })).map(([event, extra]) =>
    eventLine({ ...event, attributes: [['huge', '🐳'.repeat((MAX_LINE + extra) / 2)]] })),
);

type Line = { good: true; event: EventModel } | { good: false; text: string };

const streamLines: fc.Arbitrary<Line[]> = fc.array(
  fc.oneof(
    { arbitrary: eventModel.map((event): Line => ({ good: true, event })), weight: 2 },
    { arbitrary: notAnEvent.map((t): Line => ({ good: false, text: t })), weight: 1 },
  ),
  { maxLength: 12 },
);

function render(lines: readonly Line[], trailingNewline: boolean): Buffer {
  const body = lines.map((line) => (line.good ? eventLine(line.event) : line.text)).join('\n');
  return Buffer.from(trailingNewline ? `${body}\n` : body, 'utf8');
}

/** Cut points anywhere in the buffer, inside multi-byte characters included. */
function chunked(buffer: Buffer, cuts: readonly number[]): Buffer[] {
  const bounds = [0, ...[...new Set(cuts.map((cut) => cut % (buffer.length + 1)))].sort((a, b) => a - b), buffer.length];
  return bounds.slice(1).map((end, i) => buffer.subarray(bounds[i], end));
}

/** What the engine's parseEvents does with a stream, minus the Node stream around it. */
function parseStream(chunks: readonly Buffer[]): EngineEvent[] {
  const splitter = new LineSplitter(MAX_LINE);
  const lines = [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()];
  return lines.flatMap((line) => parseEventLine(line) ?? []);
}

function expected(event: EventModel): EngineEvent {
  return {
    type: event.type, action: event.action, id: event.id,
    attributes: Object.fromEntries(event.attributes), time: event.time, timeNano: event.timeNano,
  };
}

/** Compares attributes by their own entries: a `__proto__` label is an own property, not a prototype. */
function comparable(event: EngineEvent): unknown {
  return { ...event, attributes: Object.entries(event.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

describe('event stream parsing (property)', () => {
  it('yields the same events however the bytes are chunked, split characters included', () => {
    fc.assert(fc.property(streamLines, fc.boolean(), fc.array(fc.nat(), { maxLength: 20 }), (lines, trailing, cuts) => {
      const buffer = render(lines, trailing);
      expect(parseStream(chunked(buffer, cuts)).map(comparable)).toEqual(parseStream([buffer]).map(comparable));
    }));
  });

  it('yields exactly the well-formed events, in order, whatever malformed lines sit between them', () => {
    fc.assert(fc.property(streamLines, fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (lines, trailing, cuts) => {
      const events = parseStream(chunked(render(lines, trailing), cuts));
      const wanted = lines.flatMap((line) => (line.good ? [expected(line.event)] : []));
      expect(events.map(comparable)).toEqual(wanted.map(comparable));
    }));
  });

  it('yields the same events one byte at a time', () => {
    fc.assert(fc.property(streamLines, (lines) => {
      const buffer = render(lines, true);
      const bytes = [...buffer].map((byte) => Buffer.from([byte]));
      expect(parseStream(bytes).map(comparable)).toEqual(parseStream([buffer]).map(comparable));
    }), { numRuns: 30 });
  });

  it('drops a line over the production limit and parses the next one', () => {
    const splitter = new LineSplitter();
    const huge = eventLine({ type: 'container', action: 'start', id: 'c1', attributes: [['x', 'é'.repeat(1_100_000)]], time: 1, timeNano: '1000000000' });
    const next = eventLine({ type: 'container', action: 'die', id: 'c1', attributes: [['exitCode', '1']], time: 2, timeNano: '2000000000' });
    const buffer = Buffer.from(`${huge}\n${next}\n`, 'utf8');
    const lines = [...chunked(buffer, [1, 70_000, 2_100_001]).flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()];
    expect(lines.flatMap((line) => parseEventLine(line) ?? []).map((event) => event.action)).toEqual(['die']);
  });
});

/** Event documents with any field missing, mistyped or odd at any depth. */
const hostileDocument: fc.Arbitrary<unknown> = fc.record({
  Type: fc.oneof(fc.constantFrom('container', 'image', 'network', 'volume'), fc.jsonValue({ maxDepth: 1 })),
  type: fc.jsonValue({ maxDepth: 1 }),
  Action: fc.oneof(
    fc.constantFrom('create', 'start', 'die', 'oom', 'kill', 'destroy', 'exec_start: sh', 'health_status: healthy', 'rename', 'connect', ':', ' '),
    fc.jsonValue({ maxDepth: 1 }),
  ),
  status: fc.jsonValue({ maxDepth: 1 }),
  id: fc.jsonValue({ maxDepth: 1 }),
  Actor: fc.oneof(
    fc.record({
      ID: fc.oneof(fc.constantFrom('c1', 'c2'), fc.jsonValue({ maxDepth: 1 })),
      timeNano: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.jsonValue({ maxDepth: 0 })),
      Attributes: fc.oneof(
        fc.dictionary(attributeKey, fc.oneof(fc.constantFrom('0', '137', '-1', '9', 'SIGKILL', '99999999999999999999', ''), fc.jsonValue({ maxDepth: 1 }))),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 1 }),
  ),
  time: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, 2 ** 53, 5e-324), fc.jsonValue({ maxDepth: 0 })),
  timeNano: fc.oneof(fc.double(), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.jsonValue({ maxDepth: 0 })),
}, { requiredKeys: [] });

/** JSON text of a hostile document; a bigint timeNano is written bare, beyond what doubles hold. */
function hostileLine(doc: unknown): string {
  return JSON.stringify(doc, (_key, value: unknown) => (typeof value === 'bigint' ? `BIGINT${value}BIGINT` : value))
    .replace(/"BIGINT(-?\d+)BIGINT"/g, '$1');
}

describe('malformed event objects (fuzz)', () => {
  it('parseEventLine never throws on any string', () => {
    fc.assert(fc.property(fc.oneof(text({ maxLength: 200 }), fc.json(), hostileDocument.map(hostileLine)), (line) => {
      expect(() => parseEventLine(line)).not.toThrow();
    }), { numRuns: 300 });
  });

  it('an event it accepts has every field of its type, and its time is a finite number', () => {
    fc.assert(fc.property(hostileDocument.map(hostileLine), (line) => {
      const event = parseEventLine(line);
      if (!event) return;
      for (const field of [event.type, event.action, event.id]) {
        expect(typeof field).toBe('string');
        expect(field.length).toBeGreaterThan(0);
      }
      for (const value of Object.values(event.attributes)) expect(typeof value).toBe('string');
      expect(Number.isFinite(event.time)).toBe(true);
      expect(Number.isFinite(eventTimeMs(event))).toBe(true);
    }), { numRuns: 300, examples: [['{"Type":"container","Action":"create","id":"c1","time":1e308}']] });
  });

  it('an exact timeNano is the top-level one, never a nested key of the same name', () => {
    fc.assert(fc.property(hostileDocument, (doc) => {
      const line = hostileLine(doc);
      const event = parseEventLine(line);
      if (!event || !/^\d+$/.test(event.timeNano)) return;
      // Either the document's own timeNano or, when that is no time, the one `time` gives.
      expect([(JSON.parse(line) as { timeNano?: unknown }).timeNano, event.time * 1e9]).toContain(Number(event.timeNano));
    }), { numRuns: 300, examples: [[{ Type: 'container', Action: 'die', Actor: { ID: 'c1', timeNano: 5n }, time: 1, timeNano: 1000000000123456789n }]] });
  });

  it('every label survives as an attribute, __proto__ included', () => {
    fc.assert(fc.property(eventModel, (event) => {
      expect(Object.entries(parseEventLine(eventLine(event))?.attributes ?? {})).toEqual(
        expect.arrayContaining(event.attributes.map(([key, value]) => [key, value])),
      );
      expect(Object.keys(parseEventLine(eventLine(event))?.attributes ?? {})).toHaveLength(event.attributes.length);
    }), { examples: [[{ type: 'container', action: 'start', id: 'c1', attributes: [['__proto__', 'x']], time: 0, timeNano: '0' }]] });
  });

  it('the event handlers take whatever the parser accepts without throwing', () => {
    const history = new RestartHistory();
    const log = new EventLog(200);
    fc.assert(fc.property(fc.array(hostileDocument.map(hostileLine), { maxLength: 10 }), (lines) => {
      for (const event of lines.flatMap((line) => parseEventLine(line) ?? [])) {
        changesContainerList(event);
        history.record(event);
        history.forTriage(event.id, Date.now());
        log.record(event);
      }
      expect(() => log.entries()).not.toThrow();
    }), { numRuns: 200 });
  });

  it('the container store keeps its stream up through hostile events', async () => {
    const engine = new FakeEngine([makeContainer({ id: 'c1', name: 'web' })]);
    const store = new ContainerStore(engine, { refreshThrottleMs: 1 });
    const seen: EngineEvent[] = [];
    let sentinelSeen: (() => void) | undefined;
    store.onEvent((event) => {
      seen.push(event);
      if (event.id === 'sentinel') sentinelSeen?.();
    });
    store.start();
    try {
      await new Promise<void>((resolve) => {
        const poll = () => (store.getSnapshot().loaded ? resolve() : setImmediate(poll));
        poll();
      });
      const events = fc.sample(hostileDocument.map(hostileLine), { numRuns: 300, seed: 42 }).flatMap((line) => parseEventLine(line) ?? []);
      expect(events.length).toBeGreaterThan(20);
      const arrived = new Promise<void>((resolve) => { sentinelSeen = resolve; });
      for (const event of events) engine.emit(event);
      engine.emit({ type: 'container', action: 'start', id: 'sentinel', attributes: {}, time: 1, timeNano: '1000000000' });
      await arrived;
      expect(seen).toHaveLength(events.length + 1);
      expect(store.getSnapshot().connection).toEqual({ status: 'connected' });
    } finally {
      store.stop();
    }
  });
});
