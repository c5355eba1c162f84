// The users: one edit form per user (name, every role, extensions, enabled or not) with an
// explicit save, and a confirmation listing the role changes before they are saved; a password
// reset link and a second-factor reset for another user; a new user, with an initial password or
// an activation link. Every button shows that it is working and cannot be pressed twice.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { formatTime, t, type MessageKey } from '../i18n.js';
import { screen } from '../router.js';
import { currentUser } from '../session.js';
import { form, newPasswordField, text, whileBusy } from '../widgets/form.js';
import { withReauth } from '../widgets/reauth.js';
import { ROLES, roleName, roleNames } from '../widgets/roles.js';
import { clearStatus, errorText, say } from '../widgets/status.js';
import { doorCardEnrolment } from '../widgets/door-card.js';

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  extensions: string[];
  disabled: boolean;
  totpEnabled: boolean;
}

interface IssuedLink {
  token: string;
  expiresAt: string;
}

/** An activation link of a user just created, shown once above the list drawn after it. */
let activationToShow: { username: string; link: IssuedLink } | null = null;

/** Extensions as typed: separated by commas or spaces. */
const extensionsOf = (typed: string): string[] => typed.split(/[\s,]+/).filter((extension) => extension !== '');

const sameList = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join() === [...b].sort().join();

/** The link the person opens (the token after the hash never reaches a server log), with its expiry. */
function linkPanel(username: string, issued: IssuedLink): HTMLElement {
  return h('div', { class: 'issued-link', 'data-user': username, role: 'status' },
    h('p', {}, t('users.resetLink', { when: formatTime(issued.expiresAt) })),
    h('p', {}, h('code', { class: 'uri reset-link' }, `${location.origin}/#/reset/${issued.token}`)),
  );
}

/** Runs a button's action once at a time, with the button saying it is working; a failure is said beside `near`. */
function busyButton(label: string, attrs: Record<string, string>, action: () => Promise<void>, near: () => Element): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', ...attrs }, label);
  button.addEventListener('click', () => {
    if (button.disabled) return;
    clearStatus();
    whileBusy([button], t('form.busy'), action).catch((err: unknown) => say(errorText(err), true, false, near()));
  });
  return button;
}

