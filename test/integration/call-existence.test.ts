/**
 * A call the viewer may not see is answered exactly like a call that does not exist: the same
 * 404 body, and the same work behind it (an audit entry of the same shape, waiting for the same
 * synced commit), so neither the answer nor its timing tells whether another agent's call exists.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import type { AuditDurability } from '../../src/access/audit-trail.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

interface Appended {
  action: string;
  outcome: string;
  actorId: string | null;
  target?: { type: string; id: string };
  keys: string[];
  durability: AuditDurability;
}

t.test('when an agent asks for another agent’s call and for a missing one, then both write the same audit entry and wait for its synced commit', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const created = await admin.post('/api/v1/users', { username: 'agentti1', displayName: 'Agentti Yksi', roles: ['agent'], password: PASSWORD, extensions: ['2001'] });
  t.equal(created.status, 201);
  const agentId = created.json<{ user: { id: string } }>().user.id;
  const agent = fixture.client();
  t.equal((await agent.login('agentti1', PASSWORD)).status, 201);
  const othersCall = await fixture.call({ channel: 1, extension: '2002' });
  const missing = randomUUID();

  // A spy on the real trail: what each request appended, and how far it waited.
  const audit = fixture.appliance.audit;
  const appended: Appended[] = [];
  const append = audit.append.bind(audit);
  audit.append = (event, durability = 'synced') => {
    appended.push({ action: event.action, outcome: event.outcome, actorId: event.actorId, ...(event.target === undefined ? {} : { target: event.target }), keys: Object.keys(event).sort(), durability });
    return append(event, durability);
  };
  t.teardown(() => {
    audit.append = append;
  });

  for (const path of ['', '/recording', '/audio']) {
    appended.length = 0;
    const denied = await agent.get(`/api/v1/calls/${othersCall}${path}`);
    const deniedEntries = appended.splice(0);
    const absent = await agent.get(`/api/v1/calls/${missing}${path}`);
    const absentEntries = appended.splice(0);
    t.equal(denied.status, 404, `${path || 'view'}: another agent's call`);
    t.equal(absent.status, 404, `${path || 'view'}: a missing call`);
    t.same(absent.json(), denied.json(), `${path || 'view'}: the same body`);
    t.equal(deniedEntries.length, 1, `${path || 'view'}: one entry for another agent's call`);
    t.equal(absentEntries.length, 1, `${path || 'view'}: one entry for a missing call too`);
    const shape = (entry: Appended | undefined): unknown => entry === undefined ? undefined : { ...entry, target: entry.target === undefined ? undefined : { type: entry.target.type } };
    t.same(shape(absentEntries[0]), shape(deniedEntries[0]), `${path || 'view'}: the same shape`);
    t.match(deniedEntries[0], { outcome: 'denied', actorId: agentId, target: { type: 'call', id: othersCall }, durability: 'synced' });
    t.match(absentEntries[0], { outcome: 'denied', actorId: agentId, target: { type: 'call', id: missing }, durability: 'synced' }, 'the missing id waits for the same synced commit');
  }
  // And both are on the trail itself, as a reader of the audit view sees them.
  const trail = await audit.search({ action: 'call.view', outcome: 'denied' });
  t.same(trail.records.map((record) => record.target?.id).sort(), [othersCall, missing].sort());
});
