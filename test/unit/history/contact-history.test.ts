import t, { type Test } from 'tap';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import type { ContactRecord } from '../../../src/history/contact-record.js';
import { silentLogger } from '../../../src/log.js';
import { nodeFileOps, type FileOps } from '../../../src/storage/durable-file.js';

async function openHistory(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-history-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const key = randomBytes(32);
  const documents = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  return { dataDir, key, documents, history: new ContactHistory(documents) };
}

function record(startedAt: string, extra: Partial<ContactRecord> = {}): ContactRecord {
  return {
    callId: randomUUID(),
    startedAt,
    endedAt: null,
    callerNumber: '+358401234567',
    serviceNumber: '+358201234567',
    agentExtension: '2001',
    agentName: 'Aino Agentti',
    agentPhone: '+358501234567',
    channel: 0,
    recordingId: null,
    recordingState: 'not-recorded',
    endReason: null,
    resumed: false,
    ...extra,
  };
}

t.test('when calls are added and ended, then each day is one document and the records read back from a fresh store', async (t) => {
  const { dataDir, key, history } = await openHistory(t);
  const a = record('2026-11-27T23:59:00.000Z');
  const b = record('2026-11-28T08:00:00.000Z');
  await history.add(a);
  await history.add(b);
  await history.update(b.callId, b.startedAt, { endedAt: '2026-11-28T08:05:00.000Z', endReason: 'completed' });
  t.same(await history.days(), ['2026-11-27', '2026-11-28']);
  t.same((await readdir(join(dataDir, 'documents', 'history'))).sort(), ['2026-11-27.tdoc', '2026-11-28.tdoc']);

  const reopened = new ContactHistory(await DocumentStore.open({ dataDir, key, logger: silentLogger }));
  const found = await reopened.find(b.callId);
  t.equal(found?.endedAt, '2026-11-28T08:05:00.000Z');
  t.equal(found?.endReason, 'completed');
  t.same((await reopened.unfinished()).map((r) => r.callId), [a.callId]);
});

t.test('when a call id is added twice or an unknown call is updated, then a clear error is raised and nothing changes', async (t) => {
  const { history } = await openHistory(t);
  const a = record('2026-11-28T08:00:00.000Z');
  await history.add(a);
  await t.rejects(history.add(a), { code: 'CALL_EXISTS' });
  await t.rejects(history.update(randomUUID(), a.startedAt, { endedAt: a.startedAt }), { code: 'CALL_NOT_FOUND' });
  t.equal((await history.day('2026-11-28')).length, 1);
  t.same(await history.day('2026-01-01'), []);
});

t.test('when searching a time range, then only records that started in it come back, oldest first', async (t) => {
  const { history } = await openHistory(t);
  const times = ['2026-11-26T10:00:00.000Z', '2026-11-27T10:00:00.000Z', '2026-11-27T12:00:00.000Z', '2026-11-28T10:00:00.000Z'];
  for (const time of [...times].reverse()) await history.add(record(time));
  const found = await history.search({ fromMs: Date.parse('2026-11-27T00:00:00Z'), toMs: Date.parse('2026-11-28T10:00:00Z') });
  t.same(found.map((r) => r.startedAt), [times[1], times[2]]);
  const withPredicate = await history.search({ predicate: (r) => r.startedAt.endsWith('12:00:00.000Z') });
  t.equal(withPredicate.length, 1);
});

t.test('when purging before a cutoff, then older days go whole, the cutoff day is trimmed, and a dry run changes nothing', async (t) => {
  const { dataDir, history } = await openHistory(t);
  const old = record('2026-08-01T10:00:00.000Z');
  const boundaryOld = record('2026-08-28T09:00:00.000Z');
  const boundaryNew = record('2026-08-28T11:00:00.000Z');
  const recent = record('2026-11-28T10:00:00.000Z');
  for (const r of [old, boundaryOld, boundaryNew, recent]) await history.add(r);
  const cutoff = Date.parse('2026-08-28T10:00:00.000Z');

  const dry = await history.purgeBefore(cutoff, true);
  t.same(dry.records.map((r) => r.callId).sort(), [old.callId, boundaryOld.callId].sort());
  t.equal((await history.search()).length, 4);

  const done = await history.purgeBefore(cutoff, false);
  t.same(done.daysRemoved, ['2026-08-01']);
  t.same((await history.search()).map((r) => r.callId), [boundaryNew.callId, recent.callId]);
  t.same((await readdir(join(dataDir, 'documents', 'history'))).sort(), ['2026-08-28.tdoc', '2026-11-28.tdoc']);
});

t.test('when searching by caller, then the caller index answers and stays current through add, update and purge', async (t) => {
  const { history } = await openHistory(t);
  const first = record('2026-10-01T08:00:00.000Z', { callerNumber: '+358401111111' });
  const other = record('2026-10-02T08:00:00.000Z', { callerNumber: '+358402222222' });
  const second = record('2026-11-20T08:00:00.000Z', { callerNumber: '+358401111111' });
  await history.add(first);
  await history.add(other);
  const byCaller = (number: string, fromMs?: number) => history.search({ callerNumber: number, ...(fromMs === undefined ? {} : { fromMs }) });
  t.same((await byCaller('+358401111111')).map((r) => r.callId), [first.callId], 'built from the documents on first use');
  await history.add(second);
  t.same((await byCaller('+358401111111')).map((r) => r.callId), [first.callId, second.callId], 'a new call is found at once, oldest first');
  t.same((await byCaller('+358401111111', Date.parse('2026-11-01T00:00:00Z'))).map((r) => r.callId), [second.callId], 'the time range still applies');
  await history.update(second.callId, second.startedAt, { endedAt: '2026-11-20T08:05:00.000Z' });
  t.equal((await byCaller('+358401111111')).at(-1)?.endedAt, '2026-11-20T08:05:00.000Z', 'an update is what the index returns');
  t.equal((await history.find(second.callId))?.endedAt, '2026-11-20T08:05:00.000Z', 'and what find returns');
  await history.purgeBefore(Date.parse('2026-11-01T00:00:00Z'), false);
  t.same((await byCaller('+358401111111')).map((r) => r.callId), [second.callId], 'purged calls leave the index');
  t.same(await byCaller('+358402222222'), []);
  t.equal(await history.find(first.callId), undefined);
  t.same(await byCaller('+358409999999'), [], 'an unknown caller finds nothing');
});

