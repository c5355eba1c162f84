/**
 * Legal hold (acceptance): a recording held by an open case survives the daily purge on the day
 * it would have gone, and goes at the first run after the hold ends; the purge's report and its
 * audit entry name it both times. The hold is placed through the API, the purge is the service's
 * own scheduled run (the same function the daily timer calls), on the appliance's clock.
 */
import t from 'tap';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { PASSWORD, startApiAppliance } from './support/api-appliance.js';
import { deskUsers } from './support/desk-users.js';

t.test('when a case holds a recording past retention, then the purge keeps it and says so, and purges it at its first run after the hold ends', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  await fixture.appliance.retention.idle();
  const heldCall = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const freeCall = await fixture.call({ channel: 1, extension: '2002', caller: '0409999999' });
  const heldRecording = (await fixture.appliance.history.find(heldCall))!.recordingId!;
  const freeRecording = (await fixture.appliance.history.find(freeCall))!.recordingId!;

  const opened = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Poliisilaki 4:3', reference: 'R-2026-9' } });
  const caseId = opened.json<{ case: { id: string } }>().case.id;
  t.equal((await registrar.client.send('PUT', `/api/v1/cases/${caseId}/calls`, { body: { callIds: [heldCall] } })).status, 200);
  const holdEnds = Date.UTC(2027, 2, 10, 0, 0, 0);
  const hold = await registrar.client.send('PUT', `/api/v1/cases/${caseId}/hold`, { body: { reason: 'Esitutkinta kesken', until: new Date(holdEnds).toISOString() } });
  t.equal(hold.status, 200);
  const placed = await fixture.appliance.audit.search({ action: 'case.hold', targetId: caseId });
  t.match(placed.records[0], { outcome: 'success', actorId: registrar.id, details: { until: new Date(holdEnds).toISOString(), callIds: heldCall } }, 'placing the hold is audited');

  // The calls started 2026-11-28 08:00 UTC: with 3 months' retention, the run of 1 March takes them.
  fixture.clock.set(Date.UTC(2027, 2, 1, 1, 30, 0));
  const dayItWouldGo = await fixture.appliance.retention.runNow();
  t.ok(dayItWouldGo !== undefined, 'the purge ran');
  t.same(dayItWouldGo!.recordingIds, [freeRecording], 'the free recording went');
  t.same(dayItWouldGo!.held.map((held) => [held.caseId, held.callId, held.recordingId]), [[caseId, heldCall, heldRecording]], 'the report names the held one and its case');
  await access(join(fixture.dataDir, 'keys', `${heldRecording}.key`));
  t.ok(await fixture.appliance.history.find(heldCall), 'its contact record stays too');
  t.equal(await fixture.appliance.history.find(freeCall), undefined);

  // The day after the hold ended: the first run purges it.
  fixture.clock.set(holdEnds + 3600_000);
  const afterHold = await fixture.appliance.retention.runNow();
  t.same(afterHold!.recordingIds, [heldRecording], 'purged at the first run after the hold');
  t.same(afterHold!.held, []);
  await t.rejects(access(join(fixture.dataDir, 'keys', `${heldRecording}.key`)), 'its key is gone');
  t.equal(await fixture.appliance.history.find(heldCall), undefined);

  const runs = (await fixture.appliance.audit.search({ action: 'retention.purge' })).records.sort((a, b) => a.seq - b.seq).slice(-2);
  t.match(runs[0], { details: { recordingIds: freeRecording, heldRecordingIds: heldRecording, heldCallIds: heldCall, heldCases: caseId } }, 'the trail names the kept recording and its case');
  t.match(runs[1], { details: { recordingIds: heldRecording, heldRecordingIds: '' } }, 'and then its purge');

  // The case itself is kept 5 years after closing, then purged with everything else.
  const again = fixture.client();
  t.equal((await again.login('rekisterinpitaja', PASSWORD, fixture.totp(registrar.secret!))).status, 201);
  t.equal((await again.post(`/api/v1/cases/${caseId}/close`, { note: 'Luovutettu.' })).status, 200);
  fixture.clock.set(Date.UTC(2032, 2, 9, 0, 0, 0));
  t.same((await fixture.appliance.retention.runNow())!.cases, [], 'within 5 years the case stays');
  fixture.clock.set(Date.UTC(2032, 2, 11, 0, 0, 0));
  t.same((await fixture.appliance.retention.runNow())!.cases, [caseId], 'past them it goes');
  await t.rejects(access(join(fixture.dataDir, 'documents', 'cases', `${caseId}.tdoc`)), 'its document is gone');
});
