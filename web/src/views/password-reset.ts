// Setting one's own password with the link (or its token) a maintainer gave: with no session,
// from the link `#/reset/<token>` or the sign-in page. The token leaves the address at once, so
// it stays out of the browser's history; the other sessions of the account end.
import { api, setCsrfToken } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { forgetUser } from '../session.js';
import { form, newPasswordField, text } from '../widgets/form.js';
import { say } from '../widgets/status.js';

/** The token from the link, kept for this page once it has left the address (a language switch redraws). */
let fromLink = '';

export function passwordResetView(token: string | undefined): void {
  const show = screen();
  if (token !== undefined) {
    fromLink = decodeURIComponent(token);
    history.replaceState(null, '', '#/reset');
  }
  show(
    t('reset.title'),
    h('p', {}, t('reset.help')),
    form(
      async (data) => {
        await api('POST', '/password-reset', { token: text(data, 'token'), newPassword: String(data.get('password')) });
        fromLink = '';
        forgetUser();
        setCsrfToken(undefined);
        say(t('reset.done'), false, true);
        navigate('#/login');
      },
      h('div', { class: 'fields' },
        field('reset-token', t('reset.token'), h('input', { name: 'token', required: true, autocomplete: 'off', spellcheck: 'false', value: fromLink })),
        newPasswordField('reset-password', t('reset.new')),
        h('div', {}, h('button', { type: 'submit' }, t('reset.submit'))),
      ),
    ),
  );
}
