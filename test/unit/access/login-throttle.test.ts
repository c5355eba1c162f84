import t from 'tap';
import { ManualClock } from '../../../src/clock.js';
import { LoginThrottle, DEFAULT_ACCOUNT_FREE_ATTEMPTS, DEFAULT_MAX_DELAY_MS, type LoginAttempt } from '../../../src/access/login-throttle.js';
import { START_MS } from './auth-fixtures.js';

/** Tries like an attacker who stops when told to wait: how many tries until refused, and the answer then. */
function failUntilRefused(throttle: LoginThrottle, attempt: LoginAttempt, limit = 1000): { attempts: number; retryAfterMs: number; scope?: string } {
  for (let tries = 1; tries <= limit; tries++) {
    const decision = throttle.check(attempt);
    if (!decision.allowed) return { attempts: tries, retryAfterMs: decision.retryAfterMs, scope: decision.scope };
    throttle.recordFailure(attempt);
  }
  return { attempts: Infinity, retryAfterMs: 0 };
}

t.test('when 100 wrong passwords are tried against one account from one address, then the sixth is already refused, and the waits grow to the cap', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock });
  const attempt = { username: 'yllapitaja', address: '10.0.0.9' };
  t.same(failUntilRefused(throttle, attempt), { attempts: 6, retryAfterMs: 1000, scope: 'account-address' }, 'five free attempts, then 1 s');
  // An attacker who waits out every delay: each failure doubles the wait up to 15 minutes.
  const waits: number[] = [];
  let elapsed = 0;
  for (let tries = 6; tries <= 100; tries++) {
    const decision = throttle.check(attempt);
    if (!decision.allowed) {
      waits.push(decision.retryAfterMs);
      elapsed += decision.retryAfterMs;
      clock.advance(decision.retryAfterMs);
    }
    t.ok(throttle.check(attempt).allowed);
    throttle.recordFailure(attempt);
  }
  t.same(waits.slice(0, 5), [1000, 2000, 4000, 8000, 16000], 'doubling');
  t.equal(Math.max(...waits), DEFAULT_MAX_DELAY_MS, 'capped at 15 minutes');
  t.ok(elapsed > 20 * 3600_000, `100 guesses take ${(elapsed / 3600_000).toFixed(1)} hours instead of seconds`);
});

t.test('when a flood from many addresses fails against an account, then its owner’s usual browser is not refused, a colleague behind the same address is not either, and the flood is bounded', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock });
  // 60 s of flood, ten guesses a second, each from the next of 250 addresses (none reaches its pair's free attempts).
  let failures = 0;
  for (let step = 0; step < 600; step++) {
    clock.advance(100);
    const attempt = { username: 'agentti', address: `198.51.100.${(step % 250) + 1}` };
    if (throttle.check(attempt).allowed) {
      throttle.recordFailure(attempt);
      failures++;
    }
  }
  // After its cap every failure doubles the account's wait: 1 + 2 + 4 + 8 + 16 s fit in the rest of the minute.
  t.ok(failures >= DEFAULT_ACCOUNT_FREE_ATTEMPTS && failures <= DEFAULT_ACCOUNT_FREE_ATTEMPTS + 6, `the flood got ${failures} guesses in a minute, not 600`);
  t.match(throttle.check({ username: 'agentti', address: '203.0.113.7' }), { allowed: false, scope: 'account' }, 'a browser the account does not know is refused from any address now');
  t.same(throttle.check({ username: 'agentti', address: '10.0.0.5', device: 'owners-laptop' }), { allowed: true }, 'the owner’s usual browser is not');
  t.same(throttle.check({ username: 'agentti', address: '198.51.100.1', device: 'owners-laptop' }), { allowed: true }, 'not even from an address of the flood (a shared NAT)');
  t.same(throttle.check({ username: 'esihenkilo', address: '198.51.100.1' }), { allowed: true }, 'a colleague behind an attacking address signs in to their own account');
  throttle.recordSuccess({ username: 'agentti', address: '10.0.0.5', device: 'owners-laptop' });
  t.match(throttle.check({ username: 'agentti', address: '203.0.113.8' }), { allowed: false, scope: 'account' }, 'the owner’s sign-in does not lift the cap for the flood');
});

