// The real binary through an engine crash and restart: what a person watching the screen sees.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/dockhand.js';
import { usePrivateEngine, type PrivateEngine } from '../support/private-engine.js';
import { TmuxSession } from '../support/tmux.js';

let engine: PrivateEngine;

usePrivateEngine((started) => {
  engine = started;
});

afterEach(async () => {
  await TmuxSession.killAll();
});

describe('dockhand when its engine dies and comes back', () => {
  it('shows reconnecting, keeps the last list on screen, then a fresh list within 5 s of the engine being back', async () => {
    await engine.run('--name', 'dh-before');
    const session = await TmuxSession.start({ command: ['node', BIN, '--host', engine.host], cols: 120, rows: 24 });
    await session.waitForText('dh-before');
    await session.waitForText('● live');

    await engine.kill();
    const down = await session.waitForText('reconnecting', { timeoutMs: 5000 });
    expect(down).toContain('dh-before'); // the last known state stays, dimmed
    expect(down).not.toMatch(/\n\s+at /);

    await engine.launch();
    await engine.run('--name', 'dh-after');
    const back = Date.now();
    await session.waitForText(/● live[\s\S]*dh-after|dh-after[\s\S]*● live/, { timeoutMs: 5000 });
    const screen = await session.waitForText('● live', { timeoutMs: 100 });
    expect(screen).toContain('dh-after');
    expect(Date.now() - back).toBeLessThan(5000);
  }, 120_000);
});
