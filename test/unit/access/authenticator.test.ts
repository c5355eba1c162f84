import t, { type Test } from 'tap';
import * as OTPAuth from 'otpauth';
import { Authenticator, type LoginResult } from '../../../src/access/authenticator.js';
import { randomBytes } from 'node:crypto';
import { LoginThrottle, type LoginThrottleOptions } from '../../../src/access/login-throttle.js';
import { DeviceCookies } from '../../../src/access/device-cookie.js';
import { PasswordHasher } from '../../../src/access/password-hasher.js';
import { SessionStore } from '../../../src/access/session-store.js';
import { generateTotpSecret } from '../../../src/access/totp.js';
import type { Role } from '../../../src/access/policy.js';
import { AppError } from '../../../src/errors.js';
import { FAST_PARAMS, PASSWORD, openUsers, type UserFixture } from './auth-fixtures.js';
import { capturingLogger } from '../storage/helpers.js';

const ADDRESS = '10.0.0.5';

/** Counts the argon2 verifications the authenticator asks for (verifyDummy goes through verify), and keeps the hashes' parameters. */
class CountingHasher extends PasswordHasher {
  verifications = 0;
  readonly verifiedParams: string[] = [];
  override async verify(hash: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
    this.verifications++;
    this.verifiedParams.push(/^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1] ?? 'not argon2id');
    return super.verify(hash, password);
  }
}

interface AuthFixture extends UserFixture {
  auth: Authenticator;
  sessions: SessionStore;
  throttle: LoginThrottle;
  devices: DeviceCookies;
  counting: CountingHasher;
  lines: Record<string, unknown>[];
  make: (username: string, roles: Role[], extra?: { extensions?: string[] }) => Promise<string>;
}

async function fixture(t: Test, options: { hasher?: PasswordHasher; throttle?: Omit<LoginThrottleOptions, 'clock'> } = {}): Promise<AuthFixture> {
  const counting = new CountingHasher({ params: FAST_PARAMS });
  const { logger, lines } = capturingLogger();
  const base = await openUsers(t, { hasher: counting, logger });
  const sessions = new SessionStore({ clock: base.clock });
  const throttle = new LoginThrottle({ clock: base.clock, ...options.throttle });
  const devices = new DeviceCookies({ key: randomBytes(32), clock: base.clock });
  const auth = new Authenticator({ users: base.users, hasher: options.hasher ?? counting, throttle, sessions, clock: base.clock, logger, devices });
  const make = async (username: string, roles: Role[], extra: { extensions?: string[] } = {}): Promise<string> =>
    (await base.users.create({ username, displayName: username, roles, password: PASSWORD, ...extra })).id;
  return { ...base, auth, sessions, throttle, devices, counting, lines, make };
}

async function enrolTotp(f: AuthFixture, userId: string): Promise<OTPAuth.TOTP> {
  const secret = generateTotpSecret();
  await f.users.setTotp(userId, { secret, enabled: true });
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
}

const login = (f: AuthFixture, username: string, password = PASSWORD, totpCode?: string, clientAddress = ADDRESS): Promise<LoginResult> =>
  f.auth.login({ username, password, clientAddress, ...(totpCode === undefined ? {} : { totpCode }) });

t.test('when the right password is given, then a session with a new token and the public user come back', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  const result = await login(f, ' Esihenkilo ');
  if (!result.ok) throw new Error(`login failed: ${result.reason}`);
  t.equal(result.user.id, id);
  t.notOk('passwordHash' in result.user, 'no hash in the public user');
  t.notOk('totpSecret' in result.user);
  t.match(result.session, { userId: id, strength: 'password', clientAddress: ADDRESS });
  t.equal(f.sessions.get(result.token), result.session);
  const again = await login(f, 'esihenkilo');
  t.ok(again.ok && again.token !== result.token, 'fixation: every login a new token');
  t.equal(f.sessions.count(), 2);
  for (const line of f.lines) t.notOk(JSON.stringify(line).includes(PASSWORD) || JSON.stringify(line).includes(result.token), 'no password or token in the log');
});

