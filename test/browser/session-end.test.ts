/// <reference lib="dom" />
/**
 * When a session ends the person is told why, and after signing in is back on the same view
 * with the same search: the appliance's clock (not waiting) ends the session after 15 minutes
 * without use; a password changed in another browser ends it too, and says so.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

const NEW_PASSWORD = 'seitsemän siilin syysretki';

t.test('when a supervisor’s session ends mid-search, then the sign-in page says why and signing in returns to the same search', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Essi Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  await fixture.call({ channel: 0, extension: '2001', seconds: 1 });
  await fixture.call({ channel: 1, extension: '2002', caller: '0509876543', seconds: 1 });
  const run = await openBrowser(t, fixture);
  const page = await run.newPage();

  await page.goto(`${run.base}/#/calls`);
  await run.signInHere(page, 'esihenkilo', PASSWORD);
  await page.waitForSelector('#calls tbody tr');
  // Fifteen minutes without use, by the appliance's clock; then the supervisor searches.
  fixture.clock.advance(15 * 60_000);
  await page.fill('#caller', '050 987 6543');
  await page.click('main form button[type=submit]');
  await page.waitForSelector('#username');
  t.equal(await page.textContent('#status'), 'Istuntosi päättyi, koska sitä ei käytetty 15 minuuttiin. Kirjaudu uudelleen: palaat samaan näkymään.', 'told why, in Finnish');
  const searched = await page.evaluate(() => location.hash);
  t.match(searched, /^#\/calls\?.*caller=050/, 'the address still holds the search');

  await run.signInHere(page, 'esihenkilo', PASSWORD);
  await page.waitForFunction(() => document.querySelectorAll('#calls tbody tr').length === 1);
  t.equal(await page.evaluate(() => location.hash), searched, 'back on the same view with the same search');
  t.equal(await page.inputValue('#caller'), '050 987 6543', 'the search field is filled as before');
  t.equal(await page.locator('#status.ok, #status.error').count(), 0, 'the notice is gone once signed in');

  // The password is changed in another browser: this one is told so at its next step.
  const other = fixture.client();
  await other.login('esihenkilo', PASSWORD);
  t.equal((await other.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status, 204);
  await page.reload();
  await page.waitForSelector('#username');
  t.match(await page.textContent('#status'), /salasanasi vaihdettiin/, 'told that the password changed');
  await run.signInHere(page, 'esihenkilo', NEW_PASSWORD);
  await page.waitForFunction(() => document.querySelectorAll('#calls tbody tr').length === 1);
  t.equal(await page.evaluate(() => location.hash), searched, 'and back to the same search again');

  // Signing out on purpose forgets the view: the next sign-in starts at the calls list.
  await page.click('#logout');
  await page.waitForSelector('#username');
  t.equal(await page.locator('#status.ok, #status.error').count(), 0, 'no session-ended notice after signing out');
  await run.signInHere(page, 'esihenkilo', NEW_PASSWORD);
  await page.waitForFunction(() => location.hash === '#/calls');
  t.same(run.problems(), [], 'no CSP violation or script error');
});
