/**
 * A call still in progress is the newest row of the list and the first one clicked: its details
 * are shown, and its recording (still being written, not yet sealed) is answered as "in
 * progress" (409 RECORDING_IN_PROGRESS), never as a server error. Once the call ends it plays.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

t.test('when a supervisor opens a call still in progress, then its details come and its recording is answered as in progress until the call ends', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const supervisor = fixture.client();
  t.equal((await supervisor.login('esihenkilo', PASSWORD)).status, 201);

  // A call on a recorded number, begun and carrying audio, not ended.
  const tracker = fixture.appliance.capture.inlineTracker;
  const channel = 3;
  const callRef = 900;
  const tick = 500_000;
  tracker.onHeartbeat({ uptimeMs: tick * 20, tick, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel, callRef, tick, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false });
  for (let i = 0; i < 50; i++) {
    tracker.onAudio({ tick: tick + i, channels: [{ channel, samples: Buffer.alloc(160, (i * 5) & 0xff) }] });
    fixture.clock.advance(20);
  }
  await tracker.drain();
  const [record] = await fixture.appliance.history.search({ predicate: (r) => r.channel === channel && r.recordingState === 'recording' });
  t.ok(record, 'the call is being recorded');
  const callId = record!.callId;

  const list = await supervisor.get('/api/v1/calls');
  t.equal(list.status, 200);
  t.equal(list.json<{ items: Array<{ callId: string; recordingState: string }> }>().items[0]?.callId, callId, 'the newest row is the call in progress');
  const view = await supervisor.get(`/api/v1/calls/${callId}`);
  t.equal(view.status, 200, 'its details are shown');
  t.equal(view.json<{ call: { recordingState: string; endedAt: string | null } }>().call.recordingState, 'recording');

  for (const path of ['/recording', '/audio']) {
    const answer = await supervisor.get(`/api/v1/calls/${callId}${path}`);
    t.equal(answer.status, 409, `${path}: a normal state, not a server error`);
    t.equal(answer.json<{ error: { code: string } }>().error.code, 'RECORDING_IN_PROGRESS', `${path}: said as in progress`);
  }

  tracker.onCallEnd({ bootId: 1, channel, callRef, tick: tick + 50, cause: 'normal' });
  await tracker.drain();
  const ended = await supervisor.get(`/api/v1/calls/${callId}/recording`);
  t.equal(ended.status, 200, 'once the call has ended its recording plays');
  t.equal(ended.json<{ recording: { seal: string } }>().recording.seal, 'verified');
});
