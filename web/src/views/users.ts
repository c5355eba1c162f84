// The users: their roles, extensions and state; a new user; another user's second factor reset.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';
import { screen } from '../router.js';
import { currentUser } from '../session.js';
import { form, text } from '../widgets/form.js';
import { withReauth } from '../widgets/reauth.js';
import { ROLES, roleName } from '../widgets/roles.js';
import { errorText, say } from '../widgets/status.js';
import { doorCardEnrolment } from '../widgets/door-card.js';

export async function usersView(): Promise<void> {
  const show = screen();
  const me = currentUser();
  const { users } = await api<{ users: Array<{ id: string; username: string; displayName: string; roles: string[]; extensions: string[]; disabled: boolean; totpEnabled: boolean }> }>('GET', '/users');
  const rows = users.map((user) =>
    h('tr', {},
      h('td', {}, user.username),
      h('td', {}, user.displayName),
      h('td', {}, user.id === me?.id ? user.roles.map(roleName).join(', ') : roleEditor(user)),
      h('td', {}, user.extensions.join(', ')),
      h('td', {},
        user.id === me?.id ? '' : h('button', { class: 'secondary', type: 'button', onclick: () => void toggle(user.id, !user.disabled) }, user.disabled ? t('users.enable') : t('users.disable')),
        user.disabled ? ` ${t('users.disabled')}` : '',
        user.id !== me?.id && user.totpEnabled ? h('button', { class: 'secondary reset-totp', type: 'button', 'data-user': user.username, onclick: () => void resetTotp(user.id) }, t('users.resetTotp')) : '',
      ),
    ),
  );
  /** Another user's second factor goes (a lost phone): their sessions end and they enrol again. */
  const resetTotp = async (id: string): Promise<void> => {
    try {
      await withReauth(() => api('DELETE', `/users/${id}/totp`));
      say(t('users.totpReset'));
      await usersView();
    } catch (err) {
      say(errorText(err), true);
    }
  };
  function roleEditor(user: { id: string; username: string; roles: string[] }): HTMLElement {
    const select = h('select', { 'aria-label': `${t('users.roles')}: ${user.username}`, class: 'role-select', 'data-user': user.username },
      ...ROLES.map((role) => h('option', { value: role, ...(user.roles[0] === role ? { selected: true } : {}) }, roleName(role))));
    select.addEventListener('change', () => {
      // A role change ends the user's sessions: they sign in again with the new roles and are told.
      withReauth(() => api('PATCH', `/users/${user.id}`, { roles: [select.value] })).then(
        () => say(t('users.rolesChanged')),
        (err: unknown) => {
          say(errorText(err), true);
          // The list shows again what the service holds.
          void usersView().catch(() => undefined);
        },
      );
    });
    return user.roles.length > 1 ? h('span', {}, select, ` + ${user.roles.slice(1).map(roleName).join(', ')}`) : select;
  }
  const toggle = async (id: string, disabled: boolean): Promise<void> => {
    try {
      await withReauth(() => api('PATCH', `/users/${id}`, { disabled }));
      await usersView();
    } catch (err) {
      say(errorText(err), true);
    }
  };
  const roleBoxes = ROLES.map((role) => h('label', {}, h('input', { type: 'checkbox', name: 'roles', value: role }), ` ${roleName(role)}`));
  show(
    t('users.title'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['users.username', 'users.displayName', 'users.roles', 'users.extensions', 'users.state'].map((key) => h('th', { scope: 'col' }, t(key as MessageKey))))), h('tbody', {}, ...rows)),
    h('h2', {}, t('users.create')),
    form(
      async (data) => {
        const extensions = text(data, 'extensions').split(',').map((e) => e.trim()).filter((e) => e !== '');
        await withReauth(() => api('POST', '/users', { username: text(data, 'username'), displayName: text(data, 'displayName'), roles: data.getAll('roles').map(String), password: String(data.get('password')), ...(extensions.length > 0 ? { extensions } : {}) }));
        say(t('users.created'));
        await usersView();
      },
      h('div', { class: 'fields' },
        field('new-username', t('users.username'), h('input', { name: 'username', required: true, autocomplete: 'off' })),
        field('new-displayName', t('users.displayName'), h('input', { name: 'displayName', required: true })),
        field('new-extensions', t('users.extensions'), h('input', { name: 'extensions' })),
        field('new-password', t('users.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
      ),
      h('fieldset', {}, h('legend', {}, t('users.roles')), ...roleBoxes),
      h('button', { type: 'submit' }, t('users.submit')),
    ),
    doorCardEnrolment(users),
  );
}
