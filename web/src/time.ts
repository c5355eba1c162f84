// The appliance's time zone is Europe/Helsinki whatever the browser's is: times are shown in
// Helsinki time and the times people type into a search are read as Helsinki time too.
export const TIME_ZONE = 'Europe/Helsinki';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Helsinki's wall clock is ahead of UTC at the instant `ms` (2 or 3 hours). */
function helsinkiOffsetMs(ms: number): number {
  const wall: Record<string, number> = {};
  for (const part of parts.formatToParts(new Date(ms))) if (part.type !== 'literal') wall[part.type] = Number(part.value);
  const asUtc = Date.UTC(wall.year ?? 0, (wall.month ?? 1) - 1, wall.day ?? 1, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * A wall-clock time in Helsinki, as an `<input type="datetime-local">` gives it
 * ("2026-11-28T10:00"), to the UTC instant the API takes. Undefined when the text is no such time.
 * In the hour repeated when summer time ends, the earlier (summer-time) instant is taken.
 */
export function helsinkiWallTimeToIso(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s = '0'] = match;
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wallAsUtc)) return undefined;
  // Helsinki is UTC+2 in winter and UTC+3 in summer: the instant is one of two candidates, the
  // one whose own offset agrees. In the repeated autumn hour both agree: the earlier is taken.
  // In the skipped spring hour neither does: the time is read with the winter offset.
  const candidates = [3, 2].map((hours) => wallAsUtc - hours * 3600_000);
  const instant = candidates.find((ms) => wallAsUtc - ms === helsinkiOffsetMs(ms)) ?? wallAsUtc - 2 * 3600_000;
  return new Date(instant).toISOString();
}

const helsinkiDate = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' });

/** The Helsinki calendar day of the instant `ms`, `daysBack` days earlier, as Finns write it: "29.11.2026". */
export function finnishDate(ms: number, daysBack = 0): string {
  const day: Record<string, number> = {};
  for (const part of helsinkiDate.formatToParts(new Date(ms))) if (part.type !== 'literal') day[part.type] = Number(part.value);
  const shifted = new Date(Date.UTC(day.year ?? 1970, (day.month ?? 1) - 1, (day.day ?? 1) - daysBack));
  return `${shifted.getUTCDate()}.${shifted.getUTCMonth() + 1}.${shifted.getUTCFullYear()}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A time typed into a search, in Helsinki time, to the UTC instant the API takes. Finnish dates
 * ("29.11.2026", "29.11.2026 9.30", "29.11.2026 klo 9:30"), and the datetime-local form
 * ("2026-11-29T09:30") of addresses bookmarked before. A day without a time is its start, or,
 * as the `end` of a range (the API's upper bound is exclusive), the start of the next day, so
 * "to 29.11.2026" includes that whole day. Undefined when the text is no such time.
 */
export function searchTimeToIso(text: string, end = false): string | undefined {
  const value = text.trim();
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(?:klo\s+)?(\d{1,2})[.:](\d{2}))?$/i.exec(value);
  if (match === null) return helsinkiWallTimeToIso(value);
  const [d, mo, y, hours, minutes] = [1, 2, 3, 4, 5].map((i) => Number(match[i] ?? '0')) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // 31.2. is no date: the parts must survive the round trip.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (match[4] === undefined) {
    if (end) date.setUTCDate(date.getUTCDate() + 1);
    return helsinkiWallTimeToIso(`${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T00:00`);
  }
  if (hours > 23 || minutes > 59) return undefined;
  return helsinkiWallTimeToIso(`${y}-${pad(mo)}-${pad(d)}T${pad(hours)}:${pad(minutes)}`);
}

/** A length typed into a search: whole minutes ("5") or minutes and seconds ("2:30", "2.30"), in seconds. */
export function searchDurationToSeconds(text: string): number | undefined {
  const match = /^(\d{1,4})(?:[:.]([0-5]\d))?$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2] ?? '0');
}

/** The pattern of the duration fields, so the browser refuses what the parser above would not take. */
export const DURATION_PATTERN = '\\s*\\d{1,4}([:.][0-5]\\d)?\\s*';
/** The pattern of the date fields. */
export const SEARCH_TIME_PATTERN = '\\s*(\\d{1,2}\\.\\d{1,2}\\.\\d{4}(\\s+([Kk][Ll][Oo]\\s+)?\\d{1,2}[.:]\\d{2})?|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?)\\s*';
