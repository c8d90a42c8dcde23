// Text from the engine is the user's data, not the terminal's instructions.
import { resolve } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { removeTestContainers, requireEngine, runContainer } from '../support/docker.js';
import { TmuxSession } from '../support/tmux.js';

const BIN = resolve('dist/cli.js');
const ESC = '\u001B';

beforeAll(async () => {
  await requireEngine();
});

afterEach(async () => {
  await TmuxSession.killAll();
});

afterAll(async () => {
  await removeTestContainers();
});

describe('hostile engine text on screen', () => {
  it('escape sequences, bidi overrides, CJK, emoji and 1,000-character values never break the layout', async () => {
    const hostile = `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007\u202Eevil\u202C 日本語🐳 `;
    await runContainer({
      name: 'dh-hostile',
      labels: { note: hostile, long: 'x'.repeat(1000) },
      cmd: ['sh', '-c', `# ${hostile}\nsleep 3600`],
    });
    const session = await TmuxSession.start({ command: ['node', BIN], cols: 80, rows: 24 });
    await session.waitForText('● live');
    await session.type('/dh-hostile');
    await session.sendKeys('Enter');
    const screen = await session.waitForText('Label     long=');
    const lines = screen.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    // The header is still the first line, and the sequence that would clear the screen did not.
    expect(lines[0]).toMatch(/unix:\/\/\/var\/run\/docker\.sock/);
    expect(screen).toContain('dh-hostile');
    expect(screen).toContain('evil 日本語');
    expect(screen).not.toContain('\u202E');
  });
});
