/// <reference lib="dom" />
/**
 * A call still in progress, opened from the calls list in Chromium: its details and "recording
 * in progress" in Finnish and English, no error and no player; once the call has ended, the
 * player. The strict CSP holds throughout.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

t.test('when a supervisor opens a call still in progress, then the call page shows its details and that it is being recorded', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  const tracker = fixture.appliance.capture.inlineTracker;
  const channel = 3;
  const callRef = 900;
  const tick = 500_000;
  tracker.onHeartbeat({ uptimeMs: tick * 20, tick, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel, callRef, tick, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false });
  for (let i = 0; i < 50; i++) {
    tracker.onAudio({ tick: tick + i, channels: [{ channel, samples: Buffer.alloc(160, (i * 5) & 0xff) }] });
    fixture.clock.advance(20);
  }
  await tracker.drain();

  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  await session.signIn(page, 'esihenkilo');
  await page.waitForSelector('table#calls');

  // The newest row, the one clicked first.
  await page.click('table#calls tbody tr:first-child a');
  await page.waitForSelector('#recording-in-progress');
  t.match(await page.textContent('dl.details'), /Aino Asiakaspalvelija/, 'the call’s details are shown');
  t.match(await page.textContent('#recording-in-progress'), /Tallennus on käynnissä/);
  t.equal(await page.locator('[role=alert]').count(), 0, 'no error');
  t.equal(await page.locator('#player').count(), 0, 'no player while the call goes on');
  await page.selectOption('#language', 'en');
  await page.waitForSelector('#recording-in-progress:has-text("Recording in progress")');
  t.pass('said in English too');

  tracker.onCallEnd({ bootId: 1, channel, callRef, tick: tick + 50, cause: 'normal' });
  await tracker.drain();
  await page.reload();
  await page.waitForSelector('#player');
  t.equal(await page.locator('#recording-in-progress').count(), 0, 'once ended, the player instead');

  t.same(session.problems(), [], 'no CSP violation or script error');
});
