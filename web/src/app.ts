// The Tallennin web UI: wires the route table to the router. Each view is a module of views/;
// a new view is one new file there and one entry below (its menu link comes with the entry).
// Access is decided by the service; the menu only hides what the signed-in user may not use.
import { language, setLanguage, type Language } from './i18n.js';
import { route, startRouter, type Route } from './router.js';
import { can } from './session.js';
import { accountView } from './views/account.js';
import { alarmDeliveryView } from './views/alarm-delivery.js';
import { auditView } from './views/audit.js';
import { callView } from './views/call.js';
import { callsView } from './views/calls.js';
import { passwordResetView } from './views/password-reset.js';
import { settingsView } from './views/settings.js';
import { signedOutView } from './views/setup.js';
import { liveView } from './views/live.js';
import { loginView, stepUpView } from './views/sign-in.js';
import { systemView } from './views/system.js';
import { forgetEnrolment, totpView } from './views/totp.js';
import { usersView } from './views/users.js';
import { serverRoomView } from './views/server-room.js';
import { deskView } from './views/desk.js';
import { deskCaseView } from './views/desk-case.js';
import { registerView } from './views/register.js';
import { doorSettingsView } from './views/door-settings.js';

/** The views in main-menu order. */
const routes: readonly Route[] = [
  { path: 'calls', nav: 'nav.calls', visible: () => can('calls:read-all') || can('calls:read-own'), show: (params, id) => (id === undefined ? callsView(params) : callView(id, params)) },
  { path: 'live', nav: 'nav.live', visible: () => can('calls:live'), show: liveView },
  { path: 'users', nav: 'nav.users', visible: () => can('users:manage'), show: usersView },
  { path: 'audit', nav: 'nav.audit', visible: () => can('audit:read'), show: auditView },
  { path: 'server-room', nav: 'nav.serverRoom', visible: () => can('doors:read'), show: serverRoomView },
  { path: 'system', nav: 'nav.system', visible: () => can('health:read'), show: systemView },
  // Settings has sub-pages of its own (widgets/settings-sections.ts): one main-menu entry for all.
  { path: 'settings', nav: 'nav.settings', visible: () => can('config:manage'), show: (_params, section) => (section === 'alarm-delivery' ? alarmDeliveryView() : section === 'doors' ? doorSettingsView() : settingsView()) },
  // The alarm delivery view's old address, kept working for bookmarks: it redirects.
  { path: 'alarm-delivery', show: () => location.replace('#/settings/alarm-delivery') },
  { path: 'desk', nav: 'nav.desk', visible: () => can('cases:manage'), show: (_params, id) => (id === undefined ? deskView() : deskCaseView(id)) },
  { path: 'register', nav: 'nav.register', visible: () => can('register:read'), show: registerView },
  { path: 'account', nav: 'nav.account', userMenu: true, show: accountView },
  { path: 'totp', show: totpView },
  { path: 'reset', show: (_params, token) => passwordResetView(token) },
];

const languageSelect = document.getElementById('language') as HTMLSelectElement;
languageSelect.addEventListener('change', () => {
  setLanguage(languageSelect.value as Language);
  void route(false);
});
setLanguage(language());
startRouter({
  routes,
  home: '#/calls',
  signedOut: (view, id) => (view === 'reset' ? passwordResetView(id) : signedOutView(view, loginView)),
  signIn: loginView,
  // A session whose roles need a second factor: enrol it first, or sign in with it.
  onlyPage: (me) => (me.totpEnrollmentOnly ? totpView : me.stepUpRequired ? stepUpView : undefined),
  forgetSession: forgetEnrolment,
});