t.test('when calls are added and purged while the index is being built, then the index reflects both', async (t) => {
  const { history } = await openHistory(t);
  const old = record('2026-08-01T08:00:00.000Z', { callerNumber: '+358403333333' });
  await history.add(old);
  for (let day = 10; day < 30; day++) await history.add(record(`2026-10-${day}T08:00:00.000Z`));
  const fresh = record('2026-11-20T08:00:00.000Z', { callerNumber: '+358403333333' });
  // The first lookup builds the index; the add and the purge run while it loads the documents.
  const building = history.find(fresh.callId);
  await Promise.all([history.add(fresh), history.purgeBefore(Date.parse('2026-09-01T00:00:00Z'), false), building]);
  t.equal(await history.find(old.callId), undefined, 'a purged call is not found');
  t.equal((await history.find(fresh.callId))?.callId, fresh.callId, 'a call added meanwhile is found');
  t.same((await history.search({ callerNumber: '+358403333333' })).map((r) => r.callId), [fresh.callId]);
});

t.test('when a write of the history fails with a full disk, then the error reaches the caller and neither memory nor the index holds the change', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-history-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  let full = false;
  const fileOps: FileOps = {
    ...nodeFileOps,
    open: async (path, flags, mode) => {
      const handle = await nodeFileOps.open(path, flags, mode);
      if (full && flags === 'wx') {
        handle.write = (async () => {
          const err = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
          err.code = 'ENOSPC';
          throw err;
        }) as typeof handle.write;
      }
      return handle;
    },
  };
  const documents = await DocumentStore.open({ dataDir, key: randomBytes(32), logger: silentLogger, fileOps });
  const history = new ContactHistory(documents);
  const early = record('2026-11-28T06:00:00.000Z');
  const kept = record('2026-11-28T08:00:00.000Z');
  await history.add(early);
  await history.add(kept);
  await history.update(early.callId, early.startedAt, { endedAt: '2026-11-28T06:05:00.000Z' });
  full = true;
  const lost = record('2026-11-28T09:00:00.000Z', { callerNumber: '+358409990000' });
  await t.rejects(history.add(lost), { code: 'DISK_FULL' });
  await t.rejects(history.update(kept.callId, kept.startedAt, { endedAt: '2026-11-28T08:05:00.000Z' }), { code: 'DISK_FULL' });
  await t.rejects(history.purgeBefore(Date.parse('2026-11-28T07:00:00.000Z'), false), { code: 'DISK_FULL' });
  full = false;
  t.equal(await history.find(lost.callId), undefined);
  t.same(await history.search({ callerNumber: '+358409990000' }), []);
  t.same((await history.day('2026-11-28')).map((r) => [r.callId, r.endedAt]), [[early.callId, '2026-11-28T06:05:00.000Z'], [kept.callId, null]]);
  t.equal((await history.find(early.callId))?.callId, early.callId, 'the failed purge left the record in the index');
  t.same((await history.unfinished()).map((r) => r.callId), [kept.callId], 'the failed end did not reach the index');
  await history.update(kept.callId, kept.startedAt, { endedAt: '2026-11-28T08:05:00.000Z' });
  t.same(await history.unfinished(), [], 'writes continue after a failed one');
});

t.test('when calls are tagged, then a search by tag finds them from the index, after a restart too, and the purge takes the tags with the calls', async (t) => {
  const { dataDir, key, history } = await openHistory(t);
  const old = record('2026-11-20T08:00:00.000Z');
  const a = record('2026-11-28T08:00:00.000Z');
  const b = record('2026-11-28T09:00:00.000Z');
  for (const call of [old, a, b]) await history.add(call);
  await history.ready();
  for (const call of [old, a]) await history.annotate(call.callId, call.startedAt, (current) => ({ ...current, tags: ['valitus'] }));
  await history.annotate(b.callId, b.startedAt, (current) => ({ ...current, tags: ['kiitos'] }));
  const tagged = async (h: ContactHistory, tag: string): Promise<string[]> => (await h.page({ tag }, { order: 'asc', offset: 0, limit: 10 })).records.map((r) => r.callId);
  t.same(await tagged(history, 'valitus'), [old.callId, a.callId]);
  await history.annotate(a.callId, a.startedAt, (current) => ({ ...current, tags: [] }));
  t.same(await tagged(history, 'valitus'), [old.callId], 'a tag removed leaves the search');

  const reopened = new ContactHistory(await DocumentStore.open({ dataDir, key, logger: silentLogger }));
  await reopened.ready();
  t.same(await tagged(reopened, 'valitus'), [old.callId], 'built from the day documents at start');
  t.same(await tagged(reopened, 'kiitos'), [b.callId]);
  await reopened.purgeBefore(Date.parse('2026-11-25T00:00:00.000Z'), false);
  t.same(await tagged(reopened, 'valitus'), [], 'the purge takes the tag with its call');
  t.same(await tagged(reopened, 'kiitos'), [b.callId]);
});
