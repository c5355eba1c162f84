/**
 * The administrator boundary through real HTTPS: a session keeps the strength it was signed in
 * with (password, or password and second factor) whatever its roles become; the session id
 * changes at every change of privilege; nobody changes their own roles; granting or removing an
 * administrator or registrar role needs a fresh re-authentication with the second factor; the
 * last technical maintainer stays; the second factor is replaced only with the password and a
 * current code, and a maintainer can reset another user's.
 */
import t from 'tap';
import { ApiClient } from './support/https-client.js';
import { firstAdministrator, PASSWORD, startApiAppliance, type ApiFixture } from './support/api-appliance.js';

type ErrorBody = { error: { code: string } };
const codeOf = (res: { json<T>(): T }): string => res.json<ErrorBody>().error.code;

/** Signs the first administrator (with TOTP) in again, for a fresh re-authentication with the second factor. */
async function reauthenticate(fixture: ApiFixture, client: ApiClient, secret: string): Promise<void> {
  fixture.clock.advance(30_000);
  const res = await client.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) });
  if (res.status >= 300) throw new Error(`re-authentication failed: ${res.status} ${res.body.toString()}`);
}

async function createUser(fixture: ApiFixture, admin: ApiClient, username: string, roles: string[]): Promise<string> {
  const res = await admin.post('/api/v1/users', { username, displayName: username, roles, password: PASSWORD });
  if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${res.body.toString()}`);
  return res.json<{ user: { id: string } }>().user.id;
}

/** Signs in and, when the account must, enrols TOTP; returns the client and the secret (if any). */
async function signIn(fixture: ApiFixture, username: string): Promise<{ client: ApiClient; secret: string | null }> {
  const client = fixture.client();
  const login = await client.login(username, PASSWORD);
  if (login.status !== 201) throw new Error(`login ${username}: ${login.status} ${login.body.toString()}`);
  if (!login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired) return { client, secret: null };
  const secret = (await client.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  fixture.clock.advance(30_000);
  const confirmed = await client.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
  if (confirmed.status >= 300) throw new Error(`totp ${username}: ${confirmed.status} ${confirmed.body.toString()}`);
  return { client, secret };
}

t.test('when a supervisor signed in with a password is promoted to technical maintainer, then that session never reaches users:manage or audit:read', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  const supervisorId = await createUser(fixture, admin, 'esihenkilo', ['supervisor']);
  const { client: supervisor } = await signIn(fixture, 'esihenkilo');
  t.equal((await supervisor.get('/api/v1/calls')).status, 200);

  await reauthenticate(fixture, admin, secret);
  t.equal((await admin.patch(`/api/v1/users/${supervisorId}`, { roles: ['technical-maintainer'] })).status, 200);
  for (const path of ['/api/v1/users', '/api/v1/audit', '/api/v1/audit/verification', '/api/v1/health', '/api/v1/settings']) {
    t.not((await supervisor.get(path)).status, 200, `the promoted password session does not reach ${path}`);
  }
  t.equal((await supervisor.get('/api/v1/me')).status, 401, 'a role change ends the sessions of the user whose roles changed');

  // At the next sign-in the password alone gives the enrolment path, nothing else.
  const again = fixture.client();
  const login = await again.login('esihenkilo', PASSWORD);
  t.equal(login.status, 201);
  t.equal(login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired, true);
  for (const path of ['/api/v1/users', '/api/v1/audit', '/api/v1/calls']) {
    const res = await again.get(path);
    t.equal(res.status, 403, path);
    t.equal(codeOf(res), 'TOTP_ENROLLMENT_REQUIRED', path);
  }
  const me = (await again.get('/api/v1/me')).json<{ permissions: string[]; secondFactor: boolean }>();
  t.same(me.permissions, [], 'no permission shows while the session is below the strength its roles need');
  t.equal(me.secondFactor, false);
});

t.test('when the privilege of a session changes, then its id and CSRF token change and the old ones stop working', async (t) => {
  const fixture = await startApiAppliance(t);
  const created = fixture.client();
  await created.post('/api/v1/setup', { token: fixture.appliance.setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  const admin = fixture.client();
  await admin.login('yllapitaja', PASSWORD);
  const enrolmentCookie = admin.cookie;
  const enrolmentCsrf = admin.csrfToken;
  const secret = (await admin.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  const confirmed = await admin.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
  t.equal(confirmed.status, 200);
  t.not(admin.cookie, enrolmentCookie, 'confirming the second factor issues a new session id');
  t.not(admin.csrfToken, enrolmentCsrf, 'and a new CSRF token');
  t.equal((await admin.get('/api/v1/users')).status, 200, 'the new session has the second factor');
  const stale = fixture.client();
  stale.cookie = enrolmentCookie;
  t.equal((await stale.get('/api/v1/me')).status, 401, 'the enrolment session id is gone');

  // A re-authentication with the second factor is a change of privilege too.
  const beforeReauth = admin.cookie;
  await reauthenticate(fixture, admin, secret);
  t.not(admin.cookie, beforeReauth, 're-authentication issues a new session id');
  stale.cookie = beforeReauth;
  t.equal((await stale.get('/api/v1/me')).status, 401);
  t.equal((await admin.get('/api/v1/me')).status, 200);
});

t.test('when an administrator changes their own roles, then it is refused, and granting or removing an administrator or registrar role needs a fresh second-factor re-authentication', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  const adminId = (await admin.get('/api/v1/me')).json<{ id: string }>().id;
  await reauthenticate(fixture, admin, secret);
  const phoneAdminId = await createUser(fixture, admin, 'puhelin', ['phone-admin']);
  const { client: phoneAdmin, secret: phoneSecret } = await signIn(fixture, 'puhelin');

  // Their own roles: refused, with or without a fresh re-authentication.
  const self = await phoneAdmin.patch(`/api/v1/users/${phoneAdminId}`, { roles: ['phone-admin', 'registrar'] });
  t.equal(self.status, 403);
  t.equal(codeOf(self), 'SELF_ROLE_CHANGE');
  await reauthenticate(fixture, phoneAdmin, phoneSecret!);
  t.equal(codeOf(await phoneAdmin.patch(`/api/v1/users/${phoneAdminId}`, { roles: ['phone-admin', 'registrar'] })), 'SELF_ROLE_CHANGE');
  t.equal((await phoneAdmin.get('/api/v1/audit')).status, 403, 'still no audit:read');

  // Another user's administrator or registrar role: only within minutes of a second-factor re-authentication.
  fixture.clock.advance(6 * 60_000);
  await phoneAdmin.get('/api/v1/me');
  const registrar = await phoneAdmin.post('/api/v1/users', { username: 'rekisteri', displayName: 'Rekisteri', roles: ['registrar'], password: PASSWORD });
  t.equal(registrar.status, 403, 'creating a registrar without a fresh re-authentication');
  t.equal(codeOf(registrar), 'REAUTH_REQUIRED');
  const demote = await phoneAdmin.patch(`/api/v1/users/${adminId}`, { roles: ['supervisor'] });
  t.equal(codeOf(demote), 'REAUTH_REQUIRED', 'demoting an administrator without one');
  const disable = await phoneAdmin.patch(`/api/v1/users/${adminId}`, { disabled: true });
  t.equal(codeOf(disable), 'REAUTH_REQUIRED', 'disabling an administrator without one');
  const plain = await phoneAdmin.post('/api/v1/users', { username: 'agentti', displayName: 'Agentti', roles: ['agent'], extensions: ['2001'], password: PASSWORD });
  t.equal(plain.status, 201, 'other roles need no re-authentication');
  t.equal((await admin.get('/api/v1/me')).json<{ roles: string[] }>().roles.join(), 'technical-maintainer', 'the first administrator keeps their role');

  await reauthenticate(fixture, phoneAdmin, phoneSecret!);
  t.equal((await phoneAdmin.post('/api/v1/users', { username: 'rekisteri', displayName: 'Rekisteri', roles: ['registrar'], password: PASSWORD })).status, 201, 'with a fresh re-authentication');
  const denied = await fixture.appliance.audit.search({ action: 'user.roles', outcome: 'denied' });
  t.ok(denied.total >= 4, 'the refused role changes are on the audit trail');
});

t.test('when the last technical maintainer would be removed or disabled, then it is refused', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  const adminId = (await admin.get('/api/v1/me')).json<{ id: string }>().id;
  await reauthenticate(fixture, admin, secret);
  await createUser(fixture, admin, 'puhelin', ['phone-admin']);
  const { client: phoneAdmin, secret: phoneSecret } = await signIn(fixture, 'puhelin');
  await reauthenticate(fixture, phoneAdmin, phoneSecret!);
  const demote = await phoneAdmin.patch(`/api/v1/users/${adminId}`, { roles: ['phone-admin'] });
  t.equal(demote.status, 409);
  t.equal(codeOf(demote), 'LAST_MAINTAINER');
  const disable = await phoneAdmin.patch(`/api/v1/users/${adminId}`, { disabled: true });
  t.equal(codeOf(disable), 'LAST_MAINTAINER');
  t.equal((await admin.get('/api/v1/users')).status, 200, 'the maintainer is untouched');

  // With a second maintainer, the first may go.
  const secondId = await createUser(fixture, phoneAdmin, 'toinen', ['technical-maintainer']);
  t.equal((await phoneAdmin.patch(`/api/v1/users/${adminId}`, { roles: ['phone-admin'] })).status, 200);
  t.equal(codeOf(await phoneAdmin.patch(`/api/v1/users/${secondId}`, { disabled: true })), 'LAST_MAINTAINER', 'and then the second is the last');
});

t.test('when POST /me/totp is called with an active second factor, then the active one keeps working until a new one is confirmed, and replacing it needs the password and a current code', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  const bare = await admin.post('/api/v1/me/totp');
  t.equal(bare.status, 403, 'no new secret from the session alone');
  t.equal(codeOf(bare), 'REAUTH_REQUIRED');
  const probe = fixture.client();
  const withoutCode = await probe.login('yllapitaja', PASSWORD);
  t.equal(withoutCode.status, 401, 'the password alone still does not sign in');
  t.equal(codeOf(withoutCode), 'TOTP_REQUIRED');

  fixture.clock.advance(30_000);
  t.equal((await admin.post('/api/v1/me/totp', { password: 'väärä salasana tässä', code: fixture.totp(secret) })).status, 401, 'a wrong password');
  fixture.clock.advance(30_000);
  t.equal((await admin.post('/api/v1/me/totp', { password: PASSWORD, code: '000000' === fixture.totp(secret) ? '111111' : '000000' })).status, 401, 'a wrong code');
  fixture.clock.advance(30_000);
  const begun = await admin.post('/api/v1/me/totp', { password: PASSWORD, code: fixture.totp(secret) });
  t.equal(begun.status, 201);
  const pending = begun.json<{ secret: string }>().secret;
  t.not(pending, secret);

  fixture.clock.advance(30_000);
  t.equal((await probe.login('yllapitaja', PASSWORD)).status, 401, 'a pending secret switches nothing off');
  t.equal((await probe.login('yllapitaja', PASSWORD, fixture.totp(secret))).status, 201, 'the active factor still signs in');
  fixture.clock.advance(30_000);
  const confirmed = await admin.post('/api/v1/me/totp/confirm', { code: fixture.totp(pending) });
  t.equal(confirmed.status, 200);
  fixture.clock.advance(30_000);
  t.equal((await fixture.client().login('yllapitaja', PASSWORD, fixture.totp(secret))).status, 401, 'the old factor is gone once the new one is confirmed');
  t.equal((await fixture.client().login('yllapitaja', PASSWORD, fixture.totp(pending))).status, 201, 'the new one signs in');
});

t.test('when a maintainer resets another user’s second factor, then it is audited, their sessions end, and they enrol again', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  await reauthenticate(fixture, admin, secret);
  const phoneAdminId = await createUser(fixture, admin, 'puhelin', ['phone-admin']);
  const { client: phoneAdmin } = await signIn(fixture, 'puhelin');
  t.equal((await phoneAdmin.get('/api/v1/users')).status, 200);

  const reset = await admin.delete(`/api/v1/users/${phoneAdminId}/totp`);
  t.equal(reset.status, 204);
  t.equal((await phoneAdmin.get('/api/v1/me')).status, 401, 'the user’s sessions ended');
  const audit = await fixture.appliance.audit.search({ action: 'user.totp-reset' });
  t.equal(audit.total, 1);
  t.match(audit.records[0], { outcome: 'success', target: { type: 'user', id: phoneAdminId } });
  const again = fixture.client();
  const login = await again.login('puhelin', PASSWORD);
  t.equal(login.status, 201);
  t.equal(login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired, true, 'enrolment again at the next sign-in');
  const self = await admin.delete(`/api/v1/users/${(await admin.get('/api/v1/me')).json<{ id: string }>().id}/totp`);
  t.equal(codeOf(self), 'SELF_TOTP_RESET', 'a maintainer replaces their own factor with the password and a code instead');
  const supervisorId = await createUser(fixture, admin, 'esihenkilo', ['supervisor']);
  const { client: supervisor } = await signIn(fixture, 'esihenkilo');
  t.equal((await supervisor.delete(`/api/v1/users/${supervisorId}/totp`)).status, 403, 'only users:manage resets');
  // A first factor from a full session (not one signed in only to set it up) needs the password.
  t.equal(codeOf(await supervisor.post('/api/v1/me/totp')), 'REAUTH_REQUIRED');
  t.equal(codeOf(await supervisor.post('/api/v1/me/totp', { password: 'väärä salasana tässä' })), 'REAUTH_FAILED');
  t.equal((await supervisor.post('/api/v1/me/totp', { password: PASSWORD })).status, 201);
});

t.test('when a user’s roles change, then they see it at their next sign-in, and the audit search finds role changes by their own action', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const agentId = (await admin.post('/api/v1/users', { username: 'agentti', displayName: 'Agentti', roles: ['agent'], extensions: ['2001'], password: PASSWORD })).json<{ user: { id: string } }>().user.id;
  const first = fixture.client();
  t.equal((await first.login('agentti', PASSWORD)).json<{ roleNotice: unknown }>().roleNotice, null, 'no notice at a first sign-in without changes');
  t.equal((await admin.patch(`/api/v1/users/${agentId}`, { roles: ['supervisor', 'agent'] })).status, 200);

  const next = fixture.client();
  const login = await next.login('agentti', PASSWORD);
  t.match(login.json(), { roleNotice: { before: ['agent'], after: ['agent', 'supervisor'] } }, 'the sign-in answer tells what changed');
  t.match((await next.get('/api/v1/me')).json(), { roleNotice: { before: ['agent'], after: ['agent', 'supervisor'] } }, 'and so does /me for that session');
  t.equal((await fixture.client().login('agentti', PASSWORD)).json<{ roleNotice: unknown }>().roleNotice, null, 'once only');

  const found = await admin.get('/api/v1/audit?action=user.roles');
  t.equal(found.status, 200);
  const items = found.json<{ items: Array<{ outcome: string; target: { id: string }; details: Record<string, unknown> }> }>().items;
  t.ok(items.length >= 1);
  t.match(items.find((item) => item.target.id === agentId && item.outcome === 'success'), { details: { before: 'agent', after: 'agent,supervisor' } }, 'before and after roles on the entry');
});

t.test('when a session signed in only to set up a first factor is no longer fresh, then setting one up needs the password, so a stolen one cannot bind an authenticator', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  await reauthenticate(fixture, admin, secret);
  await createUser(fixture, admin, 'puhelin', ['phone-admin']);

  const fresh = fixture.client();
  t.equal((await fresh.login('puhelin', PASSWORD)).json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired, true);
  t.equal((await fresh.post('/api/v1/me/totp')).status, 201, 'right after the sign-in the set-up starts at once');

  const stale = fixture.client();
  t.equal((await stale.login('puhelin', PASSWORD)).status, 201);
  fixture.clock.advance(6 * 60_000);
  const bare = await stale.post('/api/v1/me/totp');
  t.equal(bare.status, 403, 'minutes later the session alone gets no secret');
  t.equal(codeOf(bare), 'REAUTH_REQUIRED');
  t.equal(codeOf(await stale.post('/api/v1/me/totp', { password: 'väärä salasana tässä' })), 'REAUTH_FAILED');
  t.equal((await stale.post('/api/v1/me/totp', { password: PASSWORD })).status, 201, 'with the password it does');
});
