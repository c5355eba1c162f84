/// <reference lib="dom" />
/**
 * The Register view in Debian's Chromium against the real service over HTTPS: a maintainer sees
 * the System view's one-line summary of the register's checks, follows its link to the Register
 * view, which lists the fourteen promises each with its check in words (a failing one, P5 with no
 * door source, reads as failing), the measured value and the limit, and links to the printable
 * HTML and PDF; the printable page opens under its own CSP. Finnish and English, no CSP
 * violation or script error.
 */
import t from 'tap';
import { firstAdministrator, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

t.test('when a maintainer opens the System view, then its register line leads to the Register view of fourteen checked promises', async (t) => {
  const fixture = await startApiAppliance(t, { config: { register: { name: 'Testikassan puhelutallennerekisteri', controller: { name: 'Testikassa', address: 'Testikatu 3, 00530 Helsinki' } } } });
  const { secret } = await firstAdministrator(fixture);
  await fixture.call({ channel: 0, extension: '2001' });
  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  await session.signIn(page, 'yllapitaja', () => fixture.totp(secret));
  t.match(await page.textContent('#nav'), /Rekisteriseloste/, 'the menu has the Register view for a maintainer');

  await page.goto(`${session.base}/#/system`);
  await page.waitForSelector('#register-summary-line a');
  t.equal(await page.textContent('#register-summary-line'), 'Rekisteriseloste: 14 lupausta, 11 täyttyy, 1 ei täyty');
  t.equal(await page.getAttribute('#register-summary-line a', 'href'), '#/register');
  await page.click('#register-summary-line a');

  await page.waitForSelector('#register-summary');
  t.equal(await page.textContent('h1'), 'Rekisteriseloste');
  t.match(await page.textContent('#register-identity'), /Testikassan puhelutallennerekisteri.*Testikassa, Testikatu 3, 00530 Helsinki/s);
  t.equal(await page.locator('li.promise').count(), 14, 'fourteen promises');
  t.equal(await page.locator('li.promise-pass').count(), 11);
  const p5 = await page.locator('#promise-P5').innerText();
  t.match(p5, /^P5\. Kontaktihistoria ja tallenteet säilytetään palvelimella/);
  t.match(p5, /Ei täyty: Palvelinhuoneelle ei ole asetettu kulunvalvonnan lähdettä/, 'failing, in words');
  const p7 = await page.locator('#promise-P7').innerText();
  t.match(p7, /Täyttyy: vanhin yhteystieto 0 päivää/);
  t.match(p7, /Raja\s+92 päivää/);
  t.match(await page.locator('#promise-P1').innerText(), /Ei tarkistettavissa: Käyttötarkoitus on sitoumus/);
  t.match(await page.textContent('#register-record'), /Siirrot EU:n tai ETA:n ulkopuolelle/);
  t.same(await page.locator('#register-prints a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))), ['/api/v1/register/print.html?lang=fi', '/api/v1/register/print.html?lang=en', '/api/v1/register/print.pdf?lang=fi', '/api/v1/register/print.pdf?lang=en']);

  // The printable page, as the link opens it: its own style, no violation.
  const [printable] = await Promise.all([page.context().waitForEvent('page'), page.click('#register-prints a[href$="print.html?lang=en"]')]);
  printable.on('console', (message) => session.consoleLines.push(`${message.type()}: ${message.text()}`));
  await printable.waitForSelector('#promise-P14');
  t.equal(await printable.title(), 'Register description and record of processing activities');
  t.equal(await printable.evaluate(() => getComputedStyle(document.querySelector('#promise-P5 .status')!).textDecorationLine), 'underline', 'the page’s own style applies');
  t.equal((await fixture.appliance.audit.search({ action: 'register.print' })).total, 1, 'the print is audited');

  await page.selectOption('#language', 'en');
  await page.waitForSelector('h1:has-text("Register")');
  await page.waitForSelector('#register-summary:has-text("14 promises")');
  t.match(await page.locator('#promise-P5').innerText(), /Failed: No door source is set for the server room/);
  t.equal(await page.textContent('#register-summary'), '14 promises: 11 passed, 1 failed, 2 not checkable');
  t.same(session.problems(), [], 'no CSP violation or script error');
});
