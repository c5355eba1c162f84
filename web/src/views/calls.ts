// The calls list: a search by time, numbers and agent, a page of calls, each linking to its page.
import { api } from '../api.js';
import type { Call } from '../call-types.js';
import { field, h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { screen } from '../router.js';
import { describeRecording, duration } from '../widgets/call-facts.js';
import { form } from '../widgets/form.js';
import { pager } from '../widgets/pager.js';
import { apiQuery, searchTo } from '../widgets/search.js';

export async function callsView(params: URLSearchParams): Promise<void> {
  const show = screen();
  const page = Number(params.get('page') ?? '1');
  const result = await api<{ total: number; page: number; pageSize: number; items: Call[] }>('GET', `/calls?${apiQuery(params, ['from', 'to']).toString()}`);
  const input = (name: string, type = 'text'): HTMLInputElement => h('input', { name, type, value: params.get(name) ?? '' });
  const order = h('select', { name: 'order' },
    h('option', { value: 'desc', ...(params.get('order') !== 'asc' ? { selected: true } : {}) }, t('calls.newest')),
    h('option', { value: 'asc', ...(params.get('order') === 'asc' ? { selected: true } : {}) }, t('calls.oldest')),
  );
  const search = form(
    searchTo('calls'),
    h('div', { class: 'fields' },
      field('from', t('calls.from'), input('from', 'datetime-local')),
      field('to', t('calls.to'), input('to', 'datetime-local')),
      field('caller', t('calls.caller'), input('caller')),
      field('service', t('calls.service'), input('service')),
      field('agent', t('calls.agent'), input('agent')),
      field('order', t('calls.order'), order),
      h('div', { class: 'check' }, h('input', { id: 'recorded', name: 'recorded', type: 'checkbox', value: 'true', ...(params.get('recorded') === 'true' ? { checked: true } : {}) }), h('label', { for: 'recorded' }, t('calls.recorded'))),
      h('div', {}, h('button', { type: 'submit' }, t('calls.search'))),
    ),
    h('p', { class: 'hint' }, t('calls.timeZone')),
  );
  const rows = result.items.map((call) =>
    h('tr', {},
      h('td', { class: 'time' }, h('a', { href: `#/calls/${call.callId}` }, formatTime(call.startedAt))),
      h('td', {}, duration(call)),
      h('td', {}, call.callerNumber ?? t('call.withheld')),
      h('td', {}, call.serviceNumber ?? '–'),
      h('td', {}, call.agentName ?? call.agentExtension),
      h('td', {}, describeRecording(call)),
    ),
  );
  show(
    t('calls.title'),
    search,
    h('p', { id: 'calls-total' }, t('calls.total', { n: result.total })),
    result.items.length === 0
      ? h('p', {}, t('calls.none'))
      : h('table', { id: 'calls' }, h('thead', {}, h('tr', {}, ...(['col.start', 'col.duration', 'col.caller', 'col.service', 'col.agent', 'col.recording'] as const).map((key) => h('th', { scope: 'col' }, t(key))))), h('tbody', {}, ...rows)),
    pager('calls', params, page, Math.max(1, Math.ceil(result.total / result.pageSize))),
  );
}
