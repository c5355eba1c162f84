/**
 * Searching the calls by tag through the API: a supervisor finds the calls tagged so (in any
 * letter case), an agent only their own among them; the search follows every change of tags;
 * the search is audited like the others, the tag itself not written on the trail; a tag that
 * cannot exist is a clear 400.
 */
import t from 'tap';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers } from './support/desk-users.js';

interface Page { total: number; items: Array<{ callId: string }> }

t.test('when calls are searched by tag, then the tagged calls are found, an agent sees only their own, and the search is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { supervisor, agent } = await deskUsers(fixture, ['supervisor', 'agent']);
  const own = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const other = await fixture.call({ channel: 1, extension: '2002', caller: '0407654321' });
  const thanked = await fixture.call({ channel: 2, extension: '2001', caller: '0501112223' });
  for (const [call, tags] of [[own, ['Valitus']], [other, ['valitus', 'jäsenmaksu']], [thanked, ['kiitos']]] as const) {
    t.equal((await supervisor.client.send('PUT', `/api/v1/calls/${call}/tags`, { body: { tags } })).status, 200);
  }
  const found = async (client: typeof agent.client, query: string): Promise<string[]> => {
    const res = await client.get(`/api/v1/calls?${query}`);
    t.equal(res.status, 200, res.body.toString());
    return res.json<Page>().items.map((item) => item.callId).sort();
  };

  t.same(await found(supervisor.client, 'tag=valitus'), [own, other].sort(), 'every call tagged so');
  t.same(await found(supervisor.client, `tag=${encodeURIComponent('VALITUS')}`), [own, other].sort(), 'in any letter case');
  t.same(await found(supervisor.client, `tag=${encodeURIComponent('jäsenmaksu')}&caller=0407654321`), [other], 'with the other filters');
  t.same(await found(supervisor.client, 'tag=olematon'), [], 'a tag no call has');
  t.same(await found(agent.client, 'tag=valitus'), [own], 'an agent: only their own calls');

  // The search follows the tags as they change.
  t.equal((await supervisor.client.send('PUT', `/api/v1/calls/${own}/tags`, { body: { tags: ['kiitos'] } })).status, 200);
  t.same(await found(supervisor.client, 'tag=valitus'), [other]);
  t.same(await found(supervisor.client, 'tag=kiitos'), [own, thanked].sort());

  // Audited like every search; the tag's text stays off the trail (it is free text).
  const searches = (await fixture.appliance.audit.search({ action: 'calls.search' })).records.filter((entry) => entry.details?.tag !== undefined && entry.details.tag !== null);
  t.ok(searches.length >= 7, 'each tag search audited');
  t.ok(searches.every((entry) => entry.details?.tag === 'filtered'), 'the tag is recorded as a filter, not as text');
  t.notOk(JSON.stringify(searches).toLowerCase().includes('valitus'), 'no tag text on the trail');

  for (const bad of ['', '%3Cscript%3E', 'x'.repeat(40)]) t.equal(codeOf(await supervisor.client.get(`/api/v1/calls?tag=${bad}`)), 'VALIDATION_FAILED', `a bad tag: "${bad.slice(0, 12)}"`);
});
