// Working on many containers at once, in the real binary in tmux: marks, sorting, the palette.
import { describe, expect, it } from 'vitest';
import { inspect, runContainer, waitFor } from '../support/docker.js';
import { filterTo, startDockhand, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';

useRealEngineAndTerminal();

/** A container that stops at once on SIGTERM (sleep as PID 1 would wait out the stop timeout). */
const STOPPABLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

describe('many containers at once', () => {
  it('Space marks three containers; s asks once naming them and y stops all three', async () => {
    const word = uniqueName('trio');
    const trio = await Promise.all([1, 2, 3].map((n) => runContainer({ name: `${word}-${n}`, cmd: STOPPABLE })));
    const bystander = await runContainer({ name: uniqueName('stays'), cmd: STOPPABLE });
    const session = await startDockhand({ cols: 100, rows: 30 });
    await session.waitForText('● live');
    await filterTo(session, word);
    await session.type('   ');
    await session.waitForText(`● ${word}-3`);
    await session.type('s');
    const dialog = await session.waitForText('Stop 3 containers?');
    for (const { name } of trio) expect(dialog).toContain(name);
    await session.type('y');
    for (const { id } of trio) {
      await waitFor(async () => (await inspect(id)).State.Running === false, { timeoutMs: 15_000, message: `${id} still running` });
    }
    expect((await inspect(bystander.id)).State.Running).toBe(true);
  });

  it('o sorts by name with the arrow in the title, O reverses', async () => {
    const word = uniqueName('order');
    await runContainer({ name: `${word}-b` });
    await runContainer({ name: `${word}-a` });
    const session = await startDockhand({ cols: 100, rows: 30 });
    await session.waitForText('● live');
    await filterTo(session, word);
    await session.type('o');
    const byName = await session.waitForText('NAME▲');
    expect(byName.indexOf(`${word}-a`)).toBeLessThan(byName.indexOf(`${word}-b`));
    await session.type('O');
    const reversed = await session.waitForText('NAME▼');
    expect(reversed.indexOf(`${word}-b`)).toBeLessThan(reversed.indexOf(`${word}-a`));
  });

  it('the palette switches lists and sorts: :images, then :sort cpu back on the containers', async () => {
    const session = await startDockhand();
    await session.waitForText('● live');
    await session.type(':ima');
    await session.sendKeys('Tab');
    await session.waitForText(':images');
    await session.sendKeys('Enter');
    await session.waitForText('REPOSITORY:TAG');
    await session.type(':sort cpu');
    await session.sendKeys('Enter');
    await session.waitForText('CPU▼');
  });
});
