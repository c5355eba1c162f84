/**
 * Account administration through the API: the second factor's QR code, the password reset link
 * (single use, expiry, audit, the user's sessions end), why a session ended, and the audit trail
 * read by name.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

t.test('when a second factor is set up, then the answer carries its QR code as an SVG data URL that the CSP lets an image show, and nothing else', async (t) => {
  const fixture = await startApiAppliance(t);
  const admin = fixture.client();
  await admin.post('/api/v1/setup', { token: fixture.appliance.setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  await admin.login('yllapitaja', PASSWORD);
  const begun = await admin.post('/api/v1/me/totp');
  t.equal(begun.status, 201);
  const { qrCode, uri } = begun.json<{ qrCode: string; uri: string }>();
  t.match(uri, /^otpauth:\/\/totp\//);
  t.match(qrCode, /^data:image\/svg\+xml;base64,/, 'a data URL of an SVG image');
  const svg = Buffer.from(qrCode.slice(qrCode.indexOf(',') + 1), 'base64').toString('utf8');
  t.match(svg, /^<svg[^>]*viewBox="0 0 \d+ \d+"/, 'an SVG with its size');
  t.notMatch(svg, /<script|on\w+=/i, 'no script in it');
  t.notMatch(svg, /otpauth|secret/i, 'the secret is drawn, not written in the text');
  const csp = String(begun.headers['content-security-policy']);
  t.match(csp, /img-src 'self' data:/, 'images may be data URLs');
  t.match(csp, /script-src 'self'(;|$)/, 'scripts may not');
  t.match(csp, /default-src 'none'/);
});

t.test('when a session has ended, then NOT_AUTHENTICATED says why: idle for the configured minutes, password changed, roles changed, disabled', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  const reasonOf = async (client: ReturnType<typeof fixture.client>): Promise<{ code: string; reason?: string; idleMinutes?: number }> => {
    const answer = await client.get('/api/v1/me');
    t.equal(answer.status, 401);
    return answer.json<{ error: { code: string; reason?: string; idleMinutes?: number } }>().error;
  };
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Essi Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const users = (await admin.get('/api/v1/users')).json<{ users: Array<{ id: string; username: string }> }>().users;
  const supervisorId = users.find((user) => user.username === 'esihenkilo')!.id;

  const elsewhere = fixture.client();
  await elsewhere.login('esihenkilo', PASSWORD);
  const changer = fixture.client();
  await changer.login('esihenkilo', PASSWORD);
  t.equal((await changer.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'seitsemän siilin syysretki' })).status, 204);
  t.match(await reasonOf(elsewhere), { reason: 'password-changed' }, 'the password was changed in another session');

  const roles = fixture.client();
  await roles.login('esihenkilo', 'seitsemän siilin syysretki');
  fixture.clock.advance(30_000);
  t.equal((await admin.patch(`/api/v1/users/${supervisorId}`, { roles: ['quality-expert'] })).status, 200);
  t.match(await reasonOf(roles), { reason: 'roles-changed' });

  const disabled = fixture.client();
  await disabled.login('esihenkilo', 'seitsemän siilin syysretki');
  t.equal((await admin.patch(`/api/v1/users/${supervisorId}`, { disabled: true })).status, 200);
  t.match(await reasonOf(disabled), { reason: 'disabled' });
  t.equal((await admin.patch(`/api/v1/users/${supervisorId}`, { disabled: false })).status, 200);

  const idle = fixture.client();
  await idle.login('esihenkilo', 'seitsemän siilin syysretki');
  fixture.clock.advance(15 * 60_000);
  t.match(await reasonOf(idle), { code: 'NOT_AUTHENTICATED', reason: 'idle', idleMinutes: 15 }, 'idle, with the limit in minutes');
  t.match(await reasonOf(idle), { reason: 'idle' }, 'said again on the next request, not only once');

  const never = await fixture.client().get('/api/v1/me');
  t.equal(never.json<{ error: { reason?: string } }>().error.reason, undefined, 'no session at all: no reason');
  t.ok(secret.length > 0);
});

t.test('when the audit trail is read, then entries name who (name and user name), can be filtered by name, come 50 a page, and the reader may hide their own reading', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Essi Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const supervisor = fixture.client();
  await supervisor.login('esihenkilo', PASSWORD);
  await supervisor.get('/api/v1/calls');
  await fixture.client().login('ei-ketaan', PASSWORD);
  for (let i = 0; i < 3; i++) await admin.get('/api/v1/audit');

  type Page = { total: number; pageSize: number; items: Array<{ action: string; actorId: string | null; actorName?: string; actor?: { username: string; displayName: string } }> };
  const all = (await admin.get('/api/v1/audit')).json<Page>();
  t.equal(all.pageSize, 50, 'a page is 50 entries unless asked otherwise');
  const adminRead = all.items.find((item) => item.action === 'audit.search');
  t.same(adminRead?.actor, { username: 'yllapitaja', displayName: 'Ylläpitäjä' }, 'the reader is named');
  const search = all.items.find((item) => item.action === 'calls.search');
  t.same(search?.actor, { username: 'esihenkilo', displayName: 'Essi Esihenkilö' });
  const unknown = all.items.find((item) => item.action === 'auth.login' && item.actorId === null);
  t.ok(unknown?.actorName !== undefined && unknown.actor === undefined, 'an unknown user name stays a pseudonym');

  const byName = (await admin.get(`/api/v1/audit?who=${encodeURIComponent('essi')}`)).json<Page>();
  t.ok(byName.total >= 2, 'found by a part of the name');
  t.ok(byName.items.every((item) => item.actor?.username === 'esihenkilo'), 'only that person’s entries');
  const byUsername = (await admin.get('/api/v1/audit?who=ESIHENK')).json<Page>();
  t.equal(byUsername.total, byName.total, 'or of the user name, in any case');
  t.equal((await admin.get('/api/v1/audit?who=nobody-at-all')).json<Page>().total, 0, 'nobody by that name: nothing');

  const hidden = (await admin.get('/api/v1/audit?hideOwnReads=true')).json<Page>();
  t.equal(hidden.items.filter((item) => item.actor?.username === 'yllapitaja' && item.action.startsWith('audit.')).length, 0, 'the reader’s own reading is left out');
  t.ok(hidden.items.some((item) => item.actor?.username === 'yllapitaja' && item.action === 'user.create'), 'their other actions stay');
  t.ok(hidden.total < all.total, 'and the count says so');
  const second = (await admin.get('/api/v1/audit?pageSize=5&page=2')).json<Page & { page: number }>();
  t.equal(second.items.length, 5);
  t.equal(second.page, 2);
  t.equal((await admin.get('/api/v1/audit?hideOwnReads=maybe')).status, 400, 'a bad flag is refused');
});

t.test('when a maintainer gives a user a password reset link, then it works once, within 24 hours, under the password rules, is audited, and ends the user’s sessions', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Essi Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const users = (await admin.get('/api/v1/users')).json<{ users: Array<{ id: string; username: string }> }>().users;
  const supervisorId = users.find((user) => user.username === 'esihenkilo')!.id;
  const adminId = users.find((user) => user.username === 'yllapitaja')!.id;
  const signedIn = fixture.client();
  await signedIn.login('esihenkilo', PASSWORD);

  const issued = await admin.post(`/api/v1/users/${supervisorId}/password-reset`);
  t.equal(issued.status, 201);
  const { token, expiresAt } = issued.json<{ token: string; expiresAt: string }>();
  t.match(token, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$/, '160 random bits, easy to type');
  t.equal(Date.parse(expiresAt), fixture.clock.now() + 24 * 3600_000, 'valid for 24 hours');
  const issueEntry = (await fixture.appliance.audit.search({ action: 'user.password-reset' })).records[0];
  t.match(issueEntry, { outcome: 'success', actorId: adminId, target: { type: 'user', id: supervisorId } }, 'the issue is audited');
  t.notMatch(JSON.stringify(issueEntry), token.slice(0, 9), 'without the token');

  const anonymous = fixture.client();
  const weak = await anonymous.post('/api/v1/password-reset', { token, newPassword: 'essi esihenkilö salasana' });
  t.equal(weak.status, 400);
  t.match(weak.json<{ error: { code: string; reason: string } }>().error, { code: 'PASSWORD_CONTEXT', reason: 'person-name' }, 'the password rules hold');
  const done = await anonymous.post('/api/v1/password-reset', { token: token.toLowerCase().replace(/-/g, ' '), newPassword: 'seitsemän siilin syysretki' });
  t.equal(done.status, 204, 'a refused password did not spend the token; typed in lower case with spaces it still works');
  t.equal((await signedIn.get('/api/v1/me')).json<{ error: { reason: string } }>().error.reason, 'password-changed', 'the user’s sessions ended');
  t.equal((await fixture.client().login('esihenkilo', PASSWORD)).status, 401, 'the old password is gone');
  t.equal((await fixture.client().login('esihenkilo', 'seitsemän siilin syysretki')).status, 201, 'the new one signs in');
  const again = await anonymous.post('/api/v1/password-reset', { token, newPassword: 'kahdeksan kalaa kelluu' });
  t.equal(again.status, 400);
  t.equal(again.json<{ error: { code: string } }>().error.code, 'PASSWORD_RESET_INVALID', 'single use');
  const completed = (await fixture.appliance.audit.search({ action: 'user.password' })).records;
  t.match(completed.find((entry) => entry.outcome === 'success'), { actorId: supervisorId, target: { type: 'user', id: supervisorId }, details: { via: 'reset-link' } }, 'the reset is audited as the user’s own change');
  t.ok(completed.some((entry) => entry.outcome === 'denied' && entry.details?.reason === 'PASSWORD_RESET_INVALID'), 'and so is a spent token');
  t.ok(completed.some((entry) => entry.outcome === 'failed' && entry.actorId === supervisorId && entry.details?.reason === 'PASSWORD_CONTEXT'), 'and a password the rules refused');

  const first = (await admin.post(`/api/v1/users/${supervisorId}/password-reset`)).json<{ token: string }>().token;
  const second = (await admin.post(`/api/v1/users/${supervisorId}/password-reset`)).json<{ token: string }>().token;
  t.equal((await anonymous.post('/api/v1/password-reset', { token: first, newPassword: 'kahdeksan kalaa kelluu' })).status, 400, 'a newer link replaces the older');
  fixture.clock.advance(24 * 3600_000);
  const late = await anonymous.post('/api/v1/password-reset', { token: second, newPassword: 'kahdeksan kalaa kelluu' });
  t.equal(late.json<{ error: { code: string } }>().error.code, 'PASSWORD_RESET_INVALID', 'expired after 24 hours');

  // The maintainer signs in again (the clock moved a day); an own link or an administrator's needs more.
  fixture.clock.advance(30_000);
  const maintainer = fixture.client();
  t.equal((await maintainer.login('yllapitaja', PASSWORD, fixture.totp(secret))).status, 201);
  t.equal((await maintainer.post(`/api/v1/users/${adminId}/password-reset`)).json<{ error: { code: string } }>().error.code, 'SELF_PASSWORD_RESET', 'one’s own password is changed on one’s own page');
  fixture.clock.advance(30_000);
  t.equal((await maintainer.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) })).status, 200);
  t.equal((await maintainer.post('/api/v1/users', { username: 'puhelin', displayName: 'Puhelinvastaava', roles: ['phone-admin'], password: PASSWORD })).status, 201);
  const phoneId = (await maintainer.get('/api/v1/users')).json<{ users: Array<{ id: string; username: string }> }>().users.find((user) => user.username === 'puhelin')!.id;
  fixture.clock.advance(6 * 60_000);
  t.equal((await maintainer.post(`/api/v1/users/${phoneId}/password-reset`)).json<{ error: { code: string } }>().error.code, 'REAUTH_REQUIRED', 'an administrator’s link needs a fresh confirmation');
  t.equal((await maintainer.post(`/api/v1/users/${crypto.randomUUID()}/password-reset`)).status, 404);
  t.equal((await signedIn.post(`/api/v1/users/${phoneId}/password-reset`)).status, 401, 'not without a session');
});

t.test('when a user is created without a password, then the answer carries an activation link, and the account signs in only once it is used', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const created = await admin.post('/api/v1/users', { username: 'agentti', displayName: 'Aino Asiakaspalvelija', roles: ['agent'], extensions: ['2001'] });
  t.equal(created.status, 201);
  const { user, activation } = created.json<{ user: { id: string }; activation?: { token: string; expiresAt: string } }>();
  t.type(activation?.token, 'string', 'an activation link instead of a password the maintainer knows');
  t.equal((await fixture.client().login('agentti', PASSWORD)).status, 401, 'no password works before it is used');
  t.equal((await fixture.client().post('/api/v1/password-reset', { token: activation!.token, newPassword: PASSWORD })).status, 204);
  t.equal((await fixture.client().login('agentti', PASSWORD)).status, 201, 'the person’s own password signs in');
  const entry = (await fixture.appliance.audit.search({ action: 'user.password-reset' })).records[0];
  t.match(entry, { target: { id: user.id }, details: { activation: true } }, 'the activation link is audited as such');
  const withPassword = await admin.post('/api/v1/users', { username: 'agentti2', displayName: 'Eero Esimerkki', roles: ['agent'], extensions: ['2002'], password: PASSWORD });
  t.equal(withPassword.json<{ activation?: unknown }>().activation, undefined, 'an initial password: no link');

  // A disabled account's link is void, and stays so when the account is enabled again.
  const third = await admin.post('/api/v1/users', { username: 'agentti3', displayName: 'Kalle Kolmas', roles: ['agent'], extensions: ['2003'] });
  const thirdId = third.json<{ user: { id: string } }>().user.id;
  const thirdToken = third.json<{ activation: { token: string } }>().activation.token;
  t.equal((await admin.patch(`/api/v1/users/${thirdId}`, { disabled: true })).status, 200);
  t.equal((await fixture.client().post('/api/v1/password-reset', { token: thirdToken, newPassword: PASSWORD })).status, 400, 'not while disabled');
  t.equal((await admin.patch(`/api/v1/users/${thirdId}`, { disabled: false })).status, 200);
  t.equal((await fixture.client().post('/api/v1/password-reset', { token: thirdToken, newPassword: PASSWORD })).status, 400, 'nor after');
});
