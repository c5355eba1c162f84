/// <reference lib="dom" />
/**
 * The System view's alarm list in Debian's Chromium against the real service: an open alarm
 * shows its text and what to do in Finnish, how often and since when; a maintainer acknowledges
 * it with a note, and a cleared alarm moves to the recent list. The strict CSP holds throughout.
 */
import t from 'tap';
import { firstAdministrator, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { startUdpSyslogReceiver } from '../integration/support/alarm-receivers.js';

t.test('when a maintainer opens the System view, then the open alarms are listed, one is acknowledged with a note, the key backup confirmed, and a receiver set up and tested', async (t) => {
  const fixture = await startApiAppliance(t, { commandRunner: () => Promise.reject(new Error('no time service here')) });
  const { secret } = await firstAdministrator(fixture);
  const alarms = fixture.appliance.alarms;
  alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: 'closed' });
  alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: 'closed' });
  alarms.raise('CLOCK_OFFSET', 'the clock is off by 2.0 s', { offsetMs: 2000 });
  alarms.clear('CLOCK_OFFSET');
  alarms.raise('DEAD_CHANNEL', 'channel 3 carries only silence', { channel: 3 }, { key: '3' });
  const session = await openBrowser(t, fixture);
  const base = session.base;
  const page = await session.newPage();
  await session.signIn(page, 'yllapitaja', () => fixture.totp(secret));
  await page.waitForSelector('nav a[href="#/system"]');
  await page.goto(`${base}/#/system`);

  const row = page.locator('table.alarms-open tr[data-code="BRIDGE_LINK_DOWN"]');
  await row.waitFor();
  const text = await row.innerText();
  t.match(text, /Yhteys siltaan katkesi\. Tarkista sillan kaapeli/, 'the Finnish text with what to do');
  t.match(text, /vakava/, 'its severity');
  t.match(text, /\b2\b/, 'raised twice, one alarm');
  t.match(await page.locator('table.alarms-recent tr[data-code="CLOCK_OFFSET"]').innerText(), /Kello heittää/, 'the cleared one is in the recent list');

  // A note being typed for another alarm stays while the list redraws after this one's acknowledgement.
  const otherNote = page.locator('table.alarms-open tr[data-code="DEAD_CHANNEL"] input.alarm-note');
  await otherNote.fill('kanava 3 tarkistetaan');
  await row.locator('input.alarm-note').fill('kaapeli vaihdettu');
  await row.locator('button[type=submit]').click();
  await page.waitForSelector('table.alarms-open tr[data-code="BRIDGE_LINK_DOWN"] td.acknowledged');
  t.equal(await otherNote.inputValue(), 'kanava 3 tarkistetaan', 'the other alarm’s unsent note stays');
  t.match(await page.locator('table.alarms-open tr[data-code="BRIDGE_LINK_DOWN"] td.acknowledged').innerText(), /kaapeli vaihdettu/);
  t.match(await page.locator('#status').innerText(), /Hälytys kuitattu/);
  t.equal((await fixture.appliance.audit.search({ action: 'alarm.acknowledge' })).total, 1, 'audited');

  // The master key's backup: a maintainer confirms it from the alarm itself.
  await fixture.appliance.healthChecks.runAll();
  await page.goto(`${base}/#/calls`);
  await page.goto(`${base}/#/system`);
  await page.click('#confirm-key-backup');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Pääavaimen varmuuskopio vahvistettu.');
  t.equal(await page.locator('table.alarms-open tr[data-code="KEY_BACKUP_UNCONFIRMED"]').count(), 0, 'the backup alarm closed');
  t.equal((await fixture.appliance.audit.search({ action: 'key.backup-confirm' })).total, 1, 'the confirmation audited');

  // Alarm delivery: syslog over UDP to a listener started here, and its "send a test" button.
  const syslog = await startUdpSyslogReceiver();
  t.teardown(() => syslog.close());
  // A sub-page of Settings: one main-menu entry, the section picked from its own sub-navigation.
  await page.click('nav a[href="#/settings"]');
  await page.click('#settings-sections a[href="#/settings/alarm-delivery"]');
  await page.waitForSelector('#syslog-enabled');
  await page.check('#syslog-enabled');
  await page.selectOption('#syslog-transport', 'udp');
  await page.fill('#syslog-host', '127.0.0.1');
  await page.fill('#syslog-port', String(syslog.port));
  await page.click('#metrics-generate');
  t.match(await page.inputValue('#metrics-token'), /^[0-9a-f]{64}$/, 'a generated bearer token');
  await page.check('#metrics-enabled');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Välitysasetukset tallennettu.');
  await page.waitForSelector('#metrics-token[placeholder="asetettu – tyhjänä säilyy"]');
  t.equal(await page.inputValue('#metrics-token'), '', 'the token is not shown again');
  await page.click('#syslog-test');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Testiviesti lähetetty.');
  t.match(await syslog.messages.waitFor((line) => /DELIVERY_TEST/.test(line), 'the test message'), /^<134>1 /);
  await page.goto(`${base}/#/system`);
  // The view's old address still works: it redirects to the Settings sub-page.
  await page.goto(`${base}/#/alarm-delivery`);
  await page.waitForSelector('#syslog-counters');
  t.equal(new URL(page.url()).hash, '#/settings/alarm-delivery', 'the old address redirects');
  t.equal(await page.getAttribute('#settings-sections a[aria-current="page"]', 'href'), '#/settings/alarm-delivery', 'the sub-navigation marks the section');
  t.match(await page.locator('#syslog-counters').innerText(), /epäonnistunut 0/, 'the failure counter');
  await page.goto(`${base}/#/system`);

  await page.selectOption('#language', 'en');
  await page.locator('table.alarms-open tr[data-code="BRIDGE_LINK_DOWN"]').waitFor();
  await page.waitForFunction(() => document.querySelector('#alarms h2')?.textContent === 'Open alarms');
  t.match(await page.locator('table.alarms-open tr[data-code="BRIDGE_LINK_DOWN"]').innerText(), /The link to the bridge was lost/, 'and in English');
  // The 401 of the first GET /me before signing in is expected; a CSP refusal or a script error is not.
  t.same(session.problems(), [], 'no CSP violation or page error');
});
