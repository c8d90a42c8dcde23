// The engine's pull/push progress stream as `docker pull`/`docker push` show it. The pull and push
// transcripts are the engine's own lines (Engine 20.10 against registry 2.8), trimmed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/engine/lines.js';
import {
  applyProgressLine, explainRegistryError, initialTransfer, overallBytes, transferStates, type TransferKind, type TransferState,
  withPulledDigest,
} from '../../src/engine/pull-progress.js';

const REGISTRY = '127.0.0.1:5000';
const DIGEST = 'sha256:b7ee36f2d47a22ed79ebde4fb42b1d8d0cfea951dc75e689714b5aafb0c15da2';

const PULL = [
  '{"status":"Pulling from dh/busybox","id":"t1"}',
  '{"status":"Already exists","progressDetail":{},"id":"687e8b83db70"}',
  '{"status":"Pulling fs layer","progressDetail":{},"id":"5a1b2c3d4e5f"}',
  '{"status":"Downloading","progressDetail":{"current":512,"total":2048},"progress":"[==>   ]  512B/2.048kB","id":"5a1b2c3d4e5f"}',
  '{"status":"Verifying Checksum","progressDetail":{},"id":"5a1b2c3d4e5f"}',
  '{"status":"Download complete","progressDetail":{},"id":"5a1b2c3d4e5f"}',
  '{"status":"Extracting","progressDetail":{"current":2048,"total":2048},"progress":"[=====>] 2.048kB/2.048kB","id":"5a1b2c3d4e5f"}',
  '{"status":"Pull complete","progressDetail":{},"id":"5a1b2c3d4e5f"}',
  `{"status":"Digest: ${DIGEST}"}`,
  '{"status":"Status: Downloaded newer image for 127.0.0.1:5000/dh/busybox:t1"}',
];

const PUSH = [
  '{"status":"The push refers to repository [127.0.0.1:5000/dh/busybox]"}',
  '{"status":"Preparing","progressDetail":{},"id":"14dae8f69b12"}',
  '{"status":"Preparing","progressDetail":{},"id":"687e8b83db70"}',
  '{"status":"Pushing","progressDetail":{"current":512,"total":3216},"progress":"[==>  ] 512B/3.216kB","id":"14dae8f69b12"}',
  '{"status":"Mounted from dh/base","progressDetail":{},"id":"687e8b83db70"}',
  '{"status":"Pushing","progressDetail":{"current":138752,"total":3216},"progress":"[=====>] 138.8kB","id":"14dae8f69b12"}',
  '{"status":"Pushed","progressDetail":{},"id":"14dae8f69b12"}',
  `{"status":"t1: digest: ${DIGEST} size: 736"}`,
  `{"progressDetail":{},"aux":{"Tag":"t1","Digest":"${DIGEST}","Size":736}}`,
];

function replay(kind: TransferKind, lines: readonly string[]): TransferState[] {
  const states: TransferState[] = [];
  let state = initialTransfer(kind);
  for (const line of lines) {
    state = applyProgressLine(state, line, REGISTRY);
    states.push(state);
  }
  return states;
}

async function collect(states: AsyncIterable<TransferState>): Promise<TransferState[]> {
  const seen: TransferState[] = [];
  for await (const state of states) seen.push(state);
  return seen;
}

describe('a pull', () => {
  it('follows each layer through its phases with bytes, and keeps the image lines and digest', () => {
    const states = replay('pull', PULL);
    const phases = states.map((s) => s.layers.find((l) => l.id === '5a1b2c3d4e5f')?.phase);
    expect(phases.filter((p, i) => p !== undefined && p !== phases[i - 1])).toEqual(
      ['waiting', 'downloading', 'verifying', 'downloaded', 'extracting', 'complete'],
    );
    expect(states[3]?.layers[1]).toMatchObject({ phase: 'downloading', current: 512, total: 2048, size: 2048 });
    const last = states.at(-1)!;
    expect(last.layers.map((l) => [l.id, l.phase])).toEqual([['687e8b83db70', 'exists'], ['5a1b2c3d4e5f', 'complete']]);
    expect(last.messages).toEqual(['Pulling from dh/busybox', `Digest: ${DIGEST}`, 'Status: Downloaded newer image for 127.0.0.1:5000/dh/busybox:t1']);
    expect(last.digest).toBe(DIGEST);
  });

  it('counts overall bytes over the layers it transfers, never past their sizes', () => {
    const states = replay('pull', PULL);
    expect(overallBytes(states[3]!)).toEqual({ current: 512, total: 2048 });
    expect(overallBytes(states.at(-1)!)).toEqual({ current: 2048, total: 2048 });
  });
});

