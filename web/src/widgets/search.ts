// Search forms whose fields live in the view's address, so a search can be bookmarked.
import { navigate } from '../router.js';
import { searchDurationToSeconds, searchTimeToIso } from '../time.js';

/**
 * The query of a search form as the API takes it: empty fields left out, the time fields
 * (Helsinki time as typed, kept so in the address: "29.11.2026") turned into UTC instants, a
 * day alone in the `to` field meaning through its end, and the duration fields ("2:30") into
 * seconds.
 */
export function apiQuery(params: URLSearchParams, timeFields: readonly string[], durationFields: readonly string[] = []): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of params) {
    if (value.trim() === '') continue;
    if (timeFields.includes(key)) {
      const iso = searchTimeToIso(value, key === 'to');
      if (iso !== undefined) query.set(key, iso);
    } else if (durationFields.includes(key)) {
      const seconds = searchDurationToSeconds(value);
      if (seconds !== undefined) query.set(key, String(seconds));
    } else query.set(key, value);
  }
  return query;
}

/** A search form's submit: its non-empty fields become the view's address. */
export function searchTo(view: string) {
  return async (data: FormData): Promise<void> => {
    const next = new URLSearchParams();
    for (const [key, value] of data.entries()) if (String(value).trim() !== '') next.set(key, String(value).trim());
    navigate(`#/${view}?${next.toString()}`);
  };
}
