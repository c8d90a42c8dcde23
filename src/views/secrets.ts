// Which environment values are secrets. Masked by default wherever env values are shown: a
// dashboard is often on a shared screen, or in a screenshot.

// AUTH but not AUTHOR: org.opencontainers.image.authors is on half the images there are.
const SECRET_KEY = /PASS(WORD|WD)?|SECRET|TOKEN|(^|_)KEY($|_)|API_?KEY|CREDENTIAL|PRIVATE|AUTH(?!ORS?\b)|SESSION|COOKIE|SALT|CERT|DSN|CONN(ECTION)?_?STR/i;

export function looksSecret(key: string): boolean {
  return SECRET_KEY.test(key);
}

export const MASK = '••••••••';

/** KEY=VALUE with the value hidden when the key looks secret and secrets are not revealed. */
export function maskEnvEntry(entry: string, revealed: boolean): { key: string; value: string; masked: boolean } {
  const cut = entry.indexOf('=');
  const key = cut < 0 ? entry : entry.slice(0, cut);
  const value = cut < 0 ? '' : entry.slice(cut + 1);
  const masked = !revealed && looksSecret(key) && value.length > 0;
  return { key, value: masked ? MASK : value, masked };
}

/** A label's value as shown: labels carry credentials too (basic-auth users, registry tokens). */
export function maskLabel(key: string, value: string, revealed: boolean): string {
  return !revealed && looksSecret(key) && value.length > 0 ? MASK : value;
}

// --password=x, -e DB_PASSWORD=x, PGPASSWORD=x psql: the value after a secret-looking name.
const ASSIGNED = /^(-{0,2}[\w.-]+)=(.+)$/s;
const FLAG = /^--?[\w.-]+$/;

/**
 * The words of a command line with the values of secret-looking arguments hidden:
 * NAME=value and --flag=value where the name looks secret, and the word after a secret-looking
 * --flag. The other words are kept as they are.
 */
export function maskCommandWords(words: readonly string[], revealed: boolean): string[] {
  if (revealed) return [...words];
  return words.map((word, i) => {
    const assigned = ASSIGNED.exec(word);
    if (assigned && looksSecret(assigned[1] ?? '')) return `${assigned[1]}=${MASK}`;
    const previous = words[i - 1] ?? '';
    return FLAG.test(previous) && !previous.includes('=') && looksSecret(previous) ? MASK : word;
  });
}

/** As maskCommandWords, on a command line already joined with spaces (as the engine's lists give it). */
export function maskCommandLine(command: string, revealed: boolean): string {
  return revealed ? command : maskCommandWords(command.split(' '), false).join(' ');
}