// Podman 4.3's /v1.41/images/create, as captured: no "Pulling from", no "Pull complete", no digest.
const PODMAN_PULL = [
  '{"status":"Already exists","progressDetail":{},"id":"9639c795f4f4"}',
  '{"status":"Pulling fs layer","progressDetail":{},"id":"6274a57bb432"}',
  '{"status":"Download complete","progressDetail":{},"id":"6274a57bb432"}',
];

describe('a pull on Podman', () => {
  const states = () => transferStates('pull', PODMAN_PULL, REGISTRY, new AbortController().signal);

  it('ends with the digest looked up afterwards, as its stream names none', async () => {
    const last = (await collect(withPulledDigest(states(), async () => DIGEST))).at(-1);
    expect(last?.layers.map((layer) => [layer.id, layer.phase])).toEqual([['9639c795f4f4', 'exists'], ['6274a57bb432', 'downloaded']]);
    expect(last?.outcome).toEqual({ kind: 'done', digest: DIGEST });
  });

  it('ends done without a digest when the look-up finds none or fails', async () => {
    expect((await collect(withPulledDigest(states(), async () => undefined))).at(-1)?.outcome).toEqual({ kind: 'done' });
    expect((await collect(withPulledDigest(states(), () => Promise.reject(new Error('gone'))))).at(-1)?.outcome).toEqual({ kind: 'done' });
  });

  it('leaves a digest the stream named, and a failure, as they are', async () => {
    let lookedUp = false;
    const lookUp = async () => { lookedUp = true; return undefined; };
    const docker = transferStates('pull', PULL, REGISTRY, new AbortController().signal);
    expect((await collect(withPulledDigest(docker, lookUp))).at(-1)?.outcome).toEqual({ kind: 'done', digest: DIGEST });
    const failed = transferStates('pull', ['{"error":"manifest unknown"}'], REGISTRY, new AbortController().signal);
    expect((await collect(withPulledDigest(failed, lookUp))).at(-1)?.outcome?.kind).toBe('failed');
    expect(lookedUp).toBe(false);
  });
});

describe('a push', () => {
  it('shows uploads, mounted and pushed layers, and the digest', async () => {
    const states = await collect(transferStates('push', PUSH, REGISTRY, new AbortController().signal));
    const last = states.at(-1)!;
    expect(last.layers).toEqual([
      { id: '14dae8f69b12', phase: 'pushed', status: 'Pushed', size: 3216 },
      { id: '687e8b83db70', phase: 'mounted', status: 'Mounted from dh/base' },
    ]);
    expect(last.outcome).toEqual({ kind: 'done', digest: DIGEST });
    // The engine's "current" overshoots the total at the end of an upload: capped.
    expect(overallBytes(states[5]!)).toEqual({ current: 3216, total: 3216 });
  });

  it('ends with the engine’s error, explained', async () => {
    const lines = [...PUSH.slice(0, 3), '{"errorDetail":{"message":"no basic auth credentials"},"error":"no basic auth credentials"}', PUSH[3]!];
    const states = await collect(transferStates('push', lines, REGISTRY, new AbortController().signal));
    expect(states.at(-1)!.outcome).toEqual({
      kind: 'failed',
      error: { kind: 'unauthorized', message: 'no basic auth credentials', hint: 'log in with `docker login 127.0.0.1:5000`' },
    });
    expect(states.at(-1)!.layers).toHaveLength(2);
  });

  it('is cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    async function* lines() {
      yield PUSH[0]!;
      controller.abort();
      yield PUSH[1]!;
    }
    const states = await collect(transferStates('push', lines(), REGISTRY, controller.signal));
    expect(states.at(-1)!.outcome).toEqual({ kind: 'cancelled' });
    expect(states.at(-1)!.layers).toEqual([]);
  });
});

