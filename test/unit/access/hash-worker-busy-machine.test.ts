/**
 * A box whose every core is kept busy by other processes still signs people in: the hashing
 * worker runs under SCHED_BATCH at a lowered niceness, which always gets a share of the CPU
 * (under SCHED_IDLE, as before, it got none and every check ran into its deadline).
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { HashWorker } from '../../../src/access/hash-worker.js';
import { PasswordHasher } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';

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
