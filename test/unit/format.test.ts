import { describe, expect, it } from 'vitest';

import type { ContainerState, PortMapping } from '../../src/engine/types.js';
import {
  displayWidth,
  formatAge,
  formatBytes,
  formatDecimalBytes,
  formatDuration,
  formatHealth,
  formatPercent,
  formatPorts,
  formatState,
  pad,
  sanitize,
  shortId,
  stateTone,
  takesNoColumn,
  truncate,
  wrapText,
} from '../../src/views/format.js';

const ESC = '\x1b';
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  // What `docker stats` prints for memory: go-units BytesSize, "%.4g" in binary units.
  it.each([
    [0, '0B'],
    [1, '1B'],
    [512, '512B'],
    [1000, '1000B'],
    [1023, '1023B'],
    [1024, '1KiB'],
    [1536, '1.5KiB'],
    [10 * KiB + 512, '10.5KiB'],
    [331776, '324KiB'],
    [1.172 * MiB, '1.172MiB'],
    [12.3 * MiB, '12.3MiB'],
    [123.45 * MiB, '123.4MiB'],
    [1.95 * GiB, '1.95GiB'],
    [25276063744, '23.54GiB'],
    [2 * 1024 * GiB, '2TiB'],
  ])('%d bytes -> %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('stays in a unit until the value reaches its base, as docker stats does', () => {
    expect(formatBytes(MiB - 1)).toBe('1024KiB');
  });

  it('rounds fractional bytes', () => {
    expect(formatBytes(0.4)).toBe('0B');
  });

  it.each([NaN, -1, Infinity])('%d -> "-"', (n) => {
    expect(formatBytes(n)).toBe('-');
  });
});

describe('formatDecimalBytes', () => {
  // What `docker stats` prints for NET I/O and BLOCK I/O: HumanSizeWithPrecision(n, 3).
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1234, '1.23kB'],
    [12_345_678, '12.3MB'],
    [4.5e9, '4.5GB'],
  ])('%d bytes -> %s', (n, text) => {
    expect(formatDecimalBytes(n)).toBe(text);
  });

  it.each([NaN, -1])('%d -> "-"', (n) => expect(formatDecimalBytes(n)).toBe('-'));
});

describe('formatPercent', () => {
  it.each([
    [0, '0.00%'],
    [12.344, '12.34%'],
    [99.5, '99.50%'],
    [99.996, '100.00%'],
    [100, '100.00%'],
    [123.456, '123.46%'],
    [812.3, '812.30%'],
  ])('%d -> %s', (p, text) => {
    expect(formatPercent(p)).toBe(text);
  });

  it('is empty while there is no sample', () => {
    expect(formatPercent(undefined)).toBe('');
  });

  it.each([NaN, -5, Infinity])('%d -> "-"', (p) => {
    expect(formatPercent(p)).toBe('-');
  });
});

describe('formatDuration', () => {
  const DAY = 86_400;
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.9, '59s'],
    [60, '1m'],
    [3 * 60 + 59, '3m'],
    [2 * 3600, '2h'],
    [23 * 3600 + 3599, '23h'],
    [5 * DAY, '5d'],
    [7 * DAY, '1w'],
    [3 * 7 * DAY, '3w'],
    [29 * DAY, '4w'],
    [30 * DAY, '1mo'],
    [2 * 30 * DAY + 1, '2mo'],
    [364 * DAY, '12mo'],
    [365 * DAY, '1y'],
    [3 * 365 * DAY, '3y'],
  ])('%d seconds -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows a negative duration as zero', () => {
    expect(formatDuration(-10)).toBe('0s');
  });

  it.each([NaN, Infinity])('%d -> "-"', (seconds) => {
    expect(formatDuration(seconds)).toBe('-');
  });
});

describe('formatAge', () => {
  const created = 1_700_000_000;

  it('formats the time since creation', () => {
    expect(formatAge(created, (created + 45) * 1000)).toBe('45s');
    expect(formatAge(created, (created + 3 * 3600 + 5) * 1000)).toBe('3h');
  });

  it('never goes negative when the engine clock is ahead', () => {
    expect(formatAge(created, (created - 30) * 1000)).toBe('0s');
  });
});

