// The hash router: `#/view/id?query` names a view of the route table that app.ts gives it.
// Before any view it settles the session: no session shows setup or sign-in, a session that
// may only enrol or step up shows that page, and a session ending mid-view goes to sign-in.
import { api, ApiError, setCsrfToken } from './api.js';
import { renderChrome } from './chrome.js';
import { h } from './dom.js';
import { t, tryT, type MessageKey } from './i18n.js';
import { currentUser, forgetReturnView, forgetUser, loadMe, noteSessionEnd, rememberView, takeSessionEnd, type Me } from './session.js';
import { clearStatusForNewView, errorText, keepStatusInView, messageCarriedOver, say } from './widgets/status.js';

export type Page = () => void | Promise<void>;

/** One entry of the route table: a view and, when it has one, its main-menu link. */
export interface Route {
  /** The first part of the address: `#/calls`. */
  readonly path: string;
  /** The main-menu link's text; no link when absent (the view is reached from another). */
  readonly nav?: MessageKey;
  /** The link sits in the user menu beside the name (own account), not in the main menu. */
  readonly userMenu?: boolean;
  /** Whether the signed-in user gets the menu link (the service decides access anyway). */
  readonly visible?: () => boolean;
  /** Draws the view: `id` is the second part of the address (`#/calls/{id}`), `params` its query. */
  readonly show: (params: URLSearchParams, id: string | undefined) => void | Promise<void>;
}

export interface RouterOptions {
  readonly routes: readonly Route[];
  /** Where an unknown address goes. */
  readonly home: string;
  /** No session: the first-run setup or the sign-in page (`view` is the address asked for). */
  readonly signedOut: (view: string | undefined, id: string | undefined) => void | Promise<void>;
  /** The sign-in page, when the session ends while a view loads. */
  readonly signIn: Page;
  /** The only page a session may see until it enrols or steps up, if it is such a session. */
  readonly onlyPage: (me: Me) => Page | undefined;
  /** Forgets what the pages kept for the session that ended. */
  readonly forgetSession: () => void;
}

const main = document.getElementById('main') as HTMLElement;
let options: RouterOptions | undefined;
/** Counts navigations; a view draws only if no newer navigation started while it waited for data. */
let renderSeq = 0;

/** Counts the draws of each view that redraws itself after a change (`screen(redraw)`). */
const redraws = new Map<string, number>();

/**
 * The renderer of the view being built: it draws only while its navigation is the latest, so a
 * slow answer for a view the user has already left never replaces the view they went to. A view
 * that redraws itself after each change names itself (`redraw`): of two quick changes, the
 * answer read after the later one is the one shown, whichever arrives last.
 */
export function screen(redraw?: string): (title: string, ...content: HTMLElement[]) => void {
  const seq = renderSeq;
  const draw = redraw === undefined ? 0 : (redraws.get(redraw) ?? 0) + 1;
  if (redraw !== undefined) redraws.set(redraw, draw);
  return (title, ...content) => {
    if (seq !== renderSeq) return;
    if (redraw !== undefined && redraws.get(redraw) !== draw) return;
    document.title = `${title} – Tallennin`;
    main.replaceChildren(h('h1', {}, title), ...content);
    keepStatusInView();
  };
}

/** Says why the session ended, when the service said it, above the sign-in page. */
function tellSessionEnd(): void {
  const ended = takeSessionEnd();
  // The page before said what happened already (the password was set there, say).
  if (ended === undefined || messageCarriedOver()) return;
  const text = tryT(`session.ended.${ended.reason}`, { minutes: ended.idleMinutes ?? '' });
  if (text !== undefined) say(text);
}

/** Goes to a view: a changed hash routes by its hashchange event, the same hash routes again here. */
export function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

/** Starts routing: the current address now, and every change of it. */
export function startRouter(routerOptions: RouterOptions): void {
  options = routerOptions;
  window.addEventListener('hashchange', () => void route());
  void route();
}

/**
 * Shows the view the address names. `moveFocus`: after a navigation, focus goes to the new
 * view's content (screen readers start there); a language switch leaves it on the switch.
 */
export async function route(moveFocus = true): Promise<void> {
  if (options === undefined) return;
  const { routes, home, signedOut, signIn, onlyPage, forgetSession } = options;
  const seq = ++renderSeq;
  const show = screen();
  const [path = '', queryString = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(queryString);
  const [view, id] = path.split('/');
  clearStatusForNewView();
  try {
    if (view === 'logout') {
      await api('DELETE', '/session').catch(() => undefined);
      forgetUser();
      forgetSession();
      forgetReturnView();
      setCsrfToken(undefined);
      navigate('#/login');
      return;
    }
    if (currentUser() === null) await loadMe();
    renderChrome(routes);
    const me = currentUser();
    if (me === null) {
      // Back to this view and its search after signing in; and why the session ended, if it did.
      if (routes.some((entry) => entry.path === view)) rememberView(location.hash);
      tellSessionEnd();
      return await signedOut(view, id);
    }
    const only = onlyPage(me);
    if (only !== undefined) return await only();
    const target = routes.find((entry) => entry.path === view);
    if (target === undefined) return navigate(home);
    return await target.show(params, id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      // The session ended (idle, expired, or the account was disabled): say why, sign in again,
      // and come back to this view with the same search.
      noteSessionEnd(err);
      rememberView(location.hash);
      tellSessionEnd();
      forgetUser();
      forgetSession();
      renderChrome(routes);
      return await signIn();
    }
    show(t('app.errorTitle'), h('p', { class: 'error', role: 'alert' }, errorText(err)));
  } finally {
    if (seq === renderSeq) {
      renderChrome(routes);
      if (moveFocus) {
        window.scrollTo(0, 0);
        main.focus({ preventScroll: true });
      }
    }
  }
}
