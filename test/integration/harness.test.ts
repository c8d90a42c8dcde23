// Proves the test harness itself: a real engine with the test image, and a real terminal.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL,
  docker,
  inspect,
  removeTestContainers,
  requireEngine,
  runContainer,
  waitFor,
} from '../support/docker.js';
import { TmuxSession } from '../support/tmux.js';

describe('docker support', () => {
  beforeAll(async () => {
    await requireEngine();
  });
  afterAll(removeTestContainers);

  it('runs a labelled container from the test image, and removeTestContainers removes it', async () => {
    const { id, name } = await runContainer({ labels: { 'dockhand.role': 'probe' } });
    const info = await inspect(id);
    expect(info.State.Running).toBe(true);
    expect(info.Name).toBe(`/${name}`);
    expect(info.Config.Image).toBe(TEST_IMAGE);
    expect(info.Config.Labels).toMatchObject({ [TEST_LABEL]: '1', 'dockhand.role': 'probe' });

    await removeTestContainers();
    expect(await docker('ps', '--all', '--quiet', '--filter', `id=${id}`)).toBe('');
    await removeTestContainers(); // nothing left: no error
  });

  it('waits for a non-detached container to exit', async () => {
    const { id } = await runContainer({ cmd: ['sh', '-c', 'exit 3'], detach: false });
    const info = await inspect(id);
    expect(info.State).toMatchObject({ Running: false, Status: 'exited', ExitCode: 3 });
  });

  it('waitFor polls until truthy and times out with the message and last value', async () => {
    let calls = 0;
    expect(await waitFor(() => ++calls >= 3 && calls)).toBe(3);
    await expect(waitFor(() => false, { timeoutMs: 100, message: 'never' })).rejects.toThrow(
      /waiting for never; last value: false/,
    );
  });
});

describe('tmux support', () => {
  afterEach(() => TmuxSession.killAll());

  it('shows output, takes typed input and reports exit status 0', async () => {
    const session = await TmuxSession.start({ command: ['sh', '-c', 'echo hello; read x; echo got $x'] });
    await session.waitForText('hello');
    await session.type('abc');
    await session.sendKeys('Enter');
    await session.waitForText('got abc');
    expect(await session.waitForExit()).toBe(0);
  });

  it('reports a non-zero exit status and keeps the final screen', async () => {
    const session = await TmuxSession.start({ command: ['sh', '-c', 'echo bye; exit 3'] });
    expect(await session.waitForExit()).toBe(3);
    expect(await session.capture()).toMatch(/^bye$/m);
  });

  it('passes argv verbatim, sizes the terminal and sets the environment', async () => {
    const session = await TmuxSession.start({
      command: ['sh', '-c', 'printf "%s|" "$@"; echo; stty size; echo "$TERM/$FOO/${CI-unset}"', 'sh', "it's", '$HOME', 'a  b'],
      cols: 100,
      rows: 30,
      env: { FOO: 'x y' },
    });
    expect(await session.waitForExit()).toBe(0);
    const lines = await session.captureLines();
    expect(lines).toHaveLength(30);
    expect(lines.slice(0, 3)).toEqual(["it's|$HOME|a  b|", '30 100', 'xterm-256color/x y/unset']);
  });

  it('resizes the terminal', async () => {
    const session = await TmuxSession.start({ command: ['sh', '-c', 'while read x; do stty size; done'] });
    await session.sendKeys('Enter');
    await session.waitForText('24 80');
    await session.resize(120, 40);
    await session.sendKeys('Enter');
    await session.waitForText('40 120');
  });

  it('fails waitForText with the expected text and the screen', async () => {
    const session = await TmuxSession.start({ command: ['sh', '-c', 'echo something else; sleep 5'] });
    await expect(session.waitForText('nope', { timeoutMs: 200 })).rejects.toThrow(
      /waiting for "nope"\n--- screen ---\nsomething else\n/,
    );
    const exited = await TmuxSession.start({ command: ['true'] });
    await expect(exited.waitForText('nope')).rejects.toThrow(/exited \(status 0\) without showing "nope"/);
  });

  it('kill is idempotent', async () => {
    const session = await TmuxSession.start({ command: ['sleep', '60'] });
    await session.kill();
    await session.kill();
    await expect(session.capture()).rejects.toThrow();
  });
});
