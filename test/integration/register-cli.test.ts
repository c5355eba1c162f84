/**
 * `tallennin register` as a registrar or maintainer runs it on the box: a data directory made by
 * the running service (accounts made through the API, a door source heard, a call), then the
 * command prints the register description from the configuration, field by field, in Finnish
 * and English, as text and HTML. Breaking promises shows them failing with exit 1: an
 * administrator without a second factor (P6), a door source never heard (P5), a contact record
 * older than the retention because the purge has not run (P7).
 */
import t from 'tap';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, startApiAppliance } from './support/api-appliance.js';
import { deskUsers } from './support/desk-users.js';
import { doorEvent, postDoorEvents, putDoorSettings, WEBHOOK_SECRET, WEBHOOK_SOURCE } from './support/door-controller.js';
import { recordCall } from './support/record-calls.js';
import { runCli } from './support/service-process.js';

const REGISTER = { name: 'Testikassan kontaktihistorian ja puhelutallenteiden rekisteri', controller: { name: 'Testikassa', address: 'Siltasaarenkatu 3–5, 00530 Helsinki' } };

const promiseLine = (text: string, id: string): string => new RegExp(`\\n(${id}\\. [^\\n]*\\n {4}[^\\n]*)`).exec(text)?.[1] ?? '';

t.test('when the register is printed from a box in order, then it states its configuration and every check passes; broken promises then fail', async (t) => {
  // An hour ago: the fixture's clock runs ahead as people sign in, and must stay behind the
  // command's own clock (the real one).
  const fixture = await startApiAppliance(t, { startMs: Date.now() - 3600_000, config: { register: REGISTER } });
  const users = await deskUsers(fixture, ['agent', 'supervisor', 'registrar']);
  const admin = users.maintainer.client;
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], serverRoomDoors: ['Palvelinhuone'], silentMinutes: 240 });
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const now = fixture.clock.now();
  const posted = await postDoorEvents(fixture.appliance.web.address.port, ca, { source: WEBHOOK_SOURCE.id, secret: WEBHOOK_SECRET, body: JSON.stringify({ events: [doorEvent('e-1', now, { card: '4242', direction: 'in' })] }), timestamp: Math.floor(now / 1000) });
  t.equal(posted.status, 200);
  await fixture.call({ channel: 0, extension: '2001' });
  await fixture.appliance.stop();

  const dir = await mkdtemp(join(tmpdir(), 'tallennin-register-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ mode: 'demo', dataDir: fixture.dataDir, register: REGISTER, recording: { recordedServiceNumbers: ['0201234567'] } }));

  const fi = await runCli(['register', '--config', configPath]);
  t.equal(fi.code, 0, fi.stderr);
  t.match(fi.stdout, /^REKISTERISELOSTE JA SELOSTE KÄSITTELYTOIMISTA\n/);
  t.match(fi.stdout, '\nRekisteri: Testikassan kontaktihistorian ja puhelutallenteiden rekisteri\n');
  t.match(fi.stdout, '\nRekisterinpitäjä: Testikassa, Siltasaarenkatu 3–5, 00530 Helsinki\n');
  t.match(fi.stdout, '\n14 lupausta: 12 täyttyy, 0 ei täyty, 2 ei tarkistettavissa\n');
  t.match(promiseLine(fi.stdout, 'P1'), /\[ei tarkistettavissa\] Käyttötarkoitus on sitoumus/);
  t.match(promiseLine(fi.stdout, 'P3'), /\[täyttyy\] 1 yhteystietoa tallessa; virkailijaluettelossa 2 virkailijaa$/);
  t.match(promiseLine(fi.stdout, 'P4'), /^P4\. Palvelunumeroihin \(0201234567\) soitetut puhelut tallennetaan\..*\n {4}\[täyttyy\] tallennettavia palvelunumeroita 1: 0201234567$/);
  t.match(promiseLine(fi.stdout, 'P5'), /\[täyttyy\] palvelinhuoneen kulunvalvonnan lähteitä 1; Ovijärjestelmä kuultu viimeksi \d+ min sitten \(kulunvalvonnan tapahtumalokin mukaan\) \(raja enintään 240 min\)$/);
  t.match(promiseLine(fi.stdout, 'P6'), /\[täyttyy\] jokainen tili henkilökohtainen, yhteisiä ei ole; käytössä 4 tiliä, joista 2 toisella tunnistustekijällä \(raja 0\)$/);
  t.match(promiseLine(fi.stdout, 'P7'), /^P7\. Kontaktihistorian tunnistetietoja säilytetään enintään 3 kuukautta\.\n {4}\[täyttyy\] vanhin yhteystieto 0 päivää \(raja 9\d päivää\)$/);
  t.match(promiseLine(fi.stdout, 'P11'), /\[täyttyy\] käyttöoikeustaulun tarkistus onnistui nyt .*; esihenkilöitä 1, laatu- ja koulutusasiantuntijoita 0$/);
  t.match(promiseLine(fi.stdout, 'P12'), /\[täyttyy\] .*asiakaspalvelijoita 1$/);
  t.match(promiseLine(fi.stdout, 'P13'), /\[täyttyy\] .*teknisiä ylläpitäjiä 1, pääkäyttäjiä 0$/);
  t.match(promiseLine(fi.stdout, 'P14'), /\[täyttyy\] tarkastuspyyntöjä vastattu 0, avoinna 0, määräajan ylittäneitä 0/);
  t.match(fi.stdout, /\nTurvatoimet: TLS 1\.2\+ \(itse allekirjoitettu varmenne\); salasanat argon2id-tiivisteinä; .*\(2\/4 tilillä\).*demon avaintiedostossa.*Ovijärjestelmä \(webhook\)/);
  t.notMatch(fi.stdout, /0401234567|agentti|esihenkilo|4242/, 'no caller number, username or card');

  const en = await runCli(['register', '--config', configPath, '--lang', 'en']);
  t.equal(en.code, 0, en.stderr);
  t.match(en.stdout, '\nController: Testikassa, Siltasaarenkatu 3–5, 00530 Helsinki\n');
  t.match(en.stdout, '\n14 promises: 12 passed, 0 failed, 2 not checkable\n');
  t.match(promiseLine(en.stdout, 'P7'), /^P7\. Identification data of the contact history are kept for at most 3 months\.\n {4}\[passed\] oldest contact record 0 days \(limit 9\d days\)$/);
  t.match(promiseLine(en.stdout, 'P6'), /\[passed\] every account personal, none shared; 4 accounts in use, 2 with a second factor/);

  const htmlFile = join(dir, 'register.html');
  const html = await runCli(['register', '--config', configPath, '--lang', 'en', '--format', 'html', '--out', htmlFile]);
  t.equal(html.code, 0, html.stderr);
  t.equal(html.stdout, '');
  const page = await readFile(htmlFile, 'utf8');
  t.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
  t.equal([...page.matchAll(/<div class="promise pass" id="promise-P\d+">/g)].length, 12);
  t.notMatch(page, /<script/);
  const pdfFile = join(dir, 'register.pdf');
  t.equal((await runCli(['register', '--config', configPath, '--format', 'pdf', '--out', pdfFile])).code, 0);
  t.equal((await readFile(pdfFile)).subarray(0, 5).toString('latin1'), '%PDF-');

  // Break three promises: a phone-system administrator who has not set up the second factor,
  // a door source that has never been heard, and a call older than the retention (no purge ran).
  const restarted = await startApiAppliance(t, { dataDir: fixture.dataDir, startMs: fixture.clock.now() + 60_000, config: { register: REGISTER } });
  const again = restarted.client();
  restarted.clock.advance(30_000);
  t.equal((await again.login('yllapitaja', PASSWORD, restarted.totp(users.maintainer.secret!))).status, 201);
  restarted.clock.advance(30_000);
  t.equal((await again.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: restarted.totp(users.maintainer.secret!) })).status, 200);
  t.equal((await again.post('/api/v1/users', { username: 'puhelinvastaava', displayName: 'Puhelinvastaava', roles: ['phone-admin'], password: PASSWORD })).status, 201);
  await putDoorSettings(again, { sources: [WEBHOOK_SOURCE, { id: 'lukija', name: 'Palvelinhuoneen lukija', kind: 'webhook', doors: ['Palvelinhuone'], secret: WEBHOOK_SECRET }], serverRoomDoors: ['Palvelinhuone'], silentMinutes: 240 });
  await restarted.appliance.stop();
  await recordCall(fixture.dataDir, Date.now() - 100 * 24 * 3600_000, 5);

  const broken = await runCli(['register', '--config', configPath]);
  t.equal(broken.code, 1, 'a failing promise exits 1');
  t.match(broken.stdout, '\n14 lupausta: 9 täyttyy, 3 ei täyty, 2 ei tarkistettavissa\n');
  t.match(promiseLine(broken.stdout, 'P5'), /\[EI TÄYTY\] Kulunvalvonnan lähteestä Palvelinhuoneen lukija ei ole kuultu koskaan \(kulunvalvonnan tapahtumalokin mukaan\)\./);
  t.match(promiseLine(broken.stdout, 'P6'), /\[EI TÄYTY\] 1 tililtä puuttuu toinen tunnistustekijä, jota sen tehtävä vaatii \(käytössä 5 tiliä, joista 2 toisella tunnistustekijällä\)/);
  t.match(promiseLine(broken.stdout, 'P7'), /\[EI TÄYTY\] vanhin yhteystieto 100 päivää, yli rajan 9\d päivää: poistoajoa ei ole ajettu/);
  const brokenEn = await runCli(['register', '--config', configPath, '--lang', 'en']);
  t.match(promiseLine(brokenEn.stdout, 'P7'), /\[FAILED\] oldest contact record 100 days, past the limit of 9\d days: the purge has not run/);
  t.match(promiseLine(brokenEn.stdout, 'P6'), /\[FAILED\] accounts without the second factor their roles require: 1 \(5 accounts in use, 2 with a second factor\)/);
});

t.test('when a production configuration does not name the register, or an option is wrong, then the command says so and exits 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-register-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ mode: 'production', dataDir: join(dir, 'data') }));
  const missing = await runCli(['register', '--config', configPath]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /register: the configuration must name the register and its controller.*\[CONFIG_REGISTER_MISSING\]/);
  const language = await runCli(['register', '--config', configPath, '--lang', 'sv']);
  t.equal(language.code, 2);
  t.match(language.stderr, /--lang is fi or en, not "sv"/);
  const format = await runCli(['register', '--config', configPath, '--format', 'doc']);
  t.equal(format.code, 2);
  t.match(format.stderr, /--format is text, html or pdf/);
});
