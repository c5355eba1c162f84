/**
 * Notes and tags on a call through the API: those who may see the call read, add and remove
 * them, an agent only on their own calls (another agent's call answers as a missing one); bad
 * input is a clear 400; reading and every change are audited without the text; and they are
 * stored in the call's day document, so the purge that destroys the call destroys them.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import type { HistoryDay } from '../../src/history/day-cache.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

interface Notes {
  notes: Array<{ id: string; text: string; authorName: string; mine: boolean }>;
  tags: string[];
}
const codeOf = (res: { json<T>(): T }): string => res.json<{ error: { code: string } }>().error.code;

t.test('when people who may see a call write notes and tags on it, then they see them, others do not, and it is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  for (const [username, displayName, roles, extensions] of [['esihenkilo', 'Sanna Esihenkilö', ['supervisor'], []], ['agentti1', 'Aino', ['agent'], ['2001']], ['agentti2', 'Eero', ['agent'], ['2002']]] as const) {
    t.equal((await admin.post('/api/v1/users', { username, displayName, roles, extensions, password: PASSWORD })).status, 201);
  }
  const sign = async (username: string) => {
    const client = fixture.client();
    t.equal((await client.login(username, PASSWORD)).status, 201);
    return client;
  };
  const supervisor = await sign('esihenkilo');
  const agent1 = await sign('agentti1');
  const agent2 = await sign('agentti2');
  const call = await fixture.call({ channel: 0, extension: '2001' });
  const base = `/api/v1/calls/${call}`;

  t.same((await supervisor.get(`${base}/notes`)).json<Notes>(), { notes: [], tags: [] }, 'none yet');
  const added = await supervisor.post(`${base}/notes`, { text: 'Asiakas pyysi takaisinsoittoa.\nTarkista jäsenmaksu.' });
  t.equal(added.status, 201);
  const noteId = added.json<{ note: { id: string } }>().note.id;
  const tags = await supervisor.send('PUT', `${base}/tags`, { body: { tags: ['Palaute', 'jäsenmaksu', 'palaute'] } });
  t.equal(tags.status, 200);
  t.same(tags.json<{ tags: string[] }>().tags, ['palaute', 'jäsenmaksu'], 'lower case, each once');

  // The agent of the call sees them and adds one; another agent cannot tell the call exists.
  const seen = (await agent1.get(`${base}/notes`)).json<Notes>();
  t.match(seen.notes, [{ id: noteId, authorName: 'Sanna Esihenkilö', mine: false, text: /takaisinsoittoa/ }]);
  t.same(seen.tags, ['palaute', 'jäsenmaksu']);
  t.equal((await agent1.post(`${base}/notes`, { text: 'Soitin takaisin.' })).status, 201);
  const missing = `/api/v1/calls/${randomUUID()}`;
  for (const [name, run] of [
    ['read', (path: string) => agent2.get(`${path}/notes`)],
    ['add', (path: string) => agent2.post(`${path}/notes`, { text: 'x' })],
    ['remove', (path: string) => agent2.delete(`${path}/notes/${noteId}`)],
    ['tag', (path: string) => agent2.send('PUT', `${path}/tags`, { body: { tags: ['x'] } })],
  ] as const) {
    const other = await run(base);
    const none = await run(missing);
    t.equal(other.status, 404, `${name}: another agent's call is not found`);
    t.same(other.json(), none.json(), `${name}: the same answer as a call that does not exist`);
  }

  // Bad input: a clear 400, nothing stored.
  for (const body of [{ text: '' }, { text: '   ' }, { text: 'a\u0007b' }, { text: 'x'.repeat(2001) }, { text: 1 }, {}]) {
    const res = await supervisor.post(`${base}/notes`, body);
    t.equal(res.status, 400, JSON.stringify(body).slice(0, 40));
    t.equal(codeOf(res), 'VALIDATION_FAILED');
  }
  for (const body of [{ tags: ['<script>'] }, { tags: ['x'.repeat(33)] }, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }]) t.equal((await supervisor.send('PUT', `${base}/tags`, { body })).status, 400);
  const gone = await supervisor.delete(`${base}/notes/${randomUUID()}`);
  t.equal(gone.status, 404);
  t.equal(codeOf(gone), 'NOTE_NOT_FOUND');

  // Removed by someone who may see the call.
  t.equal((await agent1.delete(`${base}/notes/${noteId}`)).status, 204);
  const after = (await supervisor.get(`${base}/notes`)).json<Notes>();
  t.same(after.notes.map((note) => note.text), ['Soitin takaisin.']);
  t.equal(after.notes[0]?.mine, false);

  // Audited: who read and changed which call, never the text.
  const entries = (await fixture.appliance.audit.search({ targetId: call })).records;
  const actions = entries.filter((entry) => entry.outcome === 'success').map((entry) => entry.action);
  for (const action of ['call.notes.view', 'call.note.add', 'call.note.remove', 'call.tags.change']) t.ok(actions.includes(action), `${action} is audited`);
  t.ok(entries.some((entry) => entry.action === 'call.notes.view' && entry.outcome === 'denied'), 'the refusals too');
  t.notOk(JSON.stringify(entries).includes('takaisin'), 'no note text in the audit trail');
});

t.test('when the purge destroys a call, then its notes and tags go with it and the day’s other calls keep theirs', async (t) => {
  const fixture = await startApiAppliance(t);
  const early = await fixture.call({ channel: 0, extension: '2001' });
  fixture.clock.advance(3600_000);
  const late = await fixture.call({ channel: 1, extension: '2002' });
  const { admin } = await firstAdministrator(fixture);
  for (const call of [early, late]) {
    t.equal((await admin.post(`/api/v1/calls/${call}/notes`, { text: `muistiinpano ${call}` })).status, 201);
    t.equal((await admin.send('PUT', `/api/v1/calls/${call}/tags`, { body: { tags: ['seuranta'] } })).status, 200);
  }
  const history = fixture.appliance.history;
  const [earlyRecord] = await history.search({ predicate: (record) => record.callId === early });
  const day = earlyRecord!.startedAt.slice(0, 10);
  const document = (): Promise<HistoryDay | null> => fixture.appliance.storage.documents.readDocument<HistoryDay>(`history/${day}`);
  t.same(Object.keys((await document())?.annotations ?? {}).sort(), [early, late].sort(), 'stored in the day document of the calls');

  // The cutoff between the two calls: the day is rewritten without the early call and its notes.
  await history.purgeBefore(Date.parse(earlyRecord!.startedAt) + 60_000, false);
  t.same(Object.keys((await document())?.annotations ?? {}), [late], 'the purged call’s notes are gone from the day');
  t.equal((await admin.get(`/api/v1/calls/${early}/notes`)).status, 404);
  t.equal((await admin.get(`/api/v1/calls/${late}/notes`)).json<Notes>().notes.length, 1, 'the other call keeps its note');

  // The whole day: the document, and the notes in it, are gone.
  await history.purgeBefore(Date.parse(earlyRecord!.startedAt) + 2 * 86_400_000, false);
  t.equal(await document(), null, 'the day document is destroyed');
  t.equal((await admin.get(`/api/v1/calls/${late}/notes`)).status, 404);
});