t.test('when one address fails many times against one account, then a colleague at the same address is not locked out', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock });
  // 25 failures from one address against one account, waiting out each block (the NAT case).
  for (let i = 0; i < 25; i++) {
    const decision = throttle.check({ username: 'agentti', address: '192.168.10.1' });
    if (!decision.allowed) clock.advance(decision.retryAfterMs);
    throttle.recordFailure({ username: 'agentti', address: '192.168.10.1' });
  }
  t.match(throttle.check({ username: 'agentti', address: '192.168.10.1' }), { allowed: false, scope: 'account-address' });
  t.same(throttle.check({ username: 'kollega', address: '192.168.10.1' }), { allowed: true }, 'another account from the same address');
  t.same(throttle.check({ username: 'agentti', address: '192.168.10.2' }), { allowed: true }, 'the same account from another workstation');
});

t.test('when one address tries many accounts (spraying), then the address is throttled after its free accounts, except for trusted browsers', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, addressFreeAccounts: 3 });
  const sprayed = ['a1', 'a2', 'a3', 'a4'].map((name) => {
    const allowed = throttle.check({ username: name, address: '10.0.0.9' }).allowed;
    if (allowed) throttle.recordFailure({ username: name, address: '10.0.0.9' });
    return allowed;
  });
  t.same(sprayed, [true, true, true, false], 'the address is throttled after three accounts');
  t.match(throttle.check({ username: 'mikko', address: '10.0.0.9' }), { allowed: false, scope: 'address' }, 'for every account without a trusted browser');
  t.same(throttle.check({ username: 'mikko', address: '10.0.0.9', device: 'mikon-kone' }), { allowed: true }, 'not for a trusted browser');
  t.same(throttle.check({ username: 'mikko', address: '10.0.0.7' }), { allowed: true }, 'nor from another address');
});

t.test('when a trusted browser’s cookie is used for many failures, then that device is locked out on its own', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock });
  const stolen = { username: 'agentti', address: '203.0.113.9', device: 'stolen-cookie' };
  t.same(failUntilRefused(throttle, stolen), { attempts: 6, retryAfterMs: 1000, scope: 'device' });
  t.same(throttle.check({ username: 'agentti', address: '203.0.113.9', device: 'owners-laptop' }), { allowed: true }, 'another trusted browser of the account');
  t.same(throttle.check({ username: 'agentti', address: '203.0.113.10' }), { allowed: true }, 'the account’s own records were not touched');
  clock.advance(1000);
  throttle.recordFailure(stolen);
  t.match(throttle.check(stolen), { allowed: false, retryAfterMs: 2000, scope: 'device' }, 'doubling on the device');
});

t.test('when an unknown user name is tried, then it is throttled exactly like a known one', async (t) => {
  const clock = new ManualClock(START_MS);
  const known = new LoginThrottle({ clock });
  const unknown = new LoginThrottle({ clock });
  // The throttle has no list of accounts: the answers depend only on what was tried.
  t.same(failUntilRefused(unknown, { username: 'eiole', address: '10.0.0.1' }), failUntilRefused(known, { username: 'yllapitaja', address: '10.0.0.1' }));
});

t.test('when user names and addresses are written differently, then they are the same key', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 2, addressFreeAccounts: 1 });
  throttle.recordFailure({ username: ' Aino ', address: '::ffff:10.0.0.1' });
  throttle.recordFailure({ username: 'AINO', address: '10.0.0.1' });
  t.match(throttle.check({ username: 'aino', address: '10.0.0.1' }), { allowed: false, scope: 'account-address' }, 'user name: case and spaces; the mapped address is the IPv4 one');
  t.match(throttle.check({ username: 'x2', address: '::ffff:10.0.0.1' }), { allowed: false, scope: 'address' }, 'the address counted Aino once');
});

