import t from 'tap';
import { readFile, readdir } from 'node:fs/promises';
import { HashWorker } from '../../../src/access/hash-worker.js';
import { PasswordHasher, MIN_ARGON2_PARAMS } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';

/** Nice values of every thread of a process (field 19 of /proc/<pid>/task/<tid>/stat). */
async function threadNiceness(pid: number): Promise<number[]> {
  const values: number[] = [];
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    values.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return values;
}

t.test('when passwords are hashed in the worker, then they verify, and the hashing threads run at a lower priority', async (t) => {
  const worker = new HashWorker({ logger: silentLogger, niceness: 10 });
  t.teardown(() => worker.close());
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, runner: worker });
  const hash = await hasher.hash('kuusi kettua juoksee metsässä');
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.same(await hasher.verify(hash, 'kuusi kettua juoksee metsässä'), { ok: true, needsRehash: false });
  t.same(await hasher.verify(hash, 'seitsemän kettua juoksee metsässä'), { ok: false, needsRehash: false });
  t.same(await hasher.verify('not a hash at all', 'kuusi kettua juoksee metsässä'), { ok: false, needsRehash: false }, 'a malformed hash is a mismatch');
  t.equal(worker.priority, 'lowered');
  const niceness = await threadNiceness(worker.pid!);
  t.ok(niceness.filter((value) => value === 10).length >= 2, `the main thread and the pool threads that hash run at nice 10 (${niceness.join(',')})`);
  t.notOk(process.pid === worker.pid, 'in its own process');
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

t.test('when the worker is closed, then further checks are refused', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  await worker.close();
  await t.rejects(worker.hash('mikä tahansa salasana', MIN_ARGON2_PARAMS), { code: 'AUTH_BUSY' });
});
