// The real binary through an engine's faults besides a crash (reconnect.test.ts has SIGKILL): a
// graceful restart, its socket removed while dockerd runs on, and keys pressed while it is gone.
// What a person watching sees: reconnecting, the last list dimmed, words rather than errno or
// stack traces, dockhand still running, and a fresh list once the engine is back.
import { renameSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { BIN } from '../support/dockhand.js';
import { usePrivateEngine, type PrivateEngine } from '../support/private-engine.js';
import { TmuxSession } from '../support/tmux.js';

let engine: PrivateEngine;

usePrivateEngine((started) => {
  engine = started;
});

afterEach(async () => {
  await TmuxSession.killAll();
  // The next test starts on an engine that answers, with none of this one's containers.
  await engine.stop();
  rmSync(`${engine.socketPath}.moved`, { force: true });
  await engine.launch();
  const ids = (await docker('-H', engine.host, 'ps', '-aq')).split('\n').filter(Boolean);
  if (ids.length > 0) await docker('-H', engine.host, 'rm', '-f', ...ids);
}, 90_000);

/** busybox as PID 1 ignores SIGTERM: a 1 s stop timeout keeps a graceful engine stop short. */
function runOn(host: string, name: string, opts: { always?: boolean; cmd?: string[] } = {}): Promise<string> {
  return docker('-H', host, 'run', '-d', '--name', name, '--network', 'none', '--label', `${TEST_LABEL}=1`, '--stop-timeout', '1',
    ...(opts.always ? ['--restart', 'always'] : []), TEST_IMAGE, ...(opts.cmd ?? ['sleep', '3600']));
}

async function startDockhand(): Promise<TmuxSession> {
  const session = await TmuxSession.start({ command: ['node', BIN, '--host', engine.host], cols: 120, rows: 24 });
  await session.waitForText('● live');
  return session;
}

/** The list row of `name` is drawn dim (SGR 2), as the last known state is while reconnecting. */
async function rowIsDimmed(session: TmuxSession, name: string): Promise<boolean> {
  const row = (await session.captureStyled()).split('\n').find((line) => line.includes(name)) ?? '';
  const before = row.slice(0, row.indexOf(name));
  return /\u001B\[(?:[\d;]*;)?2(?:;[\d;]*)?m/.test(before);
}

/** Never an error dump: no stack frame, no errno, no "connect ..." from Node. */
function expectWords(screen: string): void {
  expect(screen).not.toMatch(/\n\s+at |ENOENT|ECONNREFUSED|ECONNRESET|connect E|Error:/);
}

describe('dockhand through engine faults', () => {
  it('a graceful restart (SIGTERM): reconnecting with the last list dimmed, keys answered in words, then a fresh list', async () => {
    await runOn(engine.host, 'dh-gr-a');
    await runOn(engine.host, 'dh-gr-b');
    const session = await startDockhand();
    await session.waitForText(/dh-gr-a\s+running/);
    await session.waitForText(/dh-gr-b\s+running/);

    await engine.stop();
    const down = await session.waitForText('◌ reconnecting', { timeoutMs: 10_000 });
    expect(down).toContain('dh-gr-a');
    expect(down).toContain('dh-gr-b');
    // The selection (a) is in inverse video; the other row is the last known state, dimmed.
    expect(await rowIsDimmed(session, 'dh-gr-b')).toBe(true);

    // Keys while it is down: a lifecycle key says why nothing happens, and opens no dialog.
    await session.type('s');
    const refused = await session.waitForText('dh-gr-a: nothing done, the engine cannot be reached (reconnecting)');
    expect(refused).not.toContain('Stop container');
    // Another container's details, logs, stats and inspect, asked for while it is down: words.
    await session.type('j');
    for (const step of ['', ']', ']', ']']) {
      await session.type(step);
      const screen = await session.waitForText(/Name\s+dh-gr-b[\s\S]*The engine's socket does not exist: the/);
      expectWords(screen);
    }

    await engine.launch();
    await runOn(engine.host, 'dh-gr-later');
    // The restart stopped both: the fresh list says exited, with the container made since.
    const back = await session.waitForText(/● live[\s\S]*dh-gr-later/, { timeoutMs: 5000 });
    expect(back).toMatch(/dh-gr-a\s+exited/);
    expect(back).toMatch(/dh-gr-b\s+exited/);
    expect(await rowIsDimmed(session, 'dh-gr-later')).toBe(false);
    expectWords(back);
  }, 120_000);

  it('its socket removed under a running dockhand: reconnecting, keys answered in words; dockerd restarted, a fresh list', async () => {
    await runOn(engine.host, 'dh-so-a');
    await runOn(engine.host, 'dh-so-b');
    const session = await startDockhand();
    await session.waitForText(/dh-so-b\s+running/);

    // dockerd runs on; its socket's name is gone (the test keeps a way in by the new name). The
    // connection kept alive from before works until it idles out; the next ping (every 10 s) needs
    // a new one, and finds no socket.
    const moved = `${engine.socketPath}.moved`;
    renameSync(engine.socketPath, moved);
    const down = await session.waitForText('◌ reconnecting', { timeoutMs: 15_000 });
    expect(down).toContain('the engine\'s socket does not exist');
    expect(down).toContain('dh-so-a');
    expect(await rowIsDimmed(session, 'dh-so-b')).toBe(true);
    await session.type('p');
    const refused = await session.waitForText('dh-so-a: nothing done, the engine cannot be reached (reconnecting)');
    expect(refused).not.toMatch(/dh-so-a\s+paused/);
    expectWords(refused);

    await docker('-H', `unix://${moved}`, 'run', '-d', '--name', 'dh-so-during', '--network', 'none', '--label', `${TEST_LABEL}=1`, TEST_IMAGE, 'sleep', '3600');
    await engine.stop();
    rmSync(moved, { force: true });
    await engine.launch();
    const back = await session.waitForText(/● live[\s\S]*dh-so-during/, { timeoutMs: 5000 });
    expect(back).toMatch(/dh-so-a\s+exited/);
    expect(back).toMatch(/dh-so-b\s+exited/);
    expectWords(back);
  }, 120_000);

  it('killed while a log streams full screen: the log says so, keys are answered, and the log goes on once it is back', async () => {
    // Restarted by the engine when it comes back, saying so in its log.
    await runOn(engine.host, 'dh-kl-a', { always: true, cmd: ['sh', '-c', 'echo started; exec sleep 3600'] });
    const session = await startDockhand();
    await session.type(']');
    await session.sendKeys('Enter');
    await session.waitForText('dh-kl-a · following');
    await session.waitForText(/^\s*started\s*$/m);

    await engine.kill();
    const said = await session.waitForText(/(Nothing listens at the engine's address|The engine's socket does not exist): the log goes on once the engine is back\./, { timeoutMs: 10_000 });
    expect(said).toContain('◌ reconnecting');
    expectWords(said);

    // Back in the list, keys pressed while it is gone.
    await session.sendKeys('Escape');
    // The list back first: an Esc followed at once by K would reach dockhand as Alt-K.
    await session.waitForText(/NAME\s+STATE/);
    await session.type('K');
    await session.waitForText('dh-kl-a: nothing done, the engine cannot be reached (reconnecting)');
    expect(await session.capture()).not.toContain('Send a signal');

    await session.sendKeys('Enter');
    await engine.launch();
    const back = await session.waitForText(/started[\s\S]*started/, { timeoutMs: 5000 });
    expect(back).toContain('dh-kl-a · following');
    expectWords(back);
    await session.waitForText('● live');
  }, 120_000);
});
