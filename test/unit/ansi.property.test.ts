// Property tests for the terminal-text filter: whatever a container prints, a cleaned line holds
// printable text and SGR colour sequences only, so it can neither move the cursor nor retitle,
// reprogram or scroll the user's terminal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanTerminalText, parseSgr, stripSgr } from '../../src/engine/ansi.js';

const ESC = '\x1b';
/** C0, DEL and C1 (Unicode's Cc), and the bidi overrides and isolates that reorder what follows. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_GLOBAL = new RegExp(CONTROL.source, 'g');
/** A cleaned line: runs of non-control text and complete SGR sequences, nothing else. */
const CLEAN_LINE = /^(?:[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\x1b\[[0-9;:]*m)*$/u;

const sgrParams = fc.array(fc.oneof(fc.nat({ max: 400 }).map(String), fc.constantFrom('', '38:2::255:0:0', '38;5;208', '48;2;1;2;3', '0', '99999999999999999999')), { maxLength: 5 })
  .map((params) => params.join(';'));
const sgr = sgrParams.map((params) => `${ESC}[${params}m`);

/** Printable text: anything without a control character, astral characters and combining marks included. */
const plain = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('é', 'e\u0301', '日本', '🐳', '👩‍💻', '[', ']', 'm', ';', '\\', '\u2028', '\uFFFD', '\u200f'),
  ),
  maxLength: 12,
}).map((s) => s.replace(CONTROL_GLOBAL, ''));

/** Every sequence and control that must vanish without a trace (and without eating the text after it). */
const removable: fc.Arbitrary<string> = fc.oneof(
  // CSI that is not a colour: cursor moves, erases, private modes, SGR lookalikes with markers or intermediates.
  fc.tuple(
    fc.constantFrom('', '?', '>', '<', '='),
    fc.stringMatching(/^[0-9;]{0,6}$/),
    fc.constantFrom('', ' ', '!', '$'),
    fc.constantFrom('A', 'B', 'C', 'D', 'H', 'J', 'K', 'h', 'l', 'r', 's', 'u', '@', '~', 'm'),
  )
    .filter(([marker, , intermediate, final]) => final !== 'm' || marker !== '' || intermediate !== '')
    .map(([marker, params, intermediate, final]) => `${ESC}[${marker}${params}${intermediate}${final}`),
  // The same through the one-character C1 CSI.
  fc.tuple(fc.stringMatching(/^[0-9;]{0,6}$/), fc.constantFrom('A', 'H', 'J', 'K', 'h'))
    .map(([params, final]) => `\u009b${params}${final}`),
  // Control strings: OSC (titles, hyperlinks, clipboard) ended by BEL or ST; DCS, SOS, PM, APC; their C1 forms.
  fc.tuple(
    fc.constantFrom(`${ESC}]`, `${ESC}P`, `${ESC}X`, `${ESC}^`, `${ESC}_`, '\u009d', '\u0090', '\u0098', '\u009e', '\u009f'),
    plain,
    fc.constantFrom('\x07', `${ESC}\\`, '\u009c'),
  )
    .map(([open, body, close]) => `${open}${body}${close}`),
  // Two-character ESC sequences, with intermediates (charset selection).
  fc.tuple(fc.constantFrom('', '(', ')', '#', ' '), fc.constantFrom('7', '8', 'M', 'c', '=', '>', 'B', 'D', 'E', 'Z'))
    .map(([intermediate, final]) => `${ESC}${intermediate}${final}`),
  // Lone controls other than those that edit the line (\r, \b, \t, \n).
  fc.integer({ min: 0, max: 0x9f })
    .filter((c) => (c < 0x20 && ![0x08, 0x09, 0x0a, 0x0d, 0x1b].includes(c)) || (c >= 0x7f && ![0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f].includes(c)))
    .map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'),
);

/** Any string at all, weighted towards the characters that start or end sequences. */
const hostile = fc.string({
  unit: fc.oneof(
    {
      arbitrary: fc.constantFrom(ESC, '[', ']', 'P', '\\', '\x07', '\r', '\b', '\t', '\n', '\u009b', '\u009c', '\u009d', '\u0085',
        'm', ';', ':', '?', '3', '1', ' ', '\u202e', '🐳', '\uD83D', '\uDC33'),
      weight: 3,
    },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), weight: 1 },
    { arbitrary: fc.oneof(sgr, removable), weight: 1 },
  ),
  maxLength: 40,
});

