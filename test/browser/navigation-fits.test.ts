/// <reference lib="dom" />
/**
 * The main menu fits: every role signs in through the real form, and in both languages its menu
 * is one row at 1280 px; at the tablet width (768 px) it may wrap but stays inside the page with
 * no entry over another. The widest user holds every role (the Register entry included, shown to
 * the registrar and both maintainer roles).
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { PASSWORD, type ApiFixture, startApiAppliance } from '../integration/support/api-appliance.js';
import { deskUsers, reauthenticate, type DeskUser } from '../integration/support/desk-users.js';
import { openBrowser } from './support/browser.js';

// Some twenty sign-ins on a busy machine: a guard against a hang, not a speed target.
t.setTimeout(600_000);

const WIDTHS = [1280, 768] as const;
interface NavRow { readonly items: number; readonly tops: number[]; readonly overlaps: number; readonly navRight: number; readonly pageWidth: number; readonly viewport: number }

async function measureNav(page: Page): Promise<NavRow> {
  return page.evaluate(() => {
    const nav = document.getElementById('nav') as HTMLElement;
    const links = [...nav.querySelectorAll('a')];
    const boxes = [...document.querySelectorAll('.top .brand, .top select, #who, #user-nav a, #nav a')].map((element) => element.getBoundingClientRect());
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) overlaps++;
    }
    return {
      // The main menu and the user menu (own account, sign out) together.
      items: links.length + document.querySelectorAll('#user-nav a').length,
      tops: links.map((link) => Math.round(link.getBoundingClientRect().top)),
      overlaps,
      navRight: Math.round(nav.getBoundingClientRect().right),
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    };
  });
}

async function everyRoleUser(fixture: ApiFixture, users: Record<string, DeskUser>): Promise<DeskUser> {
  await reauthenticate(fixture, users.maintainer!);
  const roles = ['agent', 'supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar'];
  const created = await users.maintainer!.client.post('/api/v1/users', { username: 'kaikki.roolit', displayName: 'Kaikki roolit', roles, extensions: ['2003'], password: PASSWORD });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  const client = fixture.client();
  await client.login('kaikki.roolit', PASSWORD);
  const secret = (await client.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  fixture.clock.advance(30_000);
  await client.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
  return { client, id: created.json<{ user: { id: string } }>().user.id, secret };
}

t.test('when each role signs in at 1280 px and on a tablet, then the main menu is one row in both languages', async (t) => {
  const fixture = await startApiAppliance(t);
  const users: Record<string, DeskUser> = await deskUsers(fixture, ['agent', 'supervisor', 'quality', 'maintainer', 'phoneadmin', 'registrar']);
  users.everything = await everyRoleUser(fixture, users);
  const usernames: Record<string, string> = { agent: 'agentti', supervisor: 'esihenkilo', quality: 'laatu', maintainer: 'yllapitaja', phoneadmin: 'puhelinvastaava', registrar: 'rekisterinpitaja', everything: 'kaikki.roolit' };
  const session = await openBrowser(t, fixture);
  let widest = 0;
  for (const width of WIDTHS) {
    const page = await session.newPage({ viewport: { width, height: 900 } });
    for (const [role, username] of Object.entries(usernames)) {
      const secret = users[role]!.secret;
      await session.signIn(page, username, secret === null ? undefined : () => fixture.totp(secret));
      for (const language of ['fi', 'en'] as const) {
        await page.selectOption('#language', language);
        await page.waitForSelector(`#nav a[href="#/calls"]:has-text("${language === 'fi' ? 'Puhelut' : 'Calls'}")`);
        const row = await measureNav(page);
        widest = Math.max(widest, row.items);
        if (width === 1280) t.equal(new Set(row.tops).size, 1, `${role}, ${language}, ${width} px: ${row.items} menu entries, the main menu on one row (tops ${row.tops.join(' ')})`);
        t.equal(row.overlaps, 0, `${role}, ${language}, ${width} px: nothing in the header overlaps`);
        t.ok(row.pageWidth <= row.viewport && row.navRight <= row.viewport, `${role}, ${language}, ${width} px: the menu stays inside the page (${row.navRight} of ${row.viewport} px)`);
      }
      await page.selectOption('#language', 'fi');
      await page.goto(`${session.base}/#/logout`);
      await page.waitForSelector('#username');
    }
  }
  // The user with every role: calls, live, users, audit, server room, system, settings, desk,
  // register; own account and sign out in the user menu.
  t.equal(widest, 11, 'the widest menu was measured, the Register entry in it');

  // By keyboard: Tab to the main menu's Settings, Enter, Tab to its alarm delivery section, Enter.
  const page = await session.newPage();
  await session.signIn(page, 'yllapitaja', () => fixture.totp(users.maintainer!.secret!));
  const tabTo = async (selector: string): Promise<void> => {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) === true, selector)) return;
    }
    t.fail(`Tab never reached ${selector}`);
  };
  await tabTo('#nav a[href="#/settings"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#settings-sections');
  await tabTo('#settings-sections a[href="#/settings/alarm-delivery"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#syslog-enabled');
  t.pass('alarm delivery reached by keyboard through Settings');
  t.same(session.problems(), [], 'no CSP violation or script error');
});