export async function usersView(params: URLSearchParams = new URLSearchParams()): Promise<void> {
  const show = screen('users');
  const me = currentUser();
  const { users } = await api<{ users: UserRow[] }>('GET', '/users');
  const redraw = (): Promise<void> => usersView(params);

  /** The edit form of one user, in a row under theirs, opened by its Edit button. */
  function editor(user: UserRow): HTMLElement {
    const self = user.id === me?.id;
    const actions = h('div', { class: 'user-actions' });
    const confirmArea = h('div', { class: 'confirm-roles', hidden: true });
    const patchOf = (data: FormData): Record<string, unknown> => {
      const patch: Record<string, unknown> = {};
      const displayName = text(data, 'displayName');
      if (displayName !== user.displayName) patch.displayName = displayName;
      const extensions = extensionsOf(text(data, 'extensions'));
      if (!sameList(extensions, user.extensions)) patch.extensions = extensions;
      const roles = data.getAll('roles').map(String);
      if (!self && !sameList(roles, user.roles)) patch.roles = roles;
      const disabled = data.get('disabled') === 'true';
      if (!self && disabled !== user.disabled) patch.disabled = disabled;
      return patch;
    };
    const save = async (patch: Record<string, unknown>): Promise<void> => {
      // Administrator and registrar roles, and their holders' state, first ask for the password and the code.
      await withReauth(() => api('PATCH', `/users/${user.id}`, patch));
      // Said once the list shows the change.
      await redraw();
      say(t('users.saved'));
    };
    const editForm = form(
      async (data) => {
        const patch = patchOf(data);
        if (Object.keys(patch).length === 0) return say(t('users.noChanges'), false, false, editForm);
        if (patch.roles === undefined) return save(patch);
        // A role change is confirmed first: what is added, what is removed, what follows.
        const after = patch.roles as string[];
        const added = after.filter((role) => !user.roles.includes(role));
        const removed = user.roles.filter((role) => !after.includes(role));
        const confirmButton = h('button', { type: 'button', class: 'confirm-save' }, t('users.confirm'));
        confirmButton.addEventListener('click', () => {
          if (confirmButton.disabled) return;
          const buttons = [confirmButton, ...editForm.querySelectorAll<HTMLButtonElement>('button')];
          whileBusy(buttons, t('users.saving'), () => save(patch)).catch((err: unknown) => say(errorText(err), true, false, editForm));
        });
        confirmArea.replaceChildren(
          h('h3', {}, t('users.confirmTitle')),
          h('ul', {},
            added.length > 0 ? h('li', { class: 'added' }, t('users.confirmAdded', { roles: roleNames(added) })) : null,
            removed.length > 0 ? h('li', { class: 'removed' }, t('users.confirmRemoved', { roles: roleNames(removed) })) : null,
          ),
          h('p', {}, t('users.confirmHelp')),
          h('div', { class: 'buttons' }, confirmButton, ' ', h('button', { type: 'button', class: 'secondary', onclick: () => {
            confirmArea.hidden = true;
          } }, t('users.cancel'))),
        );
        confirmArea.hidden = false;
        confirmButton.focus();
      },
      h('div', { class: 'fields' },
        field(`edit-name-${user.id}`, t('users.displayName'), h('input', { name: 'displayName', value: user.displayName, required: true })),
        field(`edit-extensions-${user.id}`, t('users.extensions'), h('input', { name: 'extensions', value: user.extensions.join(', '), inputmode: 'numeric' })),
        h('div', {}, h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'disabled', value: 'true', ...(user.disabled ? { checked: true } : {}), ...(self ? { disabled: true } : {}) }), ` ${t('users.accountDisabled')}`)),
      ),
      h('fieldset', {}, h('legend', {}, t('users.roles')),
        ...ROLES.map((role) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'roles', value: role, ...(user.roles.includes(role) ? { checked: true } : {}), ...(self ? { disabled: true } : {}) }), ` ${roleName(role)}`))),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'save-user' }, t('users.save'))),
      confirmArea,
    );
    editForm.dataset.user = user.username;
    editForm.dataset.busyLabel = t('users.saving');
    editForm.setAttribute('aria-label', t('users.editTitle', { name: user.username }));
    if (!self) {
      actions.append(
        busyButton(t('users.resetPassword'), { class: 'secondary reset-password', 'data-user': user.username }, async () => {
          const issued = await withReauth(() => api<IssuedLink>('POST', `/users/${user.id}/password-reset`));
          actions.querySelector('.issued-link')?.remove();
          actions.append(linkPanel(user.username, issued));
        }, () => actions),
      );
      // Another user's second factor goes (a lost phone): their sessions end and they enrol again.
      if (user.totpEnabled) {
        actions.append(' ', busyButton(t('users.resetTotp'), { class: 'secondary reset-totp', 'data-user': user.username }, async () => {
          await withReauth(() => api('DELETE', `/users/${user.id}/totp`));
          await redraw();
          say(t('users.totpReset'));
        }, () => actions));
      }
      editForm.append(actions);
    }
    return editForm;
  }

  const rows = users.flatMap((user) => {
    const editRow = h('tr', { class: 'edit-row', hidden: true }, h('td', { colspan: '6' }, editor(user)));
    const toggle = h('button', { type: 'button', class: 'secondary edit-user', 'data-user': user.username, 'aria-expanded': 'false' }, t('users.edit'));
    toggle.addEventListener('click', () => {
      editRow.hidden = !editRow.hidden;
      toggle.setAttribute('aria-expanded', String(!editRow.hidden));
      if (!editRow.hidden) editRow.querySelector<HTMLInputElement>('input')?.focus();
    });
    return [
      h('tr', { 'data-user': user.username },
        h('td', {}, user.username),
        h('td', {}, user.displayName),
        h('td', { class: 'roles' }, roleNames(user.roles)),
        h('td', {}, user.extensions.join(', ')),
        h('td', { class: 'state' }, user.disabled ? t('users.disabled') : t('users.enabled')),
        h('td', {}, toggle),
      ),
      editRow,
    ];
  });

  const activation = activationToShow;
  activationToShow = null;
  const createForm = form(
    async (data) => {
      const extensions = extensionsOf(text(data, 'extensions'));
      const password = String(data.get('password') ?? '');
      const created = await withReauth(() => api<{ user: UserRow; activation?: IssuedLink }>('POST', '/users', {
        username: text(data, 'username'),
        displayName: text(data, 'displayName'),
        roles: data.getAll('roles').map(String),
        ...(password === '' ? {} : { password }),
        ...(extensions.length > 0 ? { extensions } : {}),
      }));
      if (created.activation !== undefined) activationToShow = { username: created.user.username, link: created.activation };
      await redraw();
      say(created.activation === undefined ? t('users.created') : t('users.activationCreated'));
    },
    h('div', { class: 'fields' },
      field('new-username', t('users.username'), h('input', { name: 'username', required: true, autocomplete: 'off' })),
      field('new-displayName', t('users.displayName'), h('input', { name: 'displayName', required: true })),
      field('new-extensions', t('users.extensions'), h('input', { name: 'extensions' })),
      newPasswordField('new-password', t('users.password'), { required: false }),
    ),
    h('p', { class: 'hint' }, t('users.passwordHelp')),
    h('fieldset', {}, h('legend', {}, t('users.roles')), ...ROLES.map((role) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'roles', value: role }), ` ${roleName(role)}`))),
    h('button', { type: 'submit' }, t('users.submit')),
  );
  createForm.dataset.busyLabel = t('users.saving');
  show(
    t('users.title'),
    ...(activation === null ? [] : [h('section', { class: 'panel' }, linkPanel(activation.username, activation.link))]),
    h('table', { id: 'users' },
      h('thead', {}, h('tr', {}, ...(['users.username', 'users.displayName', 'users.roles', 'users.extensions', 'users.state'] as MessageKey[]).map((key) => h('th', { scope: 'col' }, t(key))), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('users.edit'))))),
      h('tbody', {}, ...rows),
    ),
    h('h2', {}, t('users.create')),
    createForm,
    doorCardEnrolment(users),
  );
}
