/// <reference lib="dom" />
/**
 * The web UI from a fresh box, in Debian's Chromium (playwright-core) against the real service:
 * the first administrator is created with the setup token, enrols TOTP on the only page an
 * unenrolled administrator sees, searches calls by a Helsinki-time range from a browser in
 * another time zone, changes the password, filters the audit trail, signs out, and is sent back
 * to sign in when the session ends by the appliance's clock. No CSP violation in the console.
 */
import t from 'tap';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const NEW_PASSWORD = 'seitsemän siilin syysretki';

t.test('when a fresh box is set up in the browser, then the first administrator gets from the setup token to a working, audited account', async (t) => {
  const fixture = await startApiAppliance(t);
  // Two calls two hours apart: 10.00 and 12.00 Helsinki time (08.00 and 10.00 UTC).
  const morning = await fixture.call({ channel: 0, extension: '2001', seconds: 2 });
  fixture.clock.advance(2 * 3600_000);
  const noon = await fixture.call({ channel: 1, extension: '2002', caller: '0509876543', seconds: 2 });
  await mkdir(SCREENSHOTS, { recursive: true });

  const session = await openBrowser(t, fixture);
  const base = session.base;
  // A browser far from Helsinki: what people type and read must still be Helsinki time.
  const page: Page = await session.newPage({ locale: 'fi-FI', timezoneId: 'America/New_York' });
  const rowTexts = async (): Promise<string[]> => page.locator('#calls tbody tr').allTextContents();
  const signInWithTotp = async (password: string, secret: string): Promise<void> => {
    await page.fill('#username', 'yllapitaja');
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('#totp', { state: 'visible' });
    // A TOTP code is good once: the next sign-in waits for the next 30-second step.
    fixture.clock.advance(30_000);
    await page.fill('#totp', fixture.totp(secret));
    await page.click('button[type=submit]');
    await page.waitForSelector('#calls');
  };

  // No user yet: the setup page, in Finnish. (Asked for #/login: setup comes first all the same.)
  await page.goto(`${base}/#/login`);
  await page.waitForSelector('#token');
  t.equal(await page.textContent('h1'), 'Ensimmäinen ylläpitäjä');
  t.equal(await page.getAttribute('html', 'lang'), 'fi');
  const token = fixture.appliance.setupToken;
  t.type(token, 'string', 'a fresh box has a setup token');
  await page.fill('#token', token ?? '');
  await page.fill('#username', 'yllapitaja');
  await page.fill('#displayName', 'Ylläpitäjä');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('h1:has-text("Kirjaudu")');
  t.match(await page.textContent('#status'), /Ylläpitäjä luotu/, 'the message says what to do on the next page');
  t.equal(await page.locator('#token').count(), 0, 'the setup form is gone');

  // Signing in before enrolment: only the enrolment page, whatever the address asks for.
  await page.fill('#username', 'yllapitaja');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#totp-secret');
  const grouped = (await page.textContent('#totp-secret')) ?? '';
  t.match(grouped, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key is shown in groups of four');
  const secret = grouped.replace(/ /g, '');
  const uri = (await page.textContent('#totp-uri')) ?? '';
  t.match(uri, /^otpauth:\/\/totp\//);
  t.ok(uri.includes(`secret=${secret}`), 'the address carries the same key');
  t.same(await page.locator('#nav a').allTextContents(), [], 'no navigation');
  t.same(await page.locator('#user-nav a').allTextContents(), ['Kirjaudu ulos'], 'but signing out');
  await page.screenshot({ path: `${SCREENSHOTS}totp-enrolment.png` });
  await page.goto(`${base}/#/users`);
  await page.waitForSelector('#totp-secret');
  t.equal(await page.locator('#new-username').count(), 0, 'the users page is not reachable before enrolment');
  // A re-render (here the language switch) keeps the key the person may already have typed in.
  await page.focus('#language');
  await page.selectOption('#language', 'en');
  await page.waitForSelector('h1:has-text("Set up a second factor")');
  t.equal(((await page.textContent('#totp-secret')) ?? '').replace(/ /g, ''), secret, 'the same key after re-rendering');
  t.equal(await page.getAttribute('html', 'lang'), 'en');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'language', 'the language switch keeps the focus');
  await page.selectOption('#language', 'fi');
  await page.waitForSelector('h1:has-text("Ota käyttöön")');
  await page.fill('#code', fixture.totp(secret));
  await page.click('button[type=submit]');
  await page.waitForSelector('#calls');
  t.match(await page.textContent('#status'), /Toinen tunnistustekijä on käytössä/);
  t.same(await page.locator('#nav a').allTextContents(), ['Puhelut', 'Kanavat nyt', 'Käyttäjät', 'Käyttöloki', 'Palvelinhuone', 'Järjestelmä', 'Asetukset', 'Rekisteriseloste']);
  t.same(await page.locator('#user-nav a').allTextContents(), ['Oma tili', 'Kirjaudu ulos']);

  // Calls in Helsinki time, newest first by default, oldest first on request.
  let rows = await rowTexts();
  t.equal(rows.length, 2);
  t.match(rows[0], /28\.11\.2026 klo 12\.00/, 'the noon call first, in Helsinki time');
  t.match(rows[1], /28\.11\.2026 klo 10\.00/);
  await page.selectOption('select[name=order]', 'asc');
  await page.click('form.panel button[type=submit]');
  await page.waitForFunction(() => /10\.00/.test(document.querySelector('#calls tbody tr')?.textContent ?? ''));
  rows = await rowTexts();
  t.match(rows[0], /klo 10\.00/, 'oldest first');
  t.match(rows[1], /klo 12\.00/);
  // A range typed in Helsinki time finds the morning call only, though the browser is in New York.
  await page.fill('#from', '2026-11-28T09:55');
  await page.fill('#to', '2026-11-28T10:30');
  await page.click('form.panel button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#calls tbody tr').length === 1);
  t.match((await rowTexts())[0], /klo 10\.00/);
  t.ok((await page.getAttribute('#calls tbody a.open-call', 'href'))?.startsWith(`#/calls/${morning}?`), 'the row opens the morning call (the search goes with it)');
  await page.fill('#from', '2026-11-28T11:55');
  await page.fill('#to', '2026-11-28T12:30');
  await page.click('form.panel button[type=submit]');
  await page.waitForFunction(() => /12\.00/.test(document.querySelector('#calls tbody tr')?.textContent ?? ''));
  t.equal((await rowTexts()).length, 1);
  t.ok((await page.getAttribute('#calls tbody a.open-call', 'href'))?.startsWith(`#/calls/${noon}?`), 'the row opens the noon call');
  t.match(page.url(), /from=2026-11-28T11%3A55/, 'the address keeps the wall time typed (a bookmarkable search)');

  // Opening the set-up page again switches nothing off: a new key needs the password and a current code.
  await page.goto(`${base}/#/account`);
  await page.waitForSelector('#totp-state');
  t.match(await page.textContent('#totp-state'), /Käytössä/);
  await page.click('#totp-link');
  await page.waitForSelector('#replace-password');
  t.equal(await page.locator('#totp-secret').count(), 0, 'no new key from opening the page');
  t.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).json().then((me: { totpEnabled: boolean }) => me.totpEnabled)), true, 'the factor is still on');

  // Changing the password ends the session; the old password no longer works, the new one does.
  await page.goto(`${base}/#/account`);
  await page.waitForSelector('#current');
  await page.fill('#current', PASSWORD);
  await page.fill('#new', NEW_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#username');
  t.match(await page.textContent('#status'), /Salasana vaihdettu/);
  await page.fill('#username', 'yllapitaja');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#status.error');
  t.match(await page.textContent('#status'), /Väärä käyttäjätunnus tai salasana/);
  await signInWithTotp(NEW_PASSWORD, secret);

  // The audit trail filtered to refused sign-ins, shown in words with the reason.
  await page.goto(`${base}/#/audit`);
  await page.waitForSelector('#audit-status.ok');
  await page.selectOption('select[name=outcome]', 'denied');
  await page.selectOption('select[name=action]', 'auth.login');
  await page.click('form.panel button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('outcome=denied') && document.querySelector('#audit-total')?.textContent === 'Merkintöjä: 2');
  const audit = await page.locator('#audit tbody tr').allTextContents();
  t.equal(audit.length, 2, 'two refused sign-ins: the old password, and the password step before the code');
  for (const row of audit) t.match(row, /kirjautuminen.*estetty/);
  t.match(audit.join('\n'), /reason: INVALID_CREDENTIALS/);
  t.match(audit.join('\n'), /reason: TOTP_REQUIRED/);
  await page.screenshot({ path: `${SCREENSHOTS}audit-filtered.png` });

  // Signing out: back to sign-in, and the API no longer knows the browser.
  await page.click('#logout');
  await page.waitForSelector('#username');
  await page.goto(`${base}/#/calls`);
  await page.waitForSelector('#username');
  t.equal(await page.locator('#calls').count(), 0, 'no calls after signing out');
  t.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);

  // A session that ends while the page is open (15 minutes idle, by the appliance's clock).
  await signInWithTotp(NEW_PASSWORD, secret);
  fixture.clock.advance(16 * 60_000);
  await page.click('#nav a[href="#/system"]');
  await page.waitForSelector('#username');
  t.equal(await page.locator('#nav a[href="#/system"]').count(), 0, 'the navigation is gone with the session');

  t.same(session.problems(), [], 'no CSP violation or script error');
});
