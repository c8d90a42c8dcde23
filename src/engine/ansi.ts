// What a log line becomes on screen. Programs write for a terminal: colours, but also cursor moves,
// screen clears, `\r` progress redraws, window titles and hyperlinks. Shown raw inside a pane they
// break the layout (or retitle the user's terminal), so a line keeps its SGR colours and nothing
// else; `parseSgr` then turns the colours into styled spans for Ink, and `stripSgr` gives the plain
// text that search and width work on. Every function is linear in the input and never throws:
// the input is whatever a container chose to print.
import stringWidth from 'string-width';

export interface TextStyle {
  /** An Ink/chalk colour name ('red', 'greenBright', …) or '#rrggbb' for 256-colour and truecolour codes. */
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

export interface StyledSpan {
  text: string;
  style: TextStyle;
}

const ESC = 0x1b;
const BEL = 0x07;
const BS = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const CAN = 0x18;
const SUB = 0x1a;
const DEL = 0x7f;
/** C1 controls, as code points (a UTF-8 encoded U+0080–U+009F reaches us as one). */
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_PM = 0x9e;
const C1_APC = 0x9f;
const TAB_STOP = 8;

/** Anything that is not plain printable text: C0, DEL, C1, and the bidi overrides/isolates that reorder what follows. */
const SPECIAL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const SPECIAL_TEST = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Display columns of a run of text (only needed for tab stops). */
function widthOf(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** A kept SGR sequence is the only thing in a cleaned line that starts with ESC. */
function isSgrToken(token: string): boolean {
  return token.charCodeAt(0) === ESC;
}

/** `ESC[m`, `ESC[0m`, `ESC[00m`: everything before it no longer matters. */
const PURE_RESET = /^\x1b\[0*m$/;
/** Starts with a reset (`ESC[0;31m`): earlier SGRs no longer matter, this one does. */
const LEADING_RESET = /^\x1b\[0*(?:;|m)/;

/**
 * One line being drawn. `\r` cannot simply drop what came before: the SGRs before it still colour
 * what follows. So the line is the SGRs of the segments a `\r` overwrote (`prefix`, appended to and
 * never copied: quadratic otherwise) plus the current segment as tokens (text runs and SGRs), with
 * a stack of the tokens holding visible text so a backspace finds its character at once.
 */
class LineCanvas {
  private prefix: string[] = [];
  private segment: string[] = [];
  private visible: number[] = [];
  private column = 0;
  /** A `\r` was seen: the segment is overwritten by the next visible character, and survives if none comes. */
  private pendingReturn = false;

  text(run: string): void {
    if (run.length === 0) return;
    this.commitCarriageReturn();
    this.visible.push(this.segment.length);
    this.segment.push(run);
    this.column += widthOf(run);
  }

  sgr(sequence: string): void {
    this.segment.push(sequence);
  }

  tab(): void {
    this.commitCarriageReturn();
    const spaces = TAB_STOP - (this.column % TAB_STOP);
    this.text(' '.repeat(spaces));
  }

  carriageReturn(): void {
    this.pendingReturn = true;
  }

  /** Deletes the character before the cursor (a terminal moves left over it; the next character overwrites it). */
  backspace(): void {
    // Right after a \r the cursor is at column 0: a backspace there does nothing.
    if (this.pendingReturn) return;
    const index = this.visible[this.visible.length - 1];
    if (index === undefined) return;
    const run = this.segment[index] ?? '';
    const last = run.charCodeAt(run.length - 1);
    const before = run.charCodeAt(run.length - 2);
    const cut = last >= 0xdc00 && last <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? 2 : 1;
    // slice makes a view of the string (no copy), so a run of backspaces stays linear.
    const removed = run.slice(run.length - cut);
    const rest = run.slice(0, run.length - cut);
    this.segment[index] = rest;
    if (rest.length === 0) this.visible.pop();
    this.column = Math.max(0, this.column - widthOf(removed));
  }

  finish(): string {
    return this.prefix.join('') + this.segment.join('');
  }

  private commitCarriageReturn(): void {
    if (!this.pendingReturn) return;
    this.pendingReturn = false;
    for (const token of this.segment) {
      if (!isSgrToken(token)) continue;
      if (PURE_RESET.test(token)) {
        // At the start of a line the style is the default already.
        this.prefix = [];
      } else {
        if (LEADING_RESET.test(token)) this.prefix = [];
        this.prefix.push(token);
      }
    }
    this.segment = [];
    this.visible = [];
    this.column = 0;
  }
}

/** Where a control string (OSC, DCS, SOS, PM, APC) that starts at `from` ends: after its terminator, or the end. */
function skipControlString(raw: string, from: number): number {
  for (let i = from; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === BEL || c === C1_ST || c === CAN || c === SUB) return i + 1;
    if (c === ESC) {
      // ESC \ is the string terminator; any other ESC aborts the string and starts a sequence of its own.
      return raw.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
    }
  }
  return raw.length;
}

/**
 * Reads a CSI sequence whose parameters start at `from`. Returns where it ends and, when it is an
 * SGR (final `m`, only digits, `;` and `:` as parameters, no intermediates), its parameters.
 * A byte that cannot be part of a CSI ends it unfinished; that byte is read again as text.
 */
function readCsi(raw: string, from: number): { end: number; sgr?: string } {
  let i = from;
  let plainParams = true;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c >= 0x30 && c <= 0x3f) {
      // 0-9 ; : are SGR's; < = > ? mark private sequences (e.g. xterm's ESC[>4;2m is not a colour).
      if (!((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a)) plainParams = false;
      i++;
      continue;
    }
    break;
  }
  let intermediates = false;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c >= 0x20 && c <= 0x2f) {
      intermediates = true;
      i++;
      continue;
    }
    break;
  }
  const final = raw.charCodeAt(i);
  if (final >= 0x40 && final <= 0x7e) {
    if (final === 0x6d && plainParams && !intermediates) return { end: i + 1, sgr: raw.slice(from, i) };
    return { end: i + 1 };
  }
  // Unfinished (the line ended, or a control or text character came): drop what was read.
  return { end: i };
}

