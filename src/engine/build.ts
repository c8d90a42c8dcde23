// `docker build` with the classic builder, as the /build endpoint takes it: the context directory
// packed as a tar the way the CLI packs it (.dockerignore honoured), and the engine's JSON lines
// turned into output lines and one ending, the image id or the engine's error in its words.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import tar from 'tar-fs';
import { toEngineError } from './errors.js';
import { authKeyOf, parseImageReference } from './image-reference.js';
import { readLines } from './lines.js';
import { OutputLog, type OutputRun } from './output-log.js';

export interface BuildOptions {
  /** The reference the image is tagged with (`-t`). */
  tag: string;
  /** The Dockerfile's path inside the context; `Dockerfile` by default. */
  dockerfile?: string;
}

export type BuildUpdate =
  /** One line of the builder's output (steps, RUN output), as the CLI prints it. */
  | { kind: 'output'; line: string }
  /** The last update of a build that succeeded. */
  | { kind: 'built'; imageId: string }
  /** The last update of a build the engine failed, with its words. */
  | { kind: 'failed'; message: string };

/** A context the CLI would refuse to send, said before any request is made. */
export class BuildContextError extends Error {
  override readonly name = 'BuildContextError';
}

/** The Dockerfile's path inside the context, with `/` separators, checked to be a file there. */
export async function resolveDockerfile(contextDir: string, dockerfile = 'Dockerfile'): Promise<string> {
  const relative = path.relative(contextDir, path.resolve(contextDir, dockerfile)).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) {
    throw new BuildContextError(`the Dockerfile ${dockerfile} is not inside the build context ${contextDir}`);
  }
  const found = await stat(path.join(contextDir, relative)).catch(() => undefined);
  if (!found?.isFile()) throw new BuildContextError(`no Dockerfile at ${path.join(contextDir, relative)}`);
  return relative;
}

/** .dockerignore's patterns as moby reads them: trimmed, comments and blank lines dropped. */
async function readIgnorePatterns(contextDir: string): Promise<string[]> {
  const text = await readFile(path.join(contextDir, '.dockerignore'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw new BuildContextError(`cannot read ${path.join(contextDir, '.dockerignore')}: ${err.message}`);
  });
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/** An exception pattern's text as moby compares it with directories: cleaned, no leading `/`. */
function exceptionText(pattern: string): string {
  return path.posix.normalize(pattern.slice(1).trim()).replace(/^\/+/, '');
}

/**
 * The context's paths the CLI sends, relative and in walk order, directories before what they
 * hold. As moby's archive walk: an excluded directory is skipped whole unless an exception
 * pattern starts with its path, in which case it is walked but not itself sent. The Dockerfile
 * and .dockerignore are always sent (the CLI adds exceptions for them).
 */
export async function contextEntries(contextDir: string, dockerfile: string): Promise<string[]> {
  const patterns = [...await readIgnorePatterns(contextDir), `!${dockerfile}`, '!.dockerignore'];
  // A CommonJS module typed as an ES one: `.default` is the factory under both readings.
  const matcher = dockerignore.default({ ignorecase: false }).add(patterns);
  const exceptions = patterns.filter((p) => p.startsWith('!')).map(exceptionText);
  const entries: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    const children = await readdir(path.join(contextDir, directory), { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const relative = directory === '' ? child.name : `${directory}/${child.name}`;
      const excluded = matcher.ignores(relative);
      if (!excluded) entries.push(relative);
      if (child.isDirectory() && (!excluded || exceptions.some((e) => `${e}/`.startsWith(`${relative}/`)))) await walk(relative);
    }
  };
  await walk('');
  return entries;
}

/** The context as an uncompressed tar of exactly `entries` (symlinks kept as links, as the CLI sends them). */
export function packContext(contextDir: string, entries: string[]): Readable {
  // tar-fs would add a listed directory's whole content; the children it walks into are ignored
  // here because `entries` already lists the ones to send.
  return tar.pack(contextDir, { entries, ignore: () => true });
}

/** The updates of a build the engine refused outright: its words as the one, failed, ending. */
export async function* buildRefused(message: string): AsyncGenerator<BuildUpdate> {
  yield { kind: 'failed', message };
}

interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number };
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * The /build response as updates: `stream` text split into lines (a message can hold several or
 * end mid-line), pull status lines without their progress ticks, then `built` with `aux.ID` or
 * `failed` with `errorDetail`. An abort ends the updates with no last one.
 */