describe('formatPorts', () => {
  it('is empty for no ports', () => {
    expect(formatPorts([])).toBe('');
  });

  it('lists published and unpublished ports like docker ps, sorted by private port', () => {
    const ports: PortMapping[] = [
      { privatePort: 443, type: 'tcp' },
      { privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' },
    ];
    expect(formatPorts(ports)).toBe('0.0.0.0:8080->80/tcp, 443/tcp');
  });

  it('collapses the IPv4 and IPv6 wildcard pair into one bare mapping', () => {
    const ports: PortMapping[] = [
      { privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' },
      { privatePort: 80, publicPort: 8080, ip: '::', type: 'tcp' },
      { privatePort: 443, type: 'tcp' },
    ];
    expect(formatPorts(ports)).toBe('8080->80/tcp, 443/tcp');
  });

  it('keeps specific addresses, bracketing IPv6', () => {
    const ports: PortMapping[] = [
      { privatePort: 80, publicPort: 8080, ip: '::1', type: 'tcp' },
      { privatePort: 80, publicPort: 8080, ip: '127.0.0.1', type: 'tcp' },
      { privatePort: 53, publicPort: 5353, ip: '::', type: 'udp' },
    ];
    expect(formatPorts(ports)).toBe('[::]:5353->53/udp, 127.0.0.1:8080->80/tcp, [::1]:8080->80/tcp');
  });

  it('lists a specific address next to the wildcard pair', () => {
    const ports: PortMapping[] = [
      { privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' },
      { privatePort: 80, publicPort: 8080, ip: '::', type: 'tcp' },
      { privatePort: 80, publicPort: 8080, ip: '10.0.0.5', type: 'tcp' },
    ];
    expect(formatPorts(ports)).toBe('8080->80/tcp, 10.0.0.5:8080->80/tcp');
  });

  it('drops exact duplicates and shows a mapping without an address bare', () => {
    const ports: PortMapping[] = [
      { privatePort: 80, publicPort: 8080, type: 'tcp' },
      { privatePort: 80, publicPort: 8080, type: 'tcp' },
      { privatePort: 22, type: 'tcp' },
      { privatePort: 22, type: 'tcp' },
    ];
    expect(formatPorts(ports)).toBe('22/tcp, 8080->80/tcp');
  });

  it('keeps tcp and udp on the same port apart', () => {
    const ports: PortMapping[] = [
      { privatePort: 53, publicPort: 53, ip: '0.0.0.0', type: 'udp' },
      { privatePort: 53, publicPort: 53, ip: '0.0.0.0', type: 'tcp' },
    ];
    expect(formatPorts(ports)).toBe('0.0.0.0:53->53/tcp, 0.0.0.0:53->53/udp');
  });
});

describe('formatState', () => {
  it.each<ContainerState>(['running', 'paused', 'restarting', 'created', 'dead', 'removing'])(
    '%s is shown as is',
    (state) => {
      expect(formatState({ state })).toBe(state);
    },
  );

  it('adds the exit code of an exited container', () => {
    expect(formatState({ state: 'exited', exitCode: 137 })).toBe('exited (137)');
    expect(formatState({ state: 'exited', exitCode: 0 })).toBe('exited (0)');
  });

  it('says just "exited" when the code is unknown', () => {
    expect(formatState({ state: 'exited' })).toBe('exited');
  });
});

describe('stateTone', () => {
  it.each<[ContainerState, string]>([
    ['running', 'ok'],
    ['paused', 'warning'],
    ['restarting', 'special'],
    ['removing', 'special'],
    ['created', 'accent'],
    ['exited', 'dim'],
    ['dead', 'error'],
  ])('%s is %s', (state, tone) => {
    expect(stateTone(state)).toBe(tone);
  });
});

describe('formatHealth', () => {
  it.each([
    ['healthy', 'healthy'],
    ['unhealthy', 'unhealthy'],
    ['starting', 'starting'],
    [undefined, ''],
  ] as const)('%s -> %j', (health, text) => {
    expect(formatHealth(health)).toBe(text);
  });
});

describe('shortId', () => {
  const id = '4f66ad9a0b2e8c1d5e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';

  it('keeps the first 12 characters', () => {
    expect(shortId(id)).toBe('4f66ad9a0b2e');
  });

  it('drops an algorithm prefix', () => {
    expect(shortId(`sha256:${id}`)).toBe('4f66ad9a0b2e');
  });

  it('leaves short ids alone', () => {
    expect(shortId('abc')).toBe('abc');
    expect(shortId('')).toBe('');
  });
});

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['日本語', 6],
    ['🐳', 2],
    ['e\u0301', 1],
    ['👨‍👩‍👧', 2],
    ['🇯🇵', 2],
    ['…', 1],
  ])('%j is %d columns', (s, width) => {
    expect(displayWidth(s)).toBe(width);
  });
});

