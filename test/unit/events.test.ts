import { describe, expect, it } from 'vitest';
import { changesContainerList, parseEventLine } from '../../src/engine/events.js';
import { RestartHistory } from '../../src/engine/restart-history.js';
import type { EngineEvent } from '../../src/engine/types.js';

const CID = '8dfafdbc3a40f5c43b9b8e7d4a2e1c0b9f8e7d6c5b4a39281706f5e4d3c2b1a0';

// Lines as Docker Engine 20.10 writes them on GET /events (container events keep the legacy
// status/id/from fields beside Type/Action/Actor).
const START =
  `{"status":"start","id":"${CID}","from":"busybox:latest","Type":"container","Action":"start",` +
  `"Actor":{"ID":"${CID}","Attributes":{"image":"busybox:latest","name":"web"}},` +
  `"scope":"local","time":1718000000,"timeNano":1718000000123456789}`;
const DIE =
  `{"status":"die","id":"${CID}","from":"busybox:latest","Type":"container","Action":"die",` +
  `"Actor":{"ID":"${CID}","Attributes":{"exitCode":"137","image":"busybox:latest","name":"web"}},` +
  `"scope":"local","time":1718000060,"timeNano":1718000060987654321}`;
const HEALTHY =
  `{"status":"health_status: healthy","id":"${CID}","from":"busybox:latest","Type":"container",` +
  `"Action":"health_status: healthy","Actor":{"ID":"${CID}","Attributes":{"image":"busybox:latest","name":"web"}},` +
  `"scope":"local","time":1718000031,"timeNano":1718000031000000001}`;
const EXEC_START =
  `{"status":"exec_start: sh -c wget -qO- http://localhost/ || exit 1","id":"${CID}","from":"busybox:latest",` +
  `"Type":"container","Action":"exec_start: sh -c wget -qO- http://localhost/ || exit 1",` +
  `"Actor":{"ID":"${CID}","Attributes":{"execID":"5e1f","image":"busybox:latest","name":"web"}},` +
  `"scope":"local","time":1718000030,"timeNano":1718000030500000000}`;
const IMAGE_TAG =
  `{"status":"tag","id":"sha256:4a0d2f6a","Type":"image","Action":"tag",` +
  `"Actor":{"ID":"sha256:4a0d2f6a","Attributes":{"name":"shop/web:latest"}},` +
  `"scope":"local","time":1718000001,"timeNano":1718000001000000000}`;
const NETWORK_CONNECT =
  `{"Type":"network","Action":"connect","Actor":{"ID":"b5c1e2f3a4d5","Attributes":{"container":"${CID}",` +
  `"name":"bridge","type":"bridge"}},"scope":"local","time":1718000000,"timeNano":1718000000100000000}`;
const VOLUME_MOUNT =
  `{"Type":"volume","Action":"mount","Actor":{"ID":"shop_data","Attributes":{"container":"${CID}",` +
  `"destination":"/data","driver":"local","propagation":"","read/write":"true"}},` +
  `"scope":"local","time":1718000000,"timeNano":1718000000050000000}`;

// Lines as Podman 4.3's Docker-compatible service writes them (GET /v1.41/events): libpod's own
// words for some actions, containerExitCode and podId on every container event, and a health
// check's result in HealthStatus beside a bare health_status.
const PID = '4ceb85eba6d3fa558612879bd5158a6368e6b77ad94918acda3447f8889f19b0';
const podmanLine = (action: string, attributes: string, extra = '') =>
  `{"status":"${action}","id":"${PID}","from":"localhost/dockhand-test/busybox:latest","Type":"container",` +
  `"Action":"${action}","Actor":{"ID":"${PID}","Attributes":{${attributes}"dockhand.test":"1",` +
  `"image":"localhost/dockhand-test/busybox:latest","name":"dhev-a","podId":""}},"scope":"local",` +
  `"time":1795673738,"timeNano":1795673738526786934${extra}}`;
const PODMAN_DIE = podmanLine('die', '"containerExitCode":"3","exitCode":"3",');
const PODMAN_DIED = podmanLine('died', '"containerExitCode":"3",');
const PODMAN_REMOVE = podmanLine('remove', '"containerExitCode":"0",');
const PODMAN_CLEANUP = podmanLine('cleanup', '"containerExitCode":"0",');
const PODMAN_INIT = podmanLine('init', '"containerExitCode":"0",');
const PODMAN_EXEC_DIED = podmanLine('exec_died', '"containerExitCode":"1",');
const PODMAN_HEALTH = podmanLine('health_status', '"containerExitCode":"0",', ',"HealthStatus":"unhealthy"');
/** A container labelled exitCode=7: Podman copies labels into every event, and its own exitCode into die. */
const PODMAN_START_LABELLED = podmanLine('start', '"containerExitCode":"0","exitCode":"7",');

