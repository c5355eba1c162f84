/**
 * The research disclosure (P9) through real HTTPS: a research case's steps in their order (return
 * date, content check, re-authentication), the package as the institute receives it (extracted
 * with tar, checked with sha256sum -c, each WAV as long as its recording), the coefficients kept in
 * the case, the overdue alarm, and the case that closes only with the confirmation of destruction.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers, reauthenticate } from './support/desk-users.js';


interface ResearchAnswer {
  research: {
    returnDue: string | null;
    contentCheck: { by: string } | null;
    voices: Array<{ recordingId: string; alpha: number }>;
    packages: Array<{ sha256: string; bytes: number; calls: number; audioFiles: number }>;
    destruction: { reference: string } | null;
  };
  overdue: boolean;
}

t.test('when a research case is disclosed, then the package is anonymised and verifiable, and the case closes only with the confirmation of destruction', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar, supervisor } = await deskUsers(fixture, ['registrar', 'supervisor']);
  const recorded = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 3 });
  const unrecorded = await fixture.call({ channel: 1, extension: '2002', caller: '0401234567', called: '0209999999' });
  const second = await fixture.call({ channel: 2, extension: '2001', caller: '0409999999', seconds: 2 });

  const opened = await registrar.client.post('/api/v1/cases', { kind: 'research', requester: { name: 'Tutkimuslaitos', contact: 'tutkija@example.org' }, legalBasis: { text: 'Tutkimuslupa, tietosuojalaki 4 §', reference: 'TUTK-2026-7' } });
  t.equal(opened.status, 201, opened.body.toString());
  const id = opened.json<{ case: { id: string } }>().case.id;
  const base = `/api/v1/cases/${id}/research`;
  t.equal((await registrar.client.send('PUT', `/api/v1/cases/${id}/calls`, { body: { callIds: [recorded, unrecorded, second] } })).status, 200);

  // The steps in their order, each refusal with its code.
  await reauthenticate(fixture, registrar);
  t.equal(codeOf(await registrar.client.post(`${base}/package`)), 'RESEARCH_RETURN_DUE_MISSING');
  t.equal(codeOf(await registrar.client.send('PUT', `${base}/return-due`, { body: { returnDue: '2026-11-01' } })), 'RESEARCH_INVALID', 'a date already past');
  t.equal(codeOf(await registrar.client.send('PUT', `${base}/return-due`, { body: { returnDue: '30.6.2027' } })), 'VALIDATION_FAILED');
  t.equal((await registrar.client.send('PUT', `${base}/return-due`, { body: { returnDue: '2027-06-30' } })).status, 200);
  t.equal(codeOf(await registrar.client.post(`${base}/package`)), 'RESEARCH_CONTENT_UNCHECKED');
  const checked = await registrar.client.post(`${base}/content-check`, { note: 'Kuunneltu: ei nimiä eikä numeroita.' });
  t.equal(checked.status, 200);
  t.equal(checked.json<ResearchAnswer>().research.contentCheck?.by, registrar.id);
  fixture.clock.advance(10 * 60_000);
  t.equal(codeOf(await registrar.client.post(`${base}/package`)), 'REAUTH_REQUIRED', 'the package needs a fresh re-authentication');
  t.equal(codeOf(await registrar.client.post(`/api/v1/cases/${id}/research/destruction`, { confirmedOn: '2026-11-28', confirmedBy: 'Tutkija', reference: 'X' })), 'RESEARCH_NOTHING_DISCLOSED');
  t.equal((await supervisor.client.post(`${base}/package`)).status, 403, 'only the registrar');

  await reauthenticate(fixture, registrar);
  const made = await registrar.client.post(`${base}/package`);
  t.equal(made.status, 200, made.body.toString().slice(0, 300));
  t.equal(made.headers['content-type'], 'application/x-tar');
  t.equal(made.headers['content-disposition'], 'attachment; filename="research-TUTK-2026-7.tar"');
  const sha256 = createHash('sha256').update(made.body).digest('hex');
  t.equal(made.headers['x-package-sha256'], sha256, 'the hash told is the hash of what arrived');
  t.same(await readdir(join(fixture.dataDir, 'disclosures', '.research')), [], 'nothing left behind on the box');

  const dir = await mkdtemp(join(tmpdir(), 'tallennin-research-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'package.tar'), made.body);
  execFileSync('tar', ['-xf', 'package.tar'], { cwd: dir });
  execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
  t.same((await readdir(join(dir, 'audio'))).sort(), ['call-001.wav', 'call-003.wav'], 'the two recorded calls, the unrecorded one as a record only');
  for (const [file, callId] of [['call-001.wav', recorded], ['call-003.wav', second]] as const) {
    const original = await registrar.client.get(`/api/v1/calls/${callId}/recording`);
    const durationMs = original.json<{ recording: { durationMs: number } }>().recording.durationMs;
    const wav = await readFile(join(dir, 'audio', file));
    t.equal(((wav.length - 44) / 2 / 8000) * 1000, durationMs, `${file}: the duration of its recording`);
  }
  const csv = await readFile(join(dir, 'contact-records.csv'), 'utf8');
  t.equal(csv.trim().split('\n').length, 4);
  const everything = csv + (await readFile(join(dir, 'README.txt'), 'utf8'));
  for (const secret of ['358401234567', '0401234567', '358409999999', 'Aino', 'Eero', recorded, second, unrecorded]) t.notOk(everything.includes(secret), 'no number, name or id of the box');

  const view = (await registrar.client.get(base)).json<ResearchAnswer>();
  t.equal(view.research.voices.length, 2, 'a coefficient per recording, kept in the case');
  t.ok(view.research.voices.every((voice) => voice.alpha >= 0.7 && voice.alpha <= 0.9));
  for (const voice of view.research.voices) t.notOk(everything.includes(String(voice.alpha)), 'and never in the package');
  t.match(view.research.packages, [{ sha256, bytes: made.body.length, calls: 3, audioFiles: 2 }]);
  const trail = await fixture.appliance.audit.search({ targetId: id, action: 'case.research-package' });
  t.match(trail.records.find((entry) => entry.outcome === 'success')?.details, { sha256, calls: 3, audioFiles: 2 }, 'the package’s hash in the audit trail');

  // A second package keeps the voices: the same coefficients.
  await reauthenticate(fixture, registrar);
  t.equal((await registrar.client.post(`${base}/package`)).status, 200);
  t.same((await registrar.client.get(base)).json<ResearchAnswer>().research.voices, view.research.voices);

  // Not closable without the institute's confirmation.
  const refused = await registrar.client.post(`/api/v1/cases/${id}/close`, { note: 'Valmis.' });
  t.equal(refused.status, 409);
  t.match(refused.json<{ error: { code: string; reason: string } }>().error, { code: 'CASE_NOT_CLOSABLE', reason: 'RESEARCH_DESTRUCTION_UNCONFIRMED' });
  // The refusal is on the trail like the desk's other refusals: who, which case, why.
  const refusals = (await fixture.appliance.audit.search({ targetId: id, action: 'case.close' })).records;
  t.match(refusals, [{ action: 'case.close', outcome: 'denied', actorId: registrar.id, target: { type: 'case', id }, details: { reason: 'CASE_NOT_CLOSABLE', check: 'RESEARCH_DESTRUCTION_UNCONFIRMED' } }], 'the refused close is audited');

  // The return date passes: one alarm, and the case shows it overdue.
  t.equal(await fixture.appliance.research.remindOverdue(), 0, 'not due yet');
  fixture.clock.advance(Date.parse('2027-07-01T00:00:00Z') - fixture.clock.now());
  t.equal(await fixture.appliance.research.remindOverdue(), 1);
  t.equal(await fixture.appliance.research.remindOverdue(), 0, 'reminded once');
  t.match(fixture.appliance.alarms.list().filter((alarm) => alarm.code === 'RESEARCH_RETURN_OVERDUE'), [{ fields: { caseId: id, returnDue: '2027-06-30' } }]);
  // Months later the registrar signs in again.
  const signedIn = await registrar.client.login('rekisterinpitaja', PASSWORD, fixture.totp(registrar.secret!));
  t.equal(signedIn.status, 201);
  t.equal((await registrar.client.get(base)).json<ResearchAnswer>().overdue, true);

  t.equal(codeOf(await registrar.client.post(`${base}/destruction`, { confirmedOn: '2027-08-01', confirmedBy: 'Tutkija', reference: 'X' })), 'RESEARCH_INVALID', 'not dated in the future');
  const confirmed = await registrar.client.post(`${base}/destruction`, { confirmedOn: '2027-06-30', confirmedBy: 'Tutkimuslaitoksen tietosuojavastaava', reference: 'TL-2027-123' });
  t.equal(confirmed.status, 200);
  t.equal(confirmed.json<ResearchAnswer>().overdue, false);
  const closed = await registrar.client.post(`/api/v1/cases/${id}/close`, { note: 'Aineisto hävitetty.' });
  t.equal(closed.status, 200);
  const actions = (await fixture.appliance.audit.search({ targetId: id })).records.map((entry) => `${entry.action} ${entry.outcome}`);
  for (const expected of ['case.research-due success', 'case.research-content-check success', 'case.research-package denied', 'case.research-package success', 'case.research-destruction success', 'case.close success']) {
    t.ok(actions.includes(expected), `audited: ${expected}`);
  }
  t.equal(codeOf(await registrar.client.post(`${base}/content-check`, { note: 'x' })), 'CASE_CLOSED');
  // Closing it again is refused, and audited too.
  t.equal(codeOf(await registrar.client.post(`/api/v1/cases/${id}/close`, { note: 'Uudestaan.' })), 'CASE_CLOSED');
  const closes = (await fixture.appliance.audit.search({ targetId: id, action: 'case.close' })).records.map((entry) => `${entry.outcome} ${String(entry.details?.reason ?? '')}`);
  t.same(closes.sort(), ['denied CASE_CLOSED', 'denied CASE_NOT_CLOSABLE', 'success '], 'every close of the case audited, refusals with their reason');
});

t.test('when the research steps are asked of another kind of case, then they are refused with a code', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const access = await registrar.client.post('/api/v1/cases', { kind: 'access-request', requester: { name: 'Soittaja' }, subject: { caller: '0401234567' }, legalBasis: { text: 'GDPR Art. 15', reference: 'DS-1' } });
  const id = access.json<{ case: { id: string } }>().case.id;
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${id}/research`)), 'RESEARCH_NOT_RESEARCH_CASE');
  t.equal(codeOf(await registrar.client.get('/api/v1/cases/00000000-0000-4000-8000-000000000000/research')), 'CASE_NOT_FOUND');
  const research = await registrar.client.post('/api/v1/cases', { kind: 'research', requester: { name: 'Laitos' }, legalBasis: { text: 'Lupa', reference: 'T-2' } });
  const researchId = research.json<{ case: { id: string } }>().case.id;
  t.equal((await registrar.client.send('PUT', `/api/v1/cases/${researchId}/research/return-due`, { body: { returnDue: '2027-01-31' } })).status, 200);
  t.equal((await registrar.client.post(`/api/v1/cases/${researchId}/research/content-check`, { note: 'ok' })).status, 200);
  await reauthenticate(fixture, registrar);
  t.equal(codeOf(await registrar.client.post(`/api/v1/cases/${researchId}/research/package`)), 'RESEARCH_NO_CALLS');
  t.equal((await registrar.client.post(`/api/v1/cases/${researchId}/close`, { note: 'Hylätty.' })).status, 200, 'nothing left: a refused request closes without a confirmation');
});
