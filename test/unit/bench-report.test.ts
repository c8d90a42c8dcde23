import { describe, expect, it } from 'vitest';
import { judge, replaceSection } from '../../bench/report.js';

describe('bench figures against the targets of issue #9', () => {
  it('applies a target only at the number of containers it is set for', () => {
    expect(judge({ id: 'startup', n: 50, value: 900, reference: 20, samples: 9 }).verdict).toBe('no target');
    expect(judge({ id: 'event', n: 50, value: 120, samples: 9 })).toMatchObject({ verdict: 'met', target: '≤ 500 ms' });
  });

  it('says by how much each missed target is missed, ratio and value alike', () => {
    const figure = judge({ id: 'startup', n: 200, value: 412, reference: 40, samples: 9 });
    expect(figure.ratio).toBeCloseTo(10.3);
    expect(figure.target).toBe('≤ 8.0× docker ps -a and ≤ 300 ms');
    expect(figure.verdict).toBe('missed');
    expect(figure.missedBy).toBe('10.3× > 8.0× (+29%); 412 ms > 300 ms (+37%)');
  });

  it('meets a ratio target at or under its bound', () => {
    expect(judge({ id: 'idle-cpu', n: 200, value: 1, reference: 2, samples: 3 })).toMatchObject({ verdict: 'met', ratio: 0.5 });
  });
});

describe('replaceSection', () => {
  it('replaces only what lies between the markers', () => {
    const text = 'before\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n';
    expect(replaceSection(text, 'bench', 'new\n')).toBe('before\n<!-- bench:start -->\nnew\n<!-- bench:end -->\nafter\n');
  });

  it('refuses a text without the markers', () => {
    expect(() => replaceSection('no markers', 'bench', 'x')).toThrow('no <!-- bench:start --> … <!-- bench:end --> section');
  });
});
