/**
 * Alarms kept and handled: one alarm per cause with its count, first and last time, kept across
 * a restart, acknowledged by a maintainer with a note (on the audit trail), and closed when its
 * cause goes away. Through the real API of an appliance started in-process.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

interface AlarmAnswer {
  id: string;
  code: string;
  key: string;
  severity: string;
  count: number;
  firstAt: string;
  lastAt: string;
  state: string;
  clearedAt: string | null;
  acknowledged: { userId: string; note: string } | null;
}

t.test('when a cause is raised three times and the service restarts, then one alarm with its count is still open', async (t) => {
  const first = await startApiAppliance(t);
  const { secret } = await firstAdministrator(first);
  first.appliance.alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: 'c1' });
  first.clock.advance(60_000);
  first.appliance.alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: 'c2' });
  first.clock.advance(60_000);
  first.appliance.alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: 'c3' });
  first.appliance.alarms.raise('DEAD_CHANNEL', 'channel 3 carries only silence', { channel: 3 }, { key: '3' });
  await first.appliance.stop();

  const second = await startApiAppliance(t, { dataDir: first.dataDir, startMs: first.clock.now() + 60_000 });
  const admin = second.client();
  t.equal((await admin.login('yllapitaja', PASSWORD, second.totp(secret))).status, 201);
  const list = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[]; recent: AlarmAnswer[] }>();
  const failed = list.open.filter((alarm) => alarm.code === 'RECORDING_FAILED');
  t.equal(failed.length, 1, 'one alarm for the cause, not one per occurrence');
  t.equal(failed[0]!.count, 3, 'counted');
  t.equal(failed[0]!.severity, 'critical');
  t.equal(Date.parse(failed[0]!.lastAt) - Date.parse(failed[0]!.firstAt), 120_000, 'first and last time');
  t.ok(list.open.some((alarm) => alarm.code === 'DEAD_CHANNEL' && alarm.key === '3'), 'a keyed cause is its own alarm');
  t.equal(list.open[0]!.code, 'RECORDING_FAILED', 'the most severe first');
});

t.test('when a maintainer acknowledges an alarm with a note, then it is kept with the note and the act is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  fixture.appliance.alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: 'closed' });
  const [alarm] = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  const empty = await admin.post(`/api/v1/alarms/${alarm!.id}/acknowledgement`, { note: '   ' });
  t.equal(empty.status, 400, 'a note is needed');
  const acknowledged = await admin.post(`/api/v1/alarms/${alarm!.id}/acknowledgement`, { note: 'cable replaced, watching' });
  t.equal(acknowledged.status, 200);
  t.equal(acknowledged.json<{ alarm: AlarmAnswer }>().alarm.acknowledged?.note, 'cable replaced, watching');
  const entries = await fixture.appliance.audit.search({ action: 'alarm.acknowledge' });
  t.equal(entries.total, 1, 'audited');
  t.equal(entries.records[0]!.target?.id, `alarm/${alarm!.id}`);
  t.notMatch(JSON.stringify(entries.records[0]), /cable replaced/, 'the free-text note stays out of the trail');
  const missing = await admin.post('/api/v1/alarms/00000000-0000-4000-8000-000000000000/acknowledgement', { note: 'x' });
  t.equal(missing.status, 404);
  t.equal(missing.json<{ error: { code: string } }>().error.code, 'ALARM_NOT_FOUND');
  t.equal((await fixture.appliance.audit.search({ action: 'alarm.acknowledge', outcome: 'failed' })).total, 1, 'a failed attempt is audited too');
});

t.test('when the cause goes away, then the alarm is closed, and the cause coming back opens a new one', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  fixture.appliance.alarms.raise('CLOCK_OFFSET', 'the clock is off by 2.0 s', { offsetMs: 2000 });
  fixture.clock.advance(5000);
  fixture.appliance.alarms.clear('CLOCK_OFFSET');
  let list = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[]; recent: AlarmAnswer[] }>();
  t.equal(list.open.length, 0, 'nothing open');
  t.equal(list.recent[0]!.state, 'cleared');
  t.equal(list.recent[0]!.clearedAt, new Date(fixture.clock.now()).toISOString());
  const closedId = list.recent[0]!.id;
  const late = await admin.post(`/api/v1/alarms/${closedId}/acknowledgement`, { note: 'seen' });
  t.equal(late.status, 409, 'a closed alarm is not acknowledged');
  fixture.appliance.alarms.raise('CLOCK_OFFSET', 'the clock is off by 3.0 s', { offsetMs: 3000 });
  list = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[]; recent: AlarmAnswer[] }>();
  t.equal(list.open.length, 1);
  t.not(list.open[0]!.id, closedId, 'a new alarm');
  t.equal(list.open[0]!.count, 1);
});

t.test('when an account without the health permission asks for the alarms, then it is refused', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const created = await admin.post('/api/v1/users', { username: 'aino', displayName: 'Aino', password: PASSWORD, roles: ['agent'], extensions: ['2001'] });
  t.equal(created.status, 201);
  const agent = fixture.client();
  t.equal((await agent.login('aino', PASSWORD)).status, 201);
  t.equal((await agent.get('/api/v1/alarms')).status, 403);
});
