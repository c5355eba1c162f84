/** The hashing worker's failures: killed during a check, stopped (stuck). Each ends in AUTH_BUSY and a new worker. */
import t from 'tap';
import { DEFAULT_HASH_DEADLINE_MS, HashWorker } from '../../../src/access/hash-worker.js';
import { PasswordHasher, MIN_ARGON2_PARAMS } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';

t.test('when the worker dies during a check, then that check fails with AUTH_BUSY and the next one gets a new worker', async (t) => {
  const worker = new HashWorker({ logger: silentLogger });
  t.teardown(() => worker.close());
  await worker.hash('ensimmäinen salasana tässä', MIN_ARGON2_PARAMS);
  const first = worker.pid!;
  // A long hash (about 0.4 s of CPU): the kill lands while it runs.
  const pending = worker.hash('toinen salasana joka katkeaa', { memoryCost: 65536, timeCost: 6, parallelism: 1 });
  setTimeout(() => process.kill(first, 'SIGKILL'), 20);
  await t.rejects(pending, { code: 'AUTH_BUSY' });
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, runner: worker });
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
