// Access-card enrolment on the Users view: a typed card number, or the next card read at a door's reader.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { form, text } from './form.js';
import { errorText, say } from './status.js';

interface Enrolment { enrolled: boolean; enrolledAt: string | null; waiting: { door: string; until: string } | null }

export function doorCardEnrolment(users: ReadonlyArray<{ id: string; username: string; displayName: string }>): HTMLElement {
  const user = h('select', { name: 'user' }, ...users.map((u) => h('option', { value: u.id }, `${u.displayName} (${u.username})`)));
  const state = h('p', { id: 'card-state', role: 'status' });
  const showState = (enrolment: Enrolment): void => {
    state.textContent = enrolment.waiting !== null
      ? t('card.waiting', { door: enrolment.waiting.door, until: formatTime(enrolment.waiting.until) })
      : enrolment.enrolled ? t('card.enrolled', { when: formatTime(enrolment.enrolledAt) }) : t('card.none');
  };
  const refresh = (): void => {
    api<Enrolment>('GET', `/users/${user.value}/door-card`).then(showState, (err: unknown) => say(errorText(err), true));
  };
  user.addEventListener('change', refresh);
  if (users.length > 0) refresh();
  return h('section', { id: 'door-cards' },
    h('h2', {}, t('card.title')),
    field('card-user', t('card.user'), user),
    state,
    form(async (data) => {
      showState(await api<Enrolment>('PUT', `/users/${user.value}/door-card`, { card: text(data, 'card') }));
    }, field('card-number', t('card.typed'), h('input', { name: 'card', required: true, autocomplete: 'off', pattern: '[0-9A-Za-z:-]{1,64}' })), h('button', { type: 'submit' }, t('card.enrolTyped'))),
    form(async (data) => {
      showState(await api<Enrolment>('PUT', `/users/${user.value}/door-card`, { nextAtDoor: text(data, 'door') }));
    }, field('card-door', t('card.door'), h('input', { name: 'door', required: true })), h('button', { type: 'submit', id: 'card-next' }, t('card.enrolNext'))),
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => void api('DELETE', `/users/${user.value}/door-card`).then(() => { say(t('card.removed')); refresh(); }, (err: unknown) => say(errorText(err), true)) }, t('card.remove'))),
  );
}
