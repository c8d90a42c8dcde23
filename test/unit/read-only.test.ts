// --read-only is enforced in the engine layer: whatever a view asks, no mutating request leaves.
import { describe, expect, test } from 'vitest';
import { composeInvocation } from '../../src/engine/compose.js';
import { dockerCliArgs } from '../../src/engine/docker-cli.js';
import { readOnlyEngine, ReadOnlyError } from '../../src/engine/read-only.js';
import { parseRunForm, type RunSpec } from '../../src/engine/run-spec.js';
import type { Endpoint } from '../../src/engine/types.js';
import { commandEnvironment } from '../../src/views/custom-commands.js';
import { FakeEngine, makeContainer, makeImage, makeVolume } from '../support/fake-engine.js';

const endpoint: Endpoint = { url: 'unix:///var/run/docker.sock', kind: 'unix', socketPath: '/var/run/docker.sock', contextName: 'default', source: 'default', readOnly: true };

function engines() {
  const web = makeContainer({ name: 'web' });
  const fake = new FakeEngine([web]);
  fake.images.push(makeImage({ tags: ['shop/web:1'] }));
  fake.volumes.push(makeVolume({ name: 'data' }));
  return { fake, engine: readOnlyEngine(fake), web };
}

describe('readOnlyEngine', () => {
  test('every mutating call rejects with a ReadOnlyError and reaches nothing', async () => {
    const { fake, engine, web } = engines();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['containerAction', () => engine.containerAction(web.id, 'stop')],
      ['removeImage', () => engine.removeImage('shop/web:1')],
      ['removeVolume', () => engine.removeVolume('data')],
      ['removeNetwork', () => engine.removeNetwork('n1')],
      ['pullImage', () => engine.pullImage('shop/web:1', new AbortController().signal)],
      ['pushImage', () => engine.pushImage('shop/web:1', new AbortController().signal)],
      ['tagImage', () => engine.tagImage('shop/web:1', 'shop/web:copy')],
      ['removeBuildCache', () => engine.removeBuildCache('c1')],
      ['scaleService', () => engine.scaleService('s1', 3, 1)],
      ['removeService', () => engine.removeService('s1')],
      ['setNodeAvailability', () => engine.setNodeAvailability('n1', 'drain', 1)],
      ['buildImage', () => engine.buildImage('/nonexistent', { tag: 'shop/web:2' }, new AbortController().signal)],
      ['runContainer', () => engine.runContainer((parseRunForm({ image: 'shop/web:1' }) as { spec: RunSpec }).spec)],
    ];
    for (const [name, call] of calls) {
      const refusal = await call().then(() => undefined, (err: unknown) => err);
      expect(refusal, name).toBeInstanceOf(ReadOnlyError);
      expect((refusal as Error).message, name).toMatch(/^read-only: .+ is refused \(dockhand was started with --read-only\)$/);
    }
    expect(fake.actions).toEqual([]);
    expect(fake.images.map((i) => i.tags)).toEqual([['shop/web:1']]);
    expect(fake.registry.size).toBe(0);
    expect(fake.volumes.map((v) => v.name)).toEqual(['data']);
    expect(fake.find('web')?.state).toBe('running');
    expect(fake.containers.map((c) => c.name)).toEqual(['web']);
  });

  test('reads go through, with the engine itself as `this`', async () => {
    const { fake, engine } = engines();
    expect((await engine.listContainers()).map((c) => c.name)).toEqual(['web']);
    expect((await engine.listImages()).map((i) => i.tags)).toEqual([['shop/web:1']]);
    expect(engine.info).toBe(fake.info);
  });
});

describe('programs that could change the engine are not started for a read-only endpoint', () => {
  test('the docker CLI (shell, attach), compose and custom commands', () => {
    expect(() => dockerCliArgs(endpoint, {})).toThrow(ReadOnlyError);
    expect(() => composeInvocation({ kind: 'plugin', path: '/usr/bin/docker' }, endpoint, {})).toThrow(ReadOnlyError);
    expect(() => commandEnvironment(endpoint, {})).toThrow(ReadOnlyError);
    const writable = { ...endpoint, readOnly: false };
    expect(dockerCliArgs(writable, {}).args).toEqual(['-H', 'unix:///var/run/docker.sock']);
    expect(commandEnvironment(writable, {})['DOCKER_HOST']).toBe('unix:///var/run/docker.sock');
  });
});
