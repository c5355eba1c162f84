/// <reference lib="dom" />
/**
 * The research disclosure (P9) in Debian's Chromium against the real service: a registrar opens a
 * research case on the desk, picks calls, sets the return date, confirms the content check, makes
 * the anonymised package (re-authenticating when asked; the browser gets the tar whose SHA-256 the
 * page shows), is refused the close while the destruction is unconfirmed (told why), enters the
 * institute's confirmation and closes the case. axe-core on the panel; no CSP violation.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { startApiAppliance, PASSWORD } from '../integration/support/api-appliance.js';
import { deskUsers } from '../integration/support/desk-users.js';
import { openBrowser } from './support/browser.js';
import { checkAxe } from './support/axe.js';

// A hang guard, not a speed target: the voice anonymiser and argon2 are CPU-bound on a busy machine.
t.setTimeout(600_000);

t.test('when a registrar runs a research disclosure in the browser, then every step works and the case closes only after the confirmation of destruction', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar } = await deskUsers(fixture, ['registrar']);
  const first = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 2 });
  const second = await fixture.call({ channel: 1, extension: '2001', caller: '0509876543', seconds: 2 });
  const session = await openBrowser(t, fixture);
  const page = await session.newPage({ acceptDownloads: true });
  const totp = (): string => fixture.totp(registrar.secret!);
  await session.signIn(page, 'rekisterinpitaja', totp);

  // Open the case on the desk.
  await page.click('nav a[href="#/desk"]');
  await page.selectOption('#case-kind', 'research');
  await page.fill('#case-requester', 'Tutkimuslaitos');
  await page.fill('#case-basis', 'Tutkimuslupa, tietosuojalaki 4 §');
  await page.fill('#case-reference', 'TUTK-2026-9');
  await page.click('#case-open');
  await page.waitForSelector('#research-panel');
  const caseId = new URL(page.url()).hash.split('/')[2]!;

  // Pick the agent's two calls.
  await page.fill('#find-agent', '2001');
  await page.click('#case-find');
  await page.waitForSelector('.found-call');
  await page.check(`.found-call input[value="${first}"]`);
  await page.check(`.found-call input[value="${second}"]`);
  await page.click('#case-save-pick');
  await page.waitForSelector(`.case-call[data-call="${second}"]`);
  t.equal(await page.locator('.case-call').count(), 2, 'both calls picked');

  // The return date and the content check.
  await page.waitForSelector('#research-return-due');
  await page.fill('#research-return-due', '2027-06-30');
  // What is typed in another form survives the redraw after the date's save (the panel keeps unsent fields).
  await page.fill('#research-confirmed-by', 'Tutkimuslaitos');
  await page.click('#research-panel button:has-text("Tallenna päivä")');
  await page.waitForFunction(() => document.querySelector('#research-panel [aria-busy]') === null);
  t.equal(await page.inputValue('#research-confirmed-by'), 'Tutkimuslaitos', 'an unsent field keeps what was typed');
  await page.fill('#research-content-note', 'Kuunneltu: ei nimiä eikä numeroita.');
  await page.click('#research-panel button:has-text("Vahvista: puhelut on tarkistettu")');
  await page.waitForSelector('#research-check-state[data-checked="true"]');
  t.match(await page.textContent('#research-check-state'), /^Tarkistettu /, 'the panel shows the check');
  t.equal(await page.inputValue('#research-return-due'), '2027-06-30', 'the saved date is shown');
  await checkAxe(t, page, 'the research panel');

  // The package: re-authentication first (the sign-in is no longer fresh), then the download.
  fixture.clock.advance(10 * 60_000);
  await page.click('#research-package');
  await page.waitForSelector('#reauth');
  fixture.clock.advance(30_000);
  await page.fill('#reauth-password', PASSWORD);
  await page.fill('#reauth-code', totp());
  const downloaded = page.waitForEvent('download', { timeout: 300_000 });
  await page.click('#reauth button[type=submit]');
  // The anonymiser is CPU-bound: a generous guard for a busy machine, not a speed target.
  await page.waitForSelector('#status:has-text("Paketti ladattu"), #status.error', { timeout: 300_000 });
  const said = (await page.textContent('#status')) ?? '';
  if (!/Paketti ladattu/.test(said)) {
    // No download follows a refusal: end here with what the page said, not after the guard's wait.
    downloaded.catch(() => undefined);
    t.fail(`the package was made (the page said: ${said})`);
    return;
  }
  const download = await downloaded;
  t.equal(download.suggestedFilename(), 'research-TUTK-2026-9.tar');
  const sha256 = createHash('sha256').update(await readFile((await download.path())!)).digest('hex');
  t.match(await page.textContent('#status'), new RegExp(`SHA-256: ${sha256}`), 'the page names the hash of the file the browser got');
  await page.waitForSelector('#research-panel li');
  t.match(await page.textContent('#research-panel li'), /2/, 'the package is listed with its calls');

  // Not closable yet: the refusal says why.
  await page.fill('#case-closing', 'Valmis.');
  await page.click('#case-close');
  await page.waitForSelector('#status.error, #status .error');
  t.match(await page.textContent('#status'), /vahvistus aineiston hävittämisestä/, 'the refusal names the missing confirmation');
  t.match(await page.textContent('#case-status'), /avoin/, 'still open');

  // The institute's confirmation, then the close.
  await page.fill('#research-confirmed-on', '2026-11-28');
  await page.fill('#research-confirmed-by', 'Tutkimuslaitoksen tietosuojavastaava');
  await page.fill('#research-reference', 'TL-2026-44');
  await page.click('#research-panel button:has-text("Kirjaa vahvistus")');
  await page.waitForSelector('#research-destroyed');
  t.match(await page.textContent('#research-destroyed'), /TL-2026-44/);
  await page.fill('#case-closing', 'Aineisto hävitetty.');
  await page.click('#case-close');
  await page.waitForSelector('#case-status:has-text("suljettu")');

  const actions = (await fixture.appliance.audit.search({ targetId: caseId })).records.map((entry) => `${entry.action} ${entry.outcome}`);
  for (const expected of ['case.research-due success', 'case.research-content-check success', 'case.research-package success', 'case.close denied', 'case.research-destruction success', 'case.close success']) {
    t.ok(actions.includes(expected), `audited: ${expected}`);
  }
  t.same(session.problems(), [], 'no CSP violation or script error');
});
