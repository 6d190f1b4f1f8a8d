/**
 * Timestamp formats found in the data files:
 * - `iso`: ISO 8601 / RFC 3339 with an explicit zone, `T` or space between date and time
 *   (`2024-01-01T00:00:00Z`, `2024-05-12 01:00:00+00:00`);
 * - `unix_s`: integer seconds since the epoch (`1704067200`);
 * - `iso_assume_utc`: the same without a zone (`2024-02-16 00:00:00`), read as UTC.
 * Parsing is strict and done by hand: `Date.parse` accepts too much (and is slower), and a
 * silently misread zone would shift a whole series.
 */
export const TIME_FORMATS = ['iso', 'unix_s', 'iso_assume_utc'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const HOUR_MS = 3_600_000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UNIX_SECONDS = /^-?\d{1,12}$/;
// Bound once: under jest's vm sandbox a global lookup per row costs ~20x.
const { UTC } = Date;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Milliseconds since the epoch, or `undefined` when `text` is not in `format`. */
export function parseTimestamp(text: string, format: TimeFormat): number | undefined {
  if (format === 'unix_s') return UNIX_SECONDS.test(text) ? +text * 1000 : undefined;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // A date without a time is only midnight when no zone is claimed; `iso` needs both.
  if (format === 'iso' && (zone === undefined || h === undefined)) return undefined;
  if (format === 'iso_assume_utc' && zone !== undefined) return undefined;
  // Unary plus, not Number(): same conversion without a global lookup per field.
  const [year, month, day] = [+y!, +mo!, +d!];
  const [hour, minute, second] = [+(h ?? 0), +(mi ?? 0), +(s ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac === undefined ? 0 : Math.round(+`0.${frac}` * 1000);
  return UTC(year, month - 1, day, hour, minute, second, ms) - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `2024-03-22T05:00Z`: short enough for messages, unambiguous about the zone. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : iso;
}