describe('cleanTerminalText (property)', () => {
  it('leaves only text and SGR sequences, for any input', () => {
    fc.assert(fc.property(hostile, (raw) => {
      const clean = cleanTerminalText(raw);
      expect(clean).toMatch(CLEAN_LINE);
      expect(stripSgr(clean)).not.toMatch(CONTROL);
    }), { numRuns: 500 });
  });

  it('is idempotent: cleaning a cleaned line changes nothing', () => {
    fc.assert(fc.property(hostile, (raw) => {
      const once = cleanTerminalText(raw);
      expect(cleanTerminalText(once)).toBe(once);
    }), { numRuns: 500 });
  });

  it('passes printable text without controls through unchanged', () => {
    fc.assert(fc.property(plain, (text) => {
      expect(cleanTerminalText(text)).toBe(text);
    }));
  });

  it('keeps SGR sequences and the text around them exactly', () => {
    fc.assert(fc.property(fc.array(fc.oneof(plain, sgr), { maxLength: 10 }), (parts) => {
      const line = parts.join('');
      expect(cleanTerminalText(line)).toBe(line);
    }));
  });

  it('removes every other sequence whole, and only it', () => {
    const pieces = fc.array(fc.oneof(
      plain.map((text) => ({ text, kept: true })),
      sgr.map((text) => ({ text, kept: true })),
      removable.map((text) => ({ text, kept: false })),
    ), { maxLength: 10 });
    fc.assert(fc.property(pieces, fc.boolean(), (parts, loneEscAtEnd) => {
      const raw = parts.map((p) => p.text).join('') + (loneEscAtEnd ? ESC : '');
      expect(cleanTerminalText(raw)).toBe(parts.filter((p) => p.kept).map((p) => p.text).join(''));
    }), { numRuns: 300 });
  });

  it('shows what follows the last \\r of a progress redraw', () => {
    fc.assert(fc.property(fc.array(plain, { maxLength: 5 }), plain.filter((s) => s.length > 0), (before, last) => {
      expect(cleanTerminalText([...before, last].join('\r'))).toBe(last);
    }));
  });

  it('a backspace takes back the character before it', () => {
    fc.assert(fc.property(plain, fc.string({ unit: fc.constantFrom('a', 'é', '日', '🐳'), minLength: 1, maxLength: 1 }), plain, (before, typo, after) => {
      expect(cleanTerminalText(`${before}${typo}\b${after}`)).toBe(`${before}${after}`);
    }));
  });

  it('expands tabs to spaces, so no tab is left', () => {
    fc.assert(fc.property(fc.array(plain, { minLength: 2, maxLength: 5 }), (parts) => {
      const clean = cleanTerminalText(parts.join('\t'));
      expect(clean).not.toContain('\t');
      expect(clean.replace(/ /g, '')).toBe(parts.join('').replace(/ /g, ''));
    }));
  });
});

describe('stripSgr and parseSgr (property)', () => {
  it('agree on the text of any cleaned line and never throw', () => {
    fc.assert(fc.property(hostile, (raw) => {
      const clean = cleanTerminalText(raw);
      const text = stripSgr(clean);
      expect(text).not.toContain(ESC);
      expect(parseSgr(clean).map((span) => span.text).join('')).toBe(text);
    }), { numRuns: 300 });
  });

  it('read any SGR parameters, however malformed, into a style of known keys', () => {
    const params = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '8', '9', ';', ':'), maxLength: 30 });
    fc.assert(fc.property(params, (p) => {
      for (const span of parseSgr(`${ESC}[${p}mx`)) {
        expect(span.text).toBe('x');
        for (const key of Object.keys(span.style)) {
          expect(['fg', 'bg', 'bold', 'dim', 'italic', 'underline', 'inverse', 'strikethrough']).toContain(key);
        }
      }
    }));
  });
});
