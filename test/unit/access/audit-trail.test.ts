import t, { type Test } from 'tap';
import { mkdtemp, rm, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { AuditTrail } from '../../../src/access/audit-trail.js';
import { AuditPseudonyms } from '../../../src/access/audit-pseudonyms.js';

async function trail(t: Test, clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0)), dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'tallennin-audit-unit-')));
  if (dataDir === undefined) t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keys = createKeyHierarchy(Buffer.alloc(32, 7));
  const audit = await AuditTrail.open({ dataDir: dir, signingKey: keys.signingKey('audit-signing'), clock, logger: silentLogger, retentionDays: 60, checkpointEvery: 10 });
  return { dir, clock, audit, keys };
}

const actor = '00000000-0000-4000-8000-00000000000a';

t.test('when 100 appends arrive at once, then they are committed together as one contiguous chain', async (t) => {
  const { audit } = await trail(t);
  const records = await Promise.all(Array.from({ length: 100 }, (_, i) => audit.append({ action: 'calls.search', outcome: 'success', actorId: actor, details: { i } })));
  t.same(records.map((r) => r.seq), Array.from({ length: 100 }, (_, i) => i + 1));
  for (let i = 1; i < records.length; i++) t.equal(records[i]!.prevHash, records[i - 1]!.hash);
  t.match(await audit.verify(), { ok: true, entries: 100, lastSeq: 100 });
  t.match(audit.status(), { entries: 100, lastSeq: 100 });
});

t.test('when searching, then filters and pages work, newest first', async (t) => {
  const { audit, clock } = await trail(t);
  await audit.append({ action: 'auth.login', outcome: 'denied', actorId: null, actorName: 'un_x' });
  clock.advance(1000);
  await audit.append({ action: 'recording.play', outcome: 'success', actorId: actor, target: { type: 'recording', id: 'r1' } });
  clock.advance(1000);
  await audit.append({ action: 'recording.export', outcome: 'success', actorId: actor, target: { type: 'recording', id: 'r1' } });
  t.same((await audit.search({ action: 'recording.' })).records.map((r) => r.action), ['recording.export', 'recording.play']);
  t.equal((await audit.search({ outcome: 'denied' })).total, 1);
  t.equal((await audit.search({ targetId: 'r1', limit: 1, offset: 1 })).records[0]?.action, 'recording.play');
  t.equal((await audit.search({ fromMs: clock.now() })).total, 1);
  t.equal((await audit.search({ actorId: actor })).total, 2);
});

