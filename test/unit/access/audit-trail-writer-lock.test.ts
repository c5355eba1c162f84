/**
 * One writer per audit trail: a lock held by a live process refuses a second writer
 * (AUDIT_LOCKED), and a lock left by a process that is gone, or whose pid now belongs to another
 * process, is taken over, so a service killed with SIGKILL starts again.
 */
import t, { type Test } from 'tap';
import { mkdtemp, rm, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { AuditTrail } from '../../../src/access/audit-trail.js';

async function setUp(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-lock-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  await mkdir(join(dataDir, 'audit'));
  const options = { dataDir, signingKey: createKeyHierarchy(Buffer.alloc(32, 7)).signingKey('audit-signing'), clock: new ManualClock(Date.UTC(2026, 10, 28)), logger: silentLogger };
  return { lock: join(dataDir, 'audit', 'writer.lock'), options };
}

const finishedPid = (): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('exit', () => resolve(child.pid!));
  });

t.test('when the lock names a live process, then a second writer is refused', async (t) => {
  const { lock, options } = await setUp(t);
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  t.teardown(() => holder.kill('SIGKILL'));
  await writeFile(lock, JSON.stringify({ pid: holder.pid, start: null }));
  await t.rejects(AuditTrail.open(options), { code: 'AUDIT_LOCKED' });
});

t.test('when the lock names a process that is gone, or a reused pid, then it is taken over and released at close', async (t) => {
  const { lock, options } = await setUp(t);
  await writeFile(lock, JSON.stringify({ pid: await finishedPid(), start: null }));
  const first = await AuditTrail.open(options);
  await first.append({ action: 'a.one', outcome: 'success', actorId: null });
  await first.close();
  await t.rejects(access(lock), 'close releases the lock');
  // The parent process is alive, but it is not the process that took the lock (its start differs).
  await writeFile(lock, JSON.stringify({ pid: process.ppid, start: 'another-boot:1' }));
  const second = await AuditTrail.open(options);
  t.match(await second.verify(), { ok: true, entries: 1 });
  await second.close();
});
