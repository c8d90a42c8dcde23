import { describe, expect, it } from 'vitest';
import { describeEvent, EventLog, foldedSentence, noiseKind, type LogEntry } from '../../src/engine/event-log.js';
import type { ContainerSnapshot } from '../../src/engine/container-store.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { makeContainer } from '../support/fake-engine.js';

const T0 = Date.parse('2024-06-01T12:00:00Z');

let clock = T0;
/** An event as parseEventLine makes it, one second after the previous one. */
function event(type: string, action: string, id: string, attributes: Record<string, string> = {}, host?: string): EngineEvent {
  clock += 1000;
  return {
    type, action, id, attributes, time: Math.floor(clock / 1000), timeNano: `${BigInt(clock) * 1_000_000n}`,
    ...(host ? { host } : {}),
  };
}

const web = (action: string, attributes: Record<string, string> = {}) =>
  event('container', action, 'c0ffee', { name: 'web-1', image: 'busybox', ...attributes });

const sentences = (entries: readonly LogEntry[]) => entries.map((entry) => entry.sentence);

describe('describeEvent', () => {
  it.each([
    ['web-1 created from busybox', web('create')],
    ['web-1 started', web('start')],
    ['web-1 restarted', web('restart')],
    ['web-1 stopped', web('stop')],
    ['web-1 was sent SIGTERM', web('kill', { signal: '15' })],
    ['web-1 was sent SIGUSR1', web('kill', { signal: 'SIGUSR1' })],
    ["web-1 ran out of memory: the kernel's OOM killer struck", web('oom')],
    ['web-1 paused', web('pause')],
    ['web-1 unpaused', web('unpause')],
    ['web-1 removed', web('destroy')],
    ['web-old renamed to web-1', web('rename', { oldName: '/web-old' })],
    ['web-1 turned unhealthy', web('health_status: unhealthy')],
    ['web-1 is healthy', web('health_status: healthy')],
    ['web-1 exited cleanly (exit 0)', web('die', { exitCode: '0' })],
    ['web-1 died (exit 3, application-defined)', web('die', { exitCode: '3' })],
    ['web-1 died (exit 127, command not found)', web('die', { exitCode: '127' })],
    ['web-1 died (exit 137, killed: SIGKILL)', web('die', { exitCode: '137' })],
    ['web-1 died (exit 143, terminated: SIGTERM)', web('die', { exitCode: '143' })],
    ['web-1 died', web('die', { exitCode: 'oops' })],
    ['image busybox:latest pulled', event('image', 'pull', 'busybox:latest', { name: 'busybox:latest' })],
    ['image abababababab tagged app:v2', event('image', 'tag', `sha256:${'ab'.repeat(32)}`, { name: 'app:v2' })],
    ['image abababababab untagged', event('image', 'untag', `sha256:${'ab'.repeat(32)}`, { name: `sha256:${'ab'.repeat(32)}` })],
    ['image abababababab deleted', event('image', 'delete', `sha256:${'ab'.repeat(32)}`, {})],
    ['volume data created (local)', event('volume', 'create', 'data', { driver: 'local' })],
    ['volume data removed', event('volume', 'destroy', 'data', { driver: 'local' })],
    ['network front created (bridge)', event('network', 'create', 'n1', { name: 'front', type: 'bridge' })],
    ['network front removed', event('network', 'destroy', 'n1', { name: 'front', type: 'bridge' })],
    ['ffffffffffff connected to network front', event('network', 'connect', 'n1', { name: 'front', container: 'f'.repeat(64) })],
    ['ffffffffffff disconnected from network front', event('network', 'disconnect', 'n1', { name: 'front', container: 'f'.repeat(64) })],
    ['daemon host-1 reload', event('daemon', 'reload', 'd1', { name: 'host-1' })],
  ])('says "%s"', (sentence, engineEvent) => {
    expect(describeEvent(engineEvent).sentence).toBe(sentence);
  });

  it('says out of memory for a die that an oom event preceded', () => {
    const words = describeEvent(web('die', { exitCode: '137' }), { oom: true });
    expect(words.sentence).toBe('web-1 died (exit 137, out of memory)');
    expect(words.tone).toBe('error');
    expect(words.meaning).toMatch(/out-of-memory killer/);
  });

  it('explains the exit code, and tells a death asked for from a crash by its tone', () => {
    expect(describeEvent(web('die', { exitCode: '139' })).meaning).toMatch(/SIGSEGV/);
    expect(describeEvent(web('die', { exitCode: '139' })).tone).toBe('error');
    expect(describeEvent(web('die', { exitCode: '143' }), { killed: true }).tone).toBe('warning');
  });

  it('names a network event\'s container when it is known', () => {
    const connect = event('network', 'connect', 'n1', { name: 'front', container: 'f'.repeat(64) });
    expect(describeEvent(connect, { containerName: 'web-1' }).sentence).toBe('web-1 connected to network front');
  });

  it('falls back to the short id when the engine gave no name', () => {
    expect(describeEvent(event('container', 'start', 'a'.repeat(64))).sentence).toBe('aaaaaaaaaaaa started');
  });
});

