import t from 'tap';
import argon2 from 'argon2';
import { PasswordHasher, DEFAULT_ARGON2_PARAMS, MIN_ARGON2_PARAMS, inProcessArgon2 } from '../../../src/access/password-hasher.js';
import { FAST_PARAMS, PASSWORD } from './auth-fixtures.js';

t.test('when the defaults are read, then they are 64 MiB, t=3 on one lane, above the floor', async (t) => {
  t.same(DEFAULT_ARGON2_PARAMS, { memoryCost: 65536, timeCost: 3, parallelism: 1 });
  t.same(MIN_ARGON2_PARAMS, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
});

t.test('when a password is hashed, then it is argon2id with the given parameters and a fresh salt', async (t) => {
  const hasher = new PasswordHasher({ params: FAST_PARAMS });
  const hash = await hasher.hash(PASSWORD);
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.notMatch(hash, /kettua/);
  t.not(await hasher.hash(PASSWORD), hash, 'a new salt every time');
  t.same(await hasher.verify(hash, PASSWORD), { ok: true, needsRehash: false });
  t.same(await hasher.verify(hash, 'kuusi kettua juoksee metsässä!'), { ok: false, needsRehash: false });
});

t.test('when a password is verified in another Unicode normalisation, then it still matches', async (t) => {
  const hasher = new PasswordHasher({ params: FAST_PARAMS });
  const hash = await hasher.hash('Åke kävelee kotiin illalla');
  t.same(await hasher.verify(hash, 'A\u030Ake ka\u0308velee kotiin illalla'), { ok: true, needsRehash: false }, 'decomposed (NFD)');
  t.same(await hasher.verify(hash, 'Åke kävelee kotiin illalla'.normalize('NFKC')), { ok: true, needsRehash: false });
  t.ok(await argon2.verify(hash, 'Åke kävelee kotiin illalla'.normalize('NFKC')), 'the NFKC form is what is hashed');
});

t.test('when a hash is malformed, then verify says no instead of throwing', async (t) => {
  const hasher = new PasswordHasher({ params: FAST_PARAMS });
  for (const hash of ['not a hash', '', '$argon2id$v=19$m=19456,t=2,p=1$broken', '$2b$10$abcdefghijklmnopqrstuv']) {
    t.same(await hasher.verify(hash, PASSWORD), { ok: false, needsRehash: false }, JSON.stringify(hash));
  }
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 0 }, 'the slot is given back after a malformed hash');
});

t.test('when the parameters change, then a matching old hash needs rehashing', async (t) => {
  const old = new PasswordHasher({ params: FAST_PARAMS });
  const hash = await old.hash(PASSWORD);
  const stronger = new PasswordHasher({ params: { ...FAST_PARAMS, timeCost: 3 } });
  t.same(await stronger.verify(hash, PASSWORD), { ok: true, needsRehash: true });
  t.same(await stronger.verify(hash, 'väärä salasana täysin'), { ok: false, needsRehash: false }, 'never for a wrong password');
  t.same(await new PasswordHasher({ params: { ...FAST_PARAMS, memoryCost: 32768 } }).verify(hash, PASSWORD), { ok: true, needsRehash: true }, 'memory too');
});

t.test('when parameters are below the floor, then the hasher refuses them', async (t) => {
  for (const params of [
    { memoryCost: 1024, timeCost: 2, parallelism: 1 },
    { memoryCost: 19455, timeCost: 2, parallelism: 1 },
    { memoryCost: 19456, timeCost: 1, parallelism: 1 },
    { memoryCost: 19456, timeCost: 2, parallelism: 0 },
  ]) {
    t.throws(() => new PasswordHasher({ params }), { code: 'HASH_PARAMS_INVALID' }, JSON.stringify(params));
  }
  t.doesNotThrow(() => new PasswordHasher({ params: MIN_ARGON2_PARAMS }), 'the floor itself is accepted');
});

