/// <reference lib="dom" />
/**
 * axe-core on every view in English (calls, a call and its player in use, live channels with a
 * call on, users, audit trail, system, register, settings, my account, the second factor's page), and on
 * the calls list and a call on a tablet (768 px). No violation of impact moderate or above.
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { firstAdministrator, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { checkAxe } from './support/axe.js';

// Some twenty axe runs on a busy machine: a generous guard against a hang, not a speed target.
t.setTimeout(600_000);

t.test('when every view is checked with axe-core in English and on a tablet, then none has a violation of impact moderate or above', async (t) => {
  const fixture = await startApiAppliance(t);
  const { secret } = await firstAdministrator(fixture);
  const call = await fixture.call({ channel: 0, extension: '2001', caller: '0509876543', seconds: 4 });
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 9_000_000, tick: 450_000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 3, callRef: 501, tick: 450_000, caller: '0409998877', called: '0201234567', agentExtension: '2002', resumed: false });
  await tracker.drain();
  const session = await openBrowser(t, fixture);
  const visit = async (target: Page, hash: string, ready: string, name: string): Promise<void> => {
    await target.goto(`${session.base}/#/${hash}`);
    await target.waitForSelector(ready);
    await checkAxe(t, target, name);
  };

  const page = await session.newPage();
  await session.signIn(page, 'yllapitaja', () => fixture.totp(secret));
  await page.selectOption('#language', 'en');
  await page.waitForSelector('#nav a:has-text("Calls")');
  await visit(page, 'calls', 'table#calls', 'calls (en)');
  await visit(page, `calls/${call}`, '#player', 'a call with its player (en)');
  await page.hover('canvas#waveform');
  await page.click('#skip-forward');
  await checkAxe(t, page, 'the player in use (en)');
  await visit(page, 'live', 'table#live', 'live channels (en)');
  await visit(page, 'users', 'table', 'users (en)');
  await visit(page, 'audit', '#audit-status', 'audit trail (en)');
  await visit(page, 'system', 'dl.details', 'system (en)');
  await visit(page, 'register', '#register-summary', 'register (en)');
  await visit(page, 'settings', '#recorded-numbers', 'settings (en)');
  await visit(page, 'account', '#totp-state', 'my account (en)');
  await page.click('#totp-link');
  await page.waitForSelector('#replace-password');
  await checkAxe(t, page, 'the second factor’s page (en)');

  const tablet = await session.newPage({ viewport: { width: 768, height: 1024 } });
  await session.signIn(tablet, 'yllapitaja', () => fixture.totp(secret));
  await checkAxe(t, tablet, 'calls on a tablet');
  await visit(tablet, `calls/${call}`, '#player', 'a call on a tablet');
  t.same(session.problems(), [], 'no CSP violation or script error');
});
