/// <reference lib="dom" />
/**
 * A supervisor's search and player in Chromium, with the browser in English (US) locale and New
 * York time, and its clock fixed (page.clock) on 30.11.2026 in Helsinki, so "yesterday" is a
 * known day: date presets, Finnish dates typed in text fields (one tab stop each), the duration
 * filter, a click on a caller or an agent in the list filtering by it; the player's time axis
 * and the time under the pointer, skip buttons, keyboard shortcuts announced in a live region,
 * the position kept on reload, and "back to search" keeping the filters. Then the click count:
 * "find yesterday's call from caller X and listen from minute 2" in at most 6 clicks.
 */
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { firstAdministrator, PASSWORD, startApiAppliance, type ApiFixture } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

const DAY_MS = 24 * 3600_000;
const CALLER_X = '0445556666';
const CALLER_X_E164 = '+358445556666';
/** 30.11.2026 12:00 in Helsinki (UTC+2): the browser's "now". */
const BROWSER_NOW = Date.UTC(2026, 10, 30, 10, 0, 0);

/** Calls on three days (the fixture's clock starts 28.11.2026 08:00 UTC); returns yesterday's long call from X. */
async function threeDaysOfCalls(fixture: ApiFixture): Promise<string> {
  await fixture.call({ channel: 0, extension: '2001', caller: CALLER_X, seconds: 3 });
  await fixture.call({ channel: 1, extension: '2002', caller: '0401112222', seconds: 3 });
  fixture.clock.advance(DAY_MS);
  // 29.11.2026, "yesterday": the call to find, 2.5 minutes long, and another caller's.
  const target = await fixture.call({ channel: 0, extension: '2001', caller: CALLER_X, seconds: 150 });
  await fixture.call({ channel: 1, extension: '2002', caller: '0401112222', seconds: 3 });
  fixture.clock.advance(DAY_MS);
  await fixture.call({ channel: 0, extension: '2002', caller: CALLER_X, seconds: 4 });
  return target;
}

/** A supervisor (created before the calls: the setup token does not outlive the days recorded). */
async function supervisor(t: Test, fixture: ApiFixture): Promise<void> {
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password: PASSWORD })).status, 201);
}

async function supervisorPage(t: Test, fixture: ApiFixture): Promise<{ page: Page; base: string; problems: () => string[] }> {
  const session = await openBrowser(t, fixture);
  const page = await session.newPage({ locale: 'en-US', timezoneId: 'America/New_York' });
  await page.clock.setFixedTime(new Date(BROWSER_NOW));
  await session.signIn(page, 'esihenkilo');
  return { page, base: session.base, problems: session.problems };
}

const rowCount = (page: Page): Promise<number> => page.locator('table#calls tbody tr').count();
const waitForRows = (page: Page, n: number): Promise<unknown> => page.waitForFunction((n) => document.querySelectorAll('table#calls tbody tr').length === n && !document.querySelector('[aria-busy]'), n);

