// My account: a new password (the session ends, sign in again) and the state of the second factor.
import { api, setCsrfToken } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { currentUser, forgetUser } from '../session.js';
import { form, newPasswordField } from '../widgets/form.js';
import { say } from '../widgets/status.js';

export function accountView(): void {
  const show = screen();
  const me = currentUser();
  show(
    t('account.title'),
    form(
      async (data) => {
        await api('POST', '/me/password', { currentPassword: String(data.get('current')), newPassword: String(data.get('new')) });
        forgetUser();
        setCsrfToken(undefined);
        say(t('account.changed'), false, true);
        navigate('#/login');
      },
      h('div', { class: 'fields' },
        field('current', t('account.current'), h('input', { name: 'current', type: 'password', required: true, autocomplete: 'current-password' })),
        newPasswordField('new', t('account.new'), { name: 'new' }),
        h('div', {}, h('button', { type: 'submit' }, t('account.submit'))),
      ),
    ),
    h('section', { class: 'panel' },
      h('h2', {}, t('account.totp')),
      h('p', { id: 'totp-state' }, me?.totpEnabled === true ? t('account.totpOn') : t('account.totpOff')),
      h('p', {}, h('a', { href: '#/totp', id: 'totp-link' }, me?.totpEnabled === true ? t('account.totpReplace') : t('account.totpSetUp'))),
    ),
  );
}