describe('noise', () => {
  it.each([
    ['container', 'exec_create: sh -c true', 'exec'],
    ['container', 'exec_start: sh -c true', 'exec'],
    ['container', 'exec_die', 'exec'],
    ['container', 'top', 'top'],
    ['volume', 'mount', 'mount'],
    // Podman's: before every start, after every death.
    ['container', 'init', 'init'],
    ['container', 'cleanup', 'cleanup'],
    ['container', 'health_status: unhealthy', undefined],
    ['container', 'die', undefined],
    ['image', 'top', undefined],
  ])('%s %s is folded as %s', (type, action, word) => {
    expect(noiseKind({ type, action })).toBe(word);
  });

  it('counts a folded run by kind and names what it was about', () => {
    expect(foldedSentence(new Map([['exec', 3]]), ['web-1'])).toBe('3 exec events folded (web-1)');
    expect(foldedSentence(new Map([['exec', 1]]), ['web-1'])).toBe('1 exec event folded (web-1)');
    expect(foldedSentence(new Map([['exec', 12], ['top', 2]]), ['a', 'b', 'c', 'd', 'e']))
      .toBe('12 exec, 2 top events folded (a, b, c and 2 more)');
  });
});

describe('EventLog', () => {
  it('pairs an oom with the die it causes: "web-1 died (exit 137, out of memory)"', () => {
    const log = new EventLog();
    for (const e of [web('oom'), web('die', { exitCode: '137' }), web('start'), web('die', { exitCode: '137' })]) log.record(e);
    expect(sentences(log.entries())).toEqual([
      "web-1 ran out of memory: the kernel's OOM killer struck",
      'web-1 died (exit 137, out of memory)',
      'web-1 started',
      // The next death has an oom of its own or none.
      'web-1 died (exit 137, killed: SIGKILL)',
    ]);
  });

  it('folds a run of exec events into one entry that counts them, between the events around it', () => {
    const log = new EventLog();
    log.record(web('start'));
    log.record(web('exec_create: sh -c false'));
    log.record(web('exec_start: sh -c false'));
    log.record(event('container', 'exec_die', 'd00d', { name: 'db', exitCode: '1' }));
    log.record(web('health_status: unhealthy'));
    log.record(web('exec_create: sh -c false'));
    expect(sentences(log.entries())).toEqual([
      'web-1 started',
      '3 exec events folded (web-1, db)',
      'web-1 turned unhealthy',
      '1 exec event folded (web-1)',
    ]);
    const folded = log.entries()[1];
    expect(folded?.kind === 'folded' && folded.lastTimeMs - folded.timeMs).toBe(2000);
  });

  it('folds a health status that repeats the last (Podman reports every probe, Docker only changes)', () => {
    const log = new EventLog();
    for (const status of ['starting', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy', 'healthy']) log.record(web(`health_status: ${status}`));
    log.record(event('container', 'health_status: healthy', 'd00d', { name: 'db' }));
    log.record(web('destroy'));
    log.record(web('health_status: healthy'));
    expect(sentences(log.entries())).toEqual([
      'web-1 health: starting',
      'web-1 turned unhealthy',
      '2 health events folded (web-1)',
      'web-1 is healthy',
      '1 health event folded (web-1)',
      // Another container's first, and a removed container's history forgotten.
      'db is healthy',
      'web-1 removed',
      'web-1 is healthy',
    ]);
  });

  it('reads a Podman container\'s life in Docker\'s words, its init and cleanups folded', () => {
    const log = new EventLog();
    for (const e of [web('create'), web('init'), web('start'), web('die', { exitCode: '3' }), web('cleanup'), web('cleanup'), web('destroy')]) log.record(e);
    expect(sentences(log.entries())).toEqual([
      'web-1 created from busybox',
      '1 init event folded (web-1)',
      'web-1 started',
      'web-1 died (exit 3, application-defined)',
      '2 cleanup events folded (web-1)',
      'web-1 removed',
    ]);
  });

  it('keeps the newest entries within its capacity, with a sequence number each', () => {
    const log = new EventLog(3);
    for (const action of ['create', 'start', 'pause', 'unpause', 'stop']) log.record(web(action));
    expect(sentences(log.entries())).toEqual(['web-1 paused', 'web-1 unpaused', 'web-1 stopped']);
    expect(log.entries().map((entry) => entry.seq)).toEqual([3, 4, 5]);
  });

  it('tells subscribers about every event, a folded one included', () => {
    const log = new EventLog();
    let calls = 0;
    const off = log.subscribe(() => { calls += 1; });
    log.record(web('exec_create: true'));
    log.record(web('exec_start: true'));
    off();
    log.record(web('start'));
    expect(calls).toBe(2);
    expect(log.getVersion()).toBe(3);
  });

  it('keeps the time, host, type, action and every attribute of an event', () => {
    const log = new EventLog();
    log.record(event('container', 'health_status: healthy', 'h1/c0ffee', { name: 'web-1', image: 'busybox', 'com.example': 'x' }, 'h1'));
    expect(log.entries()[0]).toMatchObject({
      kind: 'event', timeMs: clock, host: 'h1', type: 'container', action: 'health_status', id: 'h1/c0ffee', name: 'web-1',
      attributes: { name: 'web-1', image: 'busybox', 'com.example': 'x' }, tone: 'ok',
    });
  });

  it('follows a source from the start, naming a network event\'s container by its events or its list', () => {
    const listed = makeContainer({ id: 'e'.repeat(64), name: 'old-timer' });
    let listener: (e: EngineEvent) => void = () => undefined;
    const source = {
      getSnapshot: (): ContainerSnapshot => ({ containers: [{ ...listed, id: `h1/${listed.id}`, host: 'h1' }], connection: { status: 'connected' }, loaded: true }),
      onEvent: (l: (e: EngineEvent) => void) => { listener = l; return () => { listener = () => undefined; }; },
    };
    const { log, stop } = EventLog.follow(source);
    listener(event('container', 'create', `h1/${'1'.repeat(64)}`, { name: 'newcomer' }, 'h1'));
    listener(event('network', 'connect', 'n1', { name: 'front', container: '1'.repeat(64) }, 'h1'));
    listener(event('network', 'connect', 'n1', { name: 'front', container: listed.id }, 'h1'));
    stop();
    listener(web('start'));
    expect(sentences(log.entries())).toEqual([
      'newcomer created',
      'newcomer connected to network front',
      'old-timer connected to network front',
    ]);
  });
});
