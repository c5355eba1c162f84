/**
 * The registrar's desk through real HTTPS: opening cases of each kind, finding a caller's calls
 * by any written form of the number, picking calls, deadlines (one month, one extension of two),
 * the desk's order, four eyes over every role, and the refusals with their codes.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers } from './support/desk-users.js';

interface CaseBody {
  id: string;
  kind: string;
  status: string;
  deadline: string | null;
  extension: { reason: string } | null;
  calls: Array<{ callId: string }>;
  hold: { until: string; reason: string } | null;
  approval: { approvedBy: string } | null;
  notes: Array<{ text: string }>;
}

const accessRequest = (caller: string): Record<string, unknown> => ({
  kind: 'access-request',
  requester: { name: 'Soittaja', contact: 'kirje' },
  subject: { caller },
  legalBasis: { text: 'GDPR Art. 15', reference: 'DS-2026-1' },
});

t.test('when the registrar opens an access request for a caller, then the calls are found by any written form of the number, picked, and the deadline runs one month with one extension of two', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const first = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const second = await fixture.call({ channel: 1, extension: '2002', caller: '0401234567' });
  await fixture.call({ channel: 2, extension: '2001', caller: '0409999999' });

  const opened = await registrar.client.post('/api/v1/cases', accessRequest('+358 40 123 4567'));
  t.equal(opened.status, 201, opened.body.toString());
  const created = opened.json<{ case: CaseBody & { receivedAt: string } }>().case;
  t.equal(created.status, 'open');
  t.equal(created.deadline, new Date(Date.UTC(2026, 11, 28, 8, 0, 0) + (Date.parse(created.receivedAt) - Date.UTC(2026, 10, 28, 8, 0, 0))).toISOString(), 'one calendar month from the arrival');
  t.ok(created.hold !== null && created.hold.until >= created.deadline!, 'held from the start, at least until the deadline');

  const found = await registrar.client.get(`/api/v1/cases/${created.id}/find`);
  t.equal(found.status, 200);
  t.same(found.json<{ calls: Array<{ callId: string }> }>().calls.map((call) => call.callId).sort(), [first, second].sort(), 'the case subject’s calls, in E.164');
  const byOtherForm = await registrar.client.get(`/api/v1/cases/${created.id}/find?caller=${encodeURIComponent('00358401234567')}`);
  t.equal(byOtherForm.json<{ calls: unknown[] }>().calls.length, 2, 'the international form finds the same calls');
  const byAgent = await registrar.client.get(`/api/v1/cases/${created.id}/find?agent=2001`);
  t.equal(byAgent.json<{ calls: unknown[] }>().calls.length, 2, 'by the answering agent');

  const picked = await registrar.client.send('PUT', `/api/v1/cases/${created.id}/calls`, { body: { callIds: [first] } });
  t.equal(picked.status, 200);
  const view = await registrar.client.get(`/api/v1/cases/${created.id}`);
  t.same(view.json<{ calls: Array<{ callId: string; callerNumber: string }> }>().calls.map((call) => [call.callId, call.callerNumber]), [[first, '+358401234567']]);
  t.equal(codeOf(await registrar.client.send('PUT', `/api/v1/cases/${created.id}/calls`, { body: { callIds: [randomUUID()] } })), 'CALL_NOT_FOUND');

  t.equal((await registrar.client.post(`/api/v1/cases/${created.id}/notes`, { text: 'Soittaja kävi paikan päällä.' })).status, 201);
  const extended = await registrar.client.post(`/api/v1/cases/${created.id}/extension`, { reason: 'Pyyntöjä on paljon.' });
  t.equal(extended.status, 200);
  const afterExtension = extended.json<{ case: CaseBody }>().case;
  t.equal(afterExtension.deadline, new Date(Date.UTC(2027, 1, 28, 8, 0, 0) + (Date.parse(created.deadline!) - Date.UTC(2026, 11, 28, 8, 0, 0))).toISOString(), 'two months more');
  t.ok(afterExtension.hold!.until >= afterExtension.deadline!, 'the hold follows the new deadline');
  const again = await registrar.client.post(`/api/v1/cases/${created.id}/extension`, { reason: 'Vielä.' });
  t.equal(again.status, 409);
  t.equal(codeOf(again), 'CASE_ALREADY_EXTENDED');

  const closed = await registrar.client.post(`/api/v1/cases/${created.id}/close`, { note: 'Vastattu.' });
  t.equal(closed.status, 200);
  t.match(closed.json<{ case: CaseBody }>().case, { status: 'closed', hold: null });
  t.equal(codeOf(await registrar.client.send('PUT', `/api/v1/cases/${created.id}/calls`, { body: { callIds: [] } })), 'CASE_CLOSED');

  // Everything on the desk is in the trail, and no phone number is.
  const entries = await fixture.appliance.audit.search({ targetId: created.id });
  t.same(new Set(entries.records.map((entry) => entry.action)), new Set(['case.open', 'case.find', 'case.calls', 'case.view', 'case.note', 'case.extend', 'case.close']));
  t.notMatch(JSON.stringify(entries.records), /358|040123/, 'numbers only as pseudonyms');
});

t.test('when cases are open, then the desk lists what is due first', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const late = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Poliisilaki 4:3', reference: 'R-1' }, deadline: new Date(Date.UTC(2027, 5, 1)).toISOString() });
  const none = await registrar.client.post('/api/v1/cases', { kind: 'research', requester: { name: 'Instituutti' }, legalBasis: { text: 'Tutkimuslupa', reference: 'T-1' } });
  const soon = await registrar.client.post('/api/v1/cases', accessRequest('0401234567'));
  const ids = [soon, late, none].map((res) => res.json<{ case: { id: string } }>().case.id);
  const listed = await registrar.client.get('/api/v1/cases');
  t.equal(listed.status, 200);
  t.same(listed.json<{ cases: Array<{ id: string }> }>().cases.map((item) => item.id), ids, 'soonest deadline first, none last');
});

t.test('when a case is opened with bad input, then each refusal has its own code', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const noCalls = await registrar.client.post('/api/v1/cases', accessRequest('050 765 4321'));
  t.equal(noCalls.status, 422);
  t.equal(codeOf(noCalls), 'CASE_NO_CALLS', 'a number with no calls');
  const noSubject = await registrar.client.post('/api/v1/cases', { ...accessRequest('x'), subject: undefined });
  t.equal(codeOf(noSubject), 'CASE_SUBJECT_REQUIRED');
  t.equal(codeOf(await registrar.client.post('/api/v1/cases', { ...accessRequest('0401234567'), kind: 'gossip' })), 'VALIDATION_FAILED');
  t.equal(codeOf(await registrar.client.post('/api/v1/cases', { ...accessRequest('0401234567'), legalBasis: { text: '', reference: 'x' } })), 'VALIDATION_FAILED');
  const both = await registrar.client.post('/api/v1/cases', { ...accessRequest('0401234567'), subject: { caller: '0401234567', agent: '2001' } });
  t.equal(codeOf(both), 'VALIDATION_FAILED');
  const past = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'x', reference: 'y' }, deadline: new Date(fixture.clock.now() - 1000).toISOString() });
  t.equal(codeOf(past), 'CASE_INVALID');
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${randomUUID()}`)), 'CASE_NOT_FOUND');
  const police = (await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'x', reference: 'y' } })).json<{ case: { id: string } }>().case.id;
  t.equal(codeOf(await registrar.client.post(`/api/v1/cases/${police}/extension`, { reason: 'x' })), 'CASE_EXTENSION_NOT_ALLOWED', 'only a data subject’s deadline is extended');
  t.equal(codeOf(await registrar.client.send('PUT', `/api/v1/cases/${police}/hold`, { body: { reason: 'x', until: new Date(fixture.clock.now() - 1).toISOString() } })), 'HOLD_INVALID');
  t.equal((await registrar.client.delete(`/api/v1/cases/${police}/hold`)).status, 200);
  t.equal(codeOf(await registrar.client.delete(`/api/v1/cases/${police}/hold`)), 'HOLD_NOT_FOUND');
});

t.test('when every role tries the desk and the approval of a police request, then only the registrar works on cases and only another registrar approves (four eyes)', async (t) => {
  const fixture = await startApiAppliance(t);
  const users = await deskUsers(fixture);
  await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const police = await users.registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Poliisilaki 4:3', reference: 'R-2026-7' } });
  t.equal(police.status, 201);
  const id = police.json<{ case: { id: string } }>().case.id;
  for (const role of ['agent', 'supervisor', 'quality', 'maintainer', 'phoneadmin'] as const) {
    const client = users[role].client;
    t.equal((await client.get('/api/v1/cases')).status, 403, `${role} does not see the desk`);
    t.equal((await client.post('/api/v1/cases', accessRequest('0401234567'))).status, 403, `${role} opens no case`);
    t.equal((await client.get(`/api/v1/cases/${id}`)).status, 403, `${role} reads no case`);
    const approval = await client.post(`/api/v1/cases/${id}/approval`);
    t.equal(approval.status, 403, `${role} does not approve`);
    t.equal(codeOf(approval), 'FORBIDDEN');
  }
  const own = await users.registrar.client.post(`/api/v1/cases/${id}/approval`);
  t.equal(own.status, 403);
  t.equal(codeOf(own), 'APPROVAL_BY_REQUESTER', 'nobody approves their own request');
  const approved = await users.registrar2.client.post(`/api/v1/cases/${id}/approval`);
  t.equal(approved.status, 200);
  t.equal(approved.json<{ case: CaseBody }>().case.approval?.approvedBy, users.registrar2.id);
  t.equal(codeOf(await users.registrar2.client.post(`/api/v1/cases/${id}/approval`)), 'APPROVAL_DONE');
  const access = (await users.registrar.client.post('/api/v1/cases', accessRequest('0401234567'))).json<{ case: { id: string } }>().case.id;
  t.equal(codeOf(await users.registrar2.client.post(`/api/v1/cases/${access}/approval`)), 'APPROVAL_NOT_NEEDED');

  const attempts = await fixture.appliance.audit.search({ action: 'case.approve', targetId: id });
  t.same(attempts.records.map((entry) => entry.outcome).sort(), ['denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'success'], 'every attempt is in the trail: five roles, the requester, the second approval, and the one that passed');
});
