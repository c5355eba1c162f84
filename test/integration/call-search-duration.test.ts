/**
 * The calls search by duration (minDuration, maxDuration in seconds): answered by the service's
 * index over every call, not by the page the browser holds; a call still going on has no
 * duration yet and is left out of a duration search; a bad bound is a clear 400.
 */
import t from 'tap';
import { firstAdministrator, startApiAppliance } from './support/api-appliance.js';

interface Page {
  total: number;
  items: Array<{ callId: string }>;
}

t.test('when calls are searched by duration, then only the calls of that length are found, over all pages', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const short = await fixture.call({ channel: 0, extension: '2001', seconds: 2 });
  const middle = await fixture.call({ channel: 1, extension: '2002', seconds: 5 });
  const long = await fixture.call({ channel: 2, extension: '2001', seconds: 9 });

  const ids = async (query: string): Promise<string[]> => {
    const res = await admin.get(`/api/v1/calls?${query}`);
    t.equal(res.status, 200, query);
    return res.json<Page>().items.map((item) => item.callId).sort();
  };
  t.same(await ids('minDuration=4'), [middle, long].sort(), 'at least 4 s');
  t.same(await ids('maxDuration=5'), [short, middle].sort(), 'at most 5 s');
  t.same(await ids('minDuration=3&maxDuration=6'), [middle], 'between');
  // One call a page: the total counts every match, not just the page shown.
  const paged = (await admin.get('/api/v1/calls?minDuration=3&pageSize=1')).json<Page>();
  t.equal(paged.total, 2, 'counted over every page');

  for (const query of ['minDuration=-1', 'maxDuration=abc', 'minDuration=7&maxDuration=3']) {
    const res = await admin.get(`/api/v1/calls?${query}`);
    t.equal(res.status, 400, query);
    t.equal(res.json<{ error: { code: string } }>().error.code, 'VALIDATION_FAILED', query);
  }
});

t.test('when a call is still going on, then a duration search leaves it out', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  await fixture.call({ channel: 0, extension: '2001', seconds: 3 });
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 9_000_000, tick: 450_000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 5, callRef: 777, tick: 450_000, caller: '0401234567', called: '0201234567', agentExtension: '2002', resumed: false });
  fixture.clock.advance(60_000);
  await tracker.drain();
  t.equal((await admin.get('/api/v1/calls')).json<Page>().total, 2, 'both calls without a filter');
  t.equal((await admin.get('/api/v1/calls?minDuration=1')).json<Page>().total, 1, 'the ongoing call has no duration yet');
});
