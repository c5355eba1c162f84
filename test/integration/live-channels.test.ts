/**
 * The live view of the channels (GET /api/v1/live): which channels carry a call now, since when
 * and for how long, and which agent; no caller number, no call id, no audio. Supervisors,
 * quality experts and technical maintainers may read it; each read is an audit entry.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

interface Live {
  time: string;
  channelCount: number | null;
  channels: Array<{ channel: number; startedAt: string; durationSeconds: number; agentExtension: string; agentName: string | null; recording: boolean }>;
}

t.test('when calls are in progress, then a supervisor sees their channels, lengths and agents, never the caller', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  for (const [username, roles] of [['esihenkilo', ['supervisor']], ['laatu', ['quality-expert']], ['agentti', ['agent']]] as const) {
    t.equal((await admin.post('/api/v1/users', { username, displayName: username, roles, password: PASSWORD, ...(username === 'agentti' ? { extensions: ['2001'] } : {}) })).status, 201);
  }
  const supervisor = fixture.client();
  t.equal((await supervisor.login('esihenkilo', PASSWORD)).status, 201);

  const idle = await supervisor.get('/api/v1/live');
  t.equal(idle.status, 200);
  t.same(idle.json<Live>().channels, [], 'no call, no channel');

  // A call that ended earlier is not live; two calls go on now.
  await fixture.call({ channel: 0, extension: '2001', seconds: 1 });
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 9_000_000, tick: 450_000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 3, callRef: 501, tick: 450_000, caller: '0409998877', called: '0201234567', agentExtension: '2001', resumed: false });
  fixture.clock.advance(30_000);
  tracker.onCallStart({ bootId: 1, channel: 1, callRef: 502, tick: 451_500, caller: '0508887766', called: '0301234567', agentExtension: '2002', resumed: false });
  fixture.clock.advance(15_000);
  await tracker.drain();

  const res = await supervisor.get('/api/v1/live');
  t.equal(res.status, 200);
  const live = res.json<Live>();
  t.same(live.channels.map(({ channel, durationSeconds, agentExtension, agentName }) => ({ channel, durationSeconds, agentExtension, agentName })), [
    { channel: 1, durationSeconds: 15, agentExtension: '2002', agentName: 'Eero Esimerkki' },
    { channel: 3, durationSeconds: 45, agentExtension: '2001', agentName: 'Aino Asiakaspalvelija' },
  ], 'by channel, with the time since each call began and its agent');
  t.equal(live.time, new Date(fixture.clock.now()).toISOString());
  const body = res.body.toString();
  for (const secret of ['409998877', '508887766', 'callId', 'callerNumber']) t.notOk(body.includes(secret), `no ${secret} in the answer`);

  const entries = await fixture.appliance.audit.search({ action: 'calls.live', outcome: 'success' });
  t.same(entries.records.map((entry) => entry.details?.channels).sort(), [0, 2], 'each read is audited, with how many channels were shown');
  t.ok(entries.records.every((entry) => entry.actorId !== null && entry.target === undefined), 'by whom; no call named');

  const quality = fixture.client();
  await quality.login('laatu', PASSWORD);
  t.equal((await quality.get('/api/v1/live')).status, 200, 'a quality expert may');
  const agent = fixture.client();
  await agent.login('agentti', PASSWORD);
  const denied = await agent.get('/api/v1/live');
  t.equal(denied.status, 403, 'an agent may not');
  t.equal(denied.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
  t.equal((await fixture.appliance.audit.search({ action: 'calls.live', outcome: 'denied' })).records.length, 1, 'the refusal is audited');
  t.equal((await fixture.client().get('/api/v1/live')).status, 401, 'no session, no channels');
});
