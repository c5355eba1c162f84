// Search forms whose fields live in the view's address, so a search can be bookmarked.
import { navigate } from '../router.js';
import { helsinkiWallTimeToIso } from '../time.js';

/**
 * The query of a search form as the API takes it: empty fields left out, the datetime-local
 * fields (Helsinki wall time, kept so in the address) turned into UTC instants.
 */
export function apiQuery(params: URLSearchParams, timeFields: readonly string[]): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of params) {
    if (value.trim() === '') continue;
    if (timeFields.includes(key)) {
      const iso = helsinkiWallTimeToIso(value);
      if (iso !== undefined) query.set(key, iso);
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
