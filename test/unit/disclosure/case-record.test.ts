import t from 'tap';
import { addMonths, dueFirst, holdsAt, type DisclosureCase } from '../../../src/disclosure/case-record.js';

const base = (overrides: Partial<DisclosureCase>): DisclosureCase => ({
  id: 'x', kind: 'access-request', status: 'open', requester: { name: 'n', contact: '' }, subject: null, legalBasis: { text: 't', reference: 'r' },
  receivedAt: '2026-11-01T00:00:00.000Z', openedAt: '2026-11-01T00:00:00.000Z', openedBy: 'u', deadline: null, extension: null, calls: [], notes: [],
  hold: null, approval: null, disclosures: [], closedAt: null, closedBy: null, closingNote: null, ...overrides,
});

t.test('when a month is added, then the day is kept or clamped to the month’s last', async (t) => {
  t.equal(new Date(addMonths(Date.UTC(2026, 0, 31, 9), 1)).toISOString(), '2026-02-28T09:00:00.000Z');
  t.equal(new Date(addMonths(Date.UTC(2028, 0, 31), 1)).toISOString(), '2028-02-29T00:00:00.000Z', 'a leap year');
  t.equal(new Date(addMonths(Date.UTC(2026, 10, 28, 8), 1)).toISOString(), '2026-12-28T08:00:00.000Z');
  t.equal(new Date(addMonths(Date.UTC(2026, 11, 28), 2)).toISOString(), '2027-02-28T00:00:00.000Z', 'over the turn of the year');
});

t.test('when cases are ordered for the desk, then open ones by deadline come first, those without one after, then closed ones newest first', async (t) => {
  const cases = [
    base({ id: 'closed-old', status: 'closed', closedAt: '2026-11-02T00:00:00.000Z' }),
    base({ id: 'none' }),
    base({ id: 'late', deadline: '2027-01-01T00:00:00.000Z' }),
    base({ id: 'closed-new', status: 'closed', closedAt: '2026-11-03T00:00:00.000Z' }),
    base({ id: 'soon', deadline: '2026-12-01T00:00:00.000Z' }),
    base({ id: 'none-later', openedAt: '2026-11-02T00:00:00.000Z' }),
  ];
  t.same([...cases].sort(dueFirst).map((item) => item.id), ['soon', 'late', 'none', 'none-later', 'closed-new', 'closed-old']);
});

t.test('when a hold is looked at, then it holds only while the case is open and before its end', async (t) => {
  const hold = { reason: 'r', until: '2027-01-01T00:00:00.000Z', placedAt: '2026-11-01T00:00:00.000Z', placedBy: 'u' };
  t.ok(holdsAt(base({ hold }), Date.UTC(2026, 11, 31)));
  t.notOk(holdsAt(base({ hold }), Date.UTC(2027, 0, 1)), 'the end is exclusive');
  t.notOk(holdsAt(base({ hold, status: 'closed' }), Date.UTC(2026, 11, 31)));
  t.notOk(holdsAt(base({}), Date.UTC(2026, 11, 31)));
});
