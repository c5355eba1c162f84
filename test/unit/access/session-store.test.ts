import t from 'tap';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ManualClock } from '../../../src/clock.js';
import { SessionStore, DEFAULT_ABSOLUTE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, REAUTH_VALID_MS } from '../../../src/access/session-store.js';
import { START_MS } from './auth-fixtures.js';

const init = { strength: 'password', clientAddress: '10.0.0.1' } as const;

t.test('when the defaults are read, then sessions last 15 minutes idle and 8 hours in all, re-authentication 5 minutes', async (t) => {
  t.equal(DEFAULT_IDLE_TIMEOUT_MS, 15 * 60_000);
  t.equal(DEFAULT_ABSOLUTE_TIMEOUT_MS, 8 * 3600_000);
  t.equal(REAUTH_VALID_MS, 5 * 60_000);
});

t.test('when sessions are created, then tokens and CSRF tokens are 256 random bits, new every time', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock });
  const a = store.create('u1', { strength: 'second-factor', clientAddress: '10.0.0.1' });
  const b = store.create('u1', init);
  t.match(a.token, /^[A-Za-z0-9_-]{43}$/, '32 bytes, base64url');
  t.match(a.session.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  t.not(a.token, b.token, 'a new token at every login');
  t.not(a.session.csrfToken, b.session.csrfToken);
  t.not(a.token, a.session.csrfToken);
  t.same(a.session, { userId: 'u1', createdAt: START_MS, lastSeenAt: START_MS, csrfToken: a.session.csrfToken, strength: 'second-factor', reauthenticatedAt: null, reauthenticatedWith: null, clientAddress: '10.0.0.1', roleNotice: null });
  t.equal(store.get(a.token), a.session);
  t.equal(store.get('AttackerChosenSessionToken0123456789'), undefined, 'a made-up token is no session');
  t.equal(store.count(), 2);
});

t.test('when the store is inspected, then it holds only SHA-256 of the tokens, never a token', async (t) => {
  const store = new SessionStore({ clock: new ManualClock(START_MS) });
  const { token } = store.create('u1', init);
  const dump = inspect(store, { depth: 10, showHidden: true });
  t.notOk(dump.includes(token), 'the token is not kept');
  t.ok(dump.includes(createHash('sha256').update(token).digest('base64url')), 'its digest is the key');
});

t.test('when a session is idle for the idle timeout, then it is gone; activity keeps it alive', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 1000, absoluteTimeoutMs: 60_000 });
  const a = store.create('u1', init);
  const b = store.create('u1', init);
  clock.advance(999);
  t.ok(store.get(a.token), 'within the idle limit');
  t.equal(a.session.lastSeenAt, START_MS + 999, 'a hit refreshes lastSeenAt');
  clock.advance(999);
  t.ok(store.get(a.token), 'still alive thanks to the last hit');
  t.equal(store.get(b.token), undefined, 'b idled out');
  t.equal(store.count(), 1, 'and was removed');
});

t.test('when the absolute timeout passes, then the session ends however active it was', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 1000, absoluteTimeoutMs: 5000 });
  const { token } = store.create('u1', init);
  for (let i = 0; i < 5; i++) {
    clock.advance(900);
    t.ok(store.get(token), `active at ${(i + 1) * 900} ms`);
  }
  clock.advance(500);
  t.equal(store.get(token), undefined, 'at 5000 ms: gone');
});

t.test('when sessions are destroyed, then one token or all of a user go', async (t) => {
  const store = new SessionStore({ clock: new ManualClock(START_MS) });
  const a = store.create('u1', init);
  const b = store.create('u1', init);
  const c = store.create('u2', init);
  store.destroy(a.token);
  t.equal(store.get(a.token), undefined);
  store.destroy(a.token);
  store.destroy('no such token');
  store.create('u1', init);
  t.equal(store.destroyAllForUser('u1'), 2);
  t.equal(store.get(b.token), undefined);
  t.ok(store.get(c.token), 'other users keep theirs');
  t.equal(store.destroyAllForUser('u1'), 0);
});