function event(type: string, action: string): EngineEvent {
  return { type, action, id: CID, attributes: {}, time: 1718000000, timeNano: '1718000000000000000' };
}

describe('parseEventLine', () => {
  it('parses a container start', () => {
    expect(parseEventLine(START)).toEqual({
      type: 'container',
      action: 'start',
      id: CID,
      attributes: { image: 'busybox:latest', name: 'web' },
      time: 1718000000,
      timeNano: '1718000000123456789',
    });
  });

  it('keeps the exit code of a die', () => {
    const parsed = parseEventLine(DIE);
    expect(parsed?.action).toBe('die');
    expect(parsed?.attributes['exitCode']).toBe('137');
  });

  it('keeps the health result in the action', () => {
    expect(parseEventLine(HEALTHY)?.action).toBe('health_status: healthy');
  });

  it('keeps the command of an exec_start in the action', () => {
    const parsed = parseEventLine(EXEC_START);
    expect(parsed?.action).toBe('exec_start: sh -c wget -qO- http://localhost/ || exit 1');
    expect(parsed?.attributes['execID']).toBe('5e1f');
  });

  it('parses image, network and volume events', () => {
    expect(parseEventLine(IMAGE_TAG)).toMatchObject({ type: 'image', action: 'tag', id: 'sha256:4a0d2f6a' });
    expect(parseEventLine(NETWORK_CONNECT)).toMatchObject({
      type: 'network', action: 'connect', id: 'b5c1e2f3a4d5', attributes: { container: CID, name: 'bridge' },
    });
    expect(parseEventLine(VOLUME_MOUNT)).toMatchObject({
      type: 'volume', action: 'mount', id: 'shop_data', attributes: { 'read/write': 'true', propagation: '' },
    });
  });

  it('takes the id of an image Podman built from its name: its build event has no ID', () => {
    const built = '{"status":"build","Type":"image","Action":"build","Actor":{"ID":"","Attributes":{"containerExitCode":"0",'
      + '"image":"","name":"00dfb20c25c3faa1bb7c625da10d89b280ef0c823e8fced554ca812e1da58de4","podId":""}},'
      + '"scope":"local","time":1795673891,"timeNano":1795673891539963619}';
    expect(parseEventLine(built)).toMatchObject({ type: 'image', action: 'build', id: '00dfb20c25c3faa1bb7c625da10d89b280ef0c823e8fced554ca812e1da58de4' });
  });

  it('keeps timeNano above 2^53 as its exact digits', () => {
    const parsed = parseEventLine(DIE);
    expect(parsed?.timeNano).toBe('1718000060987654321');
    // What JSON.parse alone would have given:
    expect(String(JSON.parse(DIE).timeNano)).toBe('1718000060987654400');
  });

  it('keeps timeNano exact when it is not the last field', () => {
    const line = `{"Type":"container","Action":"stop","timeNano":1718000000999999999,"Actor":{"ID":"${CID}"},"time":1718000000}`;
    expect(parseEventLine(line)?.timeNano).toBe('1718000000999999999');
  });

  it('derives timeNano from time when the line has none', () => {
    const line = `{"Type":"container","Action":"stop","Actor":{"ID":"${CID}"},"time":1718000000}`;
    expect(parseEventLine(line)?.timeNano).toBe('1718000000000000000');
  });

  it('leaves out attributes that are not strings', () => {
    const line = `{"Type":"container","Action":"stop","Actor":{"ID":"${CID}","Attributes":{"name":"web","n":1,"o":null}}}`;
    expect(parseEventLine(line)?.attributes).toEqual({ name: 'web' });
  });

  it('reports what a label named exitCode left in the attributes', () => {
    // Docker copies labels over the attributes, so the daemon writes the label's value, not the real code.
    const line = DIE.replace('"exitCode":"137"', '"exitCode":"not-a-code"');
    expect(parseEventLine(line)?.attributes['exitCode']).toBe('not-a-code');
  });

  it.each([
    ['an empty line', ''],
    ['truncated JSON', START.slice(0, 80)],
    ['a number', '42'],
    ['a string', '"start"'],
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['an empty object', '{}'],
    ['no Actor and no id', '{"Type":"network","Action":"create","scope":"local","time":1718000000}'],
    ['an Actor without ID', '{"Type":"network","Action":"create","Actor":{"Attributes":{}},"time":1718000000}'],
    ['no Action', `{"Type":"container","Actor":{"ID":"${CID}"},"time":1718000000}`],
    ['no Type', `{"Action":"start","Actor":{"ID":"${CID}"},"time":1718000000}`],
  ])('returns undefined for %s', (_what, line) => {
    expect(parseEventLine(line)).toBeUndefined();
  });
});