t.test('when the right password comes, then what that person typed is cleared, but not the account’s flood record nor the address’s', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, accountFreeAttempts: 5, addressFreeAccounts: 3 });
  for (let i = 0; i < 3; i++) throttle.recordFailure({ username: 'aino', address: '10.0.0.9' });
  clock.advance(1000);
  throttle.recordSuccess({ username: 'aino', address: '10.0.0.9' });
  throttle.recordFailure({ username: 'aino', address: '10.0.0.9' });
  t.same(throttle.check({ username: 'aino', address: '10.0.0.9' }), { allowed: true }, 'the pair count started over');
  throttle.recordFailure({ username: 'aino', address: '10.0.0.8' });
  t.match(throttle.check({ username: 'aino', address: '10.0.0.7' }), { allowed: false, scope: 'account' }, 'but the account counted all five');
  throttle.recordFailure({ username: 'mikko', address: '10.0.0.9' });
  t.match(throttle.check({ username: 'someone', address: '10.0.0.9' }), { allowed: false, scope: 'address' }, 'and the address its three accounts (aino counted again after her success)');
  throttle.recordFailure({ username: 'aino', address: '10.0.0.6', device: 'ainon-kone' });
  throttle.recordSuccess({ username: 'aino', address: '10.0.0.6', device: 'ainon-kone' });
  for (let i = 0; i < 2; i++) throttle.recordFailure({ username: 'aino', address: '10.0.0.6', device: 'ainon-kone' });
  t.same(throttle.check({ username: 'aino', device: 'ainon-kone' }), { allowed: true }, 'a device’s count starts over at its success');
});

t.test('when no address is given, then a pair of its own is counted with the account', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 2 });
  throttle.recordFailure({ username: 'aino' });
  throttle.recordFailure({ username: 'aino' });
  t.match(throttle.check({ username: 'aino' }), { allowed: false, scope: 'account-address' });
  t.same(throttle.check({ username: 'aino', address: '10.0.0.1' }), { allowed: true }, 'a known address is another pair');
  t.same(throttle.check({ username: 'mikko', address: '10.0.0.1' }), { allowed: true }, 'no address was counted');
});

t.test('when a day passes without failures, then old failures are forgotten', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, forgetAfterMs: 3600_000 });
  const attempt = { username: 'aino', address: '10.0.0.9' };
  for (let i = 0; i < 3; i++) throttle.recordFailure(attempt);
  clock.advance(3600_000 - 1);
  throttle.recordFailure(attempt);
  t.match(throttle.check(attempt), { allowed: false, retryAfterMs: 2000 }, 'within the hour: the count goes on');
  clock.advance(3600_000);
  t.same(throttle.check(attempt), { allowed: true });
  throttle.recordFailure(attempt);
  t.same(throttle.check(attempt), { allowed: true }, 'a quiet hour later: counted from one again');
  t.equal(throttle.tracked(), 3, 'the pair, the account and the address');
});

t.test('when more keys fail than are tracked, then the least recently failed are dropped', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 1, maxTracked: 4 });
  throttle.recordFailure({ username: 'first', device: 'd1' });
  t.match(throttle.check({ username: 'first', device: 'd1' }), { allowed: false });
  for (const device of ['d2', 'd3', 'd4', 'd5']) throttle.recordFailure({ username: 'first', device });
  t.equal(throttle.tracked(), 4);
  t.same(throttle.check({ username: 'first', device: 'd1' }), { allowed: true }, 'dropped');
  t.match(throttle.check({ username: 'first', device: 'd5' }), { allowed: false }, 'the latest kept');
});

t.test('when settings are not positive integers, then the throttle refuses them', async (t) => {
  const clock = new ManualClock(START_MS);
  t.throws(() => new LoginThrottle({ clock, freeAttempts: 0 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, accountFreeAttempts: 1.5 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, addressFreeAccounts: -1 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, maxTracked: 1.5 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, baseDelayMs: 5000, maxDelayMs: 1000 }), { code: 'CONFIG_INVALID' });
});
