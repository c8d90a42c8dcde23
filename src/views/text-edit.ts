// Editing a one-line text box by key presses, the same in every box that types into a value.
import { sanitize } from './format.js';

/** `value` with one typed key added; a key that is not a character (or that could break the layout once drawn) adds nothing. */
export function typed(value: string, input: string): string {
  return [...input].length === 1 && input >= ' ' ? value + sanitize(input) : value;
}

/** `value` without its last character. */
export function backspaced(value: string): string {
  return [...value].slice(0, -1).join('');
}
