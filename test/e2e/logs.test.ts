// The logs viewer on the real engine, read off the screen in tmux as a person would.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, ENGINE_URL, runContainer, waitFor } from '../support/docker.js';
import { expectWithin, startOn, uniqueName, useRealEngineAndTerminal } from '../support/dockhand.js';
import type { TmuxSession } from '../support/tmux.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'dh-logs-'));

useRealEngineAndTerminal();

/** dockhand on the container's Logs tab, opened full screen, in a folder of the test's (for saves). */
async function openLogs(name: string, cols = 80, rows = 24, args: string[] = []): Promise<TmuxSession> {
  const session = await startOn(name, { cols, rows, cwd: work, args });
  await session.type(']');
  await session.sendKeys('Enter');
  await session.waitForText(`${name} · `);
  return session;
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the logs viewer', () => {
  it('keeps a hostile log inside the screen, marks stderr, and finds a word at the end of a 40 KiB line', async () => {
    const name = uniqueName('hostile');
    const script = [
      "printf '\\033[31mred\\033[0m \\033[1mbold\\033[0m colours\\n'",
      "printf 'moves\\033[10;10Hand\\033[2Jclears\\033[H\\n'",
      "printf 'progress 10%%\\rprogress 55%%\\rprogress 100%%\\n'",
      "printf 'binary \\001\\002\\003\\033c\\007 bytes\\n'",
      "printf 'invalid \\377\\376 utf8\\n'",
      "printf 'wide 日本語 emoji 🐳🚀 end\\n'",
      "echo 'to stderr' >&2",
      "head -c 40000 /dev/zero | tr '\\000' 'x'; printf 'NEEDLEWORD tail\\n'",
      'sleep 3600',
    ].join('; ');
    await runContainer({ name, cmd: ['sh', '-c', script] });
    const session = await openLogs(name);
    // Following: the end of the 40 KiB line, wrapped, fills the screen.
    const screen = await session.waitForText('NEEDLEWORD');
    expectWithin(screen, 80, 24);
    const lines = screen.split('\n');
    expect(lines[0]).toContain(ENGINE_URL);
    expect(lines[1]).toContain('Overview');
    await session.type('/NEEDLEWORD');
    await session.sendKeys('Enter');
    const found = await session.waitForText('NEEDLEWORD');
    expect(found).toMatch(/1\/1/);
    expectWithin(found, 80, 24);
    // The top of the log, with the colours, moves and binary made harmless.
    await session.type('g');
    const top = await session.waitForText('red bold colours');
    expectWithin(top, 80, 24);
    expect(top).toMatch(/! to stderr/);
    expect(top).toContain('progress 100%');
    expect(top).not.toContain('progress 10%');
    expect(top).toContain('wide 日本語 emoji 🐳🚀 end');
  });

  it('separates a restart with the exit code before it, and follows the new run', async () => {
    const name = uniqueName('restart');
    await runContainer({ name, cmd: ['sh', '-c', 'echo run-started; sleep 2; exit 3'] });
    const session = await openLogs(name, 120, 30);
    await session.waitForText('run-started');
    await session.waitForText(/exited \(3\)/, { timeoutMs: 8000 });
    await docker('start', name);
    const screen = await session.waitForText('restarted', { timeoutMs: 8000 });
    expect(screen.match(/run-started/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    await waitFor(async () => ((await session.capture()).match(/run-started/g)?.length ?? 0) >= 2, {
      message: 'the second run was not followed',
    });
  });

  it('toggles timestamps with t and narrows the time range with T', async () => {
    const { name } = await runContainer({ name: uniqueName('time'), cmd: ['sh', '-c', 'while :; do echo tick; sleep 0.5; done'] });
    const session = await openLogs(name, 120, 30);
    await session.waitForText('tick');
    await session.type('t');
    await session.waitForText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} tick/);
    await session.type('t');
    await session.waitForText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z tick/);
    await session.type('T');
    await session.waitForText('since 1m');
    // Lines of the last minute are still there, followed live.
    await session.waitForText('tick');
  });

  it('saves the log to a file it names itself, and never overwrites without asking', async () => {
    const { name } = await runContainer({ name: uniqueName('save'), cmd: ['sh', '-c', 'echo saved-line-1; echo saved-line-2; sleep 3600'] });
    const session = await openLogs(name, 120, 30);
    await session.waitForText('saved-line-2');
    await session.type('S');
    const prompt = await session.waitForText('save to: ');
    const file = /save to: (\S+\.log)/.exec(prompt)?.[1] ?? '';
    expect(file).toMatch(new RegExp(`^${name}-\\d{8}-\\d{6}\\.log$`));
    await session.sendKeys('Enter');
    await session.waitForText('saved ');
    const saved = join(work, file);
    expect(existsSync(saved)).toBe(true);
    expect(readFileSync(saved, 'utf8')).toContain('saved-line-1\nsaved-line-2');
    // The same name again (the suggestion moves on with the clock): it must ask first.
    await session.type('S');
    await session.waitForText('save to: ');
    await session.sendKeys(...Array<string>(80).fill('BSpace'));
    await session.type(file);
    await session.sendKeys('Enter');
    await session.waitForText('exists: overwrite it? y/n');
    await session.type('n');
    await session.waitForText('not saved');
  });

  it('filters to matching lines with context around each, like grep -C', async () => {
    const script = 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do if [ $i = 4 ] || [ $i = 10 ]; then echo "MARK $i"; else echo "other $i"; fi; done; sleep 3600';
    const { name } = await runContainer({ name: uniqueName('grep'), cmd: ['sh', '-c', script] });
    const session = await openLogs(name, 120, 30);
    await session.waitForText('other 12');
    await session.type('f');
    await session.type('MARK');
    await session.sendKeys('Enter');
    const filtered = await session.waitForText(/filter "MARK" ±2/);
    expect(filtered).toContain('other 2');
    expect(filtered).toContain('MARK 4');
    expect(filtered).toContain('other 6');
    expect(filtered).not.toContain('other 7');
    expect(filtered).toMatch(/^--/m);
    await session.type('-');
    const narrower = await session.waitForText(/filter "MARK" ±1/);
    expect(narrower).not.toContain('other 2');
    expect(narrower).toContain('other 3');
  });

  it('keeps answering keys with bounded memory while a container writes 20,000 lines a second', async () => {
    // 2,000 lines, then a tenth of a second: about 20,000 lines a second, for as long as it runs.
    const flood = 'while :; do i=0; while [ $i -lt 2000 ]; do echo "flood line $i padding padding padding"; i=$((i+1)); done; usleep 100000; done';
    const { name } = await runContainer({ name: uniqueName('flood'), cmd: ['sh', '-c', flood] });
    const session = await openLogs(name, 120, 30);
    await session.waitForText('flood line');
    const deadline = Date.now() + 10_000;
    let rounds = 0;
    while (Date.now() < deadline) {
      // Each key must take effect while the flood goes on (no timing is asserted, only that it happens).
      await session.type('k');
      await session.waitForText('paused');
      await session.type('G');
      await session.waitForText('following');
      rounds += 1;
    }
    expect(rounds).toBeGreaterThan(0);
    await session.type('t');
    await session.waitForText(/\d\d:\d\d:\d\d\.\d{3} flood line/);
    // meow names the process after the package's bin: "dockhand" (the newest is this test's).
    const pid = (await run('pgrep', ['-n', '-x', 'dockhand'])).stdout.trim();
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    // The buffer keeps 50,000 lines at most: memory stays bounded whatever the flood wrote.
    expect(rssKb).toBeGreaterThan(20 * 1024); // a Node process, not a shell wrapper
    expect(rssKb).toBeLessThan(400 * 1024);
    const header = (await session.capture()).split('\n')[2] ?? '';
    expect(header).toMatch(/50,000 lines|older lines dropped|\d[\d,]* lines/);
  }, 60_000);

  it('merges a Compose project\'s logs with L, each line prefixed with its service, in time order', async () => {
    const project = `mlog${Date.now() % 100000}`;
    const labels = (service: string) => ({
      'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1',
    });
    // By the clock, so their order does not hang on how fast each container starts: web speaks at
    // the start's second and every other one after it, db at the seconds between. Each line is thus
    // a second of its own, which matters on Podman 4.3: its log timestamps are whole seconds
    // (podman#27691), so two lines within one second cannot be put in order.
    const start = Math.floor(Date.now() / 1000) + 2;
    const speakEveryOtherSecond = (service: string, first: number) =>
      `s=${first}; i=0; while :; do while [ "$(date +%s)" -lt "$s" ]; do usleep 20000; done; i=$((i+1)); echo "${service}-$i"; s=$((s+2)); done`;
    await runContainer({ name: `${project}-web-1`, labels: labels('web'), cmd: ['sh', '-c', speakEveryOtherSecond('web', start)] });
    await runContainer({ name: `${project}-db-1`, labels: labels('db'), cmd: ['sh', '-c', speakEveryOtherSecond('db', start + 1)] });
    const session = await startOn(project, { cols: 120, rows: 30 });
    await session.type('L');
    const screen = await session.waitForText(/db +│ db-3/, { timeoutMs: 15_000 });
    expect(screen).toContain(`${project} (Compose project, 2 containers)`);
    const order = [...screen.matchAll(/(web|db) +│ ((?:web|db)-\d+)/g)].map((m) => m[2]);
    const webTwo = order.indexOf('web-2');
    const dbTwo = order.indexOf('db-2');
    expect(webTwo).toBeGreaterThanOrEqual(0);
    expect(dbTwo).toBeGreaterThan(webTwo);
    expect(order.indexOf('web-3')).toBeGreaterThan(dbTwo);
  }, 30_000);

  it('fetches as many old lines as --log-tail says, then follows', async () => {
    const { name } = await runContainer({ name: uniqueName('tail'), cmd: ['sh', '-c', 'for i in $(seq 1 50); do echo "old-$i"; done; sleep 3600'] });
    await waitFor(async () => (await docker('logs', name)).includes('old-50'), { message: 'the container never logged' });
    const session = await openLogs(name, 120, 30, ['--log-tail', '5']);
    const screen = await session.waitForText('old-50');
    expect(screen).toMatch(/· 5 lines/);
    expect(screen).toContain('old-46');
    expect(screen).not.toContain('old-45');
  });
});

