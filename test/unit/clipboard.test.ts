import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { clipboardCopy, OSC52_MAX_BASE64, osc52, saveLines, suggestLogFileName } from '../../src/views/clipboard.js';

describe('osc52', () => {
  test('exact bytes: ESC ] 52 ; c ; base64 BEL', () => {
    expect(osc52('hello', { tmux: false })).toBe('\x1b]52;c;aGVsbG8=\x07');
    // UTF-8 before base64.
    expect(osc52('日本 👍', { tmux: false })).toBe(`\x1b]52;c;${Buffer.from('日本 👍').toString('base64')}\x07`);
    expect(osc52('', { tmux: false })).toBe('\x1b]52;c;\x07');
  });

  test('inside tmux: wrapped in the passthrough with ESC doubled', () => {
    expect(osc52('hello', { tmux: true })).toBe('\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\');
  });

  test('tmux is detected from TMUX by default', () => {
    vi.stubEnv('TMUX', '/tmp/tmux-1000/default,123,0');
    expect(osc52('x')).toMatch(/^\x1bPtmux;/);
    vi.stubEnv('TMUX', '');
    expect(osc52('x')).toBe('\x1b]52;c;eA==\x07');
    vi.unstubAllEnvs();
  });

  test('a long text is cut to what terminals accept, on a character boundary, and says so', () => {
    const text = 'é'.repeat(100_000); // 200,000 bytes
    const copy = clipboardCopy(text, { tmux: false });
    expect(copy.cut).toBe(true);
    expect(copy.totalBytes).toBe(200_000);
    const payload = copy.sequence.slice('\x1b]52;c;'.length, -1);
    expect(payload.length).toBeLessThanOrEqual(OSC52_MAX_BASE64);
    const decoded = Buffer.from(payload, 'base64').toString('utf8');
    expect(decoded).toBe('é'.repeat(decoded.length)); // no half character
    expect(Buffer.byteLength(decoded)).toBe(copy.bytes);
    expect(clipboardCopy('short', { tmux: false })).toMatchObject({ cut: false, bytes: 5, totalBytes: 5 });
    expect(clipboardCopy('abcdef', { tmux: false, maxBytes: 4 })).toMatchObject({ sequence: '\x1b]52;c;YWJjZA==\x07', cut: true });
  });
});

describe('suggestLogFileName', () => {
  test('container name, local date and time', () => {
    expect(suggestLogFileName('web-1', new Date(2024, 5, 10, 10, 0, 1))).toBe('web-1-20240610-100001.log');
  });

  test('sanitised for file systems: no slashes, no leading dot or dash, never empty', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5);
    expect(suggestLogFileName('/proj_web.1', at)).toBe('proj_web.1-20240102-030405.log');
    expect(suggestLogFileName('../../etc/passwd', at)).toBe('etc-passwd-20240102-030405.log');
    expect(suggestLogFileName('-rf *', at)).toBe('rf-20240102-030405.log');
    expect(suggestLogFileName('日本', at)).toBe('container-20240102-030405.log');
    expect(suggestLogFileName('a\x1b[2Jb', at)).toBe('a-2Jb-20240102-030405.log');
    expect(suggestLogFileName('x'.repeat(300), at)).toHaveLength(100 + '-20240102-030405.log'.length);
  });
});

describe('saveLines', () => {
  let dir: string;

  // Relative paths are resolved against the current directory: the test's own, for the test.
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dockhand-save-'));
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  test('writes plain lines relative to the current directory', async () => {
    const result = await saveLines('out.log', ['\x1b[31mred\x1b[0m line', 'tab\tkept', 'bell\x07 gone'], { overwrite: false });
    const expected = 'red line\ntab\tkept\nbell gone\n';
    expect(result).toEqual({ ok: true, path: join(dir, 'out.log'), bytes: Buffer.byteLength(expected) });
    expect(await readFile(join(dir, 'out.log'), 'utf8')).toBe(expected);
  });

  test('refuses to overwrite unless told to', async () => {
    await writeFile(join(dir, 'taken.log'), 'precious\n');
    expect(await saveLines('taken.log', ['new'], { overwrite: false })).toEqual({ ok: false, path: join(dir, 'taken.log'), reason: 'exists' });
    expect(await readFile(join(dir, 'taken.log'), 'utf8')).toBe('precious\n');
    expect(await saveLines('taken.log', ['new'], { overwrite: true })).toMatchObject({ ok: true });
    expect(await readFile(join(dir, 'taken.log'), 'utf8')).toBe('new\n');
  });

  test('a missing directory or a directory as the file is a reason, not an exception', async () => {
    expect(await saveLines('nope/out.log', ['x'], { overwrite: false })).toEqual({ ok: false, path: join(dir, 'nope/out.log'), reason: `no such directory: ${join(dir, 'nope')}` });
    expect(await saveLines('.', ['x'], { overwrite: true })).toMatchObject({ ok: false, reason: expect.stringMatching(/^is a directory/) });
    expect(await saveLines('  ', ['x'], { overwrite: false })).toMatchObject({ ok: false, reason: 'no file name' });
  });
});