t.test('when there are more sessions than the bound, then expired ones go first, then the oldest', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 1000, maxSessions: 3 });
  const old = store.create('u1', init);
  clock.advance(2000);
  const fresh = [store.create('u2', init), store.create('u3', init), store.create('u4', init)];
  t.equal(store.count(), 3);
  t.equal(store.get(old.token), undefined, 'the expired one went');
  for (const s of fresh) t.ok(store.get(s.token));
  const newest = store.create('u5', init);
  t.equal(store.count(), 3, 'bounded');
  t.equal(store.get(fresh[0]!.token), undefined, 'no expired one left: the oldest went');
  t.ok(store.get(newest.token));
});

t.test('when one account signs in over and over, then only its own oldest sessions go', async (t) => {
  const store = new SessionStore({ clock: new ManualClock(START_MS), maxSessions: 100, maxSessionsPerUser: 3 });
  const other = store.create('someone-else', init);
  const own = Array.from({ length: 5 }, () => store.create('busy', init));
  t.equal(store.count(), 4);
  t.ok(store.get(other.token), 'other accounts are not pushed out');
  t.same(own.map((s) => store.get(s.token) !== undefined), [false, false, true, true, true]);
});

t.test('when the sweep runs, then it removes expired sessions and counts them', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 1000 });
  store.create('u1', init);
  store.create('u2', init);
  clock.advance(500);
  const kept = store.create('u3', init);
  clock.advance(600);
  t.equal(store.sweep(), 2);
  t.equal(store.count(), 1);
  t.ok(store.get(kept.token));
});

t.test('when a session re-authenticates, then it counts for five minutes only', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock });
  const { token, session } = store.create('u', init);
  t.notOk(store.isRecentlyReauthenticated(session));
  clock.advance(1000);
  store.markReauthenticated(token);
  t.equal(session.reauthenticatedAt, START_MS + 1000);
  t.ok(store.isRecentlyReauthenticated(session));
  clock.advance(REAUTH_VALID_MS - 1);
  t.ok(store.isRecentlyReauthenticated(session));
  clock.advance(1);
  t.notOk(store.isRecentlyReauthenticated(session));
  store.markReauthenticated('no such token');
});

t.test('when an expired session is marked or asked about, then it does not count as re-authenticated', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 60_000, absoluteTimeoutMs: 120_000 });
  const { token, session } = store.create('u', init);
  store.markReauthenticated(token);
  clock.advance(60_000);
  t.notOk(store.isRecentlyReauthenticated(session), 'idle too long');
  store.markReauthenticated(token);
  t.equal(store.count(), 0, 'marking an expired session removes it instead');
});

