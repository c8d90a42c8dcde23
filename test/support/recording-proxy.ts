// A unix socket in front of the real engine that forwards every byte both ways and writes down
// the request line of every HTTP request that passes: what a client asked of the engine, as the
// engine would see it, whichever library or program made the request.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_SOCKET } from './docker.js';

export interface RecordedRequest {
  method: string;
  path: string;
}

// A request line at the start of a chunk or after the previous request's end. Bodies are JSON
// or tar and never hold "\r\nPOST /… HTTP/1.1\r\n", so this does not miscount on our own traffic.
const REQUEST_LINE = /(?:^|\r\n)([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/g;

export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(readonly socketPath: string, private readonly dir: string, private readonly server: net.Server) {}

  static async start(enginePath = ENGINE_SOCKET): Promise<RecordingProxy> {
    const dir = await mkdtemp(join(tmpdir(), 'dh-proxy-'));
    const socketPath = join(dir, 'engine.sock');
    let proxy: RecordingProxy | undefined;
    const server = net.createServer((client) => {
      const engine = net.connect(enginePath);
      proxy?.track(client, engine);
      client.on('data', (chunk: Buffer) => proxy?.record(chunk));
      client.pipe(engine).pipe(client);
    });
    proxy = new RecordingProxy(`unix://${socketPath}`, dir, server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
    return proxy;
  }

  /** The requests that could change the engine. */
  mutating(): RecordedRequest[] {
    return this.requests.filter((r) => !['GET', 'HEAD'].includes(r.method));
  }

  private record(chunk: Buffer): void {
    for (const match of chunk.toString('latin1').matchAll(REQUEST_LINE)) {
      this.requests.push({ method: match[1] ?? '', path: match[2] ?? '' });
    }
  }

  private track(...sockets: net.Socket[]): void {
    for (const socket of sockets) {
      this.sockets.add(socket);
      // Either side going away ends the pair: a stream the client dropped must not linger.
      socket.on('error', () => undefined).on('close', () => {
        this.sockets.delete(socket);
        for (const other of sockets) other.destroy();
      });
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
