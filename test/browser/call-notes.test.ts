/// <reference lib="dom" />
/**
 * Notes and tags on the call page in Chromium: a supervisor writes a note (with a line break)
 * and tags; the call's agent sees them, adds a note of their own and removes one; a second agent
 * does not reach the call at all. Said in the section's live region, in Finnish and English;
 * axe-core finds nothing moderate or above on the page with its notes.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { checkAxe } from './support/axe.js';

t.test('when a supervisor and the call’s agent write notes and tags on a call page, then both see them and nobody else does', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  for (const [username, displayName, roles, extensions] of [['esihenkilo', 'Sanna Esihenkilö', ['supervisor'], []], ['agentti1', 'Aino Asiakaspalvelija', ['agent'], ['2001']], ['agentti2', 'Eero Esimerkki', ['agent'], ['2002']]] as const) {
    t.equal((await admin.post('/api/v1/users', { username, displayName, roles, extensions, password: PASSWORD })).status, 201);
  }
  const call = await fixture.call({ channel: 0, extension: '2001', seconds: 2 });
  const session = await openBrowser(t, fixture);

  const supervisor = await session.newPage();
  await session.signIn(supervisor, 'esihenkilo');
  await supervisor.goto(`${session.base}/#/calls/${call}`);
  await supervisor.waitForSelector('#note-form');
  t.match(await supervisor.textContent('#notes-none'), /Ei muistiinpanoja/);
  await supervisor.fill('#note-text', 'Asiakas pyysi takaisinsoittoa.\nTarkista jäsenmaksu.');
  await supervisor.click('#note-form button[type=submit]');
  await supervisor.waitForSelector('#notes-status:has-text("Muistiinpano lisätty")');
  t.equal(await supervisor.locator('#notes li.note').count(), 1);
  t.match(await supervisor.textContent('#notes .note-by'), /Sanna Esihenkilö/);
  t.equal(await supervisor.innerText('#notes .note-text'), 'Asiakas pyysi takaisinsoittoa.\nTarkista jäsenmaksu.', 'the line break kept');
  await supervisor.fill('#note-tags', 'Palaute, jäsenmaksu');
  await supervisor.click('#tags-form button[type=submit]');
  await supervisor.waitForSelector('#notes-status:has-text("Tunnisteet tallennettu")');
  t.same(await supervisor.locator('#tag-list li').allTextContents(), ['palaute', 'jäsenmaksu']);
  await checkAxe(t, supervisor, 'a call page with notes and tags');

  // The call's agent sees them, adds one and removes the supervisor's.
  const agent = await session.newPage();
  await session.signIn(agent, 'agentti1');
  await agent.goto(`${session.base}/#/calls/${call}`);
  await agent.waitForSelector('#notes li.note');
  t.same(await agent.locator('#tag-list li').allTextContents(), ['palaute', 'jäsenmaksu']);
  // A tag typed and not yet saved stays while the section redraws after the note.
  await agent.fill('#note-tags', 'palaute, jäsenmaksu, takaisinsoitto');
  await agent.fill('#note-text', 'Soitin takaisin.');
  await agent.click('#note-form button[type=submit]');
  await agent.waitForFunction(() => document.querySelectorAll('#notes li.note').length === 2);
  t.equal(await agent.inputValue('#note-tags'), 'palaute, jäsenmaksu, takaisinsoitto', 'the unsaved tags stay');
  t.equal(await agent.inputValue('#note-text'), '', 'the note sent is cleared');
  await agent.click('#notes li.note:first-child button.remove-note');
  await agent.waitForSelector('#notes-status:has-text("Muistiinpano poistettu")');
  t.same(await agent.locator('#notes .note-text').allTextContents(), ['Soitin takaisin.']);
  await agent.selectOption('#language', 'en');
  await agent.waitForSelector('h2:has-text("Notes and tags")');
  t.match(await agent.textContent('#notes .note-by'), /Aino Asiakaspalvelija/);

  // Another agent: the call does not exist for them, notes included.
  const other = await session.newPage();
  await session.signIn(other, 'agentti2');
  await other.goto(`${session.base}/#/calls/${call}`);
  await other.waitForSelector('p.error');
  t.equal(await other.locator('#notes').count(), 0);
  t.same(session.problems(), [], 'no CSP violation or script error');
});
