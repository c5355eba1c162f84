/// <reference lib="dom" />
/**
 * Searching calls by tag in Chromium: a supervisor tags a call on its page, follows the tag to
 * the calls with it, and searches by tag in the calls view's form (kept in the address); the call's
 * agent finds only their own calls by the same tag. axe-core on the form; no CSP violation.
 */
import t from 'tap';
import { PASSWORD, firstAdministrator, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';
import { checkAxe } from './support/axe.js';

t.test('when a supervisor searches the calls by tag, then the tagged calls are listed, and an agent finds only their own', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  for (const [username, displayName, roles, extensions] of [['esihenkilo', 'Sanna Esihenkilö', ['supervisor'], []], ['agentti1', 'Aino Asiakaspalvelija', ['agent'], ['2001']]] as const) {
    t.equal((await admin.post('/api/v1/users', { username, displayName, roles, extensions, password: PASSWORD })).status, 201);
  }
  const own = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567', seconds: 2 });
  const other = await fixture.call({ channel: 1, extension: '2002', caller: '0407654321', seconds: 2 });
  await fixture.call({ channel: 2, extension: '2001', caller: '0501112223', seconds: 2 });
  const session = await openBrowser(t, fixture);

  const supervisor = await session.newPage();
  await session.signIn(supervisor, 'esihenkilo');
  for (const call of [own, other]) {
    await supervisor.goto(`${session.base}/#/calls/${call}`);
    // The call's own notes section: its status line is fresh (the last call's still says "saved").
    await supervisor.waitForSelector('#tags-form');
    await supervisor.waitForSelector('#notes-status:not(.ok):not(.error)', { state: 'attached' });
    await supervisor.fill('#note-tags', 'Valitus');
    await supervisor.click('#tags-form button[type=submit]');
    await supervisor.waitForSelector('#notes-status.ok, #notes-status.error');
    t.equal(await supervisor.textContent('#notes-status'), 'Tunnisteet tallennettu.');
  }
  // A tag on the call's page leads to every call with it.
  await supervisor.click('#tag-list a:has-text("valitus")');
  await supervisor.waitForSelector('#calls-total:has-text("2")');
  t.equal(await supervisor.inputValue('#tag'), 'valitus', 'the form shows the tag searched for');

  // The form: a tag typed in any case, kept in the address.
  await supervisor.goto(`${session.base}/#/calls`);
  await supervisor.waitForSelector('#calls-total:has-text("3")');
  await supervisor.fill('#tag', 'VALITUS');
  await supervisor.click('form.panel button[type=submit]');
  await supervisor.waitForSelector('#calls-total:has-text("2")');
  t.match(new URL(supervisor.url()).hash, /tag=VALITUS/, 'the search lives in the address');
  t.equal(await supervisor.locator('table#calls tbody tr').count(), 2);
  await checkAxe(t, supervisor, 'the calls view searched by tag');

  const agent = await session.newPage();
  await session.signIn(agent, 'agentti1');
  await agent.fill('#tag', 'valitus');
  await agent.click('form.panel button[type=submit]');
  await agent.waitForSelector('#calls-total:has-text("1")');
  t.equal(await agent.locator('table#calls tbody tr').count(), 1, 'the agent’s own call only');
  t.match(await agent.textContent('table#calls tbody'), /0401234567|040 123 4567|\+358401234567/);

  const searches = (await fixture.appliance.audit.search({ action: 'calls.search' })).records.filter((entry) => entry.details?.tag === 'filtered');
  t.ok(searches.length >= 3, 'the tag searches audited');
  t.same(session.problems(), [], 'no CSP violation or script error');
});
