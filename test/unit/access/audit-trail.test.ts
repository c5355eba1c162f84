import t, { type Test } from 'tap';
import { mkdtemp, rm, readFile, readdir, writeFile } from 'node:fs/promises';
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
  t.notMatch(a.of('phone', '+358401234567'), /358/);
});
