import t from 'tap';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { ManualClock } from '../../../src/clock.js';
import { SessionStore, REAUTH_VALID_MS } from '../../../src/access/session-store.js';
import { LoginThrottle } from '../../../src/access/login-throttle.js';
import { generateTotpSecret, totpUri, verifyTotp } from '../../../src/access/totp.js';
import { SetupTokens, SETUP_TOKEN_VALID_MS } from '../../../src/access/setup-token.js';

t.test('when sessions are created and used, then tokens are random, idle and absolute limits hold, and disabling ends them', async (t) => {
  const clock = new ManualClock(0);
  const store = new SessionStore({ clock, idleTimeoutMs: 1000, absoluteTimeoutMs: 5000, maxSessions: 3 });
  const a = store.create('u1', { secondFactor: false, totpEnrollmentOnly: false, clientAddress: '10.0.0.1' });
  const b = store.create('u1', { secondFactor: false, totpEnrollmentOnly: false, clientAddress: '10.0.0.1' });
  t.not(a.token, b.token);
  t.ok(a.token.length >= 43, '256-bit token');
  t.not(a.session.csrfToken, b.session.csrfToken);
  clock.advance(999);
  t.ok(store.get(a.token), 'within idle limit, and refreshed');
  clock.advance(999);
  t.ok(store.get(a.token));
  t.equal(store.get(b.token), undefined, 'b idled out');
  for (let i = 0; i < 4; i++) {
    clock.advance(900);
    store.get(a.token);
  }
  t.equal(store.get(a.token), undefined, 'absolute limit');
  const c = store.create('u2', { secondFactor: true, totpEnrollmentOnly: false, clientAddress: 'x' });
  store.create('u2', { secondFactor: true, totpEnrollmentOnly: false, clientAddress: 'x' });
  t.equal(store.destroyAllForUser('u2'), 2);
  t.equal(store.get(c.token), undefined);
  for (let i = 0; i < 5; i++) store.create(`v${i}`, { secondFactor: false, totpEnrollmentOnly: false, clientAddress: 'x' });
  t.equal(store.count(), 3, 'bounded');
});

t.test('when a session re-authenticates, then it counts for a few minutes only', async (t) => {
  const clock = new ManualClock(0);
  const store = new SessionStore({ clock });
  const { token, session } = store.create('u', { secondFactor: false, totpEnrollmentOnly: false, clientAddress: 'x' });
  t.notOk(store.isRecentlyReauthenticated(session));
  store.markReauthenticated(token);
  t.ok(store.isRecentlyReauthenticated(session));
  clock.advance(REAUTH_VALID_MS);
  t.notOk(store.isRecentlyReauthenticated(session));
});

t.test('when logins fail repeatedly, then back-off doubles per account and per address, unknown names alike', async (t) => {
  const clock = new ManualClock(0);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, baseDelayMs: 1000 });
  for (let i = 0; i < 3; i++) {
    t.same(throttle.check('eiole', '10.0.0.9'), { allowed: true });
    throttle.recordFailure('eiole', '10.0.0.9');
  }
  t.same(throttle.check('eiole', '10.0.0.9'), { allowed: false, retryAfterMs: 1000 });
  t.match(throttle.check('eiole', '10.0.0.8'), { allowed: false }, 'the account is throttled from any address');
  t.match(throttle.check('toinen', '10.0.0.9'), { allowed: false }, 'the address is throttled for any account');
  clock.advance(1000);
  throttle.recordFailure('eiole', '10.0.0.9');
  t.same(throttle.check('eiole', '10.0.0.7'), { allowed: false, retryAfterMs: 2000 }, 'doubled');
  clock.advance(2000);
  throttle.recordSuccess('eiole', '10.0.0.7');
  t.same(throttle.check('eiole', '10.0.0.7'), { allowed: true });
});

t.test('when TOTP codes are checked, then the current and neighbouring steps pass once each', async (t) => {
  const secret = generateTotpSecret();
  t.equal(secret.length, 32, '160-bit base32 secret');
  t.match(totpUri(secret, 'aino'), /^otpauth:\/\/totp\/Tallennin:aino\?.*secret=/);
  const now = Date.UTC(2026, 10, 28, 12, 0, 10);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  const code = totp.generate({ timestamp: now });
  const ok = verifyTotp(secret, code, now, null);
  t.match(ok, { ok: true });
  t.same(verifyTotp(secret, code, now, ok.ok ? ok.step : 0), { ok: false }, 'replay refused');
  t.match(verifyTotp(secret, totp.generate({ timestamp: now - 30_000 }), now, null), { ok: true }, 'one step behind');
  t.same(verifyTotp(secret, totp.generate({ timestamp: now - 90_000 }), now, null), { ok: false }, 'three steps behind');
  t.same(verifyTotp(secret, '12345', now, null), { ok: false });
});

t.test('when a setup token is issued, then only its hash is stored, it works once, and expires', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-setup-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(0);
  const tokens = new SetupTokens({ dataDir, clock });
  const first = await tokens.issue();
  t.match(first, /^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$/);
  t.notMatch(await readFile(join(dataDir, 'setup-token.json'), 'utf8'), first.replace(/-/g, '').slice(0, 8));
  const second = await tokens.issue();
  t.notOk(await tokens.consume(first), 'a new token replaces the old');
  t.notOk(await tokens.consume('WRONG-TOKEN'));
  t.ok(await tokens.consume(second.toLowerCase().replace(/-/g, ' ')), 'typed in lower case with spaces');
  t.notOk(await tokens.consume(second), 'once only');
  t.notOk(await tokens.pending());
  const third = await tokens.issue();
  clock.advance(SETUP_TOKEN_VALID_MS);
  t.notOk(await tokens.consume(third), 'expired');
});
