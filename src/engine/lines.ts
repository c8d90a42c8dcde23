import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into whole lines. Docker's chunk boundaries do not follow message
 * boundaries (several events can share a chunk, one can be split across two, and a chunk
 * can even end inside a UTF-8 sequence), so nothing may be parsed per chunk.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly maxLineLength = 1024 * 1024) {}

  /** Returns the lines completed by this chunk, without their newline. */
  push(chunk: Buffer | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    // A line that never ends must not grow without bound; a malformed stream is dropped, not kept.
    if (this.partial.length > this.maxLineLength) this.partial = '';
    return parts.filter((line) => line.length > 0);
  }

  /** What is left when the stream ends. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.length > 0 ? [rest] : [];
  }
}

/** Yields the lines of a Node stream until it ends or the signal aborts. */
export async function* readLines(stream: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  try {
    for await (const chunk of stream) {
      if (signal?.aborted) return;
      yield* splitter.push(chunk as Buffer);
    }
    yield* splitter.flush();
  } finally {
    const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
    destroyable.destroy?.();
  }
}
