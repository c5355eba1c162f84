/**
 * The user list is personal data (names, user names, roles, extensions of the staff): reading it
 * is on the audit trail before it leaves, and so is a refused attempt, like every other read.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

t.test('when the user list is read or refused, then each is an audit entry of its own', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const adminId = (await admin.get('/api/v1/me')).json<{ id: string }>().id;
  const created = await admin.post('/api/v1/users', { username: 'agentti', displayName: 'Agentti Yksi', roles: ['agent'], extensions: ['2001'], password: PASSWORD });
  t.equal(created.status, 201);
  const agentId = created.json<{ user: { id: string } }>().user.id;

  const listed = await admin.get('/api/v1/users');
  t.equal(listed.status, 200);
  const read = await fixture.appliance.audit.search({ action: 'users.list' });
  t.equal(read.total, 1, 'the read of the list is audited');
  t.match(read.records[0], { outcome: 'success', actorId: adminId, details: { count: 2 } });

  const agent = fixture.client();
  t.equal((await agent.login('agentti', PASSWORD)).status, 201);
  t.equal((await agent.get('/api/v1/users')).status, 403);
  const refused = await fixture.appliance.audit.search({ action: 'users.list', outcome: 'denied' });
  t.equal(refused.total, 1, 'a refused read is audited too');
  t.match(refused.records[0], { actorId: agentId });
});
