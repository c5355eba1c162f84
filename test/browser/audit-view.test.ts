/// <reference lib="dom" />
/**
 * The audit view names who did what (name and user name, never a bare id), finds a person by a
 * part of their name, pages 50 entries at a time, and lets the reader hide their own reading.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

t.test('when the audit trail is read in the browser, then it names people, filters by name, pages, and hides the reader’s own visits on request', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Essi Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const supervisor = fixture.client();
  await supervisor.login('esihenkilo', PASSWORD);
  // Enough entries for two pages: the supervisor's searches.
  for (let i = 0; i < 55; i++) await supervisor.get('/api/v1/calls');
  const run = await openBrowser(t, fixture);
  const page = await run.newPage();
  await page.goto(`${run.base}/#/audit`);
  await run.signInHere(page, 'yllapitaja', PASSWORD, secret);
  await page.waitForSelector('#audit tbody tr');
  t.equal(await page.textContent('h1'), 'Käyttöloki');
  t.equal(await page.locator('#audit tbody tr').count(), 50, 'a page of 50');
  const who = await page.locator('#audit td.who').allTextContents();
  t.ok(who.includes('Essi Esihenkilö (esihenkilo)'), 'the person by name and user name');
  t.same(who.filter((cell) => UUID.test(cell)), [], 'no bare user id');
  await page.click('nav.pager a[rel=next]');
  await page.waitForFunction(() => location.hash.includes('page=2'));
  await page.waitForSelector('nav.pager a[rel=prev]');
  t.ok((await page.locator('#audit tbody tr').count()) > 0, 'the second page has the rest');

  await page.fill('#audit-who', 'essi');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('who=essi'));
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#audit td.who')).every((cell) => cell.textContent === 'Essi Esihenkilö (esihenkilo)'));
  t.pass('only Essi’s entries');

  // The reader's own entries: their reading of the trail, until they hide it.
  await page.fill('#audit-who', 'yllapitaja');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('who=yllapitaja') && !location.hash.includes('hideOwnReads'));
  await page.waitForFunction(() => document.querySelector('#audit tbody')?.textContent?.includes('audit.search') === true);
  await page.check('#audit-hide-own');
  await page.click('main form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('hideOwnReads=true'));
  // The table drawn for this search: the box checked in it (the one before had it unchecked).
  await page.waitForFunction(() => (document.getElementById('audit-hide-own') as HTMLInputElement | null)?.defaultChecked === true && document.querySelector('#audit tbody')?.textContent?.includes('user.create') === true);
  const rows = await page.locator('#audit tbody tr').allTextContents();
  t.same(rows.filter((row) => /audit\.(search|verify)/.test(row)), [], 'none of the reader’s own reading of the trail');
  t.ok(rows.length > 0 && rows.every((row) => row.includes('Ylläpitäjä (yllapitaja)')), 'their other actions stay');
  t.ok(await page.isChecked('#audit-hide-own'), 'the choice stays on the page');
  t.same(run.problems(), [], 'no CSP violation or script error');
});
