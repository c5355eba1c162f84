// The page's header: the main menu (from the route table), the user menu beside the name (own
// account, sign out), the language. The header is two rows: brand and user tools above, the main
// menu on a row of its own, so a maintainer's menu stays one row at 1280 px.
import { h } from './dom.js';
import { language, t } from './i18n.js';
import type { Route } from './router.js';
import { currentUser } from './session.js';

export function renderChrome(routes: readonly Route[]): void {
  const me = currentUser();
  const nav = document.getElementById('nav') as HTMLElement;
  const userNav = document.getElementById('user-nav') as HTMLElement;
  const current = location.hash.split('/')[1] ?? '';
  const items: HTMLElement[] = [];
  const userItems: HTMLElement[] = [];
  if (me !== null && !me.totpEnrollmentOnly && !me.stepUpRequired) {
    for (const { path, nav: label, visible, userMenu } of routes) {
      if (label === undefined || (visible !== undefined && !visible())) continue;
      (userMenu === true ? userItems : items).push(h('a', { href: `#/${path}`, ...(current === path ? { 'aria-current': 'page' } : {}) }, t(label)));
    }
  }
  if (me !== null) userItems.push(h('a', { href: '#/logout', id: 'logout' }, t('nav.logout')));
  nav.replaceChildren(...items);
  nav.hidden = items.length === 0;
  nav.setAttribute('aria-label', t('app.mainNav'));
  userNav.replaceChildren(...userItems);
  userNav.hidden = userItems.length === 0;
  userNav.setAttribute('aria-label', t('app.userNav'));
  (document.getElementById('who') as HTMLElement).textContent = me?.displayName ?? '';
  (document.getElementById('language-label') as HTMLElement).textContent = t('app.language');
  (document.getElementById('language') as HTMLSelectElement).value = language();
}
