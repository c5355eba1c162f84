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
