// The door-access settings on the Settings view: the sources (webhook, pull feed, OSDP reader) and the policies around them.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { form } from './form.js';
import { ROLES, roleName } from './roles.js';
import { say } from './status.js';

interface Source { id: string; name: string; kind: 'webhook' | 'pull' | 'osdp'; doors: string[]; secretSet: boolean; enabled: boolean; pull?: Record<string, unknown>; osdp?: Record<string, unknown> }
interface DoorSettings { sources: Source[]; serverRoomDoors: string[]; maxStayHours: number; listeningRoom: { name: string; doors: string[]; withinMinutes: number }; onSiteListeningRoles: string[]; consoleAddresses: string[]; silentMinutes: number; retentionMonths: number }

const list = (value: string): string[] => value.split(',').map((item) => item.trim()).filter((item) => item !== '');

export async function doorSettingsEditor(): Promise<HTMLElement> {
  const { settings } = await api<{ settings: DoorSettings }>('GET', '/doors/settings');
  const body = h('tbody', {});
  const addRow = (source?: Source): void => {
    const index = body.children.length;
    const input = (name: string, value: string, label: string, extra: Record<string, string> = {}): HTMLElement => h('td', {}, h('input', { name: `${name}-${index}`, value, 'aria-label': label, class: `source-${name}`, ...extra }));
    const kind = h('select', { 'aria-label': t('doorSettings.kind'), class: 'source-kind' }, ...(['webhook', 'pull', 'osdp'] as const).map((k) => h('option', { value: k, ...(source?.kind === k ? { selected: true } : {}) }, k)));
    const row = h('tr', {},
      input('id', source?.id ?? '', t('doorSettings.id')),
      input('name', source?.name ?? '', t('doorSettings.name')),
      h('td', {}, kind),
      input('doors', source?.doors.join(', ') ?? '', t('doorSettings.doors')),
      input('secret', '', t('doorSettings.secret'), { type: 'password', autocomplete: 'new-password', placeholder: source?.secretSet === true ? '••••••' : '' }),
      input('url', String(source?.pull?.url ?? ''), t('doorSettings.url')),
      input('fingerprint', String(source?.pull?.fingerprint256 ?? ''), t('doorSettings.fingerprint')),
    );
    // What the form does not show (an OSDP reader's line, a pull source's CA) is kept as it was.
    (row as HTMLElement & { original?: Source }).original = source;
    row.append(h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, t('doorSettings.remove'))));
    body.append(row);
  };
  settings.sources.forEach((source) => addRow(source));
  const value = (row: Element, name: string): string => (row.querySelector(`.source-${name}`) as HTMLInputElement | HTMLSelectElement).value.trim();
  const number = (name: string, n: number): HTMLInputElement => h('input', { name, type: 'number', min: '1', value: String(n) });
  const inputs = {
    serverRoomDoors: h('input', { name: 'serverRoomDoors', value: settings.serverRoomDoors.join(', ') }),
    maxStayHours: number('maxStayHours', settings.maxStayHours),
    listeningDoors: h('input', { name: 'listeningDoors', value: settings.listeningRoom.doors.join(', ') }),
    withinMinutes: number('withinMinutes', settings.listeningRoom.withinMinutes),
    consoleAddresses: h('input', { name: 'consoleAddresses', value: settings.consoleAddresses.join(', ') }),
    silentMinutes: number('silentMinutes', settings.silentMinutes),
    retentionMonths: number('retentionMonths', settings.retentionMonths),
  };
  const roleBoxes = ROLES.map((role) => h('label', {}, h('input', { type: 'checkbox', name: 'onSiteRoles', value: role, ...(settings.onSiteListeningRoles.includes(role) ? { checked: true } : {}) }), ` ${roleName(role)}`));
  return form(
    async (data) => {
      const sources = [...body.querySelectorAll('tr')].map((row) => {
        const original = (row as HTMLElement & { original?: Source }).original;
        const kind = value(row, 'kind') as Source['kind'];
        const secret = value(row, 'secret');
        const { secretSet: _set, ...kept } = original ?? { secretSet: false };
        return {
          ...kept,
          id: value(row, 'id'),
          name: value(row, 'name'),
          kind,
          doors: list(value(row, 'doors')),
          enabled: original?.enabled ?? true,
          ...(secret === '' ? {} : { secret }),
          ...(kind === 'pull' ? { pull: { ...original?.pull, url: value(row, 'url'), ...(value(row, 'fingerprint') === '' ? {} : { fingerprint256: value(row, 'fingerprint') }) } } : {}),
        };
      });
      await api('PUT', '/doors/settings', {
        sources,
        serverRoomDoors: list(inputs.serverRoomDoors.value),
        maxStayHours: Number(inputs.maxStayHours.value),
        listeningRoom: { name: settings.listeningRoom.name, doors: list(inputs.listeningDoors.value), withinMinutes: Number(inputs.withinMinutes.value) },
        onSiteListeningRoles: data.getAll('onSiteRoles').map(String),
        consoleAddresses: list(inputs.consoleAddresses.value),
        silentMinutes: Number(inputs.silentMinutes.value),
        retentionMonths: Number(inputs.retentionMonths.value),
      });
      say(t('doorSettings.saved'));
    },
    h('h2', {}, t('doorSettings.title')),
    h('h3', {}, t('doorSettings.sources')),
    h('table', { id: 'door-sources' }, h('thead', {}, h('tr', {}, ...(['doorSettings.id', 'doorSettings.name', 'doorSettings.kind', 'doorSettings.doors', 'doorSettings.secret', 'doorSettings.url', 'doorSettings.fingerprint'] as const).map((key) => h('th', {}, t(key))), h('th', {}, ''))), body),
    h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'add-door-source', onclick: () => addRow() }, t('doorSettings.addSource'))),
    h('div', { class: 'fields' },
      field('door-serverRoomDoors', t('doorSettings.serverRoomDoors'), inputs.serverRoomDoors),
      field('door-maxStayHours', t('doorSettings.maxStayHours'), inputs.maxStayHours),
      field('door-listeningDoors', t('doorSettings.listeningDoors'), inputs.listeningDoors),
      field('door-withinMinutes', t('doorSettings.withinMinutes'), inputs.withinMinutes),
      field('door-consoleAddresses', t('doorSettings.consoleAddresses'), inputs.consoleAddresses),
      field('door-silentMinutes', t('doorSettings.silentMinutes'), inputs.silentMinutes),
      field('door-retentionMonths', t('doorSettings.retentionMonths'), inputs.retentionMonths),
    ),
    h('fieldset', {}, h('legend', {}, t('doorSettings.onSiteRoles')), ...roleBoxes),
    h('p', {}, h('button', { type: 'submit', id: 'save-door-settings' }, t('doorSettings.save'))),
  );
}