describe('parseEventLine on Podman', () => {
  const parsed = (line: string) => parseEventLine(line) ?? expect.unreachable(`no event in ${line}`);

  it('reads a die in Docker\'s words, its exit code where Docker puts it', () => {
    expect(parsed(PODMAN_DIE)).toMatchObject({ type: 'container', action: 'die', id: PID, attributes: { exitCode: '3', name: 'dhev-a' } });
    // libpod's own word and attribute, which the compat stream may pass through.
    expect(parsed(PODMAN_DIED)).toMatchObject({ action: 'die', attributes: { exitCode: '3', containerExitCode: '3' } });
  });

  it('calls a removal destroy and a probe\'s exec exec_die, as Docker does', () => {
    expect(parsed(PODMAN_REMOVE).action).toBe('destroy');
    expect(parsed(PODMAN_EXEC_DIED).action).toBe('exec_die');
  });

  it('puts a health check\'s result in the action, as Docker does', () => {
    expect(parsed(PODMAN_HEALTH).action).toBe('health_status: unhealthy');
  });

  it('gives only a death an exit code: containerExitCode is 0 on every other event', () => {
    expect(parsed(PODMAN_REMOVE).attributes).not.toHaveProperty('exitCode');
    expect(parsed(PODMAN_CLEANUP).attributes).not.toHaveProperty('exitCode');
    // A label named exitCode stays what it is, for the restart history to recognise.
    expect(parsed(PODMAN_START_LABELLED).attributes['exitCode']).toBe('7');
  });

  it('keeps Docker\'s own exitCode over a label named containerExitCode', () => {
    const dockerDie = DIE.replace('"exitCode":"137"', '"exitCode":"137","containerExitCode":"5"');
    expect(parsed(dockerDie).attributes['exitCode']).toBe('137');
  });

  it('leaves other engines\' resource actions alone: a network remove is a network remove', () => {
    const networkRemove = NETWORK_CONNECT.replace('"Action":"connect"', '"Action":"remove"');
    expect(parsed(networkRemove).action).toBe('remove');
  });

  it('feeds the restart history Docker\'s vocabulary: a death with its exit code, forgotten on removal', () => {
    const history = new RestartHistory();
    for (const line of [PODMAN_INIT, PODMAN_DIED, PODMAN_CLEANUP, PODMAN_CLEANUP]) history.record(parsed(line));
    expect(history.lastDies(PID)).toEqual([{ time: 1795673738526, exitCode: 3 }]);
    history.record(parsed(PODMAN_REMOVE));
    expect(history.lastDies(PID)).toEqual([]);
  });

  it('changes the list on a removal, a death and a probe result, not on init or cleanup', () => {
    for (const line of [PODMAN_REMOVE, PODMAN_DIE, PODMAN_DIED, PODMAN_HEALTH]) expect(changesContainerList(parsed(line)), line).toBe(true);
    for (const line of [PODMAN_INIT, PODMAN_CLEANUP, PODMAN_EXEC_DIED]) expect(changesContainerList(parsed(line)), line).toBe(false);
  });
});

describe('changesContainerList', () => {
  it.each([
    'create', 'start', 'restart', 'stop', 'die', 'kill', 'oom', 'pause', 'unpause',
    'rename', 'destroy', 'update', 'health_status: unhealthy', 'health_status: healthy',
  ])('is true for container %s', (action) => {
    expect(changesContainerList(event('container', action))).toBe(true);
  });

  it.each([
    'exec_create: sh -c wget -qO- http://localhost/', 'exec_start: sh -c wget -qO- http://localhost/',
    'exec_die', 'attach', 'detach', 'resize', 'top', 'commit', 'export', 'copy',
  ])('is false for container %s', (action) => {
    expect(changesContainerList(event('container', action))).toBe(false);
  });

  it.each([
    ['image', 'delete'], ['image', 'tag'], ['network', 'connect'], ['network', 'destroy'],
    ['volume', 'create'], ['volume', 'destroy'], ['service', 'update'],
  ])('is false for %s %s', (type, action) => {
    expect(changesContainerList(event(type, action))).toBe(false);
  });

  it('is true for a parsed die and false for a parsed health probe exec', () => {
    const die = parseEventLine(DIE);
    const exec = parseEventLine(EXEC_START);
    expect(die && changesContainerList(die)).toBe(true);
    expect(exec && changesContainerList(exec)).toBe(false);
  });
});
