import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'dockhand-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('packs into a tarball that installs into an empty prefix and runs dockhand --version', async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { maxBuffer: 16 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    expect(packed).toBeDefined();
    const filename = packed?.filename ?? '';
    const prefix = join(work, 'prefix');
    await run('npm', ['install', '--global', '--prefix', prefix, join(work, filename)], { maxBuffer: 16 * 1024 * 1024 });
    const version = await run(join(prefix, 'bin', 'dockhand'), ['--version']);
    const expected = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(version.stdout.trim()).toBe(expected);
  }, 180_000);
});
