/// <reference lib="dom" />
/**
 * The registrar's desk in Debian's Chromium against the real service over HTTPS: a registrar
 * opens a caller's access request, finds and picks the caller's calls, sees the deadline and the
 * hold, plays a call on site (audited as heard with the data subject under the case); a police
 * request entered by one registrar is approved by another in the browser; both languages; no
 * CSP violation. Screenshots go to docs/screenshots/.
 */
import t from 'tap';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { deskUsers, type DeskUser } from '../integration/support/desk-users.js';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
// A hang guard, not a speed target: the CLI runs, scrypt (age) and argon2 are CPU-bound, and a
// busy machine takes minutes over what an idle one does in seconds.
t.setTimeout(600_000);

t.test('when registrars work on the desk in the browser, then cases, calls, holds, listening and approvals work without a CSP violation', async (t) => {
  const fixture = await startApiAppliance(t);
  const users = await deskUsers(fixture, ['registrar', 'registrar2']);
  const callId = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 3 });
  await fixture.call({ channel: 1, extension: '2002', caller: '0509876543' });
  await mkdir(SCREENSHOTS, { recursive: true });

  const session = await openBrowser(t, fixture);
  const base = session.base;
  const signIn = async (username: string, user: DeskUser): Promise<Page> => {
    const page = await session.newPage({ viewport: { width: 1280, height: 900 } });
    await session.signIn(page, username, () => fixture.totp(user.secret!));
    return page;
  };

  const page = await signIn('rekisterinpitaja', users.registrar);
  await page.click('nav a[href="#/desk"]');
  await page.waitForSelector('h1:has-text("Rekisteriasiat")');
  await page.selectOption('#case-kind', 'access-request');
  await page.fill('#case-requester', 'Soittaja');
  await page.fill('#case-caller', '040 123 4567');
  await page.fill('#case-basis', 'Tietosuoja-asetus 15 art.');
  await page.fill('#case-reference', 'DS-2026-12');
  await page.click('#case-open');
  await page.waitForSelector('#case-status');
  t.match(await page.textContent('#case-deadline'), /28\.12\.2026/, 'one month from the arrival, in Finnish time');
  t.match(await page.textContent('#case-hold'), /Säilytetään/, 'held from the start');

  await page.click('#case-find');
  await page.waitForSelector('.found-call');
  t.equal(await page.locator('.found-call').count(), 1, 'the caller’s call, by another written form of the number');
  await page.check(`.found-call input[value="${callId}"]`);
  await page.click('#case-save-pick');
  await page.waitForSelector(`.case-call[data-call="${callId}"] audio`);
  await page.screenshot({ path: `${SCREENSHOTS}desk-case.png`, fullPage: true });

  // Listening on site: the player's request is audited as heard with the data subject.
  const status = await page.evaluate(async () => {
    const audio = document.querySelector('.case-call audio') as HTMLAudioElement;
    const res = await fetch(audio.src, { headers: { range: 'bytes=0-999' } });
    return res.status;
  });
  t.equal(status, 206);
  const recordingId = (await fixture.appliance.history.find(callId))!.recordingId!;
  const plays = await fixture.appliance.audit.search({ action: 'recording.play', targetId: recordingId });
  t.ok(plays.records.some((entry) => entry.details?.heardWith === 'data-subject' && typeof entry.details.caseId === 'string'), 'heard with the data subject under the case');

  // A police request entered through the API by one registrar, approved by the other in the browser.
  const police = await users.registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Poliisilaki 4:3', reference: 'R-2026-5' } });
  const policeId = police.json<{ case: { id: string } }>().case.id;
  await page.goto(`${base}/#/desk`);
  await page.waitForSelector('#cases');
  t.equal(await page.locator('#cases tbody tr').count(), 2);
  t.match(await page.textContent('#cases tbody tr:first-child'), /DS-2026-12/, 'the case with a deadline comes first');
  await page.screenshot({ path: `${SCREENSHOTS}desk.png` });
  await page.goto(`${base}/#/desk/${policeId}`);
  await page.waitForSelector('#case-approval');
  t.equal(await page.locator('#case-approve').count(), 0, 'the requester gets no approve button');

  const second = await signIn('toinen.rekisterinpitaja', users.registrar2);
  await second.goto(`${base}/#/desk/${policeId}`);
  await second.waitForSelector('#case-approve');
  await second.click('#case-approve');
  await second.waitForSelector('#status:has-text("Luovutus hyväksytty")');
  await second.waitForSelector('#case-approval p:text-matches("^Hyväksytty ")');
  t.equal(await second.locator('#case-approve').count(), 0, 'approved once');

  await second.selectOption('#language', 'en');
  await second.waitForSelector('nav a:has-text("Registrar’s desk")');
  await second.click('nav a[href="#/desk"]');
  await second.waitForSelector('h1:has-text("Registrar’s desk")');
  t.match(await second.textContent('#cases'), /police or authority request/);

  t.same(session.problems(), [], 'no CSP violation or script error');
});
