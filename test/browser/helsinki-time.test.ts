/**
 * The web UI reads the times typed into a search as Helsinki wall time, whatever the browser's
 * own time zone: winter (UTC+2), summer (UTC+3), and the two daylight-saving changes.
 */
import t from 'tap';
import { helsinkiWallTimeToIso } from '../../web/src/time.js';

t.test('when a Helsinki wall time is turned into an instant, then the offset of that date applies', async (t) => {
  t.equal(helsinkiWallTimeToIso('2026-11-28T10:00'), '2026-11-28T08:00:00.000Z', 'winter: UTC+2');
  t.equal(helsinkiWallTimeToIso('2026-07-01T12:00'), '2026-07-01T09:00:00.000Z', 'summer: UTC+3');
  t.equal(helsinkiWallTimeToIso('2026-07-01T12:00:30'), '2026-07-01T09:00:30.000Z', 'seconds kept');
  t.equal(helsinkiWallTimeToIso('2026-01-01T00:30'), '2025-12-31T22:30:00.000Z', 'across the year boundary');
  // 29 March 2026: 03.00 winter time becomes 04.00 summer time (01.00 UTC).
  t.equal(helsinkiWallTimeToIso('2026-03-29T02:59'), '2026-03-29T00:59:00.000Z', 'just before the spring change');
  t.equal(helsinkiWallTimeToIso('2026-03-29T04:00'), '2026-03-29T01:00:00.000Z', 'the spring change');
  t.equal(helsinkiWallTimeToIso('2026-03-29T03:30'), '2026-03-29T01:30:00.000Z', 'a skipped time is read with the winter offset');
  // 25 October 2026: 04.00 summer time becomes 03.00 winter time (01.00 UTC); 03.00-03.59 happens twice.
  t.equal(helsinkiWallTimeToIso('2026-10-25T03:30'), '2026-10-25T00:30:00.000Z', 'a repeated time: the earlier instant');
  t.equal(helsinkiWallTimeToIso('2026-10-25T04:00'), '2026-10-25T02:00:00.000Z', 'after the autumn change: UTC+2');
  t.equal(helsinkiWallTimeToIso('2026-10-25T02:59'), '2026-10-24T23:59:00.000Z', 'before the autumn change: UTC+3');
});

t.test('when the text is not a datetime-local value, then there is no instant', async (t) => {
  for (const text of ['', 'huomenna', '28.11.2026 10:00', '2026-11-28', '2026-11-28T10', '2026-11-28T10:00Z']) t.equal(helsinkiWallTimeToIso(text), undefined, JSON.stringify(text));
});