t.test('when more hashes are asked for than the cap and queue allow, then the extra ones get AUTH_BUSY and the rest finish', async (t) => {
  const hasher = new PasswordHasher({ params: FAST_PARAMS, maxConcurrent: 1, maxQueued: 2 });
  const pending = [1, 2, 3, 4, 5].map((n) => hasher.hash(`salasana numero ${n} on pitkä`));
  t.same(hasher.stats(), { running: 1, queued: 2, rejected: 2 }, 'one running, two waiting, two refused at once');
  const results = await Promise.allSettled(pending);
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
  for (const r of results.slice(3)) t.match((r as PromiseRejectedResult).reason, { name: 'AppError', code: 'AUTH_BUSY' });
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 2 });
  t.match(await hasher.hash(PASSWORD), /^\$argon2id\$/, 'capacity comes back');
});

t.test('when a check waits for a slot past the limit, then it gets AUTH_BUSY and the next in line still gets the slot', async (t) => {
  // A runner whose first hash only finishes when told: a starved worker.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const runner = {
    hash: async (password: string) => {
      calls++;
      if (calls === 1) await held;
      return `$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$${Buffer.from(password).toString('base64')}`;
    },
    verify: async () => false,
  };
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, maxConcurrent: 1, maxQueued: 5, maxQueueWaitMs: 100, runner });
  const first = hasher.hash('ensimmäinen salasana joka jumittuu');
  const started = Date.now();
  await t.rejects(hasher.hash('toinen salasana joka odottaa'), { code: 'AUTH_BUSY' });
  t.ok(Date.now() - started >= 90, 'refused at the wait limit');
  t.same(hasher.stats(), { running: 1, queued: 0, rejected: 1 }, 'its place in the queue is given up');
  const third = hasher.hash('kolmas salasana jonossa');
  release();
  await first;
  t.match(await third, /^\$argon2id\$/, 'the slot goes to the next in line');
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 1 });
});

t.test('when verifications run in parallel, then no more than maxConcurrent run at once', async (t) => {
  const hasher = new PasswordHasher({ params: FAST_PARAMS, maxConcurrent: 2, maxQueued: 10 });
  const hash = await hasher.hash(PASSWORD);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, hasher.stats().running)), 1);
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => hasher.verify(hash, i % 2 === 0 ? PASSWORD : 'väärä salasana täysin')));
  clearInterval(timer);
  t.same(results.map((r) => r.ok), [true, false, true, false, true, false]);
  t.ok(peak <= 2, `peak ${peak}`);
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 0 });
});

t.test('when an unknown user is verified against the dummy, then it costs a real verify and never matches', async (t) => {
  // A spy on the real argon2 runner: which hashes are verified (not timed: a busy machine makes times meaningless).
  const verified: string[] = [];
  const runner = {
    hash: inProcessArgon2.hash,
    verify: (hash: string, password: string) => {
      verified.push(hash);
      return inProcessArgon2.verify(hash, password);
    },
  };
  const hasher = new PasswordHasher({ params: FAST_PARAMS, maxConcurrent: 1, maxQueued: 0, runner });
  const hash = await hasher.hash(PASSWORD);
  await hasher.verify(hash, 'väärä salasana täysin');
  for (const password of [PASSWORD, 'väärä salasana täysin']) await hasher.verifyDummy(password);
  const params = (phc: string): string | undefined => /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/.exec(phc)?.[1];
  t.equal(verified.length, 3, 'the dummy went through argon2 like a real check');
  t.same(verified.map(params), ['m=19456,t=2,p=1', 'm=19456,t=2,p=1', 'm=19456,t=2,p=1'], 'a full argon2id hash with the real parameters: the same work');
  t.equal(verified[1], verified[2], 'always the same dummy');
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 0 });
  const busy = hasher.hash(PASSWORD);
  await t.rejects(hasher.verifyDummy(PASSWORD), { code: 'AUTH_BUSY' }, 'the dummy goes through the same cap');
  await busy;
});
