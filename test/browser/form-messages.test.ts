/// <reference lib="dom" />
/**
 * Form messages where the eye is: the password rules stand beside a new-password field before
 * anything is typed, a refused password gets the right reason (the product name is not the user
 * name), and the message stands beside the form's button, not fixed over the page.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

t.test('when a password with the product name is chosen, then the form says so beside its button and the rules were there before', async (t) => {
  const fixture = await startApiAppliance(t);
  const { secret } = await firstAdministrator(fixture);
  const run = await openBrowser(t, fixture);
  const page = await run.newPage();
  await page.goto(`${run.base}/#/account`);
  await run.signInHere(page, 'yllapitaja', PASSWORD, secret);
  await page.goto(`${run.base}/#/account`);
  await page.waitForSelector('#new');
  t.match(await page.textContent('#new-rules'), /Vähintään 15 merkkiä.*Tallennin/, 'the rules stand beside the field before any error');
  t.equal(await page.getAttribute('#new', 'aria-describedby'), 'new-rules', 'and are read out with it');
  t.equal(await page.locator('#status.error').count(), 0, 'no error before a try');

  await page.fill('#current', PASSWORD);
  await page.fill('#new', 'tallennin on paras laite');
  await page.click('main form button[type=submit]');
  await page.waitForSelector('form #status.error');
  t.equal(await page.textContent('#status'), 'Salasanassa ei saa olla laitteen nimeä (Tallennin).', 'the right reason: the product name');
  const placement = await page.evaluate(() => {
    const status = document.getElementById('status') as HTMLElement;
    const button = document.querySelector('main form button[type=submit]') as HTMLElement;
    return { position: getComputedStyle(status).position, gap: status.getBoundingClientRect().top - button.getBoundingClientRect().bottom, live: status.getAttribute('aria-live') };
  });
  t.not(placement.position, 'fixed', 'in the flow of the page, not over the table');
  t.ok(placement.gap >= 0 && placement.gap < 80, `right under the form's button (${placement.gap} px)`);
  t.equal(placement.live, 'polite', 'read out when it changes');

  await page.fill('#new', 'minä yllapitaja vaihdan salasanan');
  await page.click('main form button[type=submit]');
  await page.waitForSelector('#status:has-text("käyttäjätunnusta")');
  t.pass('the user name is named when it is the user name');

  await page.selectOption('#language', 'en');
  await page.waitForSelector('#new-rules:has-text("At least 15 characters")');
  t.same(run.problems(), [], 'no CSP violation or script error');
});
