/**
 * The register description's texts from a known configuration, field by field, in Finnish and
 * English: the controller, the recorded numbers, the retention, the role counts; a failing check
 * reads as failing in words, not by colour; the record of processing names recipients and the
 * security measures as configured.
 */
import t from 'tap';
import { registerDocument, registerText, type RegisterDocument } from '../../../src/register/register-text.js';
import { knownFacts } from './register-fixture.js';

const promise = (doc: RegisterDocument, id: string) => doc.sections.flatMap((section) => section.promises).find((line) => line.promise === id)!;
const row = (doc: RegisterDocument, label: string) => doc.record.rows.find((entry) => entry.label === label)?.value ?? '';

void t.test('when the box is in order, then the Finnish description is filled from its configuration', async (t) => {
  const doc = registerDocument(knownFacts(), 'fi');
  t.equal(doc.title, 'Rekisteriseloste ja seloste käsittelytoimista');
  t.same(doc.identity, [
    { label: 'Rekisteri', value: 'Testikassan kontaktihistorian ja puhelutallenteiden rekisteri' },
    { label: 'Rekisterinpitäjä', value: 'Testikassa, Testikatu 3, 00530 Helsinki' },
  ]);
  t.equal(doc.generated, 'Tulostettu: 28.11.2026 klo 12.00.00');
  t.same(doc.summary, { promises: 14, passed: 12, failed: 0, notCheckable: 2, text: '14 lupausta: 12 täyttyy, 0 ei täyty, 2 ei tarkistettavissa' });
  t.same(doc.sections.map((section) => section.promises.map((line) => line.promise)), [['P1', 'P2'], [], ['P3', 'P4'], ['P5', 'P6', 'P7'], ['P8', 'P9', 'P10'], ['P11', 'P12', 'P13'], ['P14']]);
  t.match(promise(doc, 'P4').text, /^Palvelunumeroihin \(020 123 4567, 020 765 4321\) soitetut puhelut tallennetaan\./);
  t.equal(promise(doc, 'P7').text, 'Kontaktihistorian tunnistetietoja säilytetään enintään 3 kuukautta.');
  t.same(promise(doc, 'P7'), { promise: 'P7', text: promise(doc, 'P7').text, status: 'pass', statusText: 'täyttyy', measured: 'vanhin yhteystieto 89 päivää', limit: '92 päivää' });
  t.equal(promise(doc, 'P5').measured, 'palvelinhuoneen kulunvalvonnan lähteitä 1; Ovi-ohjain kuultu viimeksi 2 min sitten');
  t.equal(promise(doc, 'P5').limit, 'enintään 30 min');
  t.equal(promise(doc, 'P6').measured, 'jokainen tili henkilökohtainen, yhteisiä ei ole; käytössä 11 tiliä, joista 7 toisella tunnistustekijällä');
  t.equal(promise(doc, 'P11').measured, 'käyttöoikeustaulun tarkistus onnistui käynnistyksessä 28.11.2026 klo 08.00.00; esihenkilöitä 2, laatu- ja koulutusasiantuntijoita 1');
  t.equal(promise(doc, 'P12').measured, 'käyttöoikeustaulun tarkistus onnistui käynnistyksessä 28.11.2026 klo 08.00.00; asiakaspalvelijoita 5');
  t.equal(promise(doc, 'P13').measured, 'käyttöoikeustaulun tarkistus onnistui käynnistyksessä 28.11.2026 klo 08.00.00; teknisiä ylläpitäjiä 2, pääkäyttäjiä 1');
  t.equal(promise(doc, 'P14').measured, 'tarkastuspyyntöjä vastattu 6, avoinna 1, määräajan ylittäneitä 0');
  t.equal(promise(doc, 'P1').statusText, 'ei tarkistettavissa');
  t.match(doc.sections[1]!.paragraphs[0], /^Rekisterinpitäjällä \(Testikassa\) on puhelinlinjoja/);
  t.equal(row(doc, 'Rekisterinpitäjä'), 'Testikassa, Testikatu 3, 00530 Helsinki');
  t.equal(row(doc, 'Siirrot EU:n tai ETA:n ulkopuolelle'), 'Ei siirtoja: tiedot ovat vain tässä laitteessa.');
  t.match(row(doc, 'Vastaanottajat'), /Tutkimuslaitos.*poliisi/);
  t.match(row(doc, 'Säilytysajat'), /Kontaktihistoria ja tallenteet 3 kuukautta.*käyttöloki 730 päivää.*5 vuotta.*12 kuukautta/);
  t.match(row(doc, 'Turvatoimet'), /asennettu varmenne.*argon2id.*7\/11 tilillä.*AES-256-GCM.*systemd-creds.*Ovi-ohjain \(webhook\)/);
});

void t.test('when the box is in order, then the English description follows the rendering', async (t) => {
  const doc = registerDocument(knownFacts(), 'en');
  t.equal(doc.title, 'Register description and record of processing activities');
  t.equal(doc.identity[1]!.label, 'Controller');
  t.equal(doc.summary.text, '14 promises: 12 passed, 0 failed, 2 not checkable');
  t.equal(promise(doc, 'P7').text, 'Identification data of the contact history are kept for at most 3 months.');
  t.equal(promise(doc, 'P7').measured, 'oldest contact record 89 days');
  t.equal(promise(doc, 'P7').limit, '92 days');
  t.equal(promise(doc, 'P5').measured, 'server-room door sources: 1; Ovi-ohjain last heard 2 min ago');
  t.equal(promise(doc, 'P6').measured, 'every account personal, none shared; 11 accounts in use, 7 with a second factor');
  t.match(promise(doc, 'P11').measured, /^policy test passed at start 28\/11\/2026, 08:00:00; supervisors 2, quality\/training experts 1$/);
  t.equal(promise(doc, 'P1').measured, 'A purpose is a commitment: the system cannot measure it.');
  t.equal(row(doc, 'Transfers outside the EU/EEA'), 'None: the data are on this appliance only.');
  t.match(row(doc, 'Security measures'), /installed certificate.*argon2id.*7\/11 accounts.*AES-256-GCM.*systemd-creds.*Ovi-ohjain \(webhook\)/);
});

