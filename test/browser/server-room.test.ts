/// <reference lib="dom" />
/**
 * The Server room view in Debian's Chromium against the real service over HTTPS: a maintainer
 * sees who is in (an enrolled user by name, a visitor as a visitor), the door events beside the
 * box's own events, filters them by door; enrols a card on the Users view; sees the door source's
 * health on the System view and its settings on the Settings view. In Finnish and in English,
 * without a CSP violation. Screenshots go to docs/screenshots/.
 */
import t from 'tap';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstAdministrator, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { doorEvent, postDoorEvents, putDoorSettings, WEBHOOK_SECRET, WEBHOOK_SOURCE } from '../integration/support/door-controller.js';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
t.test('when a maintainer opens the Server room view, then it shows who is in and the door and box events side by side, filtered by door', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin: apiAdmin, secret } = await firstAdministrator(fixture);
  const adminId = (await apiAdmin.get('/api/v1/me')).json<{ id: string }>().id;
  await putDoorSettings(apiAdmin, { sources: [WEBHOOK_SOURCE], serverRoomDoors: ['Palvelinhuone'] });
  await apiAdmin.send('PUT', `/api/v1/users/${adminId}/door-card`, { body: { card: '4242' } });
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const now = fixture.clock.now();
  const posted = await postDoorEvents(fixture.appliance.web.address.port, ca, {
    source: WEBHOOK_SOURCE.id,
    secret: WEBHOOK_SECRET,
    body: JSON.stringify({ events: [doorEvent('b-1', now - 60_000, { card: '4242', direction: 'in' }), doorEvent('b-2', now - 30_000, { card: '31337', direction: 'in' }), doorEvent('b-3', now - 10_000, { kind: 'door-closed', door: 'Kuunteluhuone' })] }),
    timestamp: Math.floor(now / 1000),
  });
  t.equal(posted.status, 200);
  await mkdir(SCREENSHOTS, { recursive: true });

  const session = await openBrowser(t, fixture);
  const page = await session.newPage({ viewport: { width: 1280, height: 900 } });
  await session.signIn(page, 'yllapitaja', () => fixture.totp(secret));
  await page.waitForSelector('nav a[href="#/server-room"]');
  t.match(await page.textContent('#nav'), /Palvelinhuone/, 'the menu has the Server room for a maintainer');

  await page.click('nav a[href="#/server-room"]');
  await page.waitForSelector('#people-in');
  const people = await page.textContent('#people-in tbody');
  t.match(people, /Ylläpitäjä/, 'the enrolled maintainer by name');
  t.match(people, /vierailija [0-9a-f]{6}/, 'an unknown card as a visitor');
  t.notMatch(await page.textContent('main'), /31337|4242/, 'no card number anywhere');
  t.match(await page.textContent('#door-events'), /kulku sallittu \(sisään\)/);
  t.match(await page.textContent('#box-events'), /palvelu käynnistyi/, 'the box’s own events beside the doors’');
  await page.screenshot({ path: `${SCREENSHOTS}server-room.png` });

  await page.selectOption('#doors-door', 'Kuunteluhuone');
  await page.click('#server-room-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#door-events li').length === 1);
  t.match(await page.textContent('#door-events'), /Kuunteluhuone: ovi suljettu/, 'filtered by door');

  await page.selectOption('#language', 'en');
  await page.waitForSelector('h1:has-text("Server room")');
  t.match(await page.textContent('#people-in'), /visitor [0-9a-f]{6}/, 'in English too');

  // The System view: the door source's health line.
  await page.click('nav a[href="#/system"]');
  await page.waitForSelector('#door-sources-health');
  t.match(await page.textContent('#door-sources-health'), /ovi-ohjain, webhook\)\s*up/);

  // The Users view: a card enrolled by its typed number.
  await page.click('nav a[href="#/users"]');
  await page.waitForSelector('#door-cards');
  await page.waitForSelector('#card-state:has-text("Card enrolled")');
  await page.fill('#card-door', 'Palvelinhuone');
  await page.click('#card-next');
  await page.waitForSelector('#card-state:has-text("Waiting for a card at Palvelinhuone")');

  // Settings, door access: the door source as configured, its secret never shown.
  await page.click('nav a[href="#/settings"]');
  await page.click('#settings-sections a[href="#/settings/doors"]');
  await page.waitForSelector('#door-sources');
  t.equal(await page.inputValue('#door-sources .source-id'), 'ovi-ohjain');
  t.equal(await page.inputValue('#door-sources .source-secret'), '', 'the secret is not sent to the browser');
  await page.click('#save-door-settings');
  await page.waitForSelector('#status:has-text("Door-access settings saved")');

  t.same(session.problems(), [], 'no CSP violation or script error');
});
