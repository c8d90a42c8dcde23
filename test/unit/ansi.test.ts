import { describe, expect, it } from 'vitest';
import { cleanTerminalText, parseSgr, stripSgr, xterm256, type StyledSpan } from '../../src/engine/ansi.js';

const ESC = '\x1b';
const CSI = `${ESC}[`;
const RED = `${CSI}31m`;
const RESET = `${CSI}0m`;

describe('cleanTerminalText', () => {
  // [what, raw line, what a terminal-safe pane shows (SGR kept)]
  const CASES: Array<[string, string, string]> = [
    ['plain text is untouched', 'GET /health 200 12ms', 'GET /health 200 12ms'],
    ['SGR colours are kept', `${RED}error${RESET} done`, `${RED}error${RESET} done`],
    ['bare reset ESC[m is kept', `${CSI}1mbold${CSI}m`, `${CSI}1mbold${CSI}m`],
    ['256-colour and truecolour SGR are kept', `${CSI}38;5;208mo${CSI}48;2;10;20;30mx`, `${CSI}38;5;208mo${CSI}48;2;10;20;30mx`],
    ['colon-form SGR is kept', `${CSI}38:2::255:0:0mred`, `${CSI}38:2::255:0:0mred`],
    ['clear screen ESC[2J goes', `before${CSI}2Jafter`, 'beforeafter'],
    ['cursor home ESC[H and positioning go', `${CSI}H${CSI}10;20Hhere`, 'here'],
    ['cursor moves go', `a${CSI}3Ab${CSI}2Bc${CSI}5Cd${CSI}Ds`, 'abcds'],
    ['erase line goes', `50%${CSI}K`, '50%'],
    ['private modes (hide cursor, alt screen) go', `${CSI}?25l${CSI}?1049hx${CSI}?25h`, 'x'],
    ['a private-marker sequence ending in m is not a colour', `${CSI}>4;2mkeys`, 'keys'],
    ['SGR with an intermediate byte is not kept', `${CSI}1 mx`, 'x'],
    ['OSC window title ended by BEL goes', `${ESC}]0;pwned title\x07text`, 'text'],
    ['OSC ended by ST goes', `${ESC}]2;title${ESC}\\text`, 'text'],
    ['OSC 8 hyperlink keeps only its label', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\ here`, 'click here'],
    ['OSC 52 clipboard write goes', `${ESC}]52;c;ZXZpbA==\x07ok`, 'ok'],
    ['unterminated OSC swallows the rest, as a terminal does', `ok${ESC}]0;never ends`, 'ok'],
    ['DCS, APC, PM and SOS strings go', `a${ESC}Pq#0;2;0;0;0${ESC}\\b${ESC}_apc${ESC}\\c${ESC}^pm${ESC}\\d${ESC}Xsos${ESC}\\e`, 'abcde'],
    ['two-character ESC sequences go', `${ESC}7save${ESC}8${ESC}(B${ESC}M${ESC}c${ESC}=done`, 'savedone'],
    ['a lone ESC at the end goes', `end${ESC}`, 'end'],
    ['an unfinished CSI at the end goes', `end${CSI}12;`, 'end'],
    ['C1 CSI (U+009B) is read as CSI; its SGR becomes ESC[', 'a\u009b2Jb\u009b32mc', `ab${CSI}32mc`],
    ['C1 OSC and other C1 controls go', 'a\u009d0;title\u009cb\u0085c\u008ed', 'abcd'],
    ['\\r progress redraw keeps the last state', '10%\r20%\r100%', '100%'],
    ['\\r\\n is a line end, not a redraw', 'done\r\n', 'done'],
    ['a trailing \\r keeps what was drawn', 'downloading 42%\r', 'downloading 42%'],
    ['colours before a \\r still colour what follows', `${CSI}32m10%\r20%${RESET}`, `${CSI}32m20%${RESET}`],
    ['a reset before \\r clears the kept colours', `${CSI}32mold${RESET}\rnew`, 'new'],
    ['progress bar with erase-line', `[##  ] 50%\r${CSI}K[####] 100%`, '[####] 100%'],
    ['backspace deletes the previous character', 'abc\bd', 'abd'],
    ['backspaces over-striking (man-page bold)', 'b\bbo\bol\bld\bd', 'bold'],
    ['backspace at the start does nothing', '\b\bx', 'x'],
    ['backspace removes a whole emoji (surrogate pair)', 'ok🐳\b!', 'ok!'],
    ['backspace skips over a colour to the character before', `ab${RED}\bc`, `a${RED}c`],
    ['tabs go to the next multiple of 8', 'a\tb\tc', 'a       b       c'],
    ['a tab at a tab stop is a full 8 columns', '12345678\tx', '12345678        x'],
    ['tab stops count wide characters as two columns', '日本\tx', '日本    x'],
    ['colours do not count towards tab stops', `${RED}ab${RESET}\tx`, `${RED}ab${RESET}      x`],
    ['other C0 controls and DEL go', 'a\x00b\x07c\x0bd\x0ce\x7ff\nz', 'abcdefz'],
    ['bidi overrides and isolates go', 'user\u202Egnp.exe\u202C \u2066x\u2069', 'usergnp.exe x'],
    ['replacement characters from invalid UTF-8 stay', 'bad \uFFFD\uFFFD bytes', 'bad \uFFFD\uFFFD bytes'],
    ['CJK and emoji are untouched', '日本語のログ 🐳👩‍💻 ok', '日本語のログ 🐳👩‍💻 ok'],
    ['combining marks and ZWJ are untouched', 'e\u0301 👨‍👩‍👧', 'e\u0301 👨‍👩‍👧'],
  ];

  it.each(CASES)('%s', (_what, raw, expected) => {
    expect(cleanTerminalText(raw)).toBe(expected);
  });

  it('leaves no control character but ESC of a kept SGR, for any input', () => {
    const nasty = ['\x1b', '[', ']', '\x07', '\r', '\b', '\t', '\x9b', '\x9c', '\x9d', 'm', '3', ';', 'P', '\\', 'x', '\u202e', '日'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 2000; round++) {
      const raw = Array.from({ length: 1 + Math.floor(random() * 30) }, () => nasty[Math.floor(random() * nasty.length)]).join('');
      const clean = cleanTerminalText(raw);
      const plain = stripSgr(clean);
      expect(plain, JSON.stringify(raw)).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('is linear: hostile long lines finish quickly', () => {
    const n = 200_000;
    const inputs = [
      'a'.repeat(n) + '\b'.repeat(n),
      `${CSI}1m\r`.repeat(n / 4),
      'x\r'.repeat(n),
      '\t'.repeat(n),
      `${CSI}`.repeat(n),
      `${ESC}]`.repeat(n),
      `a${RED}`.repeat(n / 4) + '\b'.repeat(n / 4),
    ];
    for (const raw of inputs) {
      const started = performance.now();
      cleanTerminalText(raw);
      expect(performance.now() - started, JSON.stringify(raw.slice(0, 20))).toBeLessThan(1_000);
    }
  });
});

describe('parseSgr', () => {
  const CASES: Array<[string, string, StyledSpan[]]> = [
    ['plain text is one unstyled span', 'hello', [{ text: 'hello', style: {} }]],
    ['an empty line has no spans', '', []],
    ['basic foreground and reset', `${RED}err${RESET} ok`, [{ text: 'err', style: { fg: 'red' } }, { text: ' ok', style: {} }]],
    ['bright colours', `${CSI}92mok${CSI}101mbg`, [{ text: 'ok', style: { fg: 'greenBright' } }, { text: 'bg', style: { fg: 'greenBright', bg: 'redBright' } }]],
    ['background and defaults 39/49', `${CSI}33;44mx${CSI}39my${CSI}49mz`, [
      { text: 'x', style: { fg: 'yellow', bg: 'blue' } }, { text: 'y', style: { bg: 'blue' } }, { text: 'z', style: {} },
    ]],
    ['attributes and their resets', `${CSI}1;2;3;4;7;9mA${CSI}22mB${CSI}23;24mC${CSI}27;29mD`, [
      { text: 'A', style: { bold: true, dim: true, italic: true, underline: true, inverse: true, strikethrough: true } },
      { text: 'B', style: { italic: true, underline: true, inverse: true, strikethrough: true } },
      { text: 'C', style: { inverse: true, strikethrough: true } },
      { text: 'D', style: {} },
    ]],
    ['ESC[m resets like ESC[0m', `${CSI}1mb${CSI}mn`, [{ text: 'b', style: { bold: true } }, { text: 'n', style: {} }]],
    ['an empty parameter is 0 (reset)', `${CSI}1mb${CSI};32mg`, [{ text: 'b', style: { bold: true } }, { text: 'g', style: { fg: 'green' } }]],
    ['256-colour: 0–15 keep their ANSI names', `${CSI}38;5;1ma${CSI}38;5;12mb`, [{ text: 'a', style: { fg: 'red' } }, { text: 'b', style: { fg: 'blueBright' } }]],
    ['256-colour cube and greys become hex', `${CSI}38;5;208ma${CSI}48;5;244mb`, [{ text: 'a', style: { fg: '#ff8700' } }, { text: 'b', style: { fg: '#ff8700', bg: '#808080' } }]],
    ['truecolour', `${CSI}38;2;255;136;0;48;2;0;0;0mx`, [{ text: 'x', style: { fg: '#ff8800', bg: '#000000' } }]],
    ['colon-form truecolour with and without colour space', `${CSI}38:2::1:2:3ma${CSI}38:2:4:5:6mb${CSI}48:5:196mc`, [
      { text: 'a', style: { fg: '#010203' } }, { text: 'b', style: { fg: '#040506' } }, { text: 'c', style: { fg: '#040506', bg: '#ff0000' } },
    ]],
    ['malformed 256-colour index is ignored, later codes still apply', `${CSI}38;5;300;1mx`, [{ text: 'x', style: { bold: true } }]],
    ['truecolour out of range is ignored', `${CSI}38;2;256;0;0mx`, [{ text: 'x', style: {} }]],
    ['38 at the end with nothing after is ignored', `${CSI}1;38mx`, [{ text: 'x', style: { bold: true } }]],
    ['unknown codes (blink, fonts) change nothing', `${CSI}5;11;53mx`, [{ text: 'x', style: {} }]],
    ['underline colour 58 consumes its arguments', `${CSI}58;5;1;31mx`, [{ text: 'x', style: { fg: 'red' } }]],
    ['underline styles in colon form', `${CSI}4:3mu${CSI}4:0mn`, [{ text: 'u', style: { underline: true } }, { text: 'n', style: {} }]],
    ['adjacent spans of the same style are merged', `${RED}a${RED}b`, [{ text: 'ab', style: { fg: 'red' } }]],
    ['wide text is kept whole', `${RED}日本🐳`, [{ text: '日本🐳', style: { fg: 'red' } }]],
  ];

  it.each(CASES)('%s', (_what, clean, expected) => {
    expect(parseSgr(clean)).toEqual(expected);
  });

  it('spans put together give the plain text', () => {
    const clean = cleanTerminalText(`${CSI}1;31mERROR${RESET} ${CSI}2J${CSI}38;5;33mdb${RESET}: 10%\r100%`);
    expect(parseSgr(clean).map((s) => s.text).join('')).toBe(stripSgr(clean));
  });
});

describe('stripSgr', () => {
  it('removes colours and keeps the text', () => {
    expect(stripSgr(`${CSI}1;31mERROR${RESET} ${CSI}38;2;1;2;3mx${CSI}m`)).toBe('ERROR x');
  });

  it('returns text without escapes as it is', () => {
    expect(stripSgr('plain 日本')).toBe('plain 日本');
  });
});

describe('xterm256', () => {
  it('maps the palette as xterm does', () => {
    expect(xterm256(0)).toBe('black');
    expect(xterm256(15)).toBe('whiteBright');
    expect(xterm256(16)).toBe('#000000');
    expect(xterm256(21)).toBe('#0000ff');
    expect(xterm256(196)).toBe('#ff0000');
    expect(xterm256(231)).toBe('#ffffff');
    expect(xterm256(232)).toBe('#080808');
    expect(xterm256(255)).toBe('#eeeeee');
    expect(xterm256(256)).toBeUndefined();
    expect(xterm256(-1)).toBeUndefined();
  });
});
