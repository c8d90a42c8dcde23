import { describe, expect, it } from 'vitest';
import { successorOf } from '../../src/views/selection.js';
import { makeContainer } from '../support/fake-engine.js';

const composeLabels = (number: string) => ({
  'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': number,
});

describe('successorOf: what takes the place of a selected container that vanished', () => {
  it('the container that has its name now (docker rm, then docker run --name)', () => {
    const lost = makeContainer({ name: 'api' });
    const fresh = makeContainer({ name: 'api' });
    expect(successorOf(lost, [makeContainer({ name: 'db' }), fresh])).toBe(fresh);
  });

  it('nothing when nothing took its name: the neighbour is the list\'s business', () => {
    expect(successorOf(makeContainer({ name: 'api' }), [makeContainer({ name: 'api-2' })])).toBeUndefined();
  });

  it('under Compose, the same replica of the same service, whatever its name for now', () => {
    const lost = makeContainer({ name: 'shop-web-1', labels: composeLabels('1') });
    // Compose v2 names the new container `<old id>_<name>` until the old one is gone.
    const temporary = makeContainer({ name: `${lost.id.slice(0, 12)}_shop-web-1`, labels: composeLabels('1') });
    const otherReplica = makeContainer({ name: 'shop-web-2', labels: composeLabels('2') });
    expect(successorOf(lost, [otherReplica, temporary])).toBe(temporary);
    expect(successorOf(lost, [otherReplica])).toBeUndefined();
  });

  it('in a fleet, only on the lost container\'s own host', () => {
    const lost = { ...makeContainer({ name: 'api' }), host: 'edge' };
    const elsewhere = { ...makeContainer({ name: 'api' }), host: 'here' };
    const there = { ...makeContainer({ name: 'api' }), host: 'edge' };
    expect(successorOf(lost, [elsewhere])).toBeUndefined();
    expect(successorOf(lost, [elsewhere, there])).toBe(there);
  });
});
