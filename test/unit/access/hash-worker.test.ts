import t from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_HASH_DEADLINE_MS, HashWorker } from '../../../src/access/hash-worker.js';
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
  // The hasher's own deadline: long enough for a new worker to start while other test files keep the cores busy.
  const worker = new HashWorker({ logger: silentLogger, deadlineMs: DEFAULT_HASH_DEADLINE_MS });
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
  t.ok(Date.now() - started >= DEFAULT_HASH_DEADLINE_MS - 100, 'refused at the deadline, not before');
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

/** One busy loop per core, as other processes on a saturated box; stopped at the end of the test. */
async function saturateEveryCore(t: { teardown(fn: () => unknown): void }): Promise<void> {
  const loops = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'process.stdout.write("busy\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  t.teardown(() => {
    for (const loop of loops) loop.kill('SIGKILL');
  });
  // Each loop says so once it runs: from then on every core has a process that never yields.
  await Promise.all(loops.map((loop) => new Promise((resolve, reject) => {
    loop.once('error', reject);
    loop.stdout!.once('data', resolve);
  })));
}

t.test('when other processes keep every core busy, then a password check in the worker still succeeds instead of AUTH_BUSY', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  t.teardown(() => worker.close());
  // The production parameters and the hasher's own deadline: what a sign-in on the box runs.
  const hasher = new PasswordHasher({ runner: worker });
  const hash = await hasher.hash('kuusi kettua juoksee metsässä');
  await saturateEveryCore(t);
  // The assertion is that it succeeds at all: under SCHED_IDLE it got no CPU and ran into the deadline.
  t.equal(worker.priority, 'batch');
  t.same(await hasher.verify(hash, 'kuusi kettua juoksee metsässä'), { ok: true, needsRehash: false }, 'the right password is accepted');
  t.same(await hasher.verify(hash, 'seitsemän kettua juoksee metsässä'), { ok: false, needsRehash: false }, 'and a wrong one refused, not AUTH_BUSY');
});
