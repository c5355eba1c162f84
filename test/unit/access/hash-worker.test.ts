import t from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashWorker } from '../../../src/access/hash-worker.js';
import { PasswordHasher, MIN_ARGON2_PARAMS } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';

// The worker's failures (killed, stuck) are in hash-worker-failures.test.ts, a box with every core busy in
// hash-worker-busy-machine.test.ts: each file has its own time budget on a loaded machine.

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

/** Whether a process is gone (ESRCH), polled until it is; the test's timeout is the hang guard. */
async function gone(pid: number): Promise<boolean> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const SCHED_OTHER = 0;
const SCHED_BATCH = 3;

t.test('when passwords are hashed in the worker, then they verify, and every thread of the worker runs under SCHED_BATCH at the given niceness', async (t) => {
  const worker = new HashWorker({ logger: silentLogger, niceness: 10 });
  t.teardown(() => worker.close());
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, runner: worker });
  const hash = await hasher.hash('kuusi kettua juoksee metsässä');
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.same(await hasher.verify(hash, 'kuusi kettua juoksee metsässä'), { ok: true, needsRehash: false });
  t.same(await hasher.verify(hash, 'seitsemän kettua juoksee metsässä'), { ok: false, needsRehash: false });
  t.same(await hasher.verify('not a hash at all', 'kuusi kettua juoksee metsässä'), { ok: false, needsRehash: false }, 'a malformed hash is a mismatch');
  t.equal(worker.priority, 'batch');
  const threads = await threadScheduling(worker.pid!);
  t.ok(threads.every((thread) => thread.policy === SCHED_BATCH && thread.nice === 10), `all ${threads.length} threads under SCHED_BATCH at nice 10: ${JSON.stringify(threads)}`);
  t.notOk(process.pid === worker.pid, 'in its own process');
});

t.test('when SCHED_BATCH cannot be had, then the worker runs at lowered niceness instead', async (t) => {
  const worker = new HashWorker({ logger: silentLogger, niceness: 10, chrt: '/bin/false' });
  t.teardown(() => worker.close());
  const hash = await worker.hash('kuusi kettua juoksee metsässä', MIN_ARGON2_PARAMS);
  t.ok(await worker.verify(hash, 'kuusi kettua juoksee metsässä'));
  t.equal(worker.priority, 'lowered');
  const threads = await threadScheduling(worker.pid!);
  t.ok(threads.every((thread) => thread.nice === 10 && thread.policy === SCHED_OTHER), `all ${threads.length} threads at nice 10 under the normal policy`);
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
  t.ok(await gone(stuck), 'the worker that never got ready was killed');
  t.not(worker.priority, 'lowered', 'a worker killed as stuck is not taken for a refused SCHED_BATCH');
});

t.test('when the worker is stopped and the service closes, then close() kills it instead of waiting for ever', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  await worker.hash('ensimmäinen salasana tässä', MIN_ARGON2_PARAMS);
  const pid = worker.pid!;
  process.kill(pid, 'SIGSTOP');
  const refused = t.rejects(worker.hash('toinen salasana pysähtyneelle', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY' }, 'the waiting check is refused, not left hanging');
  // The test's own timeout is the hang guard: close() must come back at all.
  await worker.close();
  await refused;
  t.ok(await gone(pid), 'the worker is gone');
});

t.test('when the worker is closed, then further checks are refused', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  await worker.close();
  await t.rejects(worker.hash('mikä tahansa salasana', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY' });
});
