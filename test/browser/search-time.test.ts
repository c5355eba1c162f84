/**
 * The times and lengths typed into the calls search: Finnish dates (a day alone as the end of a
 * range means through that day), the datetime-local form of older bookmarks, and durations.
 */
import t from 'tap';
import { finnishDate, searchDurationToSeconds, searchTimeToIso } from '../../web/src/time.js';

t.test('when a Finnish date is typed, then it is read as Helsinki time', async (t) => {
  t.equal(searchTimeToIso('29.11.2026'), '2026-11-28T22:00:00.000Z', 'a day starts at midnight in Helsinki');
  t.equal(searchTimeToIso('29.11.2026', true), '2026-11-29T22:00:00.000Z', 'as the end of a range: through that day');
  t.equal(searchTimeToIso('31.12.2026', true), '2026-12-31T22:00:00.000Z', 'across the year boundary');
  t.equal(searchTimeToIso(' 1.7.2026 9.30 '), '2026-07-01T06:30:00.000Z', 'summer time, a time with a dot');
  t.equal(searchTimeToIso('1.7.2026 klo 9:30', true), '2026-07-01T06:30:00.000Z', 'a time given is taken as such');
  t.equal(searchTimeToIso('2026-11-28T10:00'), '2026-11-28T08:00:00.000Z', 'an address bookmarked with the old form');
  for (const text of ['', '31.2.2026', '29.13.2026', '29.11.2026 24.00', '29.11.2026 9.60', 'eilen', '29/11/2026']) t.equal(searchTimeToIso(text), undefined, JSON.stringify(text));
});

t.test('when a day is asked for, then the Helsinki calendar decides it', async (t) => {
  // 23:30 UTC on 29.11 is already 30.11 in Helsinki.
  t.equal(finnishDate(Date.UTC(2026, 10, 29, 23, 30)), '30.11.2026');
  t.equal(finnishDate(Date.UTC(2026, 10, 29, 23, 30), 1), '29.11.2026');
  t.equal(finnishDate(Date.UTC(2026, 2, 3, 12), 6), '25.2.2026', 'back across the end of a month');
});

t.test('when a duration is typed, then minutes, or minutes and seconds, become seconds', async (t) => {
  t.equal(searchDurationToSeconds('5'), 300);
  t.equal(searchDurationToSeconds('2:30'), 150);
  t.equal(searchDurationToSeconds('0.45'), 45);
  for (const text of ['', '2:75', '-1', 'pitkä', '1:2']) t.equal(searchDurationToSeconds(text), undefined, JSON.stringify(text));
});
