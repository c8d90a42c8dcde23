// Which environment values are secrets. Masked by default wherever env values are shown: a
// dashboard is often on a shared screen, or in a screenshot.

const SECRET_KEY = /PASS(WORD|WD)?|SECRET|TOKEN|(^|_)KEY($|_)|API_?KEY|CREDENTIAL|PRIVATE|AUTH|SESSION|COOKIE|SALT|CERT|DSN|CONN(ECTION)?_?STR/i;

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