t.test('when the user is unknown or the password wrong, then the answer is the same and costs the same argon2 work', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  for (let i = 0; i < 3; i++) {
    const wrong = await login(f, 'esihenkilo', 'väärä salasana täysin', undefined, `10.0.1.${i}`);
    const unknown = await login(f, `eiole${i}`, 'väärä salasana täysin', undefined, `10.0.2.${i}`);
    const { userId, ...wrongSeen } = wrong as Extract<LoginResult, { ok: false }>;
    t.equal(userId, id, 'the account is named for the audit entry');
    t.same(wrongSeen, { ok: false, reason: 'INVALID_CREDENTIALS' });
    t.same(unknown, { ok: false, reason: 'INVALID_CREDENTIALS' }, 'unknown: the same answer, without an account');
  }
  t.equal(f.counting.verifications, 6, 'argon2 ran for each, also for the unknown user names');
  // Not timed (a busy machine makes times meaningless): the same parameters are the same cost.
  t.same(new Set(f.counting.verifiedParams), new Set(['m=19456,t=2,p=1']), 'the dummy hash has the real hash’s parameters');
});

t.test('when the account is disabled, then even the right password gets INVALID_CREDENTIALS after a real verify', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  await f.users.update(id, { disabled: true });
  t.same(await login(f, 'esihenkilo'), { ok: false, reason: 'INVALID_CREDENTIALS', userId: id });
  t.equal(f.counting.verifications, 1);
  t.equal(f.sessions.count(), 0);
});

t.test('when an account is throttled, then THROTTLED comes before any hashing, and the right password waits too', async (t) => {
  const f = await fixture(t);
  await f.make('esihenkilo', ['supervisor']);
  for (let i = 0; i < 5; i++) t.match(await login(f, 'esihenkilo', `väärä salasana ${i} on tämä`), { ok: false, reason: 'INVALID_CREDENTIALS' });
  const before = f.counting.verifications;
  const throttled = await login(f, 'esihenkilo');
  t.same(throttled, { ok: false, reason: 'THROTTLED', retryAfterMs: 1000 });
  t.equal(f.counting.verifications, before, 'no argon2 work for a throttled attempt');
  f.clock.advance(1000);
  t.match(await login(f, 'esihenkilo'), { ok: true }, 'after the wait');
});

t.test('when wrong guesses arrive in parallel, then one is checked at a time per account and the rest are THROTTLED', async (t) => {
  const f = await fixture(t);
  await f.make('esihenkilo', ['supervisor']);
  const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => login(f, 'esihenkilo', `väärä salasana ${i} on tämä`, undefined, `10.0.3.${i}`)));
  t.equal(burst.filter((r) => !r.ok && r.reason === 'INVALID_CREDENTIALS').length, 1);
  t.equal(burst.filter((r) => !r.ok && r.reason === 'THROTTLED').length, 9);
  t.equal(f.counting.verifications, 1, 'a burst cannot get past the throttle before the first failure counts');
  t.match(await login(f, 'esihenkilo'), { ok: true }, 'the slot is free again afterwards');
});

t.test('when the hasher is saturated, then AUTH_BUSY surfaces and the attempt slot is released', async (t) => {
  const busy = new PasswordHasher({ params: FAST_PARAMS, maxConcurrent: 1, maxQueued: 0 });
  const f = await fixture(t, { hasher: busy });
  await f.make('esihenkilo', ['supervisor']);
  const blocker = busy.hash('kuka tahansa mitä tahansa');
  await t.rejects(login(f, 'esihenkilo'), { code: 'AUTH_BUSY' });
  await blocker;
  t.match(await login(f, 'esihenkilo'), { ok: true });
});

t.test('when an administrator has no TOTP yet, then the session has password strength only', async (t) => {
  const f = await fixture(t);
  await f.make('yllapitaja', ['technical-maintainer']);
  t.match(await login(f, 'yllapitaja'), { ok: true, session: { strength: 'password' } });
  await f.make('puhelin', ['phone-admin', 'supervisor']);
  t.match(await login(f, 'puhelin'), { ok: true, session: { strength: 'password' } });
});

