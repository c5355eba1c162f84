import t from 'tap';
import { ManualClock } from '../../../src/clock.js';
import { LoginThrottle, DEFAULT_MAX_DELAY_MS } from '../../../src/access/login-throttle.js';
import { START_MS } from './auth-fixtures.js';

/** Tries like an attacker who waits whenever told to: how many tries until refused, and the wait then. */
function failUntilRefused(throttle: LoginThrottle, username: string, address: string, limit = 100): { attempts: number; retryAfterMs: number } {
  for (let attempt = 1; attempt <= limit; attempt++) {
    const decision = throttle.check(username, address);
    if (!decision.allowed) return { attempts: attempt, retryAfterMs: decision.retryAfterMs };
    throttle.recordFailure(username, address);
  }
  return { attempts: Infinity, retryAfterMs: 0 };
}

t.test('when 100 wrong passwords are tried against one account, then the sixth is already refused, and the waits grow to the cap', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock });
  t.same(failUntilRefused(throttle, 'yllapitaja', '10.0.0.9'), { attempts: 6, retryAfterMs: 1000 }, 'five free attempts, then 1 s');
  // An attacker who waits out every delay: each failure doubles the wait up to 15 minutes.
  const waits: number[] = [];
  let elapsed = 0;
  for (let attempt = 6; attempt <= 100; attempt++) {
    const decision = throttle.check('yllapitaja', `10.0.1.${attempt}`);
    if (!decision.allowed) {
      waits.push(decision.retryAfterMs);
      elapsed += decision.retryAfterMs;
      clock.advance(decision.retryAfterMs);
    }
    t.ok(throttle.check('yllapitaja', `10.0.1.${attempt}`).allowed);
    throttle.recordFailure('yllapitaja', `10.0.1.${attempt}`);
  }
  t.same(waits.slice(0, 5), [1000, 2000, 4000, 8000, 16000], 'doubling');
  t.equal(Math.max(...waits), DEFAULT_MAX_DELAY_MS, 'capped at 15 minutes');
  t.ok(elapsed > 20 * 3600_000, `100 guesses take ${(elapsed / 3600_000).toFixed(1)} hours instead of seconds`);
});

t.test('when an account is throttled, then it is throttled from any address; an address, for any account', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, addressFreeAttempts: 6 });
  failUntilRefused(throttle, 'aino', '10.0.0.9');
  t.match(throttle.check('aino', '10.0.0.8'), { allowed: false }, 'the account from another address');
  t.same(throttle.check('mikko', '10.0.0.8'), { allowed: true }, 'another account from another address');
  t.same(throttle.check('mikko', '10.0.0.9'), { allowed: true }, 'the address still has free attempts left');
  // Spraying: one guess each against many accounts from one address.
  const sprayed = ['a1', 'a2', 'a3', 'a4'].map((name) => {
    const allowed = throttle.check(name, '10.0.0.9').allowed;
    if (allowed) throttle.recordFailure(name, '10.0.0.9');
    return allowed;
  });
  t.same(sprayed, [true, true, true, false], 'the address is throttled after its own free attempts');
  t.match(throttle.check('mikko', '10.0.0.9'), { allowed: false }, 'for every account');
  t.same(throttle.check('mikko', '10.0.0.7'), { allowed: true });
});

t.test('when an unknown user name is tried, then it is throttled exactly like a known one', async (t) => {
  const clock = new ManualClock(START_MS);
  const known = new LoginThrottle({ clock });
  const unknown = new LoginThrottle({ clock });
  // The throttle has no list of accounts: the answers depend only on what was tried.
  t.same(failUntilRefused(unknown, 'eiole', '10.0.0.1'), failUntilRefused(known, 'yllapitaja', '10.0.0.1'));
});

t.test('when user names and addresses are written differently, then they are the same key', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 2, addressFreeAttempts: 2 });
  throttle.recordFailure(' Aino ', '::ffff:10.0.0.1');
  throttle.recordFailure('AINO', '10.0.0.2');
  t.match(throttle.check('aino', '10.0.0.3'), { allowed: false }, 'user name: case and spaces');
  throttle.recordFailure('x1', '10.0.0.1');
  t.match(throttle.check('x2', '::ffff:10.0.0.1'), { allowed: false }, 'an IPv4-mapped IPv6 address is the IPv4 address');
});

t.test('when the right password comes, then the account is cleared but the address keeps its record', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, addressFreeAttempts: 4 });
  for (let i = 0; i < 3; i++) throttle.recordFailure('aino', '10.0.0.9');
  clock.advance(1000);
  throttle.recordSuccess('aino', '10.0.0.9');
  throttle.recordFailure('aino', '10.0.0.8');
  t.same(throttle.check('aino', '10.0.0.8'), { allowed: true }, 'the account count started over');
  throttle.recordFailure('mikko', '10.0.0.9');
  t.match(throttle.check('mikko', '10.0.0.7'), { allowed: true }, 'mikko itself has one failure');
  t.match(throttle.check('someone', '10.0.0.9'), { allowed: false }, 'but the address reached its four');
});

t.test('when only the account is given, then only the account is checked and counted', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 2 });
  throttle.recordFailure('aino');
  throttle.recordFailure('aino');
  t.match(throttle.check('aino'), { allowed: false });
  t.match(throttle.check('aino', '10.0.0.1'), { allowed: false });
  t.same(throttle.check('mikko', '10.0.0.1'), { allowed: true }, 'no address was counted');
});

t.test('when a day passes without failures, then old failures are forgotten', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 3, forgetAfterMs: 3600_000 });
  for (let i = 0; i < 3; i++) throttle.recordFailure('aino', '10.0.0.9');
  clock.advance(3600_000 - 1);
  throttle.recordFailure('aino', '10.0.0.9');
  t.match(throttle.check('aino', '10.0.0.9'), { allowed: false, retryAfterMs: 2000 }, 'within the hour: the count goes on');
  clock.advance(3600_000);
  t.same(throttle.check('aino', '10.0.0.9'), { allowed: true });
  throttle.recordFailure('aino', '10.0.0.9');
  t.same(throttle.check('aino', '10.0.0.9'), { allowed: true }, 'a quiet hour later: counted from one again');
  t.equal(throttle.tracked(), 2);
});

t.test('when more keys fail than are tracked, then the least recently failed are dropped', async (t) => {
  const clock = new ManualClock(START_MS);
  const throttle = new LoginThrottle({ clock, freeAttempts: 1, addressFreeAttempts: 1000, maxTracked: 4 });
  throttle.recordFailure('first', '10.0.0.1');
  t.match(throttle.check('first', '10.0.0.2'), { allowed: false });
  throttle.recordFailure('second', '10.0.0.1');
  throttle.recordFailure('third', '10.0.0.1');
  throttle.recordFailure('fourth', '10.0.0.1');
  t.equal(throttle.tracked(), 4);
  t.same(throttle.check('first', '10.0.0.2'), { allowed: true }, 'dropped');
  t.match(throttle.check('fourth', '10.0.0.2'), { allowed: false }, 'the latest kept');
});

t.test('when settings are not positive integers, then the throttle refuses them', async (t) => {
  const clock = new ManualClock(START_MS);
  t.throws(() => new LoginThrottle({ clock, freeAttempts: 0 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, maxTracked: 1.5 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginThrottle({ clock, baseDelayMs: 5000, maxDelayMs: 1000 }), { code: 'CONFIG_INVALID' });
});
