/// <reference lib="dom" />
/**
 * Two quick changes of what a view shows: each redraws it, and the answers may arrive in either
 * order. What was read after the later change is what stays; before, a slow first answer replaced
 * it and the second note vanished from the screen until the next change. For the case view (a
 * whole view) and a call's notes (a region of the call page). The first answer is held back in
 * the browser until the second is shown.
 */
import t from 'tap';
import type { Page, Route } from 'playwright-core';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { deskUsers } from '../integration/support/desk-users.js';
import { openBrowser } from './support/browser.js';

/**
 * Holds back the answer to the next GET of `path`: it is read from the service at once (so it is
 * the older state) and reaches the page only at `deliver()`, which resolves once the page has had
 * two round trips more to handle it.
 */
async function holdBackNextRead(page: Page, path: string): Promise<{ read: Promise<void>; deliver(): Promise<void> }> {
  let holding = true;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let readDone!: () => void;
  const read = new Promise<void>((resolve) => (readDone = resolve));
  let delivered: Promise<void> = Promise.resolve();
  await page.route((url) => url.pathname === path, async (route: Route) => {
    if (!holding || route.request().method() !== 'GET') return route.continue();
    holding = false;
    const response = await route.fetch();
    readDone();
    delivered = released.then(() => route.fulfill({ response }));
  });
  return {
    read,
    async deliver() {
      release();
      await delivered;
      for (let i = 0; i < 2; i += 1) await page.evaluate(async () => { await fetch('/api/v1/me'); });
    },
  };
}

/**
 * Sends two notes through the form whose text field is `field`, the answer read after the first
 * held back until the view has drawn the second; resolves once the held answer has reached the page.
 */
async function twoNotesFirstAnswerLast(page: Page, path: string, field: string, items: string): Promise<void> {
  const held = await holdBackNextRead(page, path);
  const submit = `form:has(${field}) button[type=submit]`;
  await page.fill(field, 'ensimmäinen');
  await page.click(submit);
  await held.read;
  await page.fill(field, 'toinen');
  await page.click(submit);
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 2, items);
  await held.deliver();
}

t.test('when the answer to the first of two quick notes arrives last, then the case view still shows both', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const opened = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Poliisi' }, legalBasis: { text: 'Pakkokeinolaki', reference: 'POL-7' } });
  t.equal(opened.status, 201, opened.body.toString());
  const id = opened.json<{ case: { id: string } }>().case.id;
  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  await session.signIn(page, 'rekisterinpitaja', () => fixture.totp(registrar.secret!));
  await page.goto(`${session.base}/#/desk/${id}`);
  await page.waitForSelector('#case-note');

  await twoNotesFirstAnswerLast(page, `/api/v1/cases/${id}`, '#case-note', '#case-notes li');
  t.equal(await page.locator('#case-notes li').count(), 2, 'both notes are still shown');
  t.match(await page.textContent('#case-notes'), /ensimmäinen[\s\S]*toinen/);
  t.same(session.problems(), [], 'no CSP violation or script error');
});

t.test('when the answer to the first of two quick notes on a call arrives last, then the call page still shows both', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Sanna Esihenkilö', roles: ['supervisor'], extensions: [], password: PASSWORD })).status, 201);
  const call = await fixture.call({ channel: 0, extension: '2001', seconds: 1 });
  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  await session.signIn(page, 'esihenkilo');
  await page.goto(`${session.base}/#/calls/${call}`);
  await page.waitForSelector('#note-form');

  await twoNotesFirstAnswerLast(page, `/api/v1/calls/${call}/notes`, '#note-text', '#notes li.note');
  t.same((await page.locator('#notes .note-text').allTextContents()).sort(), ['ensimmäinen', 'toinen'], 'both notes are still shown');
  t.same(session.problems(), [], 'no CSP violation or script error');
});