t.test('when TOTP is enabled, then the code is required, checked, not replayable, and failures count', async (t) => {
  const f = await fixture(t);
  const id = await f.make('yllapitaja', ['technical-maintainer']);
  const totp = await enrolTotp(f, id);
  t.same(await login(f, 'yllapitaja'), { ok: false, reason: 'TOTP_REQUIRED', userId: id }, 'the right password alone');
  t.same(await login(f, 'yllapitaja', PASSWORD, ''), { ok: false, reason: 'TOTP_REQUIRED', userId: id });
  t.same(await login(f, 'yllapitaja', 'väärä salasana täysin', totp.generate({ timestamp: f.clock.now() })), { ok: false, reason: 'INVALID_CREDENTIALS', userId: id }, 'a code does not help a wrong password');
  const wrongCode = totp.generate({ timestamp: f.clock.now() }) === '000000' ? '111111' : '000000';
  t.same(await login(f, 'yllapitaja', PASSWORD, wrongCode), { ok: false, reason: 'TOTP_INVALID', userId: id });
  const code = totp.generate({ timestamp: f.clock.now() });
  t.match(await login(f, 'yllapitaja', PASSWORD, code), { ok: true, session: { strength: 'second-factor' } });
  t.same(await login(f, 'yllapitaja', PASSWORD, code), { ok: false, reason: 'TOTP_INVALID', userId: id }, 'the same code again');
  t.ok(f.users.get(id)!.totpLastStep !== null, 'the step is remembered on disk');
  // Failures so far: one wrong password, two wrong codes; the successful login cleared the account.
  for (let i = 0; i < 4; i++) await login(f, 'yllapitaja', PASSWORD, wrongCode);
  t.match(await login(f, 'yllapitaja', PASSWORD, totp.generate({ timestamp: f.clock.now() + 30_000 })), { ok: false, reason: 'THROTTLED' }, 'TOTP failures count for the throttle');
});

t.test('when the hashing parameters changed, then a successful login replaces the hash', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  const stronger = new PasswordHasher({ params: { ...FAST_PARAMS, timeCost: 3 } });
  const auth = new Authenticator({ users: f.users, hasher: stronger, throttle: f.throttle, sessions: f.sessions, clock: f.clock, logger: f.logger });
  const before = f.users.get(id)!.passwordHash;
  t.match(before, /t=2,/);
  t.match(await auth.login({ username: 'esihenkilo', password: 'väärä salasana täysin', clientAddress: ADDRESS }), { ok: false });
  t.equal(f.users.get(id)!.passwordHash, before, 'not on a failed login');
  t.match(await auth.login({ username: 'esihenkilo', password: PASSWORD, clientAddress: ADDRESS }), { ok: true });
  const after = f.users.get(id)!.passwordHash;
  t.match(after, /^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
  t.same(await stronger.verify(after, PASSWORD), { ok: true, needsRehash: false });
  t.ok(f.lines.some((l) => l.msg === 'password rehashed with the current parameters' && l.userId === id));
});

t.test('when the rehash fails, then the login still succeeds and the old hash stays', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  class FailingRehash extends PasswordHasher {
    override hash(): Promise<string> {
      return Promise.reject(new AppError('AUTH_BUSY', 'busy'));
    }
  }
  const auth = new Authenticator({ users: f.users, hasher: new FailingRehash({ params: { ...FAST_PARAMS, timeCost: 3 } }), throttle: f.throttle, sessions: f.sessions, clock: f.clock, logger: f.logger });
  const before = f.users.get(id)!.passwordHash;
  t.match(await auth.login({ username: 'esihenkilo', password: PASSWORD, clientAddress: ADDRESS }), { ok: true });
  t.equal(f.users.get(id)!.passwordHash, before);
  t.ok(f.lines.some((l) => l.level === 'warn' && l.code === 'AUTH_BUSY'));
});

t.test('when a session re-authenticates, then the password (and code) are checked, and marking the session is left to the caller', async (t) => {
  const f = await fixture(t);
  const id = await f.make('rekisteri', ['registrar']);
  const signedIn = await login(f, 'rekisteri');
  if (!signedIn.ok) throw new Error('login failed');
  t.notOk(await f.auth.reauthenticate(signedIn.session, 'väärin väärin väärin'));
  t.ok(await f.auth.reauthenticate(signedIn.session, PASSWORD));
  t.notOk(f.sessions.isRecentlyReauthenticated(signedIn.session), 'the caller marks it (with a new token)');

  const totp = await enrolTotp(f, id);
  t.notOk(await f.auth.reauthenticate(signedIn.session, PASSWORD), 'with TOTP enabled, the code is needed too');
  const code = totp.generate({ timestamp: f.clock.now() });
  t.ok(await f.auth.reauthenticate(signedIn.session, PASSWORD, code));
  t.notOk(await f.auth.reauthenticate(signedIn.session, PASSWORD, code), 'not the same code twice');

  for (let i = 0; i < 5; i++) await f.auth.reauthenticate(signedIn.session, 'väärin väärin väärin');
  const before = f.counting.verifications;
  t.notOk(await f.auth.reauthenticate(signedIn.session, PASSWORD, totp.generate({ timestamp: f.clock.now() + 30_000 })), 'throttled');
  t.equal(f.counting.verifications, before, 'without hashing');

  await f.users.update(id, { disabled: true });
  f.clock.advance(3600_000);
  t.notOk(await f.auth.reauthenticate(signedIn.session, PASSWORD), 'a disabled user');
});

