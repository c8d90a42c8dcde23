// What one dashboard runs on: an engine (or a fleet of them), its live container list and its
// stats sampler, started together and stopped together, so a context switch can replace them whole.
import { connect } from './engine/connect.js';
import { ContainerStore, type ContainerSource } from './engine/container-store.js';
import { resolveEndpoint } from './engine/endpoint.js';
import type { Engine } from './engine/engine.js';
import { EventLog } from './engine/event-log.js';
import { Fleet, type FleetHost } from './engine/fleet.js';
import { StatsSampler } from './engine/stats-sampler.js';
import type { Endpoint } from './engine/types.js';

export interface Session {
  engine: Engine;
  store: ContainerSource;
  sampler: StatsSampler;
  /** The engine's events since the session began, for the events view */
  events: EventLog;
  /** The context in use; '' for a fleet */
  contextName: string;
  stop(): void;
}

/** A session on one engine already connected. */
export function engineSession(engine: Engine): Session {
  const store = new ContainerStore(engine);
  const sampler = new StatsSampler(engine);
  // Following before the store starts: the log has every event the store sees.
  const events = EventLog.follow(store);
  store.start();
  return {
    engine,
    store,
    sampler,
    events: events.log,
    contextName: engine.info.endpoint.contextName,
    stop: () => {
      events.stop();
      store.stop();
      sampler.stop();
      engine.close?.();
    },
  };
}

/**
 * Connects to a Docker context by name; rejects with an EndpointError or ConnectError that says why.
 * A read-only dashboard stays read-only on whatever context it switches to.
 */
export async function contextSession(name: string, env: NodeJS.ProcessEnv, homeDir: string, readOnly = false): Promise<Session> {
  const endpoint = resolveEndpoint({ context: name, env, homeDir });
  return engineSession(await connect(readOnly ? { ...endpoint, readOnly } : endpoint));
}

/** Several engines in one view: hosts that cannot be reached now are shown down and tried again. */
export function fleetSession(hosts: readonly FleetHost[]): Session {
  const fleet = new Fleet(hosts);
  const sampler = new StatsSampler(fleet.engine);
  const events = EventLog.follow(fleet);
  fleet.start();
  return {
    engine: fleet.engine,
    store: fleet,
    sampler,
    events: events.log,
    contextName: '',
    stop: () => {
      events.stop();
      fleet.stop();
      sampler.stop();
    },
  };
}

/**
 * What the fleet calls each host: a context by its name; a --host by its host name ("local" for a
 * unix socket), made unique with -2, -3… when two would read the same.
 */
export function fleetHosts(endpoints: ReadonlyArray<{ endpoint: Endpoint; byContext: boolean }>): FleetHost[] {
  const taken = new Set<string>();
  return endpoints.map(({ endpoint, byContext }) => {
    const base = byContext ? endpoint.contextName : endpoint.hostname ?? 'local';
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
    taken.add(name);
    return { name, endpoint };
  });
}
