import t from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashWorker } from '../../../src/access/hash-worker.js';
import { PasswordHasher, MIN_ARGON2_PARAMS } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';

/** Scheduling of every thread of a process: [niceness, policy] from /proc/<pid>/task/<tid>/stat. */
async function threadScheduling(pid: number): Promise<Array<{ nice: number; policy: number }>> {
  const threads: Array<{ nice: number; policy: number }> = [];
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.push({ nice: Number(fields[16]), policy: Number(fields[38]) });
  }
  return threads;
}

const SCHED_IDLE = 5;

t.test('when passwords are hashed in the worker, then they verify, and every thread of the worker runs under SCHED_IDLE', async (t) => {
  const worker = new HashWorker({ logger: silentLogger, niceness: 10 });
  t.teardown(() => worker.close());
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, runner: worker });
  const hash = await hasher.hash('kuusi kettua juoksee metsässä');
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.same(await hasher.verify(hash, 'kuusi kettua juoksee metsässä'), { ok: true, needsRehash: false });
  t.same(await hasher.verify(hash, 'seitsemän kettua juoksee metsässä'), { ok: false, needsRehash: false });
  t.same(await hasher.verify('not a hash at all', 'kuusi kettua juoksee metsässä'), { ok: false, needsRehash: false }, 'a malformed hash is a mismatch');
  t.equal(worker.priority, 'idle');
  const threads = await threadScheduling(worker.pid!);
  t.ok(threads.every((thread) => thread.policy === SCHED_IDLE && thread.nice === 10), `all ${threads.length} threads idle-scheduled at nice 10: ${JSON.stringify(threads)}`);
  t.notOk(process.pid === worker.pid, 'in its own process');
});

t.test('when SCHED_IDLE cannot be had, then the worker runs at lowered niceness instead', async (t) => {
  const worker = new HashWorker({ logger: silentLogger, niceness: 10, chrt: '/bin/false' });
  t.teardown(() => worker.close());
  const hash = await worker.hash('kuusi kettua juoksee metsässä', MIN_ARGON2_PARAMS);
  t.ok(await worker.verify(hash, 'kuusi kettua juoksee metsässä'));
  t.equal(worker.priority, 'lowered');
  const threads = await threadScheduling(worker.pid!);
  t.ok(threads.every((thread) => thread.nice === 10 && thread.policy === 0), `all ${threads.length} threads at nice 10 under the normal policy`);
});

t.test('when the worker dies during a check, then that check fails with AUTH_BUSY and the next one gets a new worker', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  t.teardown(() => worker.close());
  const hasher = new PasswordHasher({ params: { memoryCost: 65536, timeCost: 6, parallelism: 1 }, runner: worker });
  await hasher.hash('ensimmäinen salasana tässä');
  const first = worker.pid!;
  const pending = hasher.hash('toinen salasana joka katkeaa');
  setTimeout(() => process.kill(first, 'SIGKILL'), 20);
  await t.rejects(pending, { code: 'AUTH_BUSY' });
  const hash = await hasher.hash('kolmas salasana uudessa prosessissa');
  t.not(worker.pid, first, 'a new worker');
  t.ok((await hasher.verify(hash, 'kolmas salasana uudessa prosessissa')).ok);
});

t.test('when the worker stops answering, then the check fails with AUTH_BUSY at its deadline and a new worker takes the next one', async (t) => {
  // Long enough for a new worker to start at idle priority while other test files run.
  const worker = new HashWorker({ logger: silentLogger, deadlineMs: 8000 });
  t.teardown(() => worker.close());
  await worker.hash('ensimmäinen salasana tässä', MIN_ARGON2_PARAMS);
  const stuck = worker.pid!;
  process.kill(stuck, 'SIGSTOP');
  t.teardown(() => {
    try {
      process.kill(stuck, 'SIGKILL');
    } catch {
      // Already gone: the worker replaced it.
    }
  });
  const started = Date.now();
  await t.rejects(worker.hash('toinen salasana jumittuneelle', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY', message: /took too long/ });
  t.ok(Date.now() - started >= 7900, 'refused at the deadline, not before');
  const hash = await worker.hash('kolmas salasana uudessa prosessissa', MIN_ARGON2_PARAMS);
  t.not(worker.pid, stuck, 'the stuck worker was replaced');
  t.ok(await worker.verify(hash, 'kolmas salasana uudessa prosessissa'));
});

t.test('when a worker never gets ready, then the check still fails at its deadline and the starting worker is killed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-hash-worker-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // A scheduler wrapper that starts nothing: the worker it stands for never says it is ready.
  const chrt = join(dir, 'chrt');
  const pidFile = join(dir, 'pid');
  await writeFile(chrt, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 600\n`, { mode: 0o755 });
  const worker = new HashWorker({ logger: silentLogger, chrt, deadlineMs: 600 });
  t.teardown(() => worker.close());
  const started = Date.now();
  await t.rejects(worker.hash('salasana jota ei koskaan lasketa', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY', message: /took too long/ });
  t.ok(Date.now() - started >= 500, 'refused at the deadline');
  const stuck = Number(await readFile(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.throws(() => process.kill(stuck, 0), { code: 'ESRCH' }, 'the worker that never got ready was killed');
  t.not(worker.priority, 'lowered', 'a worker killed as stuck is not taken for a refused SCHED_IDLE');
});

t.test('when the worker is stopped and the service closes, then close() kills it instead of waiting for ever', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  await worker.hash('ensimmäinen salasana tässä', MIN_ARGON2_PARAMS);
  const pid = worker.pid!;
  process.kill(pid, 'SIGSTOP');
  const refused = t.rejects(worker.hash('toinen salasana pysähtyneelle', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY' }, 'the waiting check is refused, not left hanging');
  const started = Date.now();
  await worker.close();
  t.ok(Date.now() - started < 5000, `closed in ${Date.now() - started} ms`);
  await refused;
  t.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the worker is gone');
});

t.test('when the worker is closed, then further checks are refused', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  await worker.close();
  await t.rejects(worker.hash('mikä tahansa salasana', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY' });
});
