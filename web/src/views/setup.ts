// The first run: the first administrator, created with the token the service printed.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { form, newPasswordField, text } from '../widgets/form.js';
import { say } from '../widgets/status.js';

export function setupView(): void {
  const show = screen();
  show(
    t('setup.title'),
    h('p', {}, t('setup.help')),
    form(
      async (data) => {
        await api('POST', '/setup', { token: text(data, 'token'), username: text(data, 'username'), displayName: text(data, 'displayName'), password: String(data.get('password')) });
        say(t('setup.done'), false, true);
        navigate('#/login');
      },
      h('div', { class: 'fields' },
        field('token', t('setup.token'), h('input', { name: 'token', required: true, autocomplete: 'off' })),
        field('username', t('login.username'), h('input', { name: 'username', required: true, autocomplete: 'username' })),
        field('displayName', t('setup.displayName'), h('input', { name: 'displayName', required: true })),
        newPasswordField('password', t('login.password')),
        h('div', {}, h('button', { type: 'submit' }, t('setup.submit'))),
      ),
    ),
  );
}

/** No session: the first-run setup while no administrator exists, otherwise the sign-in page. */
export async function signedOutView(view: string | undefined, signIn: () => void): Promise<void> {
  if (view === 'setup') return setupView();
  const { pending } = await api<{ pending: boolean }>('GET', '/setup');
  return pending ? setupView() : signIn();
}