/**
 * What a log line becomes for display: SGR colour sequences kept (as `ESC[…m`), every other control
 * sequence removed (CSI cursor moves and erases, OSC titles and hyperlinks ended by BEL or ST, DCS,
 * SOS, PM, APC, two-character ESC sequences, C1 controls), `\r` applied as a terminal shows a
 * progress bar redraw (what follows the last `\r` stays, unless nothing visible follows it), `\b`
 * deleting the previous character, tabs expanded to the next multiple of 8 columns, and other C0
 * controls and bidi overrides/isolates dropped. Linear time; never throws.
 */
export function cleanTerminalText(raw: string): string {
  if (!SPECIAL_TEST.test(raw)) return raw;
  try {
    return clean(raw);
  } catch {
    // Not expected; but a log line must never take the view down.
    return raw.replace(/\x1b\[[0-9;:]*m/g, '').replace(SPECIAL, '');
  }
}

function clean(raw: string): string {
  const canvas = new LineCanvas();
  const special = SPECIAL;
  let i = 0;
  while (i < raw.length) {
    special.lastIndex = i;
    const match = special.exec(raw);
    const at = match ? match.index : raw.length;
    if (at > i) canvas.text(raw.slice(i, at));
    if (!match) break;
    const c = raw.charCodeAt(at);
    i = at + 1;
    switch (c) {
      case ESC: {
        const next = raw.charCodeAt(i);
        if (next === 0x5b /* [ */) {
          const csi = readCsi(raw, i + 1);
          if (csi.sgr !== undefined) canvas.sgr(`\x1b[${csi.sgr}m`);
          i = csi.end;
        } else if (next === 0x5d /* ] OSC */ || next === 0x50 /* P DCS */ || next === 0x58 /* X SOS */
          || next === 0x5e /* ^ PM */ || next === 0x5f /* _ APC */) {
          i = skipControlString(raw, i + 1);
        } else {
          // ESC, intermediates (0x20–0x2F), then a final byte (0x30–0x7E): ESC 7, ESC ( B, ESC M, ESC c…
          let j = i;
          while (j < raw.length && raw.charCodeAt(j) >= 0x20 && raw.charCodeAt(j) <= 0x2f) j++;
          const final = raw.charCodeAt(j);
          i = final >= 0x30 && final <= 0x7e ? j + 1 : j;
        }
        break;
      }
      case C1_CSI: {
        const csi = readCsi(raw, i);
        if (csi.sgr !== undefined) canvas.sgr(`\x1b[${csi.sgr}m`);
        i = csi.end;
        break;
      }
      case C1_OSC:
      case C1_DCS:
      case C1_SOS:
      case C1_PM:
      case C1_APC:
        i = skipControlString(raw, i);
        break;
      case CR:
        // \r\n is a line end (the line splitter left the \r), not a redraw.
        if (raw.charCodeAt(i) === LF) i++;
        else canvas.carriageReturn();
        break;
      case BS:
        canvas.backspace();
        break;
      case TAB:
        canvas.tab();
        break;
      case DEL:
      default:
        // Other C0 and C1 controls, bidi overrides and isolates: nothing to show.
        break;
    }
  }
  return canvas.finish();
}

const SGR_SEQUENCE = /\x1b\[([0-9;:]*)m/g;

/** The plain text of a cleaned line, for search and width. */
export function stripSgr(clean: string): string {
  return clean.indexOf('\x1b') === -1 ? clean : clean.replace(SGR_SEQUENCE, '');
}

const BASIC_COLOURS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
const BRIGHT_COLOURS = BASIC_COLOURS.map((name) => `${name}Bright`);
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

function hex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * xterm's 256-colour palette. 0–15 are the terminal's own ANSI colours, so they keep their names
 * (the user's theme decides them, as for 30–37/90–97); 16–231 are the 6×6×6 cube, 232–255 greys.
 */
export function xterm256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 8) return BASIC_COLOURS[n];
  if (n < 16) return BRIGHT_COLOURS[n - 8];
  if (n < 232) {
    const i = n - 16;
    return hex(CUBE_LEVELS[Math.floor(i / 36)] ?? 0, CUBE_LEVELS[Math.floor(i / 6) % 6] ?? 0, CUBE_LEVELS[i % 6] ?? 0);
  }
  const grey = 8 + (n - 232) * 10;
  return hex(grey, grey, grey);
}

/** One SGR parameter: `38` or a colon group `38:2::255:0:0`, as numbers (NaN for an unreadable one). */
type Param = number[];

function readParams(text: string): Param[] {
  if (text === '') return [[0]];
  return text.split(';').map((p) => (p === '' ? [0] : p.split(':').map((s) => (s === '' ? Number.NaN : Number(s)))));
}

/**
 * An extended colour from `38;5;n` / `38;2;r;g;b` (params after the 38) or a colon group.
 * Returns the colour (undefined when malformed) and how many `;` parameters it used.
 */
function extendedColour(params: Param[], at: number): { colour: string | undefined; used: number } {
  const group = params[at] ?? [];
  if (group.length > 1) {
    // Colon form, all in one parameter: 38:5:n, 38:2:r:g:b or 38:2:colourspace:r:g:b.
    const [, mode, ...rest] = group;
    if (mode === 5) return { colour: xterm256(rest[0] ?? Number.NaN), used: 1 };
    if (mode === 2) {
      const rgb = rest.length >= 4 ? rest.slice(1, 4) : rest.slice(0, 3);
      return { colour: rgbColour(rgb), used: 1 };
    }
    return { colour: undefined, used: 1 };
  }
  const mode = params[at + 1]?.[0];
  if (mode === 5) return { colour: xterm256(params[at + 2]?.[0] ?? Number.NaN), used: 3 };
  if (mode === 2) {
    const rgb = [params[at + 2]?.[0], params[at + 3]?.[0], params[at + 4]?.[0]];
    return { colour: rgbColour(rgb), used: 5 };
  }
  // 38 with nothing usable after it: skip it alone.
  return { colour: undefined, used: mode === undefined ? 1 : 2 };
}

function rgbColour(rgb: Array<number | undefined>): string | undefined {
  if (rgb.length !== 3) return undefined;
  const ok = rgb.every((v): v is number => v !== undefined && Number.isInteger(v) && v >= 0 && v <= 255);
  return ok ? hex(...(rgb as [number, number, number])) : undefined;
}

function applySgr(style: TextStyle, text: string): TextStyle {
  const params = readParams(text);
  let next: TextStyle = { ...style };
  let i = 0;
  while (i < params.length) {
    const group = params[i] ?? [];
    const code = group[0] ?? Number.NaN;
    let used = 1;
    if (code === 38 || code === 48 || code === 58) {
      const ext = extendedColour(params, i);
      used = ext.used;
      // 58 (underline colour) has nothing to map to; read past its arguments so they are not taken as codes.
      if (ext.colour !== undefined && code === 38) next.fg = ext.colour;
      if (ext.colour !== undefined && code === 48) next.bg = ext.colour;
    } else if (group.length > 1) {
      // Colon sub-parameters on anything else: 4:0 is "no underline", 4:1–4:5 are underline styles.
      if (code === 4) {
        if (group[1] === 0) delete next.underline;
        else next.underline = true;
      }
    } else if (code === 0) {
      next = {};
    } else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4 || code === 21) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 9) next.strikethrough = true;
    else if (code === 22) { delete next.bold; delete next.dim; }
    else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code === 27) delete next.inverse;
    else if (code === 29) delete next.strikethrough;
    else if (code >= 30 && code <= 37) next.fg = BASIC_COLOURS[code - 30];
    else if (code === 39) delete next.fg;
    else if (code >= 40 && code <= 47) next.bg = BASIC_COLOURS[code - 40];
    else if (code === 49) delete next.bg;
    else if (code >= 90 && code <= 97) next.fg = BRIGHT_COLOURS[code - 90];
    else if (code >= 100 && code <= 107) next.bg = BRIGHT_COLOURS[code - 100];
    // Anything else (blink, hidden, fonts, overline, NaN) changes nothing dockhand draws.
    i += used;
  }
  return next;
}

function sameStyle(a: TextStyle, b: TextStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic
    && a.underline === b.underline && a.inverse === b.inverse && a.strikethrough === b.strikethrough;
}

/**
 * Splits a cleaned line into runs of one style each (adjacent runs of the same style merged; no
 * empty runs, so an empty line gives []). Malformed parameters are ignored.
 */
export function parseSgr(clean: string): StyledSpan[] {
  if (clean.indexOf('\x1b') === -1) return clean === '' ? [] : [{ text: clean, style: {} }];
  const spans: StyledSpan[] = [];
  let style: TextStyle = {};
  let at = 0;
  const push = (text: string) => {
    if (text === '') return;
    const last = spans[spans.length - 1];
    if (last && sameStyle(last.style, style)) last.text += text;
    else spans.push({ text, style: { ...style } });
  };
  const sequence = new RegExp(SGR_SEQUENCE.source, 'g');
  for (let match = sequence.exec(clean); match; match = sequence.exec(clean)) {
    push(clean.slice(at, match.index));
    style = applySgr(style, match[1] ?? '');
    at = match.index + match[0].length;
  }
  push(clean.slice(at));
  return spans;
}
