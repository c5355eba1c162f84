// The page's header: the main menu (from the route table), who is signed in, the language.
import { h } from './dom.js';
import { language, t } from './i18n.js';
import type { Route } from './router.js';
import { currentUser } from './session.js';

export function renderChrome(routes: readonly Route[]): void {
  const me = currentUser();
  const nav = document.getElementById('nav') as HTMLElement;
  const current = location.hash.split('/')[1] ?? '';
  const items: HTMLElement[] = [];
  if (me !== null && !me.totpEnrollmentOnly && !me.stepUpRequired) {
    for (const { path, nav: label, visible } of routes) {
      if (label === undefined || (visible !== undefined && !visible())) continue;
      items.push(h('a', { href: `#/${path}`, ...(current === path ? { 'aria-current': 'page' } : {}) }, t(label)));
    }
  }
  if (me !== null) items.push(h('a', { href: '#/logout', id: 'logout' }, t('nav.logout')));
  nav.replaceChildren(...items);
  nav.setAttribute('aria-label', t('app.mainNav'));
  (document.getElementById('who') as HTMLElement).textContent = me?.displayName ?? '';
  (document.getElementById('language-label') as HTMLElement).textContent = t('app.language');
  (document.getElementById('language') as HTMLSelectElement).value = language();
}
