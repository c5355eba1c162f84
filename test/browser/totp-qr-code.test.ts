/// <reference lib="dom" />
/**
 * Setting up the second factor shows a QR code to scan: an SVG drawn by the service, shown as an
 * image under the strict CSP (no violation), with the typed key and address kept as the fallback.
 */
import t from 'tap';
import { PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

t.test('when an administrator sets up the second factor, then a QR code shows beside the key, within the CSP', async (t) => {
  const fixture = await startApiAppliance(t);
  const setup = await fixture.client().post('/api/v1/setup', { token: fixture.appliance.setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  t.equal(setup.status, 201);
  const run = await openBrowser(t, fixture);
  const page = await run.newPage();
  await page.goto(`${run.base}/#/login`);
  await page.waitForSelector('#username');
  await page.fill('#username', 'yllapitaja');
  await page.fill('#password', PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForSelector('#totp-qr');
  const image = await page.evaluate(async () => {
    const img = document.getElementById('totp-qr') as HTMLImageElement;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight, alt: img.alt, src: img.src.slice(0, 26) };
  });
  t.ok(image.width > 20 && image.width === image.height, `a square image was drawn (${image.width} px)`);
  t.equal(image.alt, 'QR-koodi todennussovellukselle');
  t.equal(image.src, 'data:image/svg+xml;base64,');
  t.match(await page.textContent('#totp-secret'), /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the typed key stays as the fallback');
  // The key read from the page still confirms: the QR code is of the same pending key.
  const secret = ((await page.textContent('#totp-secret')) ?? '').replace(/ /g, '');
  await page.fill('#code', fixture.totp(secret));
  await page.click('main form button[type=submit]');
  await page.waitForSelector('#status:has-text("Toinen tunnistustekijä on käytössä")');
  t.same(run.problems(), [], 'no CSP violation or script error');
});
