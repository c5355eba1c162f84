/**
 * The register description through real HTTPS: only the registrar and the two administrator
 * roles read it (an agent and a supervisor get 403); the JSON is the documented one (the test
 * client checks every answer against the OpenAPI document) and holds the live checks of this
 * box; each print, HTML or PDF, is an audit entry. A permission table that breaks the register's
 * promises raises POLICY_SELF_CHECK_FAILED at start.
 */
import t from 'tap';
import { inflateSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers } from './support/desk-users.js';
import type { RegisterDocument } from '../../src/register/register-text.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { parseConfig } from '../../src/config/load-config.js';
import { PasswordHasher } from '../../src/access/password-hasher.js';

const REGISTER = { name: 'Testikassan puhelutallennerekisteri', controller: { name: 'Testikassa', address: 'Testikatu 3, 00530 Helsinki' } };

/** Each text drawn in the PDF, from its deflated content streams. */
function pdfTexts(pdf: Buffer): string {
  const texts: string[] = [];
  const source = pdf.toString('latin1');
  for (const match of source.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, source.indexOf('endstream', start))).toString('latin1');
    } catch {
      continue;
    }
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) texts.push([...(op[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join(''));
  }
  return texts.join(' ');
}

const line = (doc: RegisterDocument, id: string) => doc.sections.flatMap((section) => section.promises).find((promise) => promise.promise === id)!;

t.test('when people of each role ask for the register, then only the registrar and the administrators get it, measured live, and every print is audited', async (t) => {
  const fixture = await startApiAppliance(t, { config: { register: REGISTER } });
  const users = await deskUsers(fixture, ['agent', 'supervisor', 'phoneadmin', 'registrar']);
  await fixture.call({ channel: 0, extension: '2001' });

  for (const role of ['agent', 'supervisor'] as const) {
    const refused = await users[role].client.get('/api/v1/register');
    t.equal(refused.status, 403, role);
    t.equal(codeOf(refused), 'FORBIDDEN');
    t.equal((await users[role].client.get('/api/v1/register/print.pdf')).status, 403, `${role} print`);
  }
  for (const role of ['maintainer', 'phoneadmin', 'registrar'] as const) t.equal((await users[role].client.get('/api/v1/register?lang=en')).status, 200, role);

  const fi = (await users.registrar.client.get('/api/v1/register')).json<RegisterDocument>();
  t.equal(fi.language, 'fi');
  t.same(fi.identity, [{ label: 'Rekisteri', value: REGISTER.name }, { label: 'Rekisterinpitäjä', value: 'Testikassa, Testikatu 3, 00530 Helsinki' }]);
  t.same(fi.sections.flatMap((section) => section.promises.map((promise) => promise.promise)), ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13', 'P14']);
  t.same(fi.summary, { promises: 14, passed: 11, failed: 1, notCheckable: 2, text: '14 lupausta: 11 täyttyy, 1 ei täyty, 2 ei tarkistettavissa' });
  t.match(line(fi, 'P5'), { status: 'fail', statusText: 'EI TÄYTY', measured: 'Palvelinhuoneelle ei ole asetettu kulunvalvonnan lähdettä: huoneen kulunvalvonta ei näy järjestelmään.' }, 'no door source set for the server room');
  t.match(line(fi, 'P6'), { status: 'pass', measured: 'jokainen tili henkilökohtainen, yhteisiä ei ole; käytössä 5 tiliä, joista 3 toisella tunnistustekijällä' });
  t.match(line(fi, 'P7'), { status: 'pass', measured: 'vanhin yhteystieto 0 päivää', limit: '92 päivää' });
  t.match(line(fi, 'P11').measured, /^käyttöoikeustaulun tarkistus onnistui käynnistyksessä 28\.11\.2026 klo 10\.00\.00; esihenkilöitä 1, laatu- ja koulutusasiantuntijoita 0$/);
  t.match(line(fi, 'P13').measured, /teknisiä ylläpitäjiä 1, pääkäyttäjiä 1$/);
  t.equal(fi.record.rows.find((row) => row.label === 'Siirrot EU:n tai ETA:n ulkopuolelle')?.value, 'Ei siirtoja: tiedot ovat vain tässä laitteessa.');
  t.match(fi.checks.find((check) => check.promise === 'P6'), { status: 'pass', finding: 'personal-accounts', measured: { accounts: 5, withSecondFactor: 3, pendingEnrolment: 0, sharedNames: 0 }, limit: 0 }, 'the measured values for machines too');
  t.equal((await users.registrar.client.get('/api/v1/register?lang=sv')).status, 400);
  t.equal((await fixture.appliance.audit.search({ action: 'register.' })).total, 0, 'reading the view is not a print');

  const html = await users.registrar.client.get('/api/v1/register/print.html?lang=en');
  t.equal(html.status, 200);
  t.match(html.headers['content-security-policy'], /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
  const page = html.body.toString();
  t.equal([...page.matchAll(/<div class="promise (pass|fail|not-checkable)" id="promise-P\d+">/g)].length, 14);
  t.match(page, /<div class="promise fail" id="promise-P5">/);
  t.notMatch(page, /<script/);
  const pdf = await users.maintainer.client.get('/api/v1/register/print.pdf?lang=fi');
  t.equal(pdf.status, 200);
  t.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  t.match(pdf.headers['content-disposition'], 'attachment; filename="register-fi.pdf"');
  const drawn = pdfTexts(pdf.body);
  for (let i = 1; i <= 14; i++) t.match(drawn, `P${i}. `, `P${i} in the PDF`);
  t.match(drawn, 'Testikassa');

  const prints = (await fixture.appliance.audit.search({ action: 'register.print' })).records;
  t.same(prints.map((entry) => [entry.actorId, entry.details?.format, entry.details?.language, entry.details?.failed]), [[users.maintainer.id, 'pdf', 'fi', 1], [users.registrar.id, 'html', 'en', 1]]);
});

t.test('when the permission table breaks the register’s access promises, then the start raises POLICY_SELF_CHECK_FAILED naming the promise', async (t) => {
  const policy = await import('../../src/access/policy.js');
  const { startAppliance } = await t.mockImport<typeof import('../../src/main.js')>('../../src/main.js', {
    '../../src/access/policy-self-check.js': await t.mockImport('../../src/access/policy-self-check.js', {
      '../../src/access/policy.js': { ...policy, ROLE_PERMISSIONS: { ...policy.ROLE_PERMISSIONS, agent: ['calls:read-own', 'recordings:play-own', 'recordings:play-all'] } },
    }),
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-register-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 8, 0, 0));
  const appliance = await startAppliance(parseConfig({ mode: 'demo', dataDir, bridge: { path: join(dataDir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 } }), {
    capture: 'inline',
    clock,
    logger: silentLogger,
    hasher: new PasswordHasher({ params: { memoryCost: 19456, timeCost: 2, parallelism: 1 } }),
    healthCheckIntervalMs: null,
    monotonicClock: new ManualClock(0),
  });
  t.teardown(() => appliance.stop());
  const alarm = appliance.alarms.list().find((open) => open.code === 'POLICY_SELF_CHECK_FAILED');
  t.ok(alarm, 'the alarm is open');
  t.match(alarm, { code: 'POLICY_SELF_CHECK_FAILED', fields: { problems: 1, promises: 'P12' } });
});
