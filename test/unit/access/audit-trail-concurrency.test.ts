/** The audit trail under concurrent use: a steady stream of appends, closing while appends run, month rollover faults. */
import t, { type Test } from 'tap';
import { mkdtemp, mkdir, rm, rmdir } from 'node:fs/promises';
import { openSync, closeSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { AuditTrail } from '../../../src/access/audit-trail.js';

const actor = '00000000-0000-4000-8000-00000000000a';

async function trail(t: Test, clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))) {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-audit-conc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keys = createKeyHierarchy(Buffer.alloc(32, 7));
  const audit = await AuditTrail.open({ dataDir: dir, signingKey: keys.signingKey('audit-signing'), clock, logger: silentLogger });
  return { dir, clock, audit };
}

t.test('when appends keep arriving without pause, then a search still answers at once', async (t) => {
  const { audit } = await trail(t);
  let flooding = true;
  const flood = (async () => {
    while (flooding) {
      await audit.append({ action: 'auth.login', outcome: 'denied', actorId: null }, 'written');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  await audit.append({ action: 'call.view', outcome: 'success', actorId: actor });
  // The flood stops only after the search answers: a search that waited for a quiet trail would
  // never answer (the test's timeout is the hang guard; no time is asserted on a busy machine).
  const found = await audit.search({ action: 'call.view' });
  t.ok(flooding, 'answered although entries keep coming');
  t.equal(found.total, 1);
  flooding = false;
  await flood;
  await audit.close();
});

t.test('when the trail is closed while appends are under way, then each is committed or refused, none hangs, and later ones are refused', async (t) => {
  const { audit } = await trail(t);
  const running = Array.from({ length: 50 }, (_, i) => audit.append({ action: 'call.view', outcome: 'success', actorId: actor, details: { n: i } }).then(() => 'ok', (err: { code?: string }) => err.code));
  const closed = audit.close();
  const late = audit.append({ action: 'call.view', outcome: 'success', actorId: actor }).then(() => 'ok', (err: { code?: string }) => err.code);
  // The test's timeout is the hang guard.
  const outcomes = await Promise.all([...running, late]);
  t.ok(outcomes.every((outcome) => outcome === 'ok' || outcome === 'AUDIT_UNAVAILABLE'), 'committed or refused');
  t.equal(await late, 'AUDIT_UNAVAILABLE', 'an append after close is refused');
  await closed;
});

t.test('when a commit fails after a month rollover, then recovery closes no file descriptor twice', async (t) => {
  const clock = new ManualClock(Date.UTC(2026, 9, 31, 23, 59, 0));
  const { audit, dir } = await trail(t, clock);
  await audit.append({ action: 'a.october', outcome: 'success', actorId: actor });
  clock.set(Date.UTC(2026, 10, 1, 0, 1, 0));
  // The head cannot be replaced: the commit of the first November entry fails after the
  // October segment was synced.
  await mkdir(join(dir, 'audit', 'head.json.next'));
  await t.rejects(audit.append({ action: 'a.november', outcome: 'success', actorId: actor }), { code: 'AUDIT_UNAVAILABLE' });
  // Another part of the service opens a file; it may get the number the October segment had.
  const other = openSync(join(dir, 'unrelated'), 'w');
  await rmdir(join(dir, 'audit', 'head.json.next'));
  await audit.append({ action: 'a.after', outcome: 'success', actorId: actor });
  t.doesNotThrow(() => fstatSync(other), 'the unrelated file is still open after the recovery');
  closeSync(other);
  t.match(await audit.verify(), { ok: true });
  await audit.close();
});
