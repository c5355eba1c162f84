/**
 * The compact index against the plainest possible answer: every record in an array, filtered
 * and sorted. Random records, random changes and random queries from a seeded generator, so a
 * failure is reproduced by its seed.
 */
import t from 'tap';
import { HistoryIndex, type IndexQuery } from '../../../src/history/history-index.js';
import type { ContactRecord } from '../../../src/history/contact-record.js';

/** mulberry32: a small seeded PRNG, enough to make the cases reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 24 * 3600_000;
const BASE_MS = Date.parse('2026-09-01T00:00:00.000Z');

function generator(seed: number) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const callers = [null, ...Array.from({ length: 12 }, (_, i) => `+3584000000${String(i).padStart(2, '0')}`)];
  const services = [null, '+358201234567', '+358207654321', '555'];
  const extensions = ['2001', '2002', '2003', '2004', '9999'];
  const names = [null, 'Aino Asiakaspalvelija', 'Eero Esimerkki', 'Liisa Laaksonen', 'Matti Meikäläinen'];
  // Few distinct start times, so ties are common and their order is tested.
  const time = (): string => new Date(BASE_MS + Math.floor(random() * 12) * DAY_MS + Math.floor(random() * 6) * 3600_000).toISOString();
  const record = (): ContactRecord => {
    const startedAt = time();
    const recorded = random() < 0.4;
    return {
      // Mostly UUIDs as the service makes them, some other ids (imported data).
      callId: random() < 0.9 ? uuid() : `call-${hex(6)}`,
      startedAt,
      endedAt: random() < 0.2 ? null : new Date(Date.parse(startedAt) + 60_000).toISOString(),
      callerNumber: pick(callers),
      serviceNumber: pick(services),
      agentExtension: pick(extensions),
      agentName: pick(names),
      agentPhone: null,
      channel: Math.floor(random() * 8),
      recordingId: recorded ? uuid() : null,
      recordingState: recorded ? 'completed' : 'not-recorded',
      endReason: 'completed',
      resumed: false,
    };
  };
  const query = (records: readonly ContactRecord[]): IndexQuery => {
    const q: { -readonly [K in keyof IndexQuery]: IndexQuery[K] } = {};
    if (random() < 0.5) q.fromMs = BASE_MS + Math.floor(random() * 14 - 1) * DAY_MS + Math.floor(random() * 6) * 3600_000;
    if (random() < 0.5) q.toMs = (q.fromMs ?? BASE_MS) + Math.floor(random() * 8) * DAY_MS;
    if (random() < 0.4) q.callerNumber = random() < 0.1 ? '+358409999999' : pick(callers);
    if (random() < 0.3) q.serviceNumber = pick(services);
    if (random() < 0.3) q.extensions = new Set(extensions.filter(() => random() < 0.4));
    if (random() < 0.3) q.agent = pick(['2001', '2003', 'ai', 'eero', 'MÄKI'.toLowerCase(), 'x', '']);
    if (random() < 0.2) q.recordedOnly = true;
    if (random() < 0.2) q.openOnly = true;
    if (random() < 0.05 && records.length > 0) q.recordingId = pick(records).recordingId ?? 'none';
    return q;
  };
  return { random, record, query, pick };
}

/** The answer by brute force: a filter over every record, sorted by start time (stable). */
function scan(records: readonly ContactRecord[], q: IndexQuery): ContactRecord[] {
  const from = q.fromMs === undefined ? undefined : new Date(q.fromMs).toISOString();
  const to = q.toMs === undefined ? undefined : new Date(q.toMs).toISOString();
  const agent = q.agent === '' ? undefined : q.agent;
  return records
    .filter(
      (r) =>
        (from === undefined || r.startedAt >= from) &&
        (to === undefined || r.startedAt < to) &&
        (q.callerNumber === undefined || r.callerNumber === q.callerNumber) &&
        (q.serviceNumber === undefined || r.serviceNumber === q.serviceNumber) &&
        (q.extensions === undefined || q.extensions.has(r.agentExtension)) &&
        (agent === undefined || r.agentExtension === agent || (r.agentName?.toLowerCase().includes(agent) ?? false)) &&
        (q.recordedOnly !== true || r.recordingId !== null) &&
        (q.openOnly !== true || r.endedAt === null) &&
        (q.recordingId === undefined || r.recordingId === q.recordingId),
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

for (const seed of [1, 2, 3, 20261130, 424242]) {
  t.test(`when random records are added, changed and removed (seed ${seed}), then every random query answers as a plain scan, in the same order`, async (t) => {
    const { random, record, query, pick } = generator(seed);
    const index = new HistoryIndex();
    // The model: per day, records in the order their day document holds them.
    let records: ContactRecord[] = [];
    let mismatches = 0;
    let queries = 0;
    for (let round = 0; round < 30; round++) {
      for (let n = 0; n < 80; n++) {
        const r = record();
        index.add(r);
        records.push(r);
      }
      for (let n = 0; n < 15 && records.length > 0; n++) {
        const victim = pick(records);
        const slot = index.slotOf(victim.callId);
        t.not(slot, -1);
        if (random() < 0.5) {
          index.remove(slot);
          records = records.filter((r) => r !== victim);
        } else {
          const changed: ContactRecord = { ...victim, endedAt: victim.endedAt === null ? victim.startedAt : null, recordingId: random() < 0.5 ? null : victim.recordingId, agentName: pick([null, 'Uusi Nimi']) };
          index.update(slot, changed);
          records = records.map((r) => (r === victim ? changed : r));
        }
      }
      for (let n = 0; n < 40; n++) {
        const q = query(records);
        const order = random() < 0.5 ? 'asc' : 'desc';
        const offset = Math.floor(random() * 20);
        const limit = 1 + Math.floor(random() * 30);
        const expected = scan(records, q);
        if (order === 'desc') expected.reverse();
        const page = index.search(q, order, offset, limit);
        const got = page.slots.map((slot) => index.callIdOf(slot));
        const want = expected.slice(offset, offset + limit).map((r) => r.callId);
        queries++;
        if (page.total !== expected.length || JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches++;
          t.same({ total: page.total, got }, { total: expected.length, got: want }, `query ${JSON.stringify({ ...q, extensions: q.extensions && [...q.extensions] })} ${order} ${offset}+${limit}`);
        }
      }
      for (const r of records.slice(0, 10)) t.equal(index.callIdOf(index.slotOf(r.callId)), r.callId);
      // Every record rebuilt from the index is the stored one, field for field.
      const rebuilt = records.map((r) => index.record(index.slotOf(r.callId)));
      if (JSON.stringify(rebuilt.map((r) => r && Object.entries(r).sort())) !== JSON.stringify(records.map((r) => Object.entries(r).sort()))) {
        mismatches++;
        t.same(rebuilt, records, 'records rebuilt from the index');
      }
    }
    t.equal(mismatches, 0, `${queries} queries answered as the plain scan`);
    t.equal(index.size, records.length);
    t.equal(index.openCalls, records.filter((r) => r.endedAt === null).length);
    t.same(index.dayKeys(), [...new Set(records.map((r) => r.startedAt.slice(0, 10)))].sort());
    t.equal(index.slotOf('00000000-0000-4000-a000-000000000000'), -1);
    t.equal(index.slotOf('not-a-call'), -1);
  });
}

t.test('when every record is removed, then the index is empty and its slots are reused', async (t) => {
  const { record } = generator(7);
  const index = new HistoryIndex();
  const records = Array.from({ length: 3000 }, () => record());
  for (const r of records) index.add(r);
  const bytes = index.typedBytes;
  for (const r of records) index.remove(index.slotOf(r.callId));
  t.equal(index.size, 0);
  t.same(index.dayKeys(), []);
  t.equal(index.search({}).total, 0);
  for (const r of records) index.add(r);
  t.equal(index.typedBytes, bytes, 'refilled without growing');
  t.equal(index.search({}).total, records.length);
});

t.test('when a stored record has a field the index does not know or a time not in ISO form, then it is not rebuilt (its day is read instead)', async (t) => {
  const { record } = generator(9);
  const index = new HistoryIndex();
  const plain = record();
  const extra = { ...record(), note: 'from a later version' } as ContactRecord;
  const offset = { ...record(), startedAt: '2026-09-02T10:00:00+00:00' };
  for (const r of [plain, extra, offset]) index.add(r);
  t.same(index.record(index.slotOf(plain.callId)), plain);
  t.equal(index.record(index.slotOf(extra.callId)), undefined);
  t.equal(index.record(index.slotOf(offset.callId)), undefined);
});