export async function* readBuildOutput(body: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<BuildUpdate> {
  let pending = '';
  let imageId: string | undefined;
  let failure: string | undefined;
  function* lines(text: string): Generator<BuildUpdate> {
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) yield { kind: 'output', line: line.replace(/\r$/, '') };
  }
  for await (const raw of readLines(body, signal)) {
    let message: BuildMessage;
    try {
      message = JSON.parse(raw) as BuildMessage;
    } catch {
      yield* lines(`${raw}\n`);
      continue;
    }
    if (typeof message.stream === 'string') yield* lines(message.stream);
    if (typeof message.status === 'string' && message.progressDetail?.current === undefined) {
      yield* lines(`${message.id ? `${message.id}: ` : ''}${message.status}\n`);
    }
    if (typeof message.aux?.ID === 'string') imageId = message.aux.ID;
    if (message.errorDetail?.message !== undefined || message.error !== undefined) {
      failure = (message.errorDetail?.message ?? message.error ?? '').trim();
    }
  }
  if (signal.aborted) return;
  if (pending !== '') yield { kind: 'output', line: pending };
  if (failure !== undefined) yield { kind: 'failed', message: failure };
  else if (imageId !== undefined) yield { kind: 'built', imageId };
  else yield { kind: 'failed', message: 'the engine ended the build without naming an image' };
}

/**
 * The registries (as config.json keys them) of the base images a Dockerfile's FROM lines name,
 * for the credentials a build needs to pull a private base. Skipped: `scratch`, earlier stages
 * named with AS, and references built from ARGs, which only the builder can expand.
 */
export function baseImageRegistries(dockerfile: string): string[] {
  const stages = new Set<string>();
  const registries = new Set<string>();
  // Continuation lines joined first, as the builder reads them.
  const instructions = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const instruction of instructions) {
    const words = instruction.trim().split(/\s+/);
    if (words[0]?.toUpperCase() !== 'FROM') continue;
    const [image, as, stage] = words.slice(1).filter((word) => !word.startsWith('--'));
    if (image === undefined) continue;
    if (as?.toUpperCase() === 'AS' && stage) stages.add(stage.toLowerCase());
    if (image.toLowerCase() === 'scratch' || image.includes('$') || stages.has(image.toLowerCase())) continue;
    try {
      registries.add(authKeyOf(parseImageReference(image)));
    } catch {
      // Not a reference: the builder says so in its own words.
    }
  }
  return [...registries];
}

/** How a build ended: the image it made, the engine's words, or stopped by the user. */
export type BuildOutcome =
  | { status: 'built'; imageId: string }
  | { status: 'failed'; reason: string }
  | { status: 'cancelled' };

/** The `docker build` line equivalent to a build of `contextDir` (shown, never run). */
export function dockerBuildArgs(contextDir: string, options: BuildOptions): string[] {
  return ['docker', 'build', '-t', options.tag, ...(options.dockerfile ? ['-f', options.dockerfile] : []), contextDir];
}

/**
 * One build with its output in a bounded buffer and its outcome, for a view to follow: `start`
 * is the engine's buildImage with the signal cancel() aborts.
 */
export class BuildRun implements OutputRun<BuildOutcome> {
  readonly done: Promise<BuildOutcome>;
  private readonly log = new OutputLog<BuildOutcome>();
  private readonly controller = new AbortController();

  constructor(start: (signal: AbortSignal) => Promise<AsyncIterable<BuildUpdate>>) {
    this.done = this.follow(start);
  }

  output() {
    return this.log.output();
  }

  cancel(): void {
    this.controller.abort();
  }

  private async follow(start: (signal: AbortSignal) => Promise<AsyncIterable<BuildUpdate>>): Promise<BuildOutcome> {
    const { signal } = this.controller;
    try {
      for await (const update of await start(signal)) {
        if (update.kind === 'output') this.log.append([update.line]);
        else return update.kind === 'built' ? this.log.finish({ status: 'built', imageId: update.imageId }) : this.fail(update.message);
      }
    } catch (err) {
      if (!signal.aborted) return this.fail(toEngineError(err).message);
    }
    // An aborted build's updates end with no last one.
    return signal.aborted ? this.log.finish({ status: 'cancelled' }) : this.fail('the build ended without an outcome');
  }

  /**
   * The reason ends the output too, as `docker build` prints it: there it wraps whole, where the
   * one status line cuts a long one (Podman's error quotes the whole failed step).
   */
  private fail(reason: string): BuildOutcome {
    this.log.append([reason]);
    return this.log.finish({ status: 'failed', reason });
  }
}
