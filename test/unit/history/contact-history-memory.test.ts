/**
 * The contact history keeps a bounded number of day documents in memory, whatever its age:
 * counted at the document store's interface (which days are open at any moment, which were
 * read), on a real encrypted store filled by the same generator as the demo and the benchmarks.
 */
import t, { type Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { ContactHistory, type HistoryDocuments } from '../../../src/history/contact-history.js';
import type { ContactRecord } from '../../../src/history/contact-record.js';
import { seedHistory, syntheticDays, parseSeedHistory } from '../../../src/history/seed-history.js';
import { closeUnfinishedCalls } from '../../../src/calls/unfinished-calls.js';
import { silentLogger } from '../../../src/log.js';

const NOW_MS = Date.parse('2026-11-30T12:00:00.000Z');
const DAYS = 90;
const CALLS = 12;
const AGENTS = [
  { extension: '2001', name: 'Aino Asiakaspalvelija', phone: '+358501002001' },
  { extension: '2002', name: 'Eero Esimerkki', phone: '+358501002002' },
  { extension: '2003', name: null, phone: null },
];
const SEED = { days: DAYS, callsPerDay: CALLS, nowMs: NOW_MS, serviceNumbers: ['+358912345678'], agents: AGENTS };

/** The store as the history sees it, with every day document's opening and closing counted. */
function counted(store: DocumentStore) {
  const open = new Set<string>();
  const counts = { peakOpen: 0, loads: [] as string[], reads: [] as string[] };
  const documents: HistoryDocuments = {
    async openDocument<T>(name: string, defaultData: T) {
      const low = await store.openDocument(name, defaultData);
      if (!open.has(name)) counts.loads.push(name);
      open.add(name);
      counts.peakOpen = Math.max(counts.peakOpen, open.size);
      return low;
    },
    readDocument<T>(name: string) {
      counts.reads.push(name);
      return store.readDocument<T>(name);
    },
    async close(name: string) {
      open.delete(name);
      await store.close(name);
    },
    list: (prefix) => store.list(prefix),
    async remove(name: string) {
      open.delete(name);
      return store.remove(name);
    },
  };
  return { documents, counts, open };
}

async function seededStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-history-memory-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const key = randomBytes(32);
  const seeder = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  const report = await seedHistory(seeder, SEED);
  t.same(report, { days: DAYS, records: DAYS * CALLS, skippedDays: 0 });
  const store = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  return { dataDir, key, store, all: [...syntheticDays(SEED)].flatMap((day) => day.records) };
}

t.test('when searches and lookups sweep all 90 days, then they read no day document at all: the index rebuilds every record', async (t) => {
  const { store, all } = await seededStore(t);
  const { documents, counts } = counted(store);
  const history = new ContactHistory(documents, { cachedDays: 4 });
  const everything = await history.search();
  t.same(everything, [...all].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0)));
  for (let offset = 0; offset < DAYS * CALLS; offset += 50) await history.page({}, { order: 'desc', offset, limit: 50 });
  for (const record of all) t.same(await history.find(record.callId), record);
  t.same(counts.loads, [], 'no day document opened');
  t.equal(counts.reads.length, DAYS, 'the index was built reading each day once');
});

/** Every record of every day given a field this version does not know, as a later version might write. */
async function withUnknownField(store: DocumentStore): Promise<void> {
  for (const name of await store.list('history/')) {
    const doc = await store.openDocument<{ records: ContactRecord[] }>(name, { records: [] });
    doc.data.records = doc.data.records.map((r) => ({ ...r, note: 'x' }) as ContactRecord);
    await doc.write();
    await store.close(name);
  }
}

t.test('when searches and lookups sweep all 90 days and the records must be read from their days, then no more day documents are in memory than the cap, and the answers are complete', async (t) => {
  const { store, all: seeded } = await seededStore(t);
  await withUnknownField(store);
  const all = seeded.map((r) => ({ ...r, note: 'x' }) as ContactRecord);
  const { documents, counts, open } = counted(store);
  const history = new ContactHistory(documents, { cachedDays: 4 });

  const everything = await history.search();
  t.equal(everything.length, DAYS * CALLS);
  t.same(everything.map((r) => r.callId), [...all].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0)).map((r) => r.callId));
  // A page of the newest calls, then every page back to the oldest, 50 records at a time.
  let seen = 0;
  for (let offset = 0; offset < DAYS * CALLS; offset += 50) {
    const page = await history.page({}, { order: 'desc', offset, limit: 50 });
    t.equal(page.total, DAYS * CALLS);
    seen += page.records.length;
    t.ok(open.size <= 4);
  }
  t.equal(seen, DAYS * CALLS);
  // A caller who called on many days, and a lookup of one call on each day.
  const frequent = all[0]?.callerNumber as string;
  const byCaller = await history.search({ callerNumber: frequent });
  t.same(byCaller.map((r) => r.callId), all.filter((r) => r.callerNumber === frequent).map((r) => r.callId));
  for (let n = 0; n < all.length; n += CALLS) t.equal((await history.find((all[n] as ContactRecord).callId))?.callId, all[n]?.callId);

  t.ok(counts.loads.length > DAYS, `days were read again after being closed (${counts.loads.length} loads)`);
  t.ok(counts.peakOpen <= 4, `at most 4 day documents open at once (peak ${counts.peakOpen})`);
  t.ok(history.stats().peakDaysInMemory <= 4);
  t.equal(counts.reads.length, DAYS, 'the index was built reading each day once');
});

