import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/engine/connect.js';
import { containerAddress, Fleet, fleetId, splitFleetId, type FleetHost } from '../../src/engine/fleet.js';
import type { Endpoint } from '../../src/engine/types.js';
import { fleetHosts } from '../../src/session.js';
import { FakeEngine, makeContainer, makeImage, makeVolume } from '../support/fake-engine.js';

function endpoint(url: string, contextName = 'default'): Endpoint {
  return { url, kind: 'tcp', hostname: new URL(url).hostname, contextName, source: '--host' };
}

const fleets: Fleet[] = [];
afterEach(() => {
  for (const fleet of fleets.splice(0)) fleet.stop();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A fleet over fake engines; a host whose engine is undefined refuses to connect. */
function fleetOf(engines: Record<string, FakeEngine | undefined>): Fleet {
  const hosts: FleetHost[] = Object.keys(engines).map((name) => ({ name, endpoint: endpoint(`tcp://${name}:2375`) }));
  const fleet = new Fleet(hosts, {
    connect: async (where) => {
      const engine = engines[where.hostname ?? ''];
      if (!engine) throw new ConnectError(where, 'connection refused', 'start the engine');
      return engine;
    },
    store: { refreshThrottleMs: 1, minBackoffMs: 5, maxBackoffMs: 20 },
    minRetryMs: 10,
    maxRetryMs: 20,
  });
  fleets.push(fleet);
  fleet.start();
  return fleet;
}

describe('fleet ids', () => {
  it('carry the host and split back', () => {
    expect(fleetId('web1', 'abc')).toBe('web1/abc');
    expect(splitFleetId('web1/abc')).toEqual({ host: 'web1', id: 'abc' });
    expect(splitFleetId('abc')).toEqual({ host: undefined, id: 'abc' });
  });

  it('names hosts by context, else by host name, made unique', () => {
    const names = fleetHosts([
      { endpoint: endpoint('tcp://a:1', 'prod'), byContext: true },
      { endpoint: endpoint('tcp://b:1'), byContext: false },
      { endpoint: endpoint('tcp://b:2'), byContext: false },
      { endpoint: { url: 'unix:///var/run/docker.sock', kind: 'unix', contextName: 'default', source: '--host' }, byContext: false },
    ]).map((h) => h.name);
    expect(names).toEqual(['prod', 'b', 'b-2', 'local']);
  });
});

describe('Fleet', () => {
  it('merges the hosts\' lists, each row with its host, even the same engine twice', async () => {
    const shared = new FakeEngine([makeContainer({ name: 'api' })]);
    const fleet = fleetOf({ one: shared, two: shared });
    await until(() => fleet.getSnapshot().containers.length === 2, 'both lists');
    const rows = fleet.getSnapshot().containers;
    expect(rows.map((r) => r.host).sort()).toEqual(['one', 'two']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    expect(fleet.getSnapshot().hosts?.map((h) => h.state.status)).toEqual(['connected', 'connected']);
  });

  it('sends each action to the container\'s own host, by the id that engine knows', async () => {
    const a = new FakeEngine([makeContainer({ name: 'api' })]);
    const b = new FakeEngine([makeContainer({ name: 'db' })]);
    const fleet = fleetOf({ a, b });
    await until(() => fleet.getSnapshot().containers.length === 2, 'both lists');
    const db = fleet.getSnapshot().containers.find((r) => r.name === 'db');
    if (!db) throw new Error('no db');
    await fleet.engine.containerAction(db.id, 'pause');
    expect(b.actions.map((x) => x.action)).toEqual(['pause']);
    expect(a.actions).toEqual([]);
    expect((await fleet.engine.inspectContainer(db.id)).id).toBe(db.id);
    expect(containerAddress(fleet.engine, db.id).id).toBe(b.find('db')?.id);
  });

  it('shows a host that cannot be reached as down with the reason, the others live, and adopts it when it comes up', async () => {
    const a = new FakeEngine([makeContainer({ name: 'api' })]);
    const engines: Record<string, FakeEngine | undefined> = { a, b: undefined };
    const fleet = fleetOf(engines);
    await until(() => fleet.getSnapshot().containers.length === 1, 'the live host');
    await until(() => fleet.getSnapshot().hosts?.[1]?.state.status === 'down', 'b down');
    expect(fleet.getSnapshot().hosts?.[1]?.state).toEqual({ status: 'down', reason: 'connection refused', fix: 'start the engine' });
    expect(fleet.getSnapshot().connection.status).toBe('connected');
    engines['b'] = new FakeEngine([makeContainer({ name: 'late' })]);
    await until(() => fleet.getSnapshot().containers.some((r) => r.name === 'late'), 'b adopted');
  });

  it('keeps a host that dropped as reconnecting with its last rows, and live again when it is back', async () => {
    const a = new FakeEngine([makeContainer({ name: 'api' })]);
    const b = new FakeEngine([makeContainer({ name: 'db' })]);
    const fleet = fleetOf({ a, b });
    await until(() => fleet.getSnapshot().containers.length === 2, 'both lists');
    b.disconnect();
    await until(() => fleet.getSnapshot().hosts?.[1]?.state.status === 'reconnecting', 'b reconnecting');
    expect(fleet.getSnapshot().containers.map((r) => r.name).sort()).toEqual(['api', 'db']);
    expect(fleet.getSnapshot().hosts?.[0]?.state.status).toBe('connected');
    b.reconnect();
    await until(() => fleet.getSnapshot().hosts?.[1]?.state.status === 'connected', 'b back');
  });

  it('asks the focused host about images; focus moves to another host', async () => {
    const a = new FakeEngine([]);
    const b = new FakeEngine([]);
    b.images.push(makeImage({ tags: ['only-on-b:1'] }));
    const fleet = fleetOf({ a, b });
    await until(() => fleet.getSnapshot().hosts?.every((h) => h.state.status === 'connected') === true, 'both connected');
    expect(await fleet.engine.listImages()).toEqual([]);
    fleet.focus('b');
    expect(fleet.getSnapshot().focusedHost).toBe('b');
    expect((await fleet.engine.listImages()).map((i) => i.tags)).toEqual([['only-on-b:1']]);
  });

  it('refuses calls for a host that is down in words, not a crash', async () => {
    const fleet = fleetOf({ a: new FakeEngine([]), b: undefined });
    await until(() => fleet.getSnapshot().hosts?.[1]?.state.status === 'down', 'b down');
    fleet.focus('b');
    await expect(fleet.engine.listVolumes()).rejects.toThrow('b is not connected: connection refused');
    await expect(fleet.engine.containerAction('nohost/abc', 'start')).rejects.toThrow('no such container');
  });

  it('forwards events with the fleet\'s container ids and the host they came from', async () => {
    const a = new FakeEngine([]);
    const fleet = fleetOf({ a });
    const seen: Array<{ id: string; host: string | undefined }> = [];
    fleet.onEvent((event) => seen.push({ id: event.id, host: event.host }));
    await until(() => fleet.getSnapshot().hosts?.[0]?.state.status === 'connected', 'connected');
    await until(() => a.subscriberCount > 0, 'subscribed');
    const row = a.addContainer(makeContainer({ name: 'new' }));
    a.addVolume(makeVolume({ name: 'data' }));
    await until(() => seen.some((event) => event.id === 'data'), 'the volume event');
    expect(seen[0]).toEqual({ id: fleetId('a', row.id), host: 'a' });
    // Only container ids carry the host: a volume's name is the same on every host.
    expect(seen.at(-1)).toEqual({ id: 'data', host: 'a' });
  });
});

