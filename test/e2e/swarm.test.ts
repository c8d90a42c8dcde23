// Swarm services and nodes in the real binary, in tmux, on an engine of the test's own in swarm
// mode (a swarm changes the whole engine: never the shared one). Scaling is checked against what
// the engine itself then reports.
import { afterEach, describe, expect, it } from 'vitest';
import { docker, waitFor } from '../support/docker.js';
import { BIN, expectWithin, uniqueName } from '../support/dockhand.js';
import { createService, initSwarm, replicasOf, usePrivateEngine } from '../support/swarm.js';
import { TmuxSession } from '../support/tmux.js';

const privateEngine = usePrivateEngine();

afterEach(async () => {
  await TmuxSession.killAll();
});

const startOnEngine = () => TmuxSession.start({ command: ['node', BIN, '--host', privateEngine().host], cols: 80, rows: 24, env: {} });

/** Task lines of the details pane that say running, e.g. "#2        running 3s ago, on vm". */
const runningTaskLines = (screen: string) => screen.split('\n').filter((line) => /#\d\s+running\b/.test(line));

describe('Swarm in a terminal', () => {
  it('6 on an engine outside a swarm says it is not a swarm manager', async () => {
    const session = await startOnEngine();
    await session.waitForText('● live');
    await session.type('6');
    await session.waitForText('not a swarm manager (docker swarm init');
  }, 60_000);

  it('6 lists the service at 2/2; + makes it 3/3 (the engine confirms 3); Enter shows 3 running tasks; 7 shows the node as leader', async () => {
    const engine = privateEngine();
    await initSwarm(engine);
    const name = uniqueName('web');
    await createService(engine, name, 2);
    await waitFor(async () => (await docker('-H', engine.host, 'service', 'ls', '--filter', `name=${name}`, '--format', '{{.Replicas}}')) === '2/2', {
      timeoutMs: 20_000, intervalMs: 250, message: `${name} running 2/2`,
    });

    const session = await startOnEngine();
    await session.waitForText('● live');
    await session.type('6');
    const listed = await session.waitForText(new RegExp(`${name}\\s+replicated\\s+2/2`));
    expect(listed).toMatch(/1 service · 0 short of replicas/);
    expectWithin(listed, 80, 24);

    await session.type('+');
    await session.waitForText(new RegExp(`${name}\\s+replicated\\s+3/3`), { timeoutMs: 20_000 });
    expect(await replicasOf(engine, name)).toBe(3);

    await session.sendKeys('Enter');
    const tasks = await waitFor(async () => {
      const screen = await session.capture();
      return runningTaskLines(screen).length === 3 ? screen : undefined;
    }, { timeoutMs: 10_000, intervalMs: 200, message: 'three running tasks in the details' });
    expect(tasks).toContain('Tasks: 3 running of 3');
    await session.sendKeys('Escape');
    await session.waitForText('REPLICAS');

    await session.type('7');
    const nodes = await session.waitForText(/manager, leader/);
    expect(nodes).toMatch(/\S+\s+ready\s+active\s+manager, leader/);
    expect(nodes).toContain('1 node · 0 not ready');
  }, 90_000);
});
