/**
 * The data subject's report (P14) through real HTTPS: people of several roles view and play calls
 * through the API as they would in the UI, and the report of the caller's access request lists
 * exactly the plays the audit trail holds for that caller's calls (and none of anyone else's),
 * with the role of whoever played, in the HTML and in the PDF, in Finnish and in English.
 */
import t from 'tap';
import { inflateSync } from 'node:zlib';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers } from './support/desk-users.js';
import { reportPosition, reportTime } from '../../src/disclosure/subject-report-text.js';

/** The cells of a table of the report's HTML, row by row (the report escapes; these texts need no unescaping). */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => cell[1] ?? ''));
}

/** Each text drawn in the PDF (one item per TJ operation), from its deflated content streams. */
function pdfTexts(pdf: Buffer): string[] {
  const texts: string[] = [];
  const source = pdf.toString('latin1');
  for (const match of source.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = source.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // not a deflated content stream (a font, an image)
    }
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      texts.push([...(op[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join(''));
    }
  }
  return texts;
}

t.test('when a caller asks what the register holds, then the report lists exactly the plays of their calls in the audit trail, with roles', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar, supervisor, agent, quality } = await deskUsers(fixture, ['registrar', 'supervisor', 'agent', 'quality']);
  const first = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 3 });
  const second = await fixture.call({ channel: 1, extension: '2002', caller: '+358 40 123 4567', seconds: 2 });
  const unrecorded = await fixture.call({ channel: 2, extension: '2002', caller: '0401234567', called: '0209999999' });
  const someoneElse = await fixture.call({ channel: 3, extension: '2001', caller: '0409999999', seconds: 2 });

  // People listen the way the player does: whole files and ranges, and look at details.
  fixture.clock.advance(60_000);
  t.equal((await supervisor.client.get(`/api/v1/calls/${first}/audio`, { range: 'bytes=0-16043' })).status, 206);
  fixture.clock.advance(1_000);
  t.equal((await supervisor.client.get(`/api/v1/calls/${first}/audio`, { range: 'bytes=16044-' })).status, 206);
  fixture.clock.advance(60_000);
  t.equal((await agent.client.get(`/api/v1/calls/${first}/audio`)).status, 200, 'the agent plays their own call');
  t.equal((await supervisor.client.get(`/api/v1/calls/${second}`)).status, 200);
  fixture.clock.advance(60_000);
  t.equal((await quality.client.get(`/api/v1/calls/${second}/audio`)).status, 200);
  t.equal((await quality.client.get(`/api/v1/calls/${someoneElse}/audio`)).status, 200, 'another caller’s call');
  t.equal((await agent.client.get(`/api/v1/calls/${second}/audio`)).status, 404, 'refused: not in the report');

  const opened = await registrar.client.post('/api/v1/cases', { kind: 'access-request', requester: { name: 'Soittaja' }, subject: { caller: '040 123 4567' }, legalBasis: { text: 'GDPR Art. 15', reference: 'DS-2026-9' } });
  const id = opened.json<{ case: { id: string } }>().case.id;
  t.equal((await registrar.client.send('PUT', `/api/v1/cases/${id}/calls`, { body: { callIds: [first, second, unrecorded] } })).status, 200);

  // The registrar plays the first call to the caller on site, under the case.
  fixture.clock.advance(60_000);
  t.equal((await registrar.client.get(`/api/v1/cases/${id}/calls/${first}/audio`)).status, 200);

  // What the trail holds: every successful play of the caller's two recordings.
  const recordingIds = new Map<string, number>();
  for (const [index, callId] of [first, second].entries()) recordingIds.set((await fixture.appliance.history.find(callId))!.recordingId!, index + 1);
  const roleOf = new Map([[supervisor.id, 'supervisor'], [agent.id, 'agent'], [quality.id, 'quality/training expert'], [registrar.id, 'registrar']]);
  const plays: string[][] = [];
  const playTimes: string[] = [];
  for (const [recordingId, number] of recordingIds) {
    for (const entry of (await fixture.appliance.audit.search({ targetId: recordingId, action: 'recording.play', outcome: 'success' })).records) {
      const details = entry.details as { fromMs: number; toMs: number; heardWith?: string };
      playTimes.push(entry.time);
      plays.push([reportTime(entry.time, 'en'), details.heardWith === 'data-subject' ? 'listened to with you on site' : 'listened to', String(number), roleOf.get(entry.actorId!)!, `${reportPosition(details.fromMs)}–${reportPosition(details.toMs)}`]);
    }
  }
  t.equal(plays.length, 5, 'the supervisor’s two ranges, the agent’s play, the quality expert’s and the one on site');

  const html = await registrar.client.get(`/api/v1/cases/${id}/report.html?lang=en`);
  t.equal(html.status, 200);
  t.match(html.headers['content-type'], /^text\/html/);
  const page = html.body.toString('utf8');
  const accesses = tableRows(page, 'accesses');
  t.same(accesses.filter((row) => row[1]?.startsWith('listened to')).sort(), plays.sort(), 'exactly the plays of the trail');
  t.equal(accesses.filter((row) => row[1] === 'listened to with you on site').length, 1, 'the on-site listening told as such');
  t.same(accesses.filter((row) => row[1] === 'call details viewed').map((row) => [row[2], row[3]]), [['2', 'supervisor']], 'and the view of the details');
  t.notMatch(page, /0409999999|358409999999/, 'nothing of the other caller');
  t.notMatch(page, /Aino|Eero|rekisterinpitaja|esihenkilo|agentti/, 'roles, not names');
  t.same(tableRows(page, 'calls').map((row) => [row[0], row[3], row[4]]), [['1', '+358201234567', 'yes'], ['2', '+358201234567', 'yes'], ['3', '+358209999999', 'no']]);
  t.ok(tableRows(page, 'roles').some((row) => row[0] === 'agent' && row[1] === 'only the calls they answered'));

  const fi = (await registrar.client.get(`/api/v1/cases/${id}/report.html?lang=fi`)).body.toString('utf8');
  t.match(fi, /<html lang="fi">/);
  t.equal(tableRows(fi, 'accesses').filter((row) => row[1]?.startsWith('kuunneltu')).length, plays.length, 'Finnish: the same plays');

  const pdf = await registrar.client.get(`/api/v1/cases/${id}/report.pdf?lang=fi`);
  t.equal(pdf.status, 200);
  t.equal(pdf.headers['content-disposition'], `attachment; filename="report-${id}-fi.pdf"`);
  t.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  const texts = pdfTexts(pdf.body);
  t.equal(texts.filter((text) => text === 'kuunneltu' || text.startsWith('kuunneltu kanssasi')).length, plays.length, 'the PDF lists the same plays');
  for (const time of playTimes) t.ok(texts.includes(reportTime(time, 'fi')), `the PDF has the play at ${time}`);
  t.ok(texts.includes('esihenkilö') && texts.includes('asiakaspalvelija'), 'roles in Finnish');

  const trail = await fixture.appliance.audit.search({ targetId: id, action: 'case.report' });
  t.same(trail.records.map((entry) => entry.details?.format).sort(), ['html', 'html', 'pdf'], 'every report audited');

  const research = await registrar.client.post('/api/v1/cases', { kind: 'research', requester: { name: 'Laitos' }, legalBasis: { text: 'Lupa', reference: 'T-1' } });
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${research.json<{ case: { id: string } }>().case.id}/report.html`)), 'REPORT_NOT_DATA_SUBJECT_CASE');
  t.equal((await supervisor.client.get(`/api/v1/cases/${id}/report.html`)).status, 403, 'only the registrar');
  t.equal(codeOf(await registrar.client.get(`/api/v1/cases/${id}/report.html?lang=sv`)), 'VALIDATION_FAILED');
});
