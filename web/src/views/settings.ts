// Settings, general: the agent directory, the recorded service numbers, the retention time.
// Alarm delivery and door access are the other sub-pages (widgets/settings-sections.ts).
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { screen } from '../router.js';
import { form } from '../widgets/form.js';
import { say } from '../widgets/status.js';
import { settingsSections } from '../widgets/settings-sections.js';

interface Settings {
  agents: Array<{ extension: string; name: string; phone: string }>;
  recordedServiceNumbers: string[];
  retentionMonths: number;
}

export async function settingsView(): Promise<void> {
  const show = screen();
  const { settings } = await api<{ settings: Settings }>('GET', '/settings');
  const body = h('tbody', {});
  const addRow = (agent = { extension: '', name: '', phone: '' }): void => {
    const index = body.children.length;
    const cell = (name: string, value: string, label: string): HTMLElement => h('td', {}, h('input', { name: `${name}-${index}`, value, 'aria-label': label, class: `agent-${name}` }));
    const row = h('tr', {}, cell('extension', agent.extension, t('settings.extension')), cell('name', agent.name, t('settings.name')), cell('phone', agent.phone, t('settings.phone')));
    row.append(h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, t('settings.remove'))));
    body.append(row);
  };
  settings.agents.forEach((agent) => addRow(agent));
  const months = h('select', { name: 'retentionMonths', id: 'retentionMonths' }, ...[1, 2, 3].map((n) => h('option', { value: String(n), ...(n === settings.retentionMonths ? { selected: true } : {}) }, t('settings.months', { n }))));
  show(
    t('settings.title'),
    settingsSections('general'),
    form(
      async () => {
        const agents = [...body.querySelectorAll('tr')].map((row) => ({
          extension: (row.querySelector('.agent-extension') as HTMLInputElement).value.trim(),
          name: (row.querySelector('.agent-name') as HTMLInputElement).value.trim(),
          phone: (row.querySelector('.agent-phone') as HTMLInputElement).value.trim(),
        })).filter((agent) => agent.extension !== '' || agent.name !== '' || agent.phone !== '');
        const numbers = (document.getElementById('recorded-numbers') as HTMLTextAreaElement).value.split('\n').map((line) => line.trim()).filter((line) => line !== '');
        await api('PUT', '/settings', { agents, recordedServiceNumbers: numbers, retentionMonths: Number(months.value) });
        say(t('settings.saved'));
      },
      h('h2', {}, t('settings.agents')),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('settings.extension')), h('th', {}, t('settings.name')), h('th', {}, t('settings.phone')), h('th', {}, ''))), body),
      h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'add-agent', onclick: () => addRow() }, t('settings.addAgent'))),
      h('h2', {}, t('settings.numbers')),
      h('p', {}, t('settings.numbersHelp')),
      field('recorded-numbers', t('settings.numbers'), h('textarea', { rows: '4', cols: '30' }, settings.recordedServiceNumbers.join('\n'))),
      h('h2', {}, t('settings.retention')),
      h('p', {}, t('settings.retentionHelp')),
      field('retentionMonths', t('settings.retention'), months),
      h('p', {}, h('button', { type: 'submit' }, t('settings.save'))),
    ),
  );
}
