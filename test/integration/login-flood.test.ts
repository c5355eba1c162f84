/**
 * A login flood through real HTTPS, from other loopback addresses (127.0.0.2...) as other
 * workstations: the owner's usual browser (its device cookie) still signs in, a colleague behind
 * an attacking address still signs in to their own account, and a browser the account does not
 * know waits once the account's cap is reached. Time is the appliance's manual clock: the
 * flood's minute passes without waiting.
 */
import t from 'tap';
import { LoginTarpit } from '../../src/access/login-tarpit.js';
import { DEVICE_COOKIE_MAX_AGE_MS } from '../../src/access/device-cookie.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

const DEVICE_COOKIE = '__Host-tallennin-device';
/** A smaller cap than the default 100, so the flood reaches it in a few seconds of hashing. */
const ACCOUNT_CAP = 20;

t.test('when a flood from other addresses hits an agent’s account for a minute, then the agent signs in from their usual browser, a colleague behind an attacking address signs in, and strangers wait', async (t) => {
  const fixture = await startApiAppliance(t, { throttle: { accountFreeAttempts: ACCOUNT_CAP } });
  const { admin } = await firstAdministrator(fixture);
  for (const [username, extension] of [['agentti1', '2001'], ['kollega', '2002']] as const) {
    const created = await admin.post('/api/v1/users', { username, displayName: username, roles: ['agent'], password: PASSWORD, extensions: [extension] });
    t.equal(created.status, 201);
  }

  // The agent's usual browser signs in once and keeps its device cookie, past signing out.
  const usual = fixture.client();
  t.equal((await usual.login('agentti1', PASSWORD)).status, 201);
  const setCookie = usual.lastSetCookies.find((header) => header.startsWith(`${DEVICE_COOKIE}=`));
  t.ok(setCookie, 'a device cookie comes with the session cookie');
  t.match(setCookie, new RegExp(`; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_COOKIE_MAX_AGE_MS / 1000}$`), '__Host- prefixed, HttpOnly, Secure, SameSite=Strict, long-lived');
  t.notOk(/Domain=/i.test(setCookie ?? ''), 'no Domain: bound to this origin');
  t.equal((await usual.delete('/api/v1/session')).status, 204);
  t.ok(usual.cookies.has(DEVICE_COOKIE) && usual.cookie === undefined, 'signing out ends the session, not the device cookie');

  // The flood: a minute of wrong passwords from four other addresses, five each.
  let failures = 0;
  for (let host = 2; host <= 5; host++) {
    const attacker = fixture.client({ localAddress: `127.0.0.${host}` });
    for (let i = 0; i < 5; i++) {
      fixture.clock.advance(60_000 / (4 * 5));
      const res = await attacker.post('/api/v1/session', { username: 'agentti1', password: `väärä arvaus ${host}.${i}` });
      t.equal(res.status, 401, `guess ${failures + 1} is checked`);
      failures++;
    }
  }
  t.equal(failures, ACCOUNT_CAP);

  const holds = { count: 0 };
  const hold = LoginTarpit.prototype.hold;
  LoginTarpit.prototype.hold = function (this: LoginTarpit) {
    holds.count++;
    return hold.call(this);
  };
  t.teardown(() => {
    LoginTarpit.prototype.hold = hold;
  });

  // Browsers the account does not know wait now (the cap's first wait, 1 s, doubling with every failure after it):
  // a stranger, and the agent on a second browser.
  const [stranger, secondBrowser] = await Promise.all([
    fixture.client({ localAddress: '127.0.0.6' }).post('/api/v1/session', { username: 'agentti1', password: PASSWORD }),
    fixture.client().post('/api/v1/session', { username: 'agentti1', password: PASSWORD }),
  ]);
  t.equal(stranger.status, 429, 'a new address is refused: the flood is bounded');
  t.equal(secondBrowser.status, 429, 'so is a browser without the device cookie, even with the right password');
  t.equal(holds.count, 2, 'both answers were held back by the tarpit');

  // The agent's usual browser is not throttled, nor held.
  holds.count = 0;
  const signedIn = await usual.login('agentti1', PASSWORD);
  t.equal(signedIn.status, 201, 'the agent signs in from their usual browser during the flood');
  t.equal(holds.count, 0, 'not held back');
  t.equal((await usual.get('/api/v1/me')).status, 200);

  // A colleague behind an attacking address (a shared NAT), to their own account.
  const colleague = fixture.client({ localAddress: '127.0.0.2' });
  t.equal((await colleague.login('kollega', PASSWORD)).status, 201, 'the colleague is not locked out by someone else’s failures');

  // The failed attempts are all on the audit trail.
  const audit = await fixture.appliance.audit.search({ action: 'auth.login', outcome: 'denied' });
  t.ok(audit.total >= ACCOUNT_CAP + 2, `${audit.total} refused sign-ins audited`);
});