t.test('when limits are not positive integers, then the store refuses them', async (t) => {
  const clock = new ManualClock(START_MS);
  t.throws(() => new SessionStore({ clock, idleTimeoutMs: 0 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new SessionStore({ clock, maxSessions: Number.NaN }), { code: 'CONFIG_INVALID' });
  t.throws(() => new SessionStore({ clock, maxSessionsPerUser: -1 }), { code: 'CONFIG_INVALID' });
});

t.test('when a session is rotated at a change of privilege, then it goes on under a new token and CSRF token, and the old token is gone', async (t) => {
  const clock = new ManualClock(START_MS);
  const store = new SessionStore({ clock, idleTimeoutMs: 60_000, absoluteTimeoutMs: 120_000 });
  const { token, session } = store.create('u1', init);
  clock.advance(1000);
  const rotated = store.rotate(token, { strength: 'second-factor' });
  if (rotated === undefined) throw new Error('not rotated');
  t.not(rotated.token, token);
  t.not(rotated.session.csrfToken, session.csrfToken);
  t.equal(rotated.session.strength, 'second-factor', 'the strength is raised');
  t.equal(rotated.session.createdAt, START_MS, 'the absolute timeout still counts from the sign-in');
  t.equal(store.get(token), undefined, 'the old token is no session');
  t.equal(store.get(rotated.token), rotated.session);
  t.equal(store.rotate(token), undefined, 'a token that is no session is not rotated');
  t.equal(store.rotate(rotated.token)?.session.strength, 'second-factor', 'without a change the strength stays');
  t.equal(store.count(), 1);
});

t.test('when a re-authentication is checked for the second factor, then only one made with it counts', async (t) => {
  const store = new SessionStore({ clock: new ManualClock(START_MS) });
  const { token, session } = store.create('u', init);
  store.markReauthenticated(token, 'password');
  t.ok(store.isRecentlyReauthenticated(session));
  t.notOk(store.isRecentlyReauthenticated(session, 'second-factor'), 'the password alone is not enough');
  store.markReauthenticated(token, 'second-factor');
  t.ok(store.isRecentlyReauthenticated(session, 'second-factor'));
});

t.test('when every session of a user but one is ended, then that one stays', async (t) => {
  const store = new SessionStore({ clock: new ManualClock(START_MS) });
  const kept = store.create('u1', init);
  store.create('u1', init);
  store.create('u2', init);
  t.equal(store.destroyAllForUser('u1', kept.token), 1);
  t.ok(store.get(kept.token));
  t.equal(store.count(), 2);
});

t.test('when a session ends, then its token tells why for as long as a session could have lived, and no token that never was does', async (t) => {
  const clock = new ManualClock(1_000_000);
  const store = new SessionStore({ clock, idleTimeoutMs: 60_000, absoluteTimeoutMs: 600_000, maxSessions: 3 });
  t.equal(store.idleMinutes, 1);
  const idle = store.create('u1', { strength: 'password', clientAddress: '127.0.0.1' });
  const swept = store.create('u2', { strength: 'password', clientAddress: '127.0.0.1' });
  clock.advance(60_000);
  t.equal(store.endReason(idle.token), 'idle', 'past its idle time, before any request touched it');
  t.equal(store.get(idle.token), undefined);
  t.equal(store.endReason(idle.token), 'idle', 'and after');
  t.equal(store.sweep(), 1);
  t.equal(store.endReason(swept.token), 'idle', 'a sweep keeps the reason too');

  const long = store.create('u3', { strength: 'password', clientAddress: '127.0.0.1' });
  for (let i = 0; i < 10; i++) {
    clock.advance(59_000);
    store.get(long.token);
  }
  clock.advance(10_000);
  t.equal(store.endReason(long.token), 'expired', 'the absolute limit is not idleness');

  const a = store.create('u4', { strength: 'password', clientAddress: '127.0.0.1' });
  const b = store.create('u4', { strength: 'password', clientAddress: '127.0.0.1' });
  const c = store.create('u5', { strength: 'password', clientAddress: '127.0.0.1' });
  store.destroy(c.token);
  t.equal(store.endReason(c.token), 'signed-out');
  t.equal(store.destroyAllForUser('u4', a.token, 'roles-changed'), 1);
  t.equal(store.endReason(b.token), 'roles-changed');
  t.equal(store.endReason(a.token), undefined, 'the kept session has not ended');
  t.equal(store.endReason('never a token'), undefined);
  store.destroy('never a token');
  t.equal(store.endReason('never a token'), undefined, 'destroying what was never there leaves no reason');

  clock.advance(600_000);
  t.equal(store.endReason(b.token), undefined, 'forgotten after the longest a session lives');
  // Bounded: no more reasons than sessions.
  const many = Array.from({ length: 5 }, () => store.create('u6', { strength: 'password', clientAddress: '127.0.0.1' }));
  for (const session of many) store.destroy(session.token);
  t.equal(store.endReason(many[0]!.token), undefined, 'the oldest reasons go beyond the bound');
  t.equal(store.endReason(many[4]!.token), 'signed-out');
});