describe('sanitize', () => {
  it('leaves ordinary text alone', () => {
    expect(sanitize('web-1 nginx:1.27 日本語 🐳 café')).toBe('web-1 nginx:1.27 日本語 🐳 café');
  });

  it('removes CSI sequences such as clear screen, cursor moves and colours', () => {
    expect(sanitize(`a${ESC}[2Jb${ESC}[10;20Hc${ESC}[1;31md${ESC}[0m`)).toBe('abcd');
    expect(sanitize(`x${ESC}[?1049hy`)).toBe('xy');
  });

  it('removes OSC sequences terminated by BEL or ST', () => {
    expect(sanitize(`a${ESC}]0;pwned\x07b`)).toBe('ab');
    expect(sanitize(`a${ESC}]2;pwned${ESC}\\b`)).toBe('ab');
    expect(sanitize(`a${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\b`)).toBe('alinkb');
  });

  it('removes everything after an unterminated string sequence', () => {
    expect(sanitize(`name${ESC}]0;still the title`)).toBe('name');
  });

  it('removes DCS and other string sequences', () => {
    expect(sanitize(`a${ESC}P+q544e${ESC}\\b`)).toBe('ab');
    expect(sanitize(`a${ESC}_apc${ESC}\\b`)).toBe('ab');
  });

  it('removes other escapes such as reset and charset switches', () => {
    expect(sanitize(`a${ESC}cb${ESC}(0c${ESC}7d${ESC}`)).toBe('abcd');
  });

  it('removes 8-bit C1 sequences and controls', () => {
    expect(sanitize('a\x9b2Jb\x9d0;t\x9cc\x85d')).toBe('abcd');
  });

  it('removes C0 controls and DEL, turning tabs into spaces', () => {
    expect(sanitize('a\rb\nc\bd\x00e\x07f\x7fg')).toBe('abcdefg');
    expect(sanitize('a\tb')).toBe('a b');
  });

  it('removes bidi embeddings, overrides and isolates', () => {
    expect(sanitize('evil\u202Egnp.exe')).toBe('evilgnp.exe');
    expect(sanitize('\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069x')).toBe('x');
  });

  it('handles a long hostile string', () => {
    const hostile = `${ESC}[2J\r\u202E`.repeat(200) + 'x'.repeat(1000);
    expect(sanitize(hostile)).toBe('x'.repeat(1000));
  });

  it('removes what would take a cell but no column: zero-width characters, direction marks, a mark with nothing to combine with', () => {
    expect(sanitize('zero\u200Bwidth\uFEFF\u2060\u00AD\u200E\u200F\u061C!')).toBe('zerowidth!');
    expect(sanitize('\u0301starts with a mark')).toBe('starts with a mark');
    expect(sanitize('\uD800lone surrogate')).toBe('lone surrogate');
  });

  it('keeps the joiners, selectors and marks that are part of a character', () => {
    for (const text of ['e\u0301', '👨‍👩‍👧‍👦', '❤️', '☺︎', '👍🏽', '1️⃣', '🇯🇵', 'می‌خواهم']) expect(sanitize(text)).toBe(text);
  });
});

describe('takesNoColumn', () => {
  it('is true for graphemes string-width counts as nothing, which Ink would still give a cell', () => {
    for (const grapheme of ['\u200B', '\uFEFF', '\u2060', '\u00AD', '\u200F', '\u0301', '\u115F']) expect(takesNoColumn(grapheme), JSON.stringify(grapheme)).toBe(true);
  });

  it('is false for everything drawn', () => {
    for (const grapheme of ['a', ' ', '日', 'e\u0301', '👨‍👩‍👧‍👦', '🇯🇵']) expect(takesNoColumn(grapheme), grapheme).toBe(false);
  });
});

