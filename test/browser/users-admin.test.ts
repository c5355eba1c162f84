/// <reference lib="dom" />
/**
 * The Users view as a maintainer uses it: a new user with an activation link instead of a
 * password the maintainer knows, one edit form per user where a role is added without dropping
 * the others (confirmed first, with the password and code for an administrator role), a password
 * reset link the person opens to set their own, and buttons that say they are saving and cannot
 * send twice.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

const AGENT_PASSWORD = 'kahdeksan kalaa kelluu kaislikossa';
const RESET_PASSWORD = 'yhdeksän ylpeää ylioppilasta';

t.test('when a maintainer manages users in the browser, then roles are edited together, changes are confirmed, and passwords are set by the person with a one-time link', async (t) => {
  const fixture = await startApiAppliance(t);
  const { secret } = await firstAdministrator(fixture);
  const run = await openBrowser(t, fixture);
  const admin = await run.newPage();
  await admin.goto(`${run.base}/#/users`);
  await run.signInHere(admin, 'yllapitaja', PASSWORD, secret);
  await admin.goto(`${run.base}/#/users`);
  await admin.waitForSelector('#new-username');
  t.match(await admin.textContent('#new-password-rules'), /Vähintään 15 merkkiä/, 'the rules beside the password field');

  // A new agent without an initial password; the form is sent twice in a row, once in effect.
  await admin.fill('#new-username', 'agentti');
  await admin.fill('#new-displayName', 'Aino Asiakaspalvelija');
  await admin.fill('#new-extensions', '2001');
  await admin.check('form:has(#new-username) input[name=roles][value=agent]');
  const pressed = await admin.evaluate(() => {
    const form = (document.getElementById('new-username') as HTMLElement).closest('form') as HTMLFormElement;
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    form.requestSubmit();
    const during = { text: button.textContent, disabled: button.disabled };
    form.requestSubmit();
    return during;
  });
  t.same(pressed, { text: 'Tallennetaan…', disabled: true }, 'the button says it is saving and cannot be pressed');
  await admin.waitForSelector('.issued-link[data-user="agentti"] code.reset-link');
  t.match(await admin.textContent('#status'), /Käyttäjä luotu\. Anna käyttöönottolinkki/);
  const creations = (await fixture.appliance.audit.search({ action: 'user.create' })).records.filter((entry) => entry.details?.roles === 'agent');
  t.equal(creations.length, 1, 'one user created, not two');
  const activationLink = (await admin.textContent('.issued-link code.reset-link')) ?? '';
  t.match(activationLink, new RegExp(`^${run.base}/#/reset/[A-Z2-9-]{39}$`));

  // The agent opens the link and sets their own password; the token leaves the address.
  const agent = await run.newPage();
  await agent.goto(activationLink);
  await agent.waitForSelector('#reset-password');
  t.equal(await agent.evaluate(() => location.hash), '#/reset', 'the token is out of the address and the history');
  t.match(await agent.textContent('#reset-password-rules'), /Vähintään 15 merkkiä/);
  await agent.fill('#reset-password', AGENT_PASSWORD);
  await agent.click('main form button[type=submit]');
  await agent.waitForSelector('#username');
  t.match(await agent.textContent('#status'), /Salasana asetettu/);
  await run.signInHere(agent, 'agentti', AGENT_PASSWORD);

  // One form per user: a role is added beside the agent role, and the extensions change.
  await admin.click('button.edit-user[data-user="agentti"]');
  const editor = admin.locator('form[data-user="agentti"]');
  await editor.locator('input[name=roles][value=supervisor]').check();
  await editor.locator('input[name=extensions]').fill('2001, 2003');
  await editor.locator('button.save-user').click();
  await editor.locator('.confirm-roles li.added').waitFor();
  t.equal(await editor.locator('.confirm-roles li.added').textContent(), 'Lisätään: esihenkilö', 'the change is listed before it is saved');
  t.equal(await editor.locator('.confirm-roles li.removed').count(), 0, 'nothing removed');
  await editor.locator('button.confirm-save').click();
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  t.equal(await admin.textContent('tr[data-user="agentti"] td.roles'), 'asiakaspalvelija, esihenkilö', 'the agent role stays');
  t.match(await admin.textContent('tr[data-user="agentti"]'), /2001, 2003/);

  // An administrator role: confirmed, then the password and the code.
  await admin.click('button.edit-user[data-user="agentti"]');
  await admin.locator('form[data-user="agentti"] input[name=roles][value=phone-admin]').check();
  await admin.locator('form[data-user="agentti"] button.save-user').click();
  await admin.locator('form[data-user="agentti"] button.confirm-save').click();
  await admin.waitForSelector('#reauth #reauth-password');
  await admin.fill('#reauth-password', PASSWORD);
  fixture.clock.advance(30_000);
  await admin.fill('#reauth-code', fixture.totp(secret));
  await admin.click('#reauth button[type=submit]');
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  t.equal((await fixture.appliance.audit.search({ action: 'user.roles', outcome: 'success' })).records[0]?.details?.after, 'agent,phone-admin,supervisor', 'every role kept, one added');

  // A forgotten password: a reset link from the Users view; the person's sessions end.
  await admin.click('button.edit-user[data-user="agentti"]');
  await admin.click('button.reset-password[data-user="agentti"]');
  await admin.waitForSelector('.issued-link[data-user="agentti"] code.reset-link');
  const resetLink = (await admin.textContent('.issued-link[data-user="agentti"] code.reset-link')) ?? '';
  t.match(await admin.textContent('.issued-link[data-user="agentti"]'), /toimii kerran ja vanhenee/);
  await agent.goto('about:blank');
  await agent.goto(resetLink);
  await agent.waitForSelector('#reset-password');
  await agent.fill('#reset-password', 'agentti vaihtaa salasanan nyt');
  await agent.click('main form button[type=submit]');
  await agent.waitForSelector('form #status.error');
  t.equal(await agent.textContent('#status'), 'Salasanassa ei saa olla käyttäjätunnusta.', 'the rules hold, with the right reason, beside the form');
  await agent.fill('#reset-password', RESET_PASSWORD);
  await agent.click('main form button[type=submit]');
  await agent.waitForSelector('#status:has-text("Salasana asetettu")');
  await run.signInHere(agent, 'agentti', RESET_PASSWORD, undefined);
  t.pass('the person signs in with the password they chose');

  // Disabling is a checkbox of the same form (still open: giving a link changed nothing else).
  t.equal(await admin.getAttribute('button.edit-user[data-user="agentti"]', 'aria-expanded'), 'true');
  await admin.locator('form[data-user="agentti"] input[name=disabled]').check();
  await admin.locator('form[data-user="agentti"] button.save-user').click();
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  t.equal(await admin.textContent('tr[data-user="agentti"] td.state'), 'poissa käytöstä');
  t.same(run.problems(), [], 'no CSP violation or script error');
});
