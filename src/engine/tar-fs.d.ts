// tar-fs (a dependency of dockerode) ships no types; only what build.ts uses.
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';

  export interface PackOptions {
    /** Paths relative to the packed directory, packed in this order. */
    entries?: string[];
    /** Called with each absolute path met while walking a directory; true leaves it out. */
    ignore?: (name: string) => boolean;
  }

  const tar: { pack(cwd: string, options?: PackOptions): Readable };
  export default tar;
}
