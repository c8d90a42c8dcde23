// Getting log lines out of dockhand: to the system clipboard through the terminal (OSC 52, which
// works over SSH because the terminal on the user's side does the copying), or into a file.
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/**
 * Terminals cap what one OSC 52 may carry (xterm and many others at around 100,000 bytes of
 * base64) and drop a longer one whole, so the text is cut to fit: 75,000 bytes encode to 100,000.
 */
export const OSC52_MAX_BASE64 = 100_000;
const MAX_TEXT_BYTES = (OSC52_MAX_BASE64 / 4) * 3;

const ESC = '\x1b';
const BEL = '\x07';

export interface Osc52Options {
  /** Wrap for tmux's passthrough; by default when TMUX is set. */
  tmux?: boolean;
  /** Cap on the text, in UTF-8 bytes. */
  maxBytes?: number;
}

export interface ClipboardCopy {
  /** Write this to the terminal (stdout): it shows nothing and moves no cursor. */
  sequence: string;
  /** Bytes of text copied, and of the text given: less when it was cut to the cap. */
  bytes: number;
  totalBytes: number;
  cut: boolean;
}

/** The longest prefix of `bytes` within `max` that ends on a character boundary. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Back off continuation bytes (10xxxxxx) so no character is cut in half.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * The OSC 52 sequence that puts `text` on the system clipboard (ESC ] 52 ; c ; BASE64 BEL),
 * wrapped for tmux when inside it, with what was cut. tmux passes it on only with
 * `set -g allow-passthrough on` (tmux 3.3+); its own `set-clipboard on` handles the unwrapped form.
 */
export function clipboardCopy(text: string, options: Osc52Options = {}): ClipboardCopy {
  const all = Buffer.from(text, 'utf8');
  const kept = utf8Prefix(all, Math.max(0, Math.floor(options.maxBytes ?? MAX_TEXT_BYTES)));
  const osc = `${ESC}]52;c;${kept.toString('base64')}${BEL}`;
  const tmux = options.tmux ?? Boolean(process.env['TMUX']);
  // tmux's passthrough: DCS "tmux;" with every ESC inside doubled, ended by ST.
  const sequence = tmux ? `${ESC}Ptmux;${osc.replaceAll(ESC, ESC + ESC)}${ESC}\\` : osc;
  return { sequence, bytes: kept.length, totalBytes: all.length, cut: kept.length < all.length };
}

/** Just the sequence (see clipboardCopy for what was cut). */
export function osc52(text: string, options: Osc52Options = {}): string {
  return clipboardCopy(text, options).sequence;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A file name for a container's saved log: 'web-1-20240610-100001.log' (local time). Only
 * letters, digits, '.', '_' and '-' survive; no leading dot or dash (no hidden file, nothing
 * that reads as an option), at most 100 characters of name.
 */
export function suggestLogFileName(containerName: string, now: Date): string {
  const name = containerName
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100)
    .replace(/[.-]+$/, '') || 'container';
  const date = `${now.getFullYear()}${pad2(now.getMonth() + 1)}${pad2(now.getDate())}`;
  const time = `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`;
  return `${name}-${date}-${time}.log`;
}

export type SaveResult =
  | { ok: true; path: string; bytes: number }
  /** 'exists' when the file is there and overwrite was not given: ask, then save again with it. */
  | { ok: false; path: string; reason: 'exists' | (string & {}) };

/** Where a typed path points: relative to the current directory, '~/' in the home directory. */
export function resolveSavePath(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return resolve(homedir(), trimmed.slice(2));
  return resolve(process.cwd(), trimmed);
}

// Escape sequences (colours included) and the controls a terminal would act on when the file is
// later shown with `cat`; tabs stay.
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

function reasonFor(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `no such directory: ${dirname(path)}`;
    case 'ENOTDIR':
      return `not a directory: ${dirname(path)}`;
    case 'EISDIR':
      return `is a directory: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'EROFS':
      return `read-only file system: ${path}`;
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Writes the lines as plain text (no colours or control sequences, one per line) to `path`,
 * resolved against the current directory. Never replaces a file unless `overwrite` is true: the
 * file is created with the 'wx' flag, so even one that appears meanwhile is not overwritten.
 */
export async function saveLines(path: string, lines: readonly string[], { overwrite }: { overwrite: boolean }): Promise<SaveResult> {
  if (path.trim() === '') return { ok: false, path, reason: 'no file name' };
  const target = resolveSavePath(path);
  const text = lines.map((line) => stripVTControlCharacters(line).replace(CONTROLS, '')).join('\n') + (lines.length > 0 ? '\n' : '');
  try {
    await writeFile(target, text, { encoding: 'utf8', flag: overwrite ? 'w' : 'wx' });
    return { ok: true, path: target, bytes: Buffer.byteLength(text, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST') return { ok: false, path: target, reason: 'exists' };
    return { ok: false, path: target, reason: reasonFor(error, target) };
  }
}
