// What a user may type for the end of a log's time range: a time of day, a date and time, or a
// duration meaning "that long ago". Pure, so every form is tested without a clock.

export type UntilInput = { ms: number } | { none: true } | { error: string };

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const UNTIL_FORMS = '15:04, 2024-06-10 15:04, or 10m (ago); empty: no end';

export function parseUntil(text: string, nowMs: number): UntilInput {
  const value = text.trim();
  if (!value) return { none: true };
  const ago = /^(\d+)\s*([smhd])$/i.exec(value);
  if (ago) return { ms: nowMs - Number(ago[1]) * (UNITS[(ago[2] ?? 's').toLowerCase()] ?? 1000) };
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (clock) {
    const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (hours > 23 || minutes > 59 || seconds > 59) return { error: `"${value}" is not a time of day` };
    const today = new Date(nowMs);
    today.setHours(hours, minutes, seconds, 0);
    // A time later than now means that time yesterday: the range looks back.
    return { ms: today.getTime() > nowMs ? today.getTime() - UNITS['d']! : today.getTime() };
  }
  const dated = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z)?$/.exec(value);
  if (dated) {
    const [, y, mo, d, h, mi, s, utc] = dated;
    const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)] as const;
    const ms = utc ? Date.UTC(...parts) : new Date(...parts).getTime();
    if (Number.isNaN(ms)) return { error: `"${value}" is not a date` };
    return { ms };
  }
  return { error: `"${value}" is not a time: write ${UNTIL_FORMS}` };
}

/** "until 15:04:05" (today) or "until 2024-06-10 15:04:05", in local time. */
export function describeUntil(ms: number, nowMs: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const sameDay = new Date(nowMs).toDateString() === d.toDateString();
  return sameDay ? `until ${time}` : `until ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${time}`;
}