t.test('when the trail cannot be written, then append fails with AUDIT_UNAVAILABLE and the chain stays whole', async (t) => {
  const { audit, dir } = await trail(t);
  await audit.append({ action: 'a.one', outcome: 'success', actorId: actor });
  await audit.close();
  // The disk under the trail is gone (the directory replaced by a file): nothing can be appended.
  await rm(join(dir, 'audit'), { recursive: true, force: true });
  await writeFile(join(dir, 'audit'), 'not a directory');
  await t.rejects(audit.append({ action: 'a.two', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  await t.rejects(audit.append({ action: 'a.three', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' }, 'and stays refused while the disk is gone');
});

t.test('when an entry is appended as written, then it is in the file at once and committed by the group commit after', async (t) => {
  const { audit, dir } = await trail(t);
  await audit.append({ action: 'recording.play', outcome: 'success', actorId: actor, target: { type: 'recording', id: 'r1' } });
  const record = await audit.append({ action: 'recording.play', outcome: 'success', actorId: actor, target: { type: 'recording', id: 'r1' } }, 'written');
  const [segment] = (await readdir(join(dir, 'audit'))).filter((n) => n.endsWith('.jsonl'));
  const lines = (await readFile(join(dir, 'audit', segment!), 'utf8')).trim().split('\n');
  t.equal(JSON.parse(lines.at(-1)!).hash, record.hash, 'the entry is the last line of the segment when append resolves');
  const head = async () => JSON.parse(await readFile(join(dir, 'audit', 'head.json'), 'utf8')) as { seq: number };
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal((await head()).seq, 1, 'an entry nobody waits for is not committed at once: the entries of the next 250 ms share its commit');
  await new Promise((resolve) => setTimeout(resolve, 400));
  t.equal((await head()).seq, 2, 'committed, and under the signed head, within the commit delay');
  t.match(await audit.verify(), { ok: true, entries: 2 });
  const synced = await audit.append({ action: 'call.view', outcome: 'success', actorId: actor });
  t.equal((await head()).seq, synced.seq, 'a synced append resolves only once the head covers it');
});

t.test('when the commit after a write fails, then waiting appends are refused and the trail recovers once the disk is back', async (t) => {
  const { audit, dir } = await trail(t);
  await audit.append({ action: 'a.one', outcome: 'success', actorId: actor });
  // The head cannot be replaced while a directory stands where its temp file goes.
  const { mkdir, rmdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'audit', 'head.json.next'));
  await t.rejects(audit.append({ action: 'a.two', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  await t.rejects(audit.append({ action: 'a.three', outcome: 'success', actorId: actor }, 'written'), { code: 'AUDIT_UNAVAILABLE' }, 'written appends are refused too while the fault lasts');
  await rmdir(join(dir, 'audit', 'head.json.next'));
  const after = await audit.append({ action: 'a.four', outcome: 'success', actorId: actor });
  t.equal(after.seq, 3, 'the chain goes on after what reached the disk (a.two was written before its commit failed)');
  t.match(await audit.verify(), { ok: true, entries: 3 });
});

t.test('when a commit fails, then recovery writes the segment afresh before a new head covers it', async (t) => {
  const { audit, dir } = await trail(t);
  await audit.append({ action: 'a.one', outcome: 'success', actorId: actor });
  const [name] = (await readdir(join(dir, 'audit'))).filter((n) => n.endsWith('.jsonl'));
  const path = join(dir, 'audit', name!);
  const before = await stat(path);
  const { mkdir, rmdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'audit', 'head.json.next'));
  await t.rejects(audit.append({ action: 'a.two', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  const written = await readFile(path, 'utf8');
  await rmdir(join(dir, 'audit', 'head.json.next'));
  await audit.append({ action: 'a.three', outcome: 'success', actorId: actor });
  // Pages an fdatasync failed on may be marked clean unwritten: only a new file is surely on disk.
  t.not((await stat(path)).ino, before.ino, 'the segment is a new file, written and synced from what could be read back');
  t.ok((await readFile(path, 'utf8')).startsWith(written), 'with every entry that was in it');
  const head = JSON.parse(await readFile(join(dir, 'audit', 'head.json'), 'utf8')) as { seq: number };
  t.equal(head.seq, 3);
  t.match(await audit.verify(), { ok: true, entries: 3 });
  t.same((await readdir(join(dir, 'audit'))).filter((n) => n.endsWith('.tmp')), [], 'no temp file left behind');
});

t.test('when the service restarts after a failed commit, then the entries past the head are written afresh at open', async (t) => {
  const first = await trail(t);
  await first.audit.append({ action: 'a.one', outcome: 'success', actorId: actor });
  const [name] = (await readdir(join(first.dir, 'audit'))).filter((n) => n.endsWith('.jsonl'));
  const path = join(first.dir, 'audit', name!);
  const before = await stat(path);
  const { mkdir, rmdir } = await import('node:fs/promises');
  await mkdir(join(first.dir, 'audit', 'head.json.next'));
  await t.rejects(first.audit.append({ action: 'a.two', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  await first.audit.close();
  await rmdir(join(first.dir, 'audit', 'head.json.next'));
  const second = await trail(t, first.clock, first.dir);
  t.not((await stat(path)).ino, before.ino, 'the segment holding an entry the head never covered is a new file');
  t.match(await second.audit.verify(), { ok: true, entries: 2 });
  const untouched = (await stat(path)).ino;
  await second.audit.close();
  await trail(t, first.clock, first.dir);
  t.equal((await stat(path)).ino, untouched, 'a trail closed cleanly is not copied at the next start');
});

t.test('when the trail faults, then the service is told once per fault, so that an alarm can say why access is refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-audit-unit-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const faults: string[] = [];
  const keys = createKeyHierarchy(Buffer.alloc(32, 7));
  const audit = await AuditTrail.open({ dataDir: dir, signingKey: keys.signingKey('audit-signing'), clock: new ManualClock(Date.UTC(2026, 10, 28)), logger: silentLogger, onFault: (code) => faults.push(code) });
  await audit.append({ action: 'a.one', outcome: 'success', actorId: actor });
  t.same(faults, []);
  const { mkdir, rmdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'audit', 'head.json.next'));
  await t.rejects(audit.append({ action: 'a.two', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  await t.rejects(audit.append({ action: 'a.three', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  t.equal(faults.length, 1, `told once while the fault lasts: ${JSON.stringify(faults)}`);
  await rmdir(join(dir, 'audit', 'head.json.next'));
  await audit.append({ action: 'a.four', outcome: 'success', actorId: actor });
  t.equal(faults.length, 1, 'nothing more once it has recovered');
});

t.test('when a process dies mid-write, then the torn line is moved aside and the trail goes on verified', async (t) => {
  const first = await trail(t);
  for (let i = 0; i < 3; i++) await first.audit.append({ action: 'x.y', outcome: 'success', actorId: actor });
  const [segment] = (await readdir(join(first.dir, 'audit'))).filter((n) => n.endsWith('.jsonl'));
  const path = join(first.dir, 'audit', segment!);
  await writeFile(path, (await readFile(path, 'utf8')) + '{"seq":4,"time":"2026-');
  const second = await trail(t, first.clock, first.dir);
  t.match(await second.audit.verify(), { ok: true, entries: 3 });
  await second.audit.append({ action: 'x.z', outcome: 'success', actorId: actor });
  t.match(await second.audit.verify(), { ok: true, entries: 4 });
  t.ok((await readdir(join(first.dir, 'audit'))).some((n) => n.includes('.torn-')), 'the torn bytes are kept');
});

t.test('when entries pass the retention, then whole months go and the rest still verifies from the signed anchor', async (t) => {
  const { audit, clock } = await trail(t, new ManualClock(Date.UTC(2026, 5, 15)));
  for (let i = 0; i < 5; i++) await audit.append({ action: 'old.entry', outcome: 'success', actorId: actor });
  clock.set(Date.UTC(2026, 7, 20));
  for (let i = 0; i < 3; i++) await audit.append({ action: 'new.entry', outcome: 'success', actorId: actor });
  clock.set(Date.UTC(2026, 8, 1));
  t.same(await audit.prune(), { removedEntries: 5 });
  t.match(await audit.verify(), { ok: true, entries: 3, lastSeq: 8 });
  t.equal((await audit.search({})).total, 3);
});

t.test('when pseudonyms are made, then the same value gives the same pseudonym and another key another one', async (t) => {
  const a = new AuditPseudonyms(randomBytes(32));
  const b = new AuditPseudonyms(randomBytes(32));
  t.equal(a.of('phone', '+358401234567'), a.of('phone', '+358401234567'));
  t.not(a.of('phone', '+358401234567'), a.of('phone', '+358401234568'));
  t.not(a.of('phone', '+358401234567'), b.of('phone', '+358401234567'));
  t.match(a.of('username', 'aino'), /^un_[A-Za-z0-9_-]{22}$/);
  t.notMatch(a.of('phone', '+358401234567'), /358401234567/);
});
