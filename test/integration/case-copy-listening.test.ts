/**
 * P14 for the person recorded, through real HTTPS: the copy of their recordings (Art. 15(3)) on
 * re-authentication, as a tar of WAVs with the signed manifest, and the supervised listening on
 * site, which the audit trail records as heard with the data subject under the case.
 */
import t from 'tap';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers, reauthenticate } from './support/desk-users.js';
import { verifyBundleDirectory } from '../../src/disclosure/bundle-verify.js';

// A hang guard, not a speed target: the CLI runs, scrypt (age) and argon2 are CPU-bound, and a
// busy machine takes minutes over what an idle one does in seconds.
t.setTimeout(600_000);

t.test('when a caller asks for a copy, then the registrar gets their recordings as WAV with a signed manifest only after re-authenticating, and the copy is recorded in the case', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const callId = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const opened = await registrar.client.post('/api/v1/cases', { kind: 'access-request', requester: { name: 'Soittaja' }, subject: { caller: '040 123 4567' }, legalBasis: { text: 'GDPR Art. 15', reference: 'DS-7' } });
  const caseId = opened.json<{ case: { id: string } }>().case.id;
  const unconfirmed = await registrar.client.get(`/api/v1/cases/${caseId}/copy`);
  t.equal(unconfirmed.status, 403);
  t.equal(codeOf(unconfirmed), 'REAUTH_REQUIRED');
  await reauthenticate(fixture, registrar);
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${caseId}/copy`)), 'CASE_NO_RECORDINGS', 'calls are picked first');
  await registrar.client.send('PUT', `/api/v1/cases/${caseId}/calls`, { body: { callIds: [callId] } });
  const copy = await registrar.client.get(`/api/v1/cases/${caseId}/copy`);
  t.equal(copy.status, 200);
  t.equal(copy.headers['content-type'], 'application/x-tar');

  const work = await mkdtemp(join(tmpdir(), 'tallennin-copy-test-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  await writeFile(join(work, 'copy.tar'), copy.body);
  await tar.x({ cwd: work, file: join(work, 'copy.tar') });
  const dir = join(work, /filename="(.+)\.tar"/.exec(String(copy.headers['content-disposition']))![1]!);
  const verified = await verifyBundleDirectory(dir);
  t.same(verified.problems, []);
  t.equal(verified.calls, 1);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { calls: Array<{ callerNumber: string; agentName: string | null }> };
  t.match(manifest.calls[0], { callerNumber: '+358401234567', agentName: null }, 'the caller’s own number; the agent’s name is another person’s data');
  const wav = await readFile(join(dir, 'recordings', `${callId}.wav`));
  const played = await registrar.client.get(`/api/v1/cases/${caseId}/calls/${callId}/audio`);
  t.ok(wav.equals(played.body), 'the copy’s WAV is the recording as played');

  const view = await registrar.client.get(`/api/v1/cases/${caseId}`);
  const disclosures = view.json<{ case: { disclosures: Array<{ type: string; sha256: string }> } }>().case.disclosures;
  t.same(disclosures.map((item) => [item.type, item.sha256]), [['copy', createHash('sha256').update(copy.body).digest('hex')]], 'the case records the copy and its hash');
  const audited = await fixture.appliance.audit.search({ action: 'case.copy', targetId: caseId });
  t.same(audited.records.map((entry) => entry.outcome).sort(), ['denied', 'success']);

  const police = (await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'x', reference: 'y' } })).json<{ case: { id: string } }>().case.id;
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${police}/copy`)), 'CASE_KIND_MISMATCH', 'a police request gets a bundle, not a copy');
});

t.test('when the registrar plays a case’s call to the data subject on site, then each part is audited as heard with the data subject under the case', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar, supervisor } = await deskUsers(fixture, ['registrar', 'supervisor']);
  const callId = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const other = await fixture.call({ channel: 1, extension: '2002', caller: '0401234567' });
  const caseId = (await registrar.client.post('/api/v1/cases', { kind: 'access-request', requester: { name: 'Soittaja' }, subject: { caller: '0401234567' }, legalBasis: { text: 'GDPR Art. 15', reference: 'DS-8' } })).json<{ case: { id: string } }>().case.id;
  await registrar.client.send('PUT', `/api/v1/cases/${caseId}/calls`, { body: { callIds: [callId] } });

  const part = await registrar.client.get(`/api/v1/cases/${caseId}/calls/${callId}/audio`, { range: 'bytes=0-999' });
  t.equal(part.status, 206);
  t.equal(part.body.length, 1000);
  const recordingId = (await fixture.appliance.history.find(callId))!.recordingId!;
  const plays = await fixture.appliance.audit.search({ action: 'recording.play', targetId: recordingId });
  t.equal(plays.total, 1);
  t.match(plays.records[0], { actorId: registrar.id, details: { callId, caseId, heardWith: 'data-subject', bytes: '0-999/' + String(44 + 2 * 8 * 2000) } });

  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${caseId}/calls/${other}/audio`)), 'CALL_NOT_FOUND', 'only the case’s calls');
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${caseId}/calls/${randomUUID()}/audio`)), 'CALL_NOT_FOUND');
  t.equal((await supervisor.client.get(`/api/v1/cases/${caseId}/calls/${callId}/audio`)).status, 403, 'the desk is the registrar’s');
});