describe('explainRegistryError keeps the engine’s words and says what to do', () => {
  it.each([
    ['Head "http://127.0.0.1:5000/v2/dh/x/manifests/1": no basic auth credentials', 'unauthorized', 'log in with `docker login 127.0.0.1:5000`'],
    ['unauthorized: authentication required', 'unauthorized', 'log in with `docker login 127.0.0.1:5000`'],
    ['manifest for 127.0.0.1:5000/dh/nope:1 not found: manifest unknown: manifest unknown', 'not-found', undefined],
    ['denied: requested access to the resource is denied', 'unauthorized', 'log in with `docker login 127.0.0.1:5000` as a user allowed to use this repository'],
    ['Get "https://nohost.invalid/v2/": dial tcp: lookup nohost.invalid on 10.0.0.53:53: no such host', 'unreachable', "check the registry's name and that 127.0.0.1:5000 is reachable from the engine's host"],
    ['something else', 'other', undefined],
  ])('%s', (message, kind, hint) => {
    expect(explainRegistryError(message, REGISTRY)).toEqual({ kind, message, ...(hint ? { hint } : {}) });
  });

  it('tells Docker Hub users to run plain `docker login`', () => {
    expect(explainRegistryError('unauthorized: incorrect username or password', 'docker.io').hint).toBe('log in with `docker login`');
  });
});

describe('odd input', () => {
  it('ignores what is not a progress message, and anything after the outcome', () => {
    const odd = ['', 'not json', '[1,2]', 'null', '42', '{"status":5}', '{"id":"x"}',
      '{"status":"Downloading","id":"x","progressDetail":{"current":-1,"total":"many"}}',
      '{"status":"Downloading","id":"y","progressDetail":null}'];
    const last = replay('pull', odd).at(-1)!;
    expect(last.layers).toEqual([
      { id: 'x', phase: 'downloading', status: 'Downloading' },
      { id: 'y', phase: 'downloading', status: 'Downloading' },
    ]);
    const failed = replay('pull', ['{"error":"boom"}', PULL[2]!]).at(-1)!;
    expect(failed.layers).toEqual([]);
    expect(failed.outcome).toMatchObject({ kind: 'failed', error: { message: 'boom' } });
  });

  const transcript = fc.constantFrom(PULL, PUSH);
  const cuts = fc.array(fc.nat(), { maxLength: 40 });

  it('gives the same states however the bytes are split', () => {
    fc.assert(fc.property(transcript, cuts, (lines, positions) => {
      const bytes = Buffer.from(`${lines.join('\n')}\n`);
      const at = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
      const splitter = new LineSplitter();
      const received: string[] = [];
      let from = 0;
      for (const to of [...at, bytes.length]) {
        received.push(...splitter.push(bytes.subarray(from, to)));
        from = to;
      }
      received.push(...splitter.flush());
      const kind = lines === PULL ? 'pull' : 'push';
      expect(replay(kind, received).at(-1)).toEqual(replay(kind, lines).at(-1));
    }));
  });

  it('never throws on any line, and keeps byte counts finite and non-negative', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean());
    const message = fc.record({
      status: fc.oneof(fc.constantFrom('Downloading', 'Pushing', 'Extracting', 'Pushed', 'Waiting'), fc.string()),
      id: fc.oneof(fc.constantFrom('a', 'b'), value),
      progressDetail: fc.oneof(fc.record({ current: value, total: value }), value),
    }, { requiredKeys: [] });
    const line = fc.oneof(fc.string(), message.map((m) => JSON.stringify(m)));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom<TransferKind>('pull', 'push'), (lines, kind) => {
      const last = replay(kind, lines).at(-1) ?? initialTransfer(kind);
      const { current, total } = overallBytes(last);
      expect(Number.isFinite(current) && Number.isFinite(total)).toBe(true);
      expect(current).toBeGreaterThanOrEqual(0);
      expect(current).toBeLessThanOrEqual(total);
    }));
  });
});
