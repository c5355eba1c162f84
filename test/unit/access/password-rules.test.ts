import t from 'tap';
import { checkPasswordRules, normalizePassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../src/access/password-rules.js';

const ctx = { username: 'aino', displayName: 'Aino Virtanen' };

t.test('when the limits are read, then they are those of NIST SP 800-63B for a single factor', async (t) => {
  t.equal(MIN_PASSWORD_LENGTH, 15);
  t.equal(MAX_PASSWORD_LENGTH, 128);
});

t.test('when a password is shorter than 15 or longer than 128 code points, then its length refuses it', async (t) => {
  t.match(checkPasswordRules('lyhyt salasana', ctx), { ok: false, code: 'PASSWORD_TOO_SHORT' }, '14 characters');
  t.same(checkPasswordRules('lyhyt salasanat', ctx), { ok: true }, 'exactly 15');
  t.match(checkPasswordRules('', ctx), { ok: false, code: 'PASSWORD_TOO_SHORT' });
  const long = 'kuusi kettua juoksee metsässä '.repeat(5).slice(0, MAX_PASSWORD_LENGTH);
  t.same(checkPasswordRules(long, ctx), { ok: true }, 'exactly 128');
  t.match(checkPasswordRules(long + 'x', ctx), { ok: false, code: 'PASSWORD_TOO_LONG' }, '129');
  t.match(checkPasswordRules('salasana '.repeat(100_000), ctx), { ok: false, code: 'PASSWORD_TOO_LONG' }, 'a megabyte');
  const result = checkPasswordRules('lyhyt', ctx);
  t.ok(!result.ok && result.message.length > 0, 'a message for people comes with the code');
});

t.test('when length is counted, then it is code points after NFKC, not UTF-16 units', async (t) => {
  // 15 emoji: 30 UTF-16 units, 15 code points.
  t.same(checkPasswordRules('🦊🌲🦔🍄🌙🦉🐺🌟🦌🐻🍁🐿🌧🦅🐸', ctx), { ok: true });
  // "Å" as A + combining ring: 15 UTF-16 units, 14 characters once normalised.
  t.match(checkPasswordRules('A\u030Ake meni kotii', ctx), { ok: false, code: 'PASSWORD_TOO_SHORT' });
  t.equal(normalizePassword('A\u030Ake'), 'Åke');
  t.equal(normalizePassword('ﬁ'), 'fi', 'compatibility forms too (NFKC)');
  t.equal(normalizePassword('ｐａｓｓ'), 'pass', 'full-width letters');
});

t.test('when a password is on the breached list, in any case or disguise, then it is PASSWORD_COMMON', async (t) => {
  for (const password of [
    'passwordpassword', // a listed word repeated
    'PasswordPassword',
    'baseball1234567!', // a listed word with digits and punctuation after it
    '123456789012345', // a run
    'abcdefghijklmnop',
    'zyxwvutsrqponmlkj',
    'abcabcabcabcabcabc', // a short unit repeated
    'qwerqwerqwerqwer',
    'ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ', // full-width forms normalise to the listed word
  ]) {
    t.match(checkPasswordRules(password, ctx), { ok: false, code: 'PASSWORD_COMMON' }, password);
  }
});

t.test('when a password repeats one character, then it is refused', async (t) => {
  t.match(checkPasswordRules('aaaaaaaaaaaaaaaaaa', ctx), { ok: false });
  t.match(checkPasswordRules('ääääääääääääääää', ctx), { ok: false });
});

t.test('when a password contains the user name or the product name, then it is PASSWORD_CONTEXT', async (t) => {
  t.match(checkPasswordRules('minä olen aino ja tämä on salasanani', ctx), { ok: false, code: 'PASSWORD_CONTEXT' });
  t.match(checkPasswordRules('MINÄ OLEN AINO JA TÄMÄ', ctx), { ok: false, code: 'PASSWORD_CONTEXT' }, 'case-insensitive');
  t.match(checkPasswordRules('tallennin on hyvä ohjelma', ctx), { ok: false, code: 'PASSWORD_CONTEXT' });
  t.match(checkPasswordRules('TallenninTallennin', ctx), { ok: false, code: 'PASSWORD_CONTEXT' });
  t.same(checkPasswordRules('kuusi kettua juoksee metsässä', { username: 'mikko' }), { ok: true }, 'another user name');
});

t.test('when a password is refused for its context, then the refusal names which part of the context it holds', async (t) => {
  t.match(checkPasswordRules('tallennin on hyvä ohjelma', ctx), { ok: false, code: 'PASSWORD_CONTEXT', reason: 'product-name' }, 'the product, not the user name');
  t.match(checkPasswordRules('minä olen aino ja tämä on salasanani', ctx), { ok: false, code: 'PASSWORD_CONTEXT', reason: 'user-name' });
  t.match(checkPasswordRules('kuusi virtanen juoksee metsässä', ctx), { ok: false, code: 'PASSWORD_CONTEXT', reason: 'person-name' });
  t.match(checkPasswordRules('xxxxxxxxxxxxxxxxxxxx', ctx), { ok: false, code: 'PASSWORD_CONTEXT', reason: 'repeated-character' });
});

t.test('when a long passphrase of ordinary words is chosen, then no composition rule refuses it', async (t) => {
  t.same(checkPasswordRules('kuusi kettua juoksee metsässä', ctx), { ok: true }, 'lower-case words only');
  t.same(checkPasswordRules('Äiti sanoi: πάντα ρεῖ, 水は流れる', ctx), { ok: true }, 'any Unicode');
  t.same(checkPasswordRules('839274650193827', ctx), { ok: true }, 'fifteen random digits');
  t.same(checkPasswordRules('correct horse battery staple', ctx), { ok: true });
});
