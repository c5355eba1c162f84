/// <reference lib="dom" />
/**
 * The live view of the channels in Chromium: a supervisor sees the busy channels, their agents
 * and lengths counting up, and the view refreshing itself (the page's clock is driven by the
 * test, page.clock, so no test waits for real seconds); no caller number on the page. An agent
 * gets no menu link and, by address, a refusal.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

t.test('when calls are in progress, then a supervisor watches the channels live without any caller number', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
  t.equal((await admin.post('/api/v1/users', { username: 'agentti', displayName: 'Agentti', roles: ['agent'], extensions: ['2001'], password: PASSWORD })).status, 201);
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 9_000_000, tick: 450_000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 3, callRef: 501, tick: 450_000, caller: '0409998877', called: '0201234567', agentExtension: '2001', resumed: false });
  fixture.clock.advance(65_000);
  await tracker.drain();

  const session = await openBrowser(t, fixture);
  const page = await session.newPage();
  await page.clock.install();
  await session.signIn(page, 'esihenkilo');
  await page.click('#nav a:has-text("Kanavat nyt")');
  await page.waitForSelector('table#live');
  t.same(await page.locator('table#live tbody tr').allInnerTexts(), ['3\tAino Asiakaspalvelija\t28.11.2026 klo 10.00.00\t1:05\ttallennus käynnissä'], 'channel, agent, start, length, recording');
  t.match(await page.textContent('#live-summary'), /Puhelussa nyt: 1 kanavaa/);
  // The lengths count up between refreshes.
  await page.clock.runFor(3_000);
  t.equal(await page.textContent('table#live tbody td.duration'), '1:08');

  // Another call starts; the view shows it at its next refresh.
  tracker.onCallStart({ bootId: 1, channel: 1, callRef: 502, tick: 451_000, caller: '0508887766', called: '0301234567', agentExtension: '2002', resumed: false });
  await tracker.drain();
  await page.clock.runFor(10_000);
  await page.waitForFunction(() => document.querySelectorAll('table#live tbody tr').length === 2);
  t.match(await page.textContent('table#live tbody tr:first-child'), /Eero Esimerkki/, 'channel 1 first');
  const text = await page.textContent('main');
  for (const number of ['409998877', '508887766']) t.notOk(text?.includes(number), `no caller number ${number} on the page`);

  // The calls end: the channels are free.
  tracker.onCallEnd({ bootId: 1, channel: 3, callRef: 501, tick: 452_000, cause: 'normal' });
  tracker.onCallEnd({ bootId: 1, channel: 1, callRef: 502, tick: 452_000, cause: 'normal' });
  await tracker.drain();
  await page.click('#live-refresh');
  await page.waitForSelector('#live-summary:has-text("Yksikään kanava ei ole nyt puhelussa")');
  t.equal(await page.locator('table#live').count(), 0);
  await page.selectOption('#language', 'en');
  await page.waitForSelector('h1:has-text("Live channels")');

  const agent = await session.newPage();
  await session.signIn(agent, 'agentti');
  t.equal(await agent.locator('#nav a[href="#/live"]').count(), 0, 'no menu link for an agent');
  await agent.goto(`${session.base}/#/live`);
  await agent.waitForSelector('p.error');
  t.match(await agent.textContent('p.error'), /Ei oikeutta/);
  t.same(session.problems(), [], 'no CSP violation or script error');
});
