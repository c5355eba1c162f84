// The server room: who is in now, and the door events beside the box's own hands-on events, by date and door.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { formatTime, t, tryT } from '../i18n.js';
import { screen } from '../router.js';
import { helsinkiWallTimeToIso } from '../time.js';

interface Person { userId: string | null; displayName: string | null; visitorTag: string | null; state: 'in' | 'unknown'; since: string; door: string }
interface DoorEvent { kind: string; door: string; direction: 'in' | 'out' | null; occurredAt: string; displayName: string | null; card: string | null; userId: string | null }
interface BoxEvent { time: string; action: string; presentUsers: string[]; presentVisitors: number }

export async function serverRoomView(params: URLSearchParams): Promise<void> {
  const show = screen();
  // The address keeps Helsinki wall time (as the calls search does); the API takes UTC instants.
  const query = new URLSearchParams();
  for (const name of ['from', 'to'] as const) {
    const iso = helsinkiWallTimeToIso(params.get(name) ?? '');
    if (iso !== undefined) query.set(name, iso);
  }
  const chosenDoor = params.get('door');
  if (chosenDoor !== null && chosenDoor !== '') query.set('door', chosenDoor);
  const [presence, timeline] = await Promise.all([
    api<{ watching: boolean; people: Person[] }>('GET', '/doors/presence'),
    api<{ doorEvents: DoorEvent[]; boxEvents: BoxEvent[] }>('GET', `/doors/timeline${query.size > 0 ? `?${query.toString()}` : ''}`),
  ]);
  const names = new Map<string, string>();
  for (const event of timeline.doorEvents) if (event.userId !== null && event.displayName !== null) names.set(event.userId, event.displayName);
  for (const person of presence.people) if (person.userId !== null && person.displayName !== null) names.set(person.userId, person.displayName);
  const who = (person: { displayName: string | null; visitorTag?: string | null; card?: string | null }): string => person.displayName ?? t('doors.visitor', { tag: person.visitorTag ?? person.card?.slice(5, 11) ?? '' });
  const doors = [...new Set(timeline.doorEvents.map((event) => event.door))].sort();
  const from = h('input', { type: 'datetime-local', name: 'from', value: params.get('from') ?? '' });
  const to = h('input', { type: 'datetime-local', name: 'to', value: params.get('to') ?? '' });
  const door = h('select', { name: 'door' }, h('option', { value: '' }, t('doors.allDoors')), ...doors.map((name) => h('option', { value: name, ...(params.get('door') === name ? { selected: true } : {}) }, name)));
  const filters = h('form', { class: 'panel filters', id: 'server-room-filters' },
    h('div', { class: 'fields' }, field('doors-from', t('doors.from'), from), field('doors-to', t('doors.to'), to), field('doors-door', t('doors.door'), door)),
    h('button', { type: 'submit' }, t('doors.filter')));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (from.value !== '') next.set('from', from.value);
    if (to.value !== '') next.set('to', to.value);
    if (door.value !== '') next.set('door', door.value);
    location.hash = `#/server-room${next.size > 0 ? `?${next.toString()}` : ''}`;
  });
  show(
    t('doors.title'),
    h('p', { class: 'notice', hidden: presence.watching }, t('doors.notWatching')),
    h('h2', {}, t('doors.inNow')),
    presence.people.length === 0
      ? h('p', { id: 'nobody-in' }, t('doors.nobody'))
      : h('table', { id: 'people-in' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('doors.person')), h('th', { scope: 'col' }, t('doors.state')), h('th', { scope: 'col' }, t('doors.since')), h('th', { scope: 'col' }, t('doors.door')))),
          h('tbody', {}, ...presence.people.map((person) => h('tr', {}, h('td', {}, who(person)), h('td', { class: person.state === 'in' ? 'ok' : 'error' }, t(`doors.state.${person.state}`)), h('td', {}, formatTime(person.since)), h('td', {}, person.door))))),
    h('h2', {}, t('doors.timeline')),
    filters,
    h('div', { class: 'side-by-side' },
      h('section', { id: 'door-events' }, h('h3', {}, t('doors.doorEvents')),
        timeline.doorEvents.length === 0 ? h('p', {}, t('doors.noEvents')) : h('ul', {}, ...timeline.doorEvents.map((event) => h('li', {}, `${formatTime(event.occurredAt)} ${event.door}: ${tryT(`doors.kind.${event.kind}`) ?? event.kind}${event.direction === null ? '' : ` (${t(`doors.dir.${event.direction}`)})`}${event.card === null ? '' : ` – ${who(event)}`}`)))),
      h('section', { id: 'box-events' }, h('h3', {}, t('doors.boxEvents')),
        timeline.boxEvents.length === 0 ? h('p', {}, t('doors.noEvents')) : h('ul', {}, ...timeline.boxEvents.map((event) => {
          const present = [...event.presentUsers.map((id) => names.get(id) ?? id.slice(0, 8)), ...Array.from({ length: event.presentVisitors }, () => t('doors.visitor', { tag: '' }).trim())];
          return h('li', {}, `${formatTime(event.time)} ${tryT(`doors.box.${event.action}`) ?? event.action} – ${present.length === 0 ? t('doors.presentNobody') : t('doors.present', { who: present.join(', ') })}`);
        }))),
    ),
  );
}
