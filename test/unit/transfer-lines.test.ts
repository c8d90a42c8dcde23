// The pull/push progress view's lines: layer phases in the CLI's words, bars and bytes, the
// outcome always on screen, and layers giving way (finished ones first) on a short screen.
import { describe, expect, it } from 'vitest';
import { applyProgressLine, finishTransfer, initialTransfer, type TransferState } from '../../src/engine/pull-progress.js';
import { buildWords, contextDirectory, defaultBuildTag, progressBar, transferLines } from '../../src/views/transfer-lines.js';

function pullOf(lines: object[], registry = '127.0.0.1:5000'): TransferState {
  return lines.reduce<TransferState>((state, line) => applyProgressLine(state, JSON.stringify(line), registry), initialTransfer('pull'));
}

const layer = (id: string, status: string, progressDetail: object = {}) => ({ id, status, progressDetail });

describe('transferLines', () => {
  it('draws a bar as the CLI does', () => {
    expect(progressBar(0, 100, 12)).toBe('[          ]');
    expect(progressBar(50, 100, 12)).toBe('[====>     ]');
    expect(progressBar(100, 100, 12)).toBe('[==========]');
  });

  it('shows each layer with its phase and bytes, the overall bytes, and how to cancel', () => {
    const state = pullOf([
      layer('aaaaaaaaaaaa', 'Pull complete'),
      layer('bbbbbbbbbbbb', 'Downloading', { current: 1_000_000, total: 4_000_000 }),
      layer('cccccccccccc', 'Already exists'),
    ]);
    const text = transferLines({ reference: 'x:1', state, cancelling: false }, 80, 20).map((line) => line.text);
    expect(text[0]).toBe('Pulling x:1');
    expect(text).toContain('aaaaaaaaaaaa  pull complete');
    expect(text.find((line) => line.startsWith('bbbbbbbbbbbb'))).toMatch(/downloading\s+\[=+>? +\] 1MB\/4MB$/);
    expect(text).toContain('cccccccccccc  already exists');
    expect(text.at(-2)).toMatch(/^Overall\s+\[.*\] 1MB\/4MB\s+3 layers$/);
    expect(text.at(-1)).toBe('Esc cancels the pull');
  });

  it('keeps the moving layers, the overall line and the outcome on a short screen', () => {
    const done = Array.from({ length: 6 }, (_, i) => layer(`done${i}`.padEnd(12, '0'), 'Pull complete'));
    const state = pullOf([...done, layer('moving000000', 'Extracting', { current: 5, total: 10 })]);
    const lines = transferLines({ reference: 'x:1', state, cancelling: true }, 40, 6);
    expect(lines).toHaveLength(6);
    expect(lines.map((line) => line.text)).toEqual([
      'Pulling x:1',
      'done00000000  pull complete',
      'moving000000  extracting         5B/10B',
      '… and 5 more',
      'Overall  7 layers',
      'Cancelling the pull…',
    ]);
  });

  it('says the engine reported no layers when a push ended without any (Podman\'s reports none)', () => {
    const state = [
      { status: 'The push refers to repository [127.0.0.1:5000/dh/x:1]' },
      { status: `1: digest: sha256:${'f'.repeat(64)} size: 737` },
    ].reduce<TransferState>((pushed, line) => applyProgressLine(pushed, JSON.stringify(line), '127.0.0.1:5000'), initialTransfer('push'));
    const view = (finished: boolean) => transferLines({ reference: '127.0.0.1:5000/dh/x:1', state: finished ? finishTransfer(state, false) : state, cancelling: false }, 80, 12)
      .map((line) => line.text);
    expect(view(false)).toContain('Overall  0 layers');
    expect(view(true)).toContain('Overall  the engine reported no layers');
    expect(view(true).at(-1)).toBe(`Pushed 127.0.0.1:5000/dh/x:1, digest sha256:${'f'.repeat(64)}`);
  });

  it('ends with the engine\'s words and what to do about them', () => {
    const state = pullOf([{ error: 'unauthorized: authentication required' }]);
    const text = transferLines({ reference: '127.0.0.1:5000/x:1', state: finishTransfer(state, false), cancelling: false }, 80, 12).map((line) => line.text);
    expect(text).toContain('The pull failed: unauthorized: authentication required');
    expect(text).toContain('To fix: log in with `docker login 127.0.0.1:5000`');
  });
});

describe('build words', () => {
  it('names the image built, the engine\'s words, or the cancel', () => {
    const words = buildWords('app:1');
    expect(words.ended({ status: 'built', imageId: `sha256:${'ab'.repeat(32)}` })).toEqual({ text: 'Built app:1 (abababababab)', tone: 'ok' });
    expect(words.ended({ status: 'failed', reason: 'The command \'/bin/sh -c false\' returned a non-zero code: 1' }).text)
      .toBe('The build failed: The command \'/bin/sh -c false\' returned a non-zero code: 1');
    expect(words.ended({ status: 'cancelled' }).tone).toBe('warning');
  });

  it('reads the directory as a shell would: ~ is home, relative is from where dockhand started', () => {
    expect(contextDirectory('.', '/work/app', '/home/me')).toBe('/work/app');
    expect(contextDirectory('  ', '/work/app', '/home/me')).toBe('/work/app');
    expect(contextDirectory('../lib', '/work/app', '/home/me')).toBe('/work/lib');
    expect(contextDirectory('~/src', '/work/app', '/home/me')).toBe('/home/me/src');
    expect(contextDirectory('/abs', '/work/app', '/home/me')).toBe('/abs');
  });

  it('offers the directory\'s name as a valid repository', () => {
    expect(defaultBuildTag('/src/My_App')).toBe('my-app:latest');
    expect(defaultBuildTag('/src/web..v2')).toBe('web-v2:latest');
    expect(defaultBuildTag('/')).toBe('image:latest');
    expect(defaultBuildTag('/src/__')).toBe('image:latest');
  });
});