t.test('when a password is changed, then the current one is checked, the rules apply, and wrong guesses are throttled', async (t) => {
  const f = await fixture(t);
  const id = await f.make('esihenkilo', ['supervisor']);
  await t.rejects(f.auth.changePassword(id, 'väärä salasana täysin', 'seitsemän siilin syysretki', ADDRESS), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(f.auth.changePassword(id, PASSWORD, 'salasana', ADDRESS), { code: 'PASSWORD_TOO_SHORT' });
  await t.rejects(f.auth.changePassword(id, PASSWORD, 'passwordpassword', ADDRESS), { code: 'PASSWORD_COMMON' });
  await t.rejects(f.auth.changePassword('no-such-id', PASSWORD, 'seitsemän siilin syysretki'), { code: 'USER_NOT_FOUND' });
  const signedIn = await login(f, 'esihenkilo');
  await f.auth.changePassword(id, PASSWORD, 'seitsemän siilin syysretki');
  t.ok(signedIn.ok && f.sessions.get(signedIn.token), 'sessions are left for the caller to end');
  t.match(await login(f, 'esihenkilo'), { ok: false, reason: 'INVALID_CREDENTIALS' }, 'the old password no longer works');
  t.match(await login(f, 'esihenkilo', 'seitsemän siilin syysretki'), { ok: true });
  for (let i = 0; i < 5; i++) await t.rejects(f.auth.changePassword(id, `väärä arvaus ${i} tässä`, 'kahdeksan kaunista kissaa'), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(f.auth.changePassword(id, 'seitsemän siilin syysretki', 'kahdeksan kaunista kissaa'), { code: 'THROTTLED', details: { retryAfterMs: 1000 } });
  const parallel = await Promise.allSettled([0, 1].map(() => {
    f.clock.advance(3600_000);
    return f.auth.changePassword(id, 'seitsemän siilin syysretki', 'kahdeksan kaunista kissaa');
  }));
  t.same(parallel.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as AppError).code)), ['ok', 'THROTTLED'], 'one check at a time');
});

/** Signs in from a browser; returns its device cookie (what the browser keeps). */
async function signInForCookie(f: AuthFixture, username: string, clientAddress = ADDRESS): Promise<string> {
  const result = await login(f, username, PASSWORD, undefined, clientAddress);
  if (!result.ok || result.deviceCookie === undefined) throw new Error('no device cookie');
  return result.deviceCookie;
}

t.test('when a flood from many addresses has hit the account’s cap, then its owner still signs in from their usual browser, and a colleague behind an attacking address to their own account', async (t) => {
  const f = await fixture(t, { throttle: { accountFreeAttempts: 20 } });
  const ownerId = await f.make('agentti', ['agent'], { extensions: ['2001'] });
  await f.make('kollega', ['agent'], { extensions: ['2002'] });
  const cookie = await signInForCookie(f, 'agentti', '192.168.10.20');
  t.ok(f.devices.deviceOf(cookie, ownerId), 'a successful sign-in gives the browser a device cookie of the account');
  // The flood: wrong passwords from other addresses until the account refuses browsers it does not know.
  let failures = 0;
  for (let host = 1; host <= 50; host++) {
    const result = await login(f, 'agentti', `väärä arvaus ${host} ja lisää`, undefined, `198.51.100.${host}`);
    if (!result.ok && result.reason === 'THROTTLED') break;
    failures++;
    f.clock.advance(100);
  }
  t.equal(failures, 20, 'the flood got the account’s cap of guesses');
  t.match(await login(f, 'agentti', PASSWORD, undefined, '192.168.10.21'), { ok: false, reason: 'THROTTLED' }, 'the right password from a browser the account does not know waits');
  const owner = await f.auth.login({ username: 'agentti', password: PASSWORD, clientAddress: '192.168.10.20', deviceCookie: cookie });
  t.match(owner, { ok: true, user: { id: ownerId } }, 'the owner’s usual browser signs in at once');
  t.match(await f.auth.login({ username: 'agentti', password: PASSWORD, clientAddress: '198.51.100.1', deviceCookie: cookie }), { ok: true }, 'even from an address of the flood');
  t.match(await login(f, 'kollega', PASSWORD, undefined, '198.51.100.1'), { ok: true }, 'a colleague behind an attacking address signs in');
  t.match(await login(f, 'agentti', PASSWORD, undefined, '198.51.100.60'), { ok: false, reason: 'THROTTLED' }, 'the owner’s sign-in did not reopen the account to the flood');
});

