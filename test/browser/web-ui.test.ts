/// <reference lib="dom" />
/**
 * The web UI in Debian's Chromium (playwright-core, /usr/bin/chromium) against the real service
 * over HTTPS: sign in with TOTP, search, open a call, play and seek, create a user who then signs
 * in, grant and remove an administrator role (which asks for the password and code first), reset
 * a user's second factor, a role-change notice at the next sign-in, switch the language, and an
 * agent who cannot reach another agent's call by any URL. The
 * strict CSP must hold: no violation in the console. Screenshots go to docs/screenshots/.
 */
import t from 'tap';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './support/browser.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
t.test('when people use the web UI, then every main task works in the browser without a CSP violation', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin: apiAdmin, secret } = await firstAdministrator(fixture);
  const callA = await fixture.call({ channel: 0, extension: '2001', seconds: 6 });
  const callB = await fixture.call({ channel: 1, extension: '2002', caller: '0509876543', seconds: 3 });
  await fixture.call({ channel: 2, extension: '2001', called: '0912345678', seconds: 2 });
  await mkdir(SCREENSHOTS, { recursive: true });

  const session = await openBrowser(t, fixture);
  const base = session.base;
  const { newPage, signIn } = session;

  // An administrator signs in with password and TOTP and sees every call.
  const admin = await newPage();
  await admin.goto(base);
  await admin.waitForSelector('#username');
  t.equal(await admin.getAttribute('html', 'lang'), 'fi', 'Finnish by default');
  await admin.screenshot({ path: `${SCREENSHOTS}login.png` });
  await signIn(admin, 'yllapitaja', () => fixture.totp(secret));
  t.equal(await admin.locator('tbody tr').count(), 3);
  await admin.screenshot({ path: `${SCREENSHOTS}calls.png` });

  // Search by caller.
  await admin.fill('#caller', '050 987 6543');
  await admin.click('form.panel button[type=submit]');
  await admin.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  t.match(await admin.textContent('tbody'), /\+358509876543/);

  // Open a call, play it and seek.
  await admin.goto(`${base}/#/calls/${callA}`);
  await admin.waitForSelector('#player');
  t.match(await admin.textContent('dl.details'), /Aino Asiakaspalvelija/);
  t.match(await admin.textContent('#seal'), /Sinetti tarkistettu/, 'the seal check is shown');
  t.equal(await admin.locator('canvas#waveform').count(), 1, 'the waveform is drawn');
  await admin.selectOption('#speed', '1.5');
  const position = await admin.evaluate(async () => {
    const audio = document.getElementById('player') as HTMLAudioElement;
    audio.muted = true;
    await new Promise((resolve) => (audio.readyState >= 1 ? resolve(null) : audio.addEventListener('loadedmetadata', resolve, { once: true })));
    audio.currentTime = 3;
    await audio.play();
    await new Promise((resolve) => setTimeout(resolve, 800));
    return { time: audio.currentTime, duration: audio.duration, rate: audio.playbackRate };
  });
  t.ok(position.time > 3.1, `playback advanced past the seek point (${position.time} s)`);
  t.equal(Math.round(position.duration), 6);
  t.equal(position.rate, 1.5);
  await admin.screenshot({ path: `${SCREENSHOTS}call-detail.png` });

  // The administrator creates an agent, who can then sign in.
  await admin.goto(`${base}/#/users`);
  await admin.waitForSelector('#new-username');
  await admin.fill('#new-username', 'agentti');
  await admin.fill('#new-displayName', 'Aino Asiakaspalvelija');
  await admin.fill('#new-extensions', '2001');
  await admin.fill('#new-password', PASSWORD);
  await admin.check('form:has(#new-username) input[name=roles][value=agent]');
  await admin.click('form:has(#new-username) button[type=submit]');
  await admin.waitForSelector('td:has-text("agentti")');
  // The roles of a user in their edit form: an administrator role instead of the agent role
  // (and back), confirmed, and first the password and the code, once.
  const setRoles = async (roles: string[]): Promise<void> => {
    await admin.click('button.edit-user[data-user="agentti"]');
    const editor = admin.locator('form[data-user="agentti"]');
    for (const role of ['agent', 'supervisor', 'phone-admin']) await editor.locator(`input[name=roles][value=${role}]`).setChecked(roles.includes(role));
    await editor.locator('button.save-user').click();
    await editor.locator('button.confirm-save').click();
  };
  await setRoles(['phone-admin']);
  await admin.waitForSelector('#reauth #reauth-password');
  await admin.screenshot({ path: `${SCREENSHOTS}users-reauthenticate.png` });
  await admin.fill('#reauth-password', PASSWORD);
  fixture.clock.advance(30_000);
  await admin.fill('#reauth-code', fixture.totp(secret));
  await admin.click('#reauth button[type=submit]');
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  t.equal(await admin.locator('#reauth').count(), 0, 'the prompt is gone');
  t.equal((await fixture.appliance.audit.search({ action: 'user.roles', outcome: 'success' })).records[0]?.details?.after, 'phone-admin');
  await admin.evaluate(() => {
    (document.getElementById('status') as HTMLElement).textContent = '';
  });
  await setRoles(['agent']);
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  t.equal(await admin.locator('#reauth').count(), 0, 'within minutes of the last confirmation, no second prompt');
  await admin.screenshot({ path: `${SCREENSHOTS}users.png` });

  await admin.goto(`${base}/#/settings`);
  await admin.waitForSelector('#recorded-numbers');
  await admin.click('#add-agent');
  await admin.locator('input.agent-extension').last().fill('2003');
  await admin.locator('input.agent-name').last().fill('Liisa Laaksonen');
  await admin.locator('input.agent-phone').last().fill('050 100 2003');
  await admin.fill('#recorded-numbers', '020 123 4567\n020 765 4321');
  await admin.click('form.panel button[type=submit]');
  await admin.waitForSelector('#status:has-text("Asetukset tallennettu")');
  await admin.screenshot({ path: `${SCREENSHOTS}settings.png` });

  await admin.goto(`${base}/#/audit`);
  await admin.waitForSelector('#audit-status.ok');
  await admin.screenshot({ path: `${SCREENSHOTS}audit.png` });
  await admin.goto(`${base}/#/system`);
  await admin.waitForSelector('dl.details');
  await admin.screenshot({ path: `${SCREENSHOTS}system.png` });

  // The language switch.
  await admin.selectOption('#language', 'en');
  await admin.waitForSelector('nav a:has-text("Calls")');
  t.equal(await admin.getAttribute('html', 'lang'), 'en');
  // The view re-renders after its data arrives: wait for the English heading.
  await admin.waitForSelector('h1:has-text("System")');
  t.match(await admin.textContent('dl.details'), /Link to the telephony card/);
  await admin.selectOption('#language', 'fi');
  await admin.waitForSelector('nav a:has-text("Puhelut")');

  // The agent sees only their own calls, and no URL shows another agent's call.
  const agent = await newPage();
  await signIn(agent, 'agentti');
  t.equal(await agent.locator('tbody tr').count(), 2, 'the agent’s own two calls');
  t.notMatch(await agent.textContent('tbody'), /509876543/);
  await agent.goto(`${base}/#/calls/${callB}`);
  await agent.waitForSelector('p.error');
  t.match(await agent.textContent('p.error'), /Puhelua ei löydy/);
  for (const path of [`/api/v1/calls/${callB}`, `/api/v1/calls/${callB}/audio`]) {
    const response = await agent.goto(`${base}${path}`);
    t.equal(response?.status(), 404, path);
  }
  t.equal(await agent.locator('nav a[href="#/users"]').count(), 0, 'no administration for an agent');

  // A role change is told at the next sign-in; an enrolled user's second factor can be reset.
  await admin.goto(`${base}/#/users`);
  await admin.waitForSelector('button.edit-user[data-user="agentti"]');
  await setRoles(['supervisor']);
  await admin.waitForSelector('#status:has-text("Muutokset tallennettu")');
  // A tablet in portrait.
  const tabletPage = await newPage({ viewport: { width: 820, height: 1180 }, hasTouch: true });
  await signIn(tabletPage, 'agentti');
  t.match(await tabletPage.textContent('#status'), /Roolisi ovat muuttuneet.*asiakaspalvelija → esihenkilö/, 'the role change is told at the next sign-in');
  t.equal(await tabletPage.locator('tbody tr').count(), 3, 'with the new role’s calls');
  await tabletPage.screenshot({ path: `${SCREENSHOTS}tablet-calls.png` });

  // A user's lost second factor: the maintainer resets it (after confirming it is them), the
  // user's sessions end and they enrol again at the next sign-in.
  fixture.clock.advance(30_000);
  t.equal((await apiAdmin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) })).status, 200);
  t.equal((await apiAdmin.post('/api/v1/users', { username: 'puhelin', displayName: 'Puhelinvastaava', roles: ['phone-admin'], password: PASSWORD })).status, 201);
  const phone = fixture.client();
  await phone.login('puhelin', PASSWORD);
  const phoneSecret = (await phone.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  t.equal((await phone.post('/api/v1/me/totp/confirm', { code: fixture.totp(phoneSecret) })).status, 200);
  fixture.clock.advance(6 * 60_000);
  // A fresh document: the list is still open at the same address, without the new user.
  await admin.goto('about:blank');
  await admin.goto(`${base}/#/users`);
  await admin.click('button.edit-user[data-user="puhelin"]');
  await admin.click('button.reset-totp[data-user="puhelin"]');
  await admin.waitForSelector('#reauth #reauth-password');
  await admin.fill('#reauth-password', PASSWORD);
  fixture.clock.advance(30_000);
  await admin.fill('#reauth-code', fixture.totp(secret));
  await admin.click('#reauth button[type=submit]');
  await admin.waitForSelector('#status:has-text("Toinen tunnistustekijä nollattu")');
  t.equal((await phone.get('/api/v1/me')).status, 401, 'the user’s sessions ended');
  t.equal(await admin.locator('button.reset-totp[data-user="puhelin"]').count(), 0, 'no factor left to reset');

  t.same(session.problems(), [], 'no CSP violation or script error');
});
