// Build contexts for the build tests: a temporary directory holding the given files.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Contexts made by one test file, removed together by removeContexts(). */
export class BuildContexts {
  private readonly dirs: string[] = [];

  /** A directory holding `files` (paths relative to it, parents made as needed). */
  async make(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'dh-build-'));
    this.dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return dir;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
