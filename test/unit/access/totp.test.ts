import t from 'tap';
import * as OTPAuth from 'otpauth';
import { generateTotpSecret, totpStepAt, totpUri, verifyTotp } from '../../../src/access/totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; its 8-digit codes,
// of which the 6-digit code is the last six digits (the HOTP truncation is modulo 10^digits).
const RFC_SECRET = OTPAuth.Secret.fromLatin1('12345678901234567890').base32;
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

t.test('when the RFC 6238 test vectors are checked, then each code passes at its time', async (t) => {
  t.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  for (const [seconds, code8] of RFC_VECTORS) {
    const result = verifyTotp(RFC_SECRET, code8.slice(-6), seconds * 1000, null);
    t.same(result, { ok: true, step: Math.floor(seconds / 30) }, `T=${seconds}`);
  }
});

t.test('when a code is off by one step, then it passes; by two, it does not', async (t) => {
  const [seconds, code8] = RFC_VECTORS[3]!;
  const code = code8.slice(-6);
  const step = Math.floor(seconds / 30);
  t.same(verifyTotp(RFC_SECRET, code, (seconds + 30) * 1000, null), { ok: true, step }, 'the phone is 30 s behind');
  t.same(verifyTotp(RFC_SECRET, code, (seconds - 30) * 1000, null), { ok: true, step }, 'the phone is 30 s ahead');
  t.same(verifyTotp(RFC_SECRET, code, (seconds + 60) * 1000, null), { ok: false });
  t.same(verifyTotp(RFC_SECRET, code, (seconds - 60) * 1000, null), { ok: false });
});

t.test('when a code is used again, or an older one after a newer, then it is refused', async (t) => {
  const secret = generateTotpSecret();
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  const now = Date.UTC(2026, 10, 28, 12, 0, 10);
  const current = verifyTotp(secret, totp.generate({ timestamp: now }), now, null);
  t.same(current, { ok: true, step: totpStepAt(now) });
  const last = current.ok ? current.step : -1;
  t.same(verifyTotp(secret, totp.generate({ timestamp: now }), now + 5000, last), { ok: false }, 'the same code again');
  t.same(verifyTotp(secret, totp.generate({ timestamp: now - 30_000 }), now, last), { ok: false }, 'the previous step after the current one');
  t.same(verifyTotp(secret, totp.generate({ timestamp: now + 30_000 }), now + 30_000, last), { ok: true, step: last + 1 }, 'the next step');
});

t.test('when a code is malformed, then it is refused without throwing', async (t) => {
  const secret = generateTotpSecret();
  const now = Date.UTC(2026, 10, 28, 12, 0, 10);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: now });
  t.same(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null), { ok: true, step: totpStepAt(now) }, 'a space in the middle is fine');
  for (const bad of ['12345', '1234567', 'abcdef', '', '12345a', code + '0']) t.same(verifyTotp(secret, bad, now, null), { ok: false }, JSON.stringify(bad));
  t.same(verifyTotp(secret, code, Number.NaN, null), { ok: false });
  t.same(verifyTotp('!!!', code, now, null), { ok: false }, 'a broken secret');
});

t.test('when a secret is generated, then it is 160 random bits in base32 and its URI names the issuer and user', async (t) => {
  const secret = generateTotpSecret();
  t.match(secret, /^[A-Z2-7]{32}$/);
  t.equal(OTPAuth.Secret.fromBase32(secret).bytes.length, 20);
  t.not(generateTotpSecret(), secret);
  const uri = new URL(totpUri(secret, 'aino'));
  t.equal(uri.protocol, 'otpauth:');
  t.equal(uri.host, 'totp');
  t.equal(decodeURIComponent(uri.pathname), '/Tallennin:aino');
  t.equal(uri.searchParams.get('issuer'), 'Tallennin');
  t.equal(uri.searchParams.get('secret'), secret);
  t.equal(uri.searchParams.get('digits'), '6');
  t.equal(uri.searchParams.get('period'), '30');
  t.equal(uri.searchParams.get('algorithm'), 'SHA1');
});