t.test('when a supervisor searches, then presets, Finnish dates, duration and clicks in the list narrow the calls', async (t) => {
  const fixture = await startApiAppliance(t);
  await supervisor(t, fixture);
  const target = await threeDaysOfCalls(fixture);
  const { page, problems } = await supervisorPage(t, fixture);
  t.equal(await rowCount(page), 5, 'every call without a filter');

  // The date fields are text in the Finnish format (the browser is en-US), one tab stop each.
  t.equal(await page.getAttribute('#from', 'type'), 'text');
  await page.focus('#from');
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'to', 'one tab stop for the from field');
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'caller', 'one tab stop for the to field');

  await page.click('.presets a:has-text("Eilen")');
  await waitForRows(page, 2);
  t.equal(await page.inputValue('#from'), '29.11.2026', 'yesterday in Helsinki, written the Finnish way');
  t.equal(await page.inputValue('#to'), '29.11.2026');
  t.equal(await page.getAttribute('.presets a:has-text("Eilen")', 'aria-current'), 'true', 'the preset chosen is marked');
  await page.click('.presets a:has-text("Tänään")');
  await waitForRows(page, 1);
  await page.click('.presets a:has-text("7 päivää")');
  await waitForRows(page, 5);
  t.equal(await page.inputValue('#from'), '24.11.2026');

  // Typed by hand: a day alone as "to" means through its end.
  await page.fill('#from', '28.11.2026');
  await page.fill('#to', '28.11.2026');
  await page.click('form.panel button[type=submit]');
  await waitForRows(page, 2);
  t.match(page.url(), /from=28.11.2026&to=28.11.2026/, 'the address keeps the dates as typed');
  await page.fill('#from', '31.2.2026');
  await page.click('form.panel button[type=submit]');
  t.equal(await page.evaluate(() => (document.getElementById('from') as HTMLInputElement).validity.valid), true, 'the pattern takes the shape; the day is checked by the parser');

  // The duration filter, answered by the service over all calls.
  await page.goto(page.url().replace(/#.*/, '#/calls'));
  await waitForRows(page, 5);
  await page.fill('#minDuration', '2');
  await page.click('form.panel button[type=submit]');
  await waitForRows(page, 1);
  t.ok((await page.getAttribute('table#calls a.open-call', 'href'))?.includes(target), 'only the 2.5-minute call lasts 2 minutes or more');
  await page.fill('#minDuration', '');
  await page.fill('#maxDuration', '0:03');
  await page.click('form.panel button[type=submit]');
  await waitForRows(page, 3);
  await page.fill('#maxDuration', 'pitkä');
  t.equal(await page.evaluate(() => (document.getElementById('maxDuration') as HTMLInputElement).validity.valid), false, 'a duration that is no duration is refused by the form');

  // A click on a caller number, then on an agent, filters by it and keeps the rest.
  await page.goto(page.url().replace(/#.*/, '#/calls'));
  await waitForRows(page, 5);
  await page.click(`table#calls a.filter-caller:has-text("${CALLER_X_E164}")`);
  await waitForRows(page, 3);
  t.equal(await page.inputValue('#caller'), CALLER_X_E164, 'the caller field shows the filter');
  await page.click('table#calls a.filter-agent:has-text("Eero Esimerkki")');
  await waitForRows(page, 1);
  t.match(page.url(), /caller=%2B358445556666/);
  t.match(page.url(), /agent=2002/);
  t.same(problems(), [], 'no CSP violation or script error');
});

t.test('when a supervisor finds yesterday’s call from a caller and listens from minute 2, then it takes at most 6 clicks and the player keeps up', async (t) => {
  const fixture = await startApiAppliance(t);
  await supervisor(t, fixture);
  const target = await threeDaysOfCalls(fixture);
  const { page, problems } = await supervisorPage(t, fixture);
  let clicks = 0;
  const click = async (selector: string, options: Parameters<Page['click']>[1] = {}): Promise<void> => {
    clicks++;
    await page.click(selector, options);
  };

  await click('.presets a:has-text("Eilen")');
  await waitForRows(page, 2);
  await click(`table#calls a.filter-caller:has-text("${CALLER_X_E164}")`);
  await waitForRows(page, 1);
  await click('table#calls a.open-call');
  await page.waitForSelector('canvas#waveform');
  await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).readyState >= 1);
  // The time under the pointer tells where minute 2 is before the click.
  const box = (await page.locator('canvas#waveform').boundingBox())!;
  const seconds = await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).duration);
  t.ok(seconds > 125, `a recording over 2 minutes (${seconds} s)`);
  const atMinute2 = { x: (box.width * 120.5) / seconds, y: box.height / 3 };
  await page.hover('canvas#waveform', { position: atMinute2 });
  t.equal(await page.textContent('#waveform-time'), 'Kohdassa 2:00', 'the time under the pointer');
  await click('canvas#waveform', { position: atMinute2 });
  const audioBox = (await page.locator('#player').boundingBox())!;
  // The play button of Chromium's audio controls sits at their left end.
  await click('#player', { position: { x: 20, y: audioBox.height / 2 } });
  await page.waitForFunction(() => !(document.getElementById('player') as HTMLAudioElement).paused);
  const at = await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime);
  t.ok(at >= 119.5 && at < 125, `playing from minute 2 (${at} s)`);
  t.ok(page.url().includes(target), 'yesterday’s call from X');
  t.ok(clicks <= 6, `clicks: ${clicks} (at most 6)`);
  t.equal(clicks, 5);

  // The time axis is drawn under the waveform.
  const axisInk = await page.evaluate(() => {
    const canvas = document.getElementById('waveform') as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')!.getImageData(0, 92, canvas.width, 18).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) ink++;
    return ink;
  });
  t.ok(axisInk > 200, `the axis has ticks and times (${axisInk} pixels)`);

  // Pause, then the skip buttons and the shortcuts, each told in the live region.
  await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).pause());
  const position = (): Promise<number> => page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime);
  const before = await position();
  await page.click('#skip-back');
  t.ok(Math.abs((await position()) - (before - 10)) < 0.5, 'back 10 s');
  await page.click('#skip-forward');
  t.ok(Math.abs((await position()) - before) < 0.5, 'forward 10 s');
  // Focus on the page itself, not on a control: the shortcuts apply.
  await page.focus('main');
  await page.keyboard.press('ArrowLeft');
  t.ok(Math.abs((await position()) - (before - 10)) < 0.5, 'ArrowLeft skips back');
  t.match(await page.textContent('#player-announce'), /Kohdassa 1:5\d/);
  await page.keyboard.press('ArrowRight');
  t.ok(Math.abs((await position()) - before) < 0.5, 'ArrowRight skips forward');
  await page.keyboard.press('s');
  t.equal(await page.inputValue('#speed'), '1.25', 'S: the next speed');
  t.equal(await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).playbackRate), 1.25);
  t.match(await page.textContent('#player-announce'), /Nopeus 1.25×/, 'the speed is announced');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => !(document.getElementById('player') as HTMLAudioElement).paused);
  // The play event (and what it announces) follows `paused` as a task of its own.
  await page.waitForFunction(() => /Toisto/.test(document.getElementById('player-announce')?.textContent ?? ''));
  t.match(await page.textContent('#player-announce'), /Toisto/, 'Space plays, and it is announced');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).paused);
  // `paused` turns at once; the pause event (and what it announces) follows as a task of its own.
  await page.waitForFunction(() => /Pysäytetty/.test(document.getElementById('player-announce')?.textContent ?? ''));
  t.match(await page.textContent('#player-announce'), /Pysäytetty/);
  // Keys typed into a field are left alone.
  t.equal(await page.getAttribute('#player', 'aria-keyshortcuts'), 'Space ArrowLeft ArrowRight S');

  // A reload goes on from the same position.
  const kept = await position();
  await page.reload();
  await page.waitForFunction((kept) => {
    const audio = document.getElementById('player') as HTMLAudioElement | null;
    return audio !== null && audio.readyState >= 1 && Math.abs(audio.currentTime - kept) < 1;
  }, kept);
  t.match(await page.textContent('#player-announce'), /Jatketaan kohdasta 2:0\d/, 'the position is kept on reload, and said');

  // Back to the search, with its filters.
  await page.click('#back-to-search');
  await waitForRows(page, 1);
  t.equal(await page.inputValue('#from'), '29.11.2026');
  t.equal(await page.inputValue('#caller'), CALLER_X_E164);
  t.same(problems(), [], 'no CSP violation or script error');
});
