// --read-only: dashboards left open on production engines, where a stray key must not stop a
// service. The refusal lives here, in the engine layer, so no view (present or future) can get
// a mutating request past it: the engine's mutating calls reject, and the docker CLI / compose /
// custom commands, which could change anything, are never started for a read-only endpoint.
import type { Engine } from './engine.js';
import type { Endpoint } from './types.js';

export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';

  constructor(what: string) {
    super(`read-only: ${what} is refused (dockhand was started with --read-only)`);
  }
}

type EngineCall = Exclude<keyof Engine, 'info' | 'close'>;

/**
 * Every call of the Engine interface, read or refused with what it would have done. A Record
 * over the whole interface: a call added to Engine does not compile until it is placed here.
 */
const CALLS: Record<EngineCall, 'read' | { refused: string }> = {
  ping: 'read',
  listContainers: 'read',
  inspectContainer: 'read',
  openEvents: 'read',
  sampleStats: 'read',
  streamStats: 'read',
  top: 'read',
  logs: 'read',
  listImages: 'read',
  listImageTree: 'read',
  inspectImage: 'read',
  listVolumes: 'read',
  listNetworks: 'read',
  diskUsage: 'read',
  swarmStatus: 'read',
  listServices: 'read',
  listTasks: 'read',
  listNodes: 'read',
  serviceLogs: 'read',
  containerAction: { refused: 'changing a container' },
  removeImage: { refused: 'removing an image' },
  removeVolume: { refused: 'removing a volume' },
  removeNetwork: { refused: 'removing a network' },
  pullImage: { refused: 'pulling an image' },
  pushImage: { refused: 'pushing an image' },
  tagImage: { refused: 'tagging an image' },
  removeBuildCache: { refused: 'removing build cache' },
  scaleService: { refused: 'scaling a service' },
  removeService: { refused: 'removing a service' },
  setNodeAvailability: { refused: 'changing a node' },
  buildImage: { refused: 'building an image' },
  runContainer: { refused: 'running a container' },
};

/** The engine with every mutating call rejecting with a ReadOnlyError before any request is made. */
export function readOnlyEngine(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, property) {
      const call = typeof property === 'string' ? CALLS[property as EngineCall] : undefined;
      if (call !== undefined && call !== 'read') return () => Promise.reject(new ReadOnlyError(call.refused));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Throws before a program that could change the engine is aimed at a read-only endpoint. */
export function refuseIfReadOnly(endpoint: Endpoint, what: string): void {
  if (endpoint.readOnly) throw new ReadOnlyError(what);
}
