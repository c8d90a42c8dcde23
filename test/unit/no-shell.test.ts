// Commands run from argv lists: nothing the engine returns can become shell syntax. Checked on
// the source (how every child process is started) and on a real process given hostile values.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandRun } from '../../src/engine/compose.js';
import { expandArgv } from '../../src/views/custom-commands.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'dh-no-shell-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('how dockhand starts programs', () => {
  it('only spawn and execFile, never a shell option, never exec/execSync', () => {
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      const imported = /import\s*\{([^}]*)\}\s*from\s*'node:child_process'/.exec(text)?.[1];
      if (imported === undefined) {
        expect(text, file).not.toMatch(/child_process/);
        continue;
      }
      const names = imported.split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean);
      expect(names.filter((n) => !['spawn', 'execFile', 'ChildProcess'].includes(n)), file).toEqual([]);
      expect(text, file).not.toMatch(/shell:\s*true/);
    }
  });
});

describe('hostile values stay one argument each', () => {
  const hostile = `x; touch ${scratch}/a $(touch ${scratch}/b) \`touch ${scratch}/c\` | touch ${scratch}/d && '"\\ *`;

  it('a placeholder is filled inside its own element', () => {
    expect(expandArgv(['echo', 'name={{Name}}', '{{ID}}'], { Name: hostile, ID: '--rm' })).toEqual(['echo', `name=${hostile}`, '--rm']);
  });

  it('a real process receives the value verbatim and nothing in it runs', async () => {
    const run = new CommandRun(expandArgv(['printf', '%s\\n', '{{Name}}'], { Name: hostile }));
    expect(await run.done).toEqual({ status: 'exited', exitCode: 0 });
    expect(run.output().lines).toEqual([hostile]);
    for (const file of ['a', 'b', 'c', 'd']) expect(existsSync(join(scratch, file)), file).toBe(false);
  });
});