describe('wrapText', () => {
  it('breaks at the last space that keeps more than half a line, else between graphemes', () => {
    expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapText('abcdefghijklmnop', 6)).toEqual(['abcdef', 'ghijkl', 'mnop']);
    expect(wrapText('a bcdefghijklmnop', 6)).toEqual(['a bcde', 'fghijk', 'lmnop']);
  });

  it('measures display columns and never splits a grapheme', () => {
    expect(wrapText('日本語のコンテナ', 5)).toEqual(['日本', '語の', 'コン', 'テナ']);
    expect(wrapText('🐳👨‍👩‍👧‍👦🇯🇵e\u0301', 4)).toEqual(['🐳👨‍👩‍👧‍👦', '🇯🇵e\u0301']);
  });

  it('sanitizes, and gives empty text one empty line', () => {
    expect(wrapText(`${ESC}[2Jab${ESC}]0;t\x07cd`, 2)).toEqual(['ab', 'cd']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('keeps a grapheme wider than the width on a line of its own rather than looping', () => {
    expect(wrapText('日本', 1)).toEqual(['日', '本']);
  });

  it('ends the last of maxLines in an ellipsis when text is left over', () => {
    expect(wrapText('x'.repeat(1000), 10, 3)).toEqual(['x'.repeat(10), 'x'.repeat(10), `${'x'.repeat(9)}…`]);
    expect(wrapText('x'.repeat(20), 10, 2)).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
  });

  it('wraps 1,000 wide characters into lines that each fit', () => {
    const lines = wrapText('ab日🐳'.repeat(250), 37);
    expect(lines.join('')).toBe('ab日🐳'.repeat(250));
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(37);
  });
});

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('nginx', 5)).toBe('nginx');
    expect(truncate('nginx', 10)).toBe('nginx');
  });

  it('ends with an ellipsis when cut', () => {
    expect(truncate('nginx:latest', 6)).toBe('nginx…');
    expect(truncate('nginx', 1)).toBe('…');
  });

  it.each([0, -3, NaN])('is empty for width %d', (width) => {
    expect(truncate('nginx', width)).toBe('');
  });

  it('measures CJK as two columns and never splits a wide character', () => {
    expect(truncate('日本語', 6)).toBe('日本語');
    expect(truncate('日本語', 5)).toBe('日本…');
    expect(truncate('日本語', 4)).toBe('日…');
    expect(displayWidth(truncate('日本語', 4))).toBe(3);
  });

  it('keeps emoji and combining characters whole', () => {
    expect(truncate('🐳🐳🐳', 4)).toBe('🐳…');
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(truncate('👨‍👩‍👧 family', 3)).toBe('👨‍👩‍👧…');
  });

  it('sanitizes before measuring', () => {
    expect(truncate(`${ESC}[2Jabc${ESC}]0;title\x07`, 3)).toBe('abc');
    expect(truncate(`\r\u202Eabcdef`, 4)).toBe('abc…');
  });

  it('cuts a 1,000-character string', () => {
    const result = truncate('a'.repeat(1000), 20);
    expect(result).toBe('a'.repeat(19) + '…');
    expect(truncate('ab日🐳'.repeat(250), 9)).toBe('ab日🐳ab…');
  });
});

describe('pad', () => {
  it('fills to the width on the right by default', () => {
    expect(pad('web', 6)).toBe('web   ');
  });

  it('right-aligns', () => {
    expect(pad('12MiB', 8, 'right')).toBe('   12MiB');
  });

  it('truncates first', () => {
    expect(pad('nginx:latest', 6)).toBe('nginx…');
  });

  it('fills the column a wide character could not take', () => {
    expect(pad('日本語', 4)).toBe('日… ');
    expect(pad('日本語', 4, 'right')).toBe(' 日…');
  });

  it('is empty for width 0', () => {
    expect(pad('web', 0)).toBe('');
  });

  const tricky = [
    '',
    'a',
    'plain ascii container name',
    '日本語',
    '日本語のコンテナ名',
    '🐳',
    '🐳 whale 🐳',
    '👨‍👩‍👧👨‍👩‍👧',
    '🇯🇵🇺🇸',
    'e\u0301a\u0300o\u0302 combining',
    'a\u0301\u0302\u0303\u0304 stacked',
    `${ESC}[2Jclear`,
    `${ESC}]0;title\x07after`,
    `${ESC}]0;unterminated`,
    'carriage\rreturn\nnewline\ttab',
    '\u202Eevil\u2066isolated\u2069',
    '\x9b31mC1\x85',
    'a日b🐳c',
    'x'.repeat(1000),
    '日'.repeat(1000),
    'zero\u200Bwidth\uFEFF\u2060\u200F',
    '\u0301leading mark',
    '❤️☺︎👍🏽1️⃣',
  ];

  it.each(tricky)('always yields exactly the width for %j', (s) => {
    for (let width = 0; width <= 40; width++) {
      expect(displayWidth(pad(s, width)), `width ${width}`).toBe(width);
      expect(displayWidth(pad(s, width, 'right')), `width ${width}, right`).toBe(width);
    }
  });
});