t.test('when a call is added and then closed, then the index answers at once, without reading old days', async (t) => {
  const { store, all } = await seededStore(t);
  const { documents, counts } = counted(store);
  const history = new ContactHistory(documents, { cachedDays: 2 });
  await history.ready();
  const caller = all[5]?.callerNumber as string;
  const before = (await history.search({ callerNumber: caller })).length;
  const call: ContactRecord = {
    ...(all[5] as ContactRecord),
    callId: randomUUID(),
    startedAt: new Date(NOW_MS).toISOString(),
    endedAt: null,
    recordingId: randomUUID(),
    recordingState: 'recording',
    endReason: null,
  };
  const loadsBefore = counts.loads.length;
  await history.add(call);
  t.same(counts.loads.slice(loadsBefore), ['history/2026-11-30'], 'only today was opened');
  t.equal((await history.find(call.callId))?.callId, call.callId, 'found by call id at once');
  t.equal((await history.search({ callerNumber: caller })).length, before + 1, 'found by caller at once');
  t.same((await history.search({ recordingId: call.recordingId as string })).map((r) => r.callId), [call.callId], 'found by recording id');
  t.same((await history.unfinished()).map((r) => r.callId), [call.callId], 'open');
  t.equal((await history.page({ recordedOnly: true }, { order: 'asc', offset: 0, limit: 10 })).total, 1);

  await history.update(call.callId, call.startedAt, { endedAt: new Date(NOW_MS + 60_000).toISOString(), recordingState: 'completed', endReason: 'completed' });
  t.same(await history.unfinished(), [], 'closing the call updates the index');
  t.equal((await history.find(call.callId))?.recordingState, 'completed');
  t.equal(history.stats().openCalls, 0);
  t.equal(history.stats().records, DAYS * CALLS + 1);
});

t.test('when the index of 90 days is built, then its arrays have room for the records and two days more, and a day of new calls fits without growing them', async (t) => {
  const { store, all } = await seededStore(t);
  const history = new ContactHistory(store);
  await history.ready();
  const { records, indexSlots } = history.stats();
  t.equal(records, DAYS * CALLS);
  // Not the spare half of a growth by half (1,536 slots for 1,080 records before).
  t.ok(indexSlots >= records && indexSlots <= records + 2 * CALLS, `${indexSlots} slots for ${records} records`);
  for (let i = 0; i < CALLS; i++) {
    await history.add({ ...(all[i] as ContactRecord), callId: randomUUID(), startedAt: new Date(NOW_MS + i * 1000).toISOString(), endedAt: null, recordingId: null, recordingState: 'not-recorded', endReason: null });
  }
  t.equal(history.stats().indexSlots, indexSlots, "today's calls fit in the room kept");
});

t.test('when the service starts after a crash, then the search for unfinished calls reads only the days that hold one', async (t) => {
  const { dataDir, key, store, all } = await seededStore(t);
  // Two calls were in progress when the power went: one 40 days ago, one yesterday.
  const openIds = [all[50 * CALLS + 3], all[89 * CALLS + 7]].map((r) => r as ContactRecord);
  for (const record of openIds) {
    const name = `history/${record.startedAt.slice(0, 10)}`;
    const doc = await store.openDocument<{ records: ContactRecord[] }>(name, { records: [] });
    doc.data.records = doc.data.records.map((r) => (r.callId === record.callId ? { ...r, endedAt: null, endReason: null } : r));
    await doc.write();
    await store.close(name);
  }
  const restarted = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  const { documents, counts } = counted(restarted);
  const history = new ContactHistory(documents);
  const closed = await closeUnfinishedCalls({ history, recordingOutcome: async () => undefined, logger: silentLogger });
  t.equal(closed, 2);
  t.same(counts.loads.sort(), openIds.map((r) => `history/${r.startedAt.slice(0, 10)}`).sort(), 'only the two days holding an open call were loaded');
  t.equal(counts.reads.length, DAYS, 'the index build read each day once and kept none');
  t.same(await history.unfinished(), []);
  for (const record of openIds) t.equal((await history.find(record.callId))?.endReason, 'service-stopped');
});

t.test('when the index is built, then the event loop runs between the days', async (t) => {
  const { store } = await seededStore(t);
  const history = new ContactHistory(store);
  let turns = 0;
  let building = true;
  const tick = (): void => {
    turns++;
    if (building) setImmediate(tick);
  };
  setImmediate(tick);
  await history.ready();
  building = false;
  await nextTurn();
  t.ok(turns >= DAYS, `other work ran ${turns} times during the build of ${DAYS} days`);
  t.equal(history.stats().records, DAYS * CALLS);
  t.equal(history.stats().indexScans, DAYS);
});

t.test('when seeding is asked, then DAYS:CALLS is checked, and a second seeding adds nothing', async (t) => {
  t.same(parseSeedHistory('90:2000'), { days: 90, callsPerDay: 2000 });
  for (const bad of ['90', '0:10', '94:10', '10:0', 'x:y', '10:100000']) t.throws(() => parseSeedHistory(bad), { code: 'SEED_HISTORY_INVALID' });
  t.throws(() => syntheticDays({ ...SEED, agents: [] }).next(), { code: 'SEED_HISTORY_INVALID' });
  const { store } = await seededStore(t);
  t.same(await seedHistory(store, SEED), { days: 0, records: 0, skippedDays: DAYS });
  const days = [...syntheticDays(SEED)];
  t.equal(days[0]?.day, '2026-09-01');
  t.equal(days.at(-1)?.day, '2026-11-29', 'the seeded days end yesterday: today is the live box');
  const records = days.flatMap((day) => day.records);
  t.ok(records.every((r) => r.recordingId === null && r.recordingState === 'not-recorded'), 'no record claims a recording');
  t.ok(records.every((r) => r.callerNumber === null || /^\+358[1-9][0-9]{7,8}$/.test(r.callerNumber)), 'callers are Finnish numbers in E.164');
  t.ok(records.some((r) => r.callerNumber === null), 'some callers withheld their number');
});
