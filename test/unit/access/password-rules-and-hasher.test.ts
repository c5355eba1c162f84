import t from 'tap';
import { checkPasswordRules, MIN_PASSWORD_LENGTH } from '../../../src/access/password-rules.js';
import { PasswordHasher, MIN_ARGON2_PARAMS } from '../../../src/access/password-hasher.js';

const ctx = { username: 'aino' };

t.test('when passwords are checked, then length, the breached list and context decide, not composition', async (t) => {
  t.match(checkPasswordRules('lyhyt salasana', ctx), { ok: false, code: 'PASSWORD_TOO_SHORT' });
  t.match(checkPasswordRules('x'.repeat(129) + 'y', ctx), { ok: false, code: 'PASSWORD_TOO_LONG' });
  t.match(checkPasswordRules('123456789012345', ctx), { ok: false, code: 'PASSWORD_COMMON' });
  t.match(checkPasswordRules('passwordpassword', ctx), { ok: false, code: 'PASSWORD_COMMON' }, 'a listed word repeated');
  t.match(checkPasswordRules('baseball1234567!', ctx), { ok: false, code: 'PASSWORD_COMMON' }, 'a listed word with digits and punctuation after it');
  t.match(checkPasswordRules('aaaaaaaaaaaaaaaaaa', ctx), { ok: false, code: 'PASSWORD_COMMON' });
  t.match(checkPasswordRules('minä olen aino ja tämä on salasanani', ctx), { ok: false, code: 'PASSWORD_CONTEXT' });
  t.match(checkPasswordRules('tallennin on hyvä ohjelma', ctx), { ok: false, code: 'PASSWORD_CONTEXT' });
  t.same(checkPasswordRules('kuusi kettua juoksee metsässä', ctx), { ok: true }, 'a long passphrase of lower-case words is fine');
  t.same(checkPasswordRules('ÅÄÖåäö ÅÄÖåäö ÅÄÖ', ctx), { ok: true }, 'any Unicode');
  t.equal(MIN_PASSWORD_LENGTH, 15);
});

t.test('when a password is hashed, then it is argon2id and verifies in any Unicode normalisation', async (t) => {
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS });
  const hash = await hasher.hash('Åke kävelee kotiin illalla');
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.same(await hasher.verify(hash, 'A\u030Ake ka\u0308velee kotiin illalla'), { ok: true, needsRehash: false });
  t.same(await hasher.verify(hash, 'väärä salasana täysin'), { ok: false, needsRehash: false });
  t.same(await hasher.verify('not a hash', 'anything at all here'), { ok: false, needsRehash: false });
  const stronger = new PasswordHasher({ params: { ...MIN_ARGON2_PARAMS, timeCost: 3 } });
  t.same(await stronger.verify(hash, 'Åke kävelee kotiin illalla'), { ok: true, needsRehash: true }, 'changed parameters: rehash at login');
});

t.test('when parameters are below the floor, then the hasher refuses them', async (t) => {
  t.throws(() => new PasswordHasher({ params: { memoryCost: 1024, timeCost: 1, parallelism: 1 } }), { code: 'HASH_PARAMS_INVALID' });
});

t.test('when more hashes are asked for than the cap and queue allow, then the extra ones get AUTH_BUSY and the rest finish', async (t) => {
  const hasher = new PasswordHasher({ params: MIN_ARGON2_PARAMS, maxConcurrent: 1, maxQueued: 2 });
  const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => hasher.hash(`salasana numero ${n} on pitkä`)));
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
  t.equal(results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'AUTH_BUSY').length, 2);
  t.same(hasher.stats(), { running: 0, queued: 0, rejected: 2 });
});