t.test('when a colleague signs in from the same browser, then the browser stays trusted by the first account too', async (t) => {
  const f = await fixture(t, { throttle: { accountFreeAttempts: 3 } });
  await f.make('agentti', ['agent'], { extensions: ['2001'] });
  await f.make('kollega', ['agent'], { extensions: ['2002'] });
  const first = await signInForCookie(f, 'agentti');
  const shared = await f.auth.login({ username: 'kollega', password: PASSWORD, clientAddress: ADDRESS, deviceCookie: first });
  if (!shared.ok || shared.deviceCookie === undefined) throw new Error('the colleague did not sign in');
  for (let host = 1; host <= 3; host++) await login(f, 'agentti', `väärä arvaus ${host} tässä`, undefined, `198.51.100.${host}`);
  t.match(await login(f, 'agentti', PASSWORD, undefined, '192.168.10.40'), { ok: false, reason: 'THROTTLED' }, 'the account took its cap');
  t.match(await f.auth.login({ username: 'agentti', password: PASSWORD, clientAddress: ADDRESS, deviceCookie: shared.deviceCookie }), { ok: true }, 'the shared browser still signs the first account in');
});

t.test('when a flood attempt is being checked, then the owner’s browser is not refused as overlapping, but a stranger is', async (t) => {
  const f = await fixture(t);
  await f.make('agentti', ['agent'], { extensions: ['2001'] });
  const cookie = await signInForCookie(f, 'agentti');
  // Synchronously up to its hash: the flood's attempt holds the account's slot while it is checked.
  const flood = login(f, 'agentti', 'väärä arvaus joka tarkistetaan', undefined, '198.51.100.1');
  t.same(await login(f, 'agentti', PASSWORD, undefined, '192.168.10.21'), { ok: false, reason: 'THROTTLED', retryAfterMs: 1000 }, 'a second browser without a cookie overlaps');
  t.match(await f.auth.login({ username: 'agentti', password: PASSWORD, clientAddress: ADDRESS, deviceCookie: cookie }), { ok: true }, 'the trusted browser has a slot of its own');
  t.match(await flood, { ok: false, reason: 'INVALID_CREDENTIALS' });
});

t.test('when a device cookie is used, then only a valid one of the same account is trusted, and its own failures lock it out', async (t) => {
  const f = await fixture(t);
  await f.make('agentti', ['agent'], { extensions: ['2001'] });
  await f.make('kollega', ['agent'], { extensions: ['2002'] });
  const cookie = await signInForCookie(f, 'agentti');
  const colleagues = await signInForCookie(f, 'kollega');
  const from = (deviceCookie: string, password: string): Promise<LoginResult> => f.auth.login({ username: 'agentti', password, clientAddress: '203.0.113.9', deviceCookie });
  // Another account's cookie (or a forged one) is no cookie: the pair (account, address) counts.
  for (let i = 0; i < 5; i++) t.same(await from(colleagues, `väärä arvaus ${i} tässä`), { ok: false, reason: 'INVALID_CREDENTIALS', userId: f.users.findByUsername('agentti')!.id });
  t.same(await from(`${cookie.slice(0, -2)}xx`, PASSWORD), { ok: false, reason: 'THROTTLED', retryAfterMs: 1000 }, 'not trusted, so refused with the address');
  // The account's own cookie: trusted, so not refused with the address, and its answers are not held back.
  const wrong = await from(cookie, 'väärä arvaus laitteelta');
  t.match(wrong, { ok: false, reason: 'INVALID_CREDENTIALS', fromTrustedDevice: true });
  const overlapping = await Promise.all([from(cookie, 'väärä arvaus yksi'), from(cookie, 'väärä arvaus kaksi')]);
  t.match(overlapping[1], { ok: false, reason: 'THROTTLED', fromTrustedDevice: true }, 'one check at a time per device, and the overlap is not held back');
  for (let i = 0; i < 3; i++) await from(cookie, `väärä arvaus ${i} laitteelta`);
  const locked = await from(cookie, PASSWORD);
  t.same(locked, { ok: false, reason: 'THROTTLED', retryAfterMs: 1000 }, 'five failures from the cookie lock it out on its own, and then it is not trusted');
  t.match(await login(f, 'agentti', PASSWORD, undefined, '192.168.10.30'), { ok: true }, 'the account itself is not locked');
});
