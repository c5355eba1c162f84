/// <reference lib="dom" />
/**
 * Two quick changes of a case: each redraws the case view, and the answers may arrive in either
 * order. The view read after the later change is the one that stays; before, a slow first answer
 * replaced it and the second note vanished from the screen until the next change.
 */
import t from 'tap';
import type { Route } from 'playwright-core';
import { startApiAppliance } from '../integration/support/api-appliance.js';
import { deskUsers } from '../integration/support/desk-users.js';
import { openBrowser } from './support/browser.js';

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

  // The case's answer after the first note is read from the service, then held back until the
  // answer after the second note has been shown.
  let holdNext = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let heldRead!: () => void;
  const held = new Promise<void>((resolve) => (heldRead = resolve));
  let delivered!: Promise<void>;
  await page.route((url) => url.pathname === `/api/v1/cases/${id}`, async (route: Route) => {
    if (!holdNext || route.request().method() !== 'GET') return route.continue();
    holdNext = false;
    const response = await route.fetch();
    heldRead();
    delivered = released.then(() => route.fulfill({ response }));
  });

  holdNext = true;
  await page.fill('#case-note', 'ensimmäinen');
  await page.click('form:has(#case-note) button[type=submit]');
  await held;
  await page.fill('#case-note', 'toinen');
  await page.click('form:has(#case-note) button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#case-notes li').length === 2);

  release();
  await delivered;
  // Two round trips of the page after the held answer was delivered: it has been handled by then.
  for (let i = 0; i < 2; i += 1) await page.evaluate(async () => { await fetch('/api/v1/me'); });
  t.equal(await page.locator('#case-notes li').count(), 2, 'both notes are still shown');
  t.match(await page.textContent('#case-notes'), /ensimmäinen[\s\S]*toinen/);
  t.same(session.problems(), [], 'no CSP violation or script error');
});
