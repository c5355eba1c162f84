// Previous and next page of a search, as links that keep the search in the address.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function pager(view: string, params: URLSearchParams, page: number, pages: number): HTMLElement {
  const goto = (n: number): string => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `#/${view}?${next.toString()}`;
  };
  return h('nav', { class: 'pager', 'aria-label': t('calls.page', { page }) },
    page > 1 ? h('a', { href: goto(page - 1), rel: 'prev' }, t('calls.prev')) : null,
    h('span', {}, t('calls.page', { page }), ` / ${pages}`),
    page < pages ? h('a', { href: goto(page + 1), rel: 'next' }, t('calls.next')) : null,
  );
}
