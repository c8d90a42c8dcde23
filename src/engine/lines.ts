import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into whole lines. Docker's chunk boundaries do not follow message
 * boundaries (several events can share a chunk, one can be split across two, and a chunk
 * can even end inside a UTF-8 sequence), so nothing may be parsed per chunk.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** Inside a line already known to be too long: drop everything up to its newline. */
  private discarding = false;

  constructor(private readonly maxLineLength = 1024 * 1024) {}

  /** Returns the lines completed by this chunk, without their newline. */
  push(chunk: Buffer | string): string[] {
    const parts = (typeof chunk === 'string' ? chunk : this.decoder.write(chunk)).split('\n');
    const rest = parts.pop() ?? '';
    const lines: string[] = [];
    for (const part of parts) {
      const line = this.partial + part;
      this.partial = '';
      // A line that outgrew the limit is malformed input: drop it whole, never keep its tail.
      if (!this.discarding && line.length > 0 && line.length <= this.maxLineLength) lines.push(line);
      this.discarding = false;
    }
    if (!this.discarding) this.partial += rest;
    if (this.partial.length > this.maxLineLength) {
      this.partial = '';
      this.discarding = true;
    }
    return lines;
  }

  /** What is left when the stream ends. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    const dropped = this.discarding;
    this.partial = '';
    this.discarding = false;
    return rest.length > 0 && !dropped && rest.length <= this.maxLineLength ? [rest] : [];
  }
}

/**
 * Yields the lines of a Node stream until it ends or the signal aborts. An abort ends the
 * iteration at once, even while the stream is idle (event streams carry no heartbeat).
 */
export async function* readLines(stream: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  const stop = () => destroyable.destroy?.();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of stream) {
      for (const line of splitter.push(chunk as Buffer)) {
        if (signal?.aborted) return;
        yield line;
      }
    }
    if (!signal?.aborted) yield* splitter.flush();
  } catch (err) {
    // Destroying the stream on abort ends the loop with a premature-close error: that is the stop.
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
