// Signing in: the password (and the code when the account has a second factor), and the
// step-up of a session whose roles need the second factor it was not signed in with.
import { api, ApiError, setCsrfToken } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { currentUser, loadMe, takeReturnView } from '../session.js';
import { form, passwordAndCode, text } from '../widgets/form.js';
import { roleNoticeText } from '../widgets/roles.js';
import { say } from '../widgets/status.js';

export function loginView(): void {
  const show = screen();
  const totpField = field('totp', t('login.totp'), h('input', { name: 'totpCode', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}' }));
  totpField.hidden = true;
  show(
    t('login.title'),
    form(
      async (data) => {
        const code = text(data, 'totpCode');
        try {
          await api('POST', '/session', { username: text(data, 'username'), password: String(data.get('password')), ...(code === '' ? {} : { totpCode: code }) });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') totpField.hidden = false;
          throw err;
        }
        await loadMe();
        const me = currentUser();
        // The roles changed since the last sign-in: say so, on whichever page comes next.
        if (me?.roleNotice != null) say(roleNoticeText(me.roleNotice), false, true);
        // Back to the view (and its search) the ended session was on, if there was one.
        navigate(me?.totpEnrollmentOnly === true ? '#/totp' : (takeReturnView() ?? '#/calls'));
      },
      h('div', { class: 'fields' },
        field('username', t('login.username'), h('input', { name: 'username', autocomplete: 'username', required: true })),
        field('password', t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
        totpField,
        h('div', {}, h('button', { type: 'submit' }, t('login.submit'))),
      ),
    ),
    h('p', {}, h('a', { href: '#/reset', id: 'have-reset-token' }, t('login.haveToken'))),
  );
}

/** A session whose roles need the second factor it was not signed in with: the password and the code raise it. */
export function stepUpView(): void {
  const show = screen();
  show(
    t('stepup.title'),
    h('p', {}, t('stepup.help')),
    form(
      async (data) => {
        const { csrfToken } = await api<{ csrfToken: string }>('POST', '/session/reauthenticate', { password: String(data.get('password')), totpCode: text(data, 'code') });
        setCsrfToken(csrfToken);
        await loadMe();
        navigate(takeReturnView() ?? '#/calls');
      },
      h('div', { class: 'fields' }, ...passwordAndCode('stepup', t('login.totp')), h('div', {}, h('button', { type: 'submit' }, t('reauth.submit')))),
    ),
  );
}
