import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/engine/log-buffer.js';
import { ProjectLogFollower, projectMembers } from '../../src/engine/project-logs.js';
import { FakeEngine, makeContainer } from '../support/fake-engine.js';

const at = (iso: string) => ({ time: iso, timeMs: Date.parse(iso) });

describe('projectMembers', () => {
  it('labels containers by service, with the replica number where a service has several', () => {
    const members = projectMembers([
      { id: 'a', name: 'shop-web-1', service: 'web', labels: { 'com.docker.compose.container-number': '1' } },
      { id: 'b', name: 'shop-web-2', service: 'web', labels: { 'com.docker.compose.container-number': '2' } },
      { id: 'c', name: 'shop-db-1', service: 'db', labels: { 'com.docker.compose.container-number': '1' } },
    ]);
    expect(members).toEqual([{ id: 'a', label: 'web-1' }, { id: 'b', label: 'web-2' }, { id: 'c', label: 'db' }]);
  });
});

describe('ProjectLogFollower', () => {
  it('merges the services\' lines in time order, each prefixed with its service in its own colour', async () => {
    const web = makeContainer({ name: 'shop-web-1', project: 'shop', service: 'web' });
    const db = makeContainer({ name: 'shop-db-1', project: 'shop', service: 'db' });
    const engine = new FakeEngine([web, db]);
    engine.setLogs(web.id, [
      { stream: 'stdout', text: 'web one', ...at('2024-06-10T10:00:01.000Z') },
      { stream: 'stdout', text: 'web three', ...at('2024-06-10T10:00:03.000Z') },
    ]);
    engine.setLogs(db.id, [
      { stream: 'stdout', text: 'db two', ...at('2024-06-10T10:00:02.000Z') },
      { stream: 'stderr', text: 'db four', ...at('2024-06-10T10:00:04.000Z') },
    ]);
    const buffer = new LogBuffer();
    const merger = new ProjectLogFollower(engine, {
      members: projectMembers([web, db]),
      tail: 100,
      buffer,
      subscribeEvents: () => () => undefined,
      mergeIntervalMs: 10,
    });
    await merger.start();
    try {
      const deadline = Date.now() + 3000;
      while (buffer.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const lines = buffer.slice(0, buffer.length).filter((e) => e.kind === 'line');
      expect(lines.map((e) => e.plain)).toEqual(['web │ web one', 'db  │ db two', 'web │ web three', 'db  │ db four']);
      expect(lines[3]?.stream).toBe('stderr');
      // Each service in a colour of its own (SGR before the label).
      expect(lines[0]?.text).toMatch(/^\u001B\[36mweb/);
      expect(lines[1]?.text).toMatch(/^\u001B\[33mdb/);
    } finally {
      merger.stop();
    }
  });
});
