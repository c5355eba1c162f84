/// <reference lib="dom" />
/**
 * axe-core on every view a browser can reach, in Finnish: first-run setup, sign-in, TOTP
 * enrolment, the calls list, a call with its player, the live channels (with a call on), users,
 * the audit trail, system, the register description, settings, my account and the second factor's page. No violation of
 * impact moderate or above. (English and a tablet: accessibility-english-tablet.test.ts.)
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { checkAxe } from './support/axe.js';

// Some thirty axe runs on a busy machine: a generous guard against a hang, not a speed target.
t.setTimeout(600_000);

t.test('when every view is checked with axe-core in Finnish, then none has a violation of impact moderate or above', async (t) => {
  const fixture = await startApiAppliance(t);
  const call = await fixture.call({ channel: 0, extension: '2001', caller: '0509876543', seconds: 4 });
  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  const visit = async (target: Page, hash: string, ready: string, name: string): Promise<void> => {
    await target.goto(`${session.base}/#/${hash}`);
    await target.waitForSelector(ready);
    await checkAxe(t, target, name);
  };

  // A fresh box: setup, then sign-in, then the enrolment of the second factor.
  await page.goto(`${session.base}/#/login`);
  await page.waitForSelector('#token');
  await checkAxe(t, page, 'setup');
  await page.fill('#token', fixture.appliance.setupToken ?? '');
  await page.fill('#username', 'yllapitaja');
  await page.fill('#displayName', 'Ylläpitäjä');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#username:not([disabled])');
  await page.waitForSelector('h1:has-text("Kirjaudu")');
  await checkAxe(t, page, 'sign-in (with the message of the setup)');
  await page.fill('#username', 'yllapitaja');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#totp-secret');
  await checkAxe(t, page, 'TOTP enrolment');
  const secret = ((await page.textContent('#totp-secret')) ?? '').replace(/ /g, '');
  await page.fill('#code', fixture.totp(secret));
  await page.click('button[type=submit]');
  await page.waitForSelector('table#calls');
  await checkAxe(t, page, 'calls (with the message of the enrolment)');

  // A call in progress for the live view.
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 9_000_000, tick: 450_000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 3, callRef: 501, tick: 450_000, caller: '0409998877', called: '0201234567', agentExtension: '2002', resumed: false });
  await tracker.drain();

  for (const language of ['fi'] as const) {
    await visit(page, 'calls', 'table#calls', `calls (${language})`);
    await visit(page, `calls/${call}`, '#player', `a call with its player (${language})`);
    await page.hover('canvas#waveform');
    await page.click('#skip-forward');
    await checkAxe(t, page, `the player in use (${language})`);
    await visit(page, 'live', 'table#live', `live channels (${language})`);
    await visit(page, 'users', 'table', `users (${language})`);
    await visit(page, 'audit', '#audit-status', `audit trail (${language})`);
    await visit(page, 'system', 'dl.details', `system (${language})`);
    await visit(page, 'register', '#register-summary', `register (${language})`);
    await visit(page, 'settings', '#recorded-numbers', `settings (${language})`);
    await visit(page, 'settings/alarm-delivery', '#syslog-enabled', `settings, alarm delivery (${language})`);
    await visit(page, 'settings/doors', '#door-sources', `settings, door access (${language})`);
    await visit(page, 'account', '#totp-state', `my account (${language})`);
    await page.click('#totp-link');
    await page.waitForSelector('#replace-password');
    await checkAxe(t, page, `the second factor's page (${language})`);
  }
  t.same(session.problems(), [], 'no CSP violation or script error');
});