void t.test('when promises break, then they read as failed in words, in both languages', async (t) => {
  const facts = knownFacts({
    oldestRecord: { startedAt: '2026-08-20T10:00:00.000Z', ageDays: 100 },
    accounts: { ...knownFacts().accounts, pendingEnrolment: 1 },
    masterKeySource: 'demo-file',
    tls: 'self-signed',
    doors: { ...knownFacts().doors, sources: [] },
  });
  const fi = registerDocument(facts, 'fi');
  t.same(fi.summary, { promises: 14, passed: 9, failed: 3, notCheckable: 2, text: '14 lupausta: 9 täyttyy, 3 ei täyty, 2 ei tarkistettavissa' });
  t.equal(promise(fi, 'P7').statusText, 'EI TÄYTY');
  t.equal(promise(fi, 'P7').measured, 'vanhin yhteystieto 100 päivää, yli rajan 92 päivää: poistoajoa ei ole ajettu');
  t.match(promise(fi, 'P6').measured, /^1 tililtä puuttuu toinen tunnistustekijä/);
  t.match(promise(fi, 'P5').measured, /ei ole asetettu kulunvalvonnan lähdettä/);
  t.match(row(fi, 'Turvatoimet'), /itse allekirjoitettu.*demon avaintiedostossa.*ei lähteitä asetettu/);
  const en = registerDocument(facts, 'en');
  t.equal(promise(en, 'P7').statusText, 'FAILED');
  t.equal(promise(en, 'P7').measured, 'oldest contact record 100 days, past the limit of 92 days: the purge has not run');
  const text = registerText(en);
  t.match(text, /^REGISTER DESCRIPTION AND RECORD OF PROCESSING ACTIVITIES\n/);
  t.match(text, /\nP7\. Identification data of the contact history are kept for at most 3 months\.\n {4}\[FAILED\] oldest contact record 100 days, past the limit of 92 days: the purge has not run \(limit 92 days\)\n/);
  t.match(registerText(fi), /\nP6\. Kontaktihistoriaan .*\n {4}\[EI TÄYTY\] 1 tililtä/);
});

void t.test('when any check fails or passes, then what it found is worded in both languages, never left as its code', async (t) => {
  const base = knownFacts();
  const variants = [
    base,
    knownFacts({ agentsInDirectory: 0, recordedServiceNumbers: [], oldestRecord: null, heldRecords: 2 }),
    knownFacts({ oldestRecord: { startedAt: '2026-08-31T10:00:00.000Z', ageDays: 89 }, heldRecords: 3 }),
    knownFacts({ doors: { ...base.doors, sources: [{ id: 'x', name: 'X', kind: 'osdp', lastHeardAt: null }], heardFrom: 'log' } }),
    knownFacts({ doors: { ...base.doors, sources: [{ id: 'x', name: 'X', kind: 'osdp', lastHeardAt: '2026-11-28T08:00:00.000Z' }] } }),
    knownFacts({ accounts: { ...base.accounts, sharedNames: 1 } }),
    knownFacts({ accounts: { ...base.accounts, pendingEnrolment: 1 }, doors: { ...base.doors, sources: [] }, oldestRecord: { startedAt: '2026-08-01T00:00:00.000Z', ageDays: 119 } }),
    knownFacts({ desk: { ...base.desk, copiesOutsideRequests: 1, requestsPastDeadline: 2, research: { ...base.desk.research, overdue: 1 } } }),
    knownFacts({ desk: { ...base.desk, unapprovedBundles: 1, research: { ...base.desk.research, packagesWithoutContentCheck: 1 } } }),
    knownFacts({ policyCheck: { at: '2026-11-28T06:00:00.000Z', passed: false, when: 'now', problems: (['P6', 'P11', 'P12', 'P13'] as const).map((promise) => ({ promise, role: 'agent' as const, permission: 'calls:read-all' as const, expected: 'denied' as const })) } }),
  ];
  const findings = new Set<string>();
  for (const facts of variants) {
    for (const language of ['fi', 'en'] as const) {
      const doc = registerDocument(facts, language);
      for (const check of doc.checks) {
        findings.add(check.finding);
        const line = promise(doc, check.promise);
        t.not(line.measured, check.finding, `${language} ${check.promise} ${check.finding} is worded`);
        t.notMatch(line.measured, /undefined|NaN|\[object/, `${language} ${check.promise} ${check.finding}`);
      }
    }
  }
  t.equal(findings.size, 27, 'every finding was worded');
  t.match(promise(registerDocument(variants[9]!, 'fi'), 'P11').measured, /^käyttöoikeustaulun tarkistus epäonnistui nyt/);
  t.match(promise(registerDocument(variants[9]!, 'en'), 'P12').measured, /^policy test failed now \(by this print/);
  t.match(promise(registerDocument(variants[2]!, 'en'), 'P7').measured, /oldest contact record 89 days; 3 kept under a legal hold/);
});
