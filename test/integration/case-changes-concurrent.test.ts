/**
 * Changes of one case sent at the same moment (two tabs, a quick second click, a step and the
 * overdue reminder) all stay: each change reads the case and writes it back across an audit write,
 * so without running them one at a time the later write undid the earlier one.
 */
import t from 'tap';
import { startApiAppliance } from './support/api-appliance.js';
import { deskUsers } from './support/desk-users.js';

interface CaseAnswer {
  case: { notes: Array<{ text: string }>; hold: { reason: string } | null; calls: Array<{ callId: string }> };
}
interface ResearchAnswer {
  research: { returnDue: string | null; contentCheck: { note: string } | null };
}

t.test('when a research case gets its date and its content check at once, then both are kept', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const opened = await registrar.client.post('/api/v1/cases', { kind: 'research', requester: { name: 'Tutkimuslaitos' }, legalBasis: { text: 'Tutkimuslupa', reference: 'TUTK-1' } });
  t.equal(opened.status, 201, opened.body.toString());
  const base = `/api/v1/cases/${opened.json<{ case: { id: string } }>().case.id}/research`;

  const [due, checked] = await Promise.all([
    registrar.client.send('PUT', `${base}/return-due`, { body: { returnDue: '2027-06-30' } }),
    registrar.client.post(`${base}/content-check`, { note: 'Kuunneltu.' }),
  ]);
  t.equal(due.status, 200);
  t.equal(checked.status, 200);
  const { research } = (await registrar.client.get(base)).json<ResearchAnswer>();
  t.equal(research.returnDue, '2027-06-30', 'the date is kept');
  t.equal(research.contentCheck?.note, 'Kuunneltu.', 'the content check is kept');
});

t.test('when notes, a hold and a pick of calls reach a case at once, then every one is kept', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const call = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 1 });
  const opened = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Pakkokeinolaki', reference: 'POL-1' } });
  t.equal(opened.status, 201, opened.body.toString());
  const id = opened.json<{ case: { id: string } }>().case.id;
  const notes = ['ensimmäinen', 'toinen', 'kolmas', 'neljäs'];
  const answers = await Promise.all([
    ...notes.map((text) => registrar.client.post(`/api/v1/cases/${id}/notes`, { text })),
    registrar.client.send('PUT', `/api/v1/cases/${id}/calls`, { body: { callIds: [call] } }),
    registrar.client.send('PUT', `/api/v1/cases/${id}/hold`, { body: { reason: 'Tutkinta', until: '2027-06-30T00:00:00Z' } }),
  ]);
  for (const answer of answers) t.ok(answer.status < 300, `${answer.status} ${answer.body.toString().slice(0, 200)}`);
  const record = (await registrar.client.get(`/api/v1/cases/${id}`)).json<CaseAnswer>().case;
  t.same(record.notes.map((note) => note.text).sort(), [...notes].sort(), 'every note is kept');
  t.same(record.calls.map((picked) => picked.callId), [call], 'the pick is kept');
  t.equal(record.hold?.reason, 'Tutkinta', 'the hold is kept');
});
