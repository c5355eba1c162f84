/**
 * An export refused is on the audit trail like any other refused access, and in the order that
 * tells the truth: an account that may not export at all hears FORBIDDEN (not "confirm your
 * password", which would send it through a re-authentication for nothing), and an account that
 * may export but has not re-authenticated is refused with REAUTH_REQUIRED, audited.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

type ErrorBody = { error: { code: string } };

t.test('when an export is refused for want of the permission or of a fresh re-authentication, then the answer says which and the refusal is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  fixture.clock.advance(30_000);
  t.equal((await admin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) })).status, 200);
  const agentId = (await admin.post('/api/v1/users', { username: 'agentti', displayName: 'Agentti', roles: ['agent'], extensions: ['2001'], password: PASSWORD })).json<{ user: { id: string } }>().user.id;
  const registrarId = (await admin.post('/api/v1/users', { username: 'rekisteri', displayName: 'Rekisteri', roles: ['registrar'], password: PASSWORD })).json<{ user: { id: string } }>().user.id;
  const callId = await fixture.call({ channel: 0, extension: '2001' });
  const path = `/api/v1/calls/${callId}/export.wav?purpose=data-subject-copy`;

  const agent = fixture.client();
  t.equal((await agent.login('agentti', PASSWORD)).status, 201);
  const notAllowed = await agent.get(path);
  t.equal(notAllowed.status, 403);
  t.equal(notAllowed.json<ErrorBody>().error.code, 'FORBIDDEN', 'an agent, even on their own call, may not export: no re-authentication would change that');
  t.match((await fixture.appliance.audit.search({ action: 'recording.export', actorId: agentId })).records, [{ outcome: 'denied', target: { type: 'call', id: callId } }]);

  const registrar = fixture.client();
  t.equal((await registrar.login('rekisteri', PASSWORD)).status, 201);
  const registrarSecret = (await registrar.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  t.equal((await registrar.post('/api/v1/me/totp/confirm', { code: fixture.totp(registrarSecret) })).status, 200);
  const notFresh = await registrar.get(path);
  t.equal(notFresh.status, 403);
  t.equal(notFresh.json<ErrorBody>().error.code, 'REAUTH_REQUIRED');
  t.match((await fixture.appliance.audit.search({ action: 'recording.export', actorId: registrarId })).records, [{ outcome: 'denied', target: { type: 'call', id: callId }, details: { reason: 'REAUTH_REQUIRED' } }]);
});
