// The calls list: a search by time, numbers, agent, tag and duration, a page of calls, each linking to
// its page. The search lives in the address (#/calls?…), so a reload, a bookmark, a call's
// "back to search" and a click on a caller or an agent in the list all keep or extend it.
import { api } from '../api.js';
import type { Call } from '../call-types.js';
import { field, h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { screen } from '../router.js';
import { DURATION_PATTERN, finnishDate, SEARCH_TIME_PATTERN } from '../time.js';
import { describeRecording, duration } from '../widgets/call-facts.js';
import { form } from '../widgets/form.js';
import { pager } from '../widgets/pager.js';
import { apiQuery, searchTo } from '../widgets/search.js';

/** This search with some fields changed (undefined removes one), back on its first page. */
function searchWith(params: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  next.delete('page');
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) next.delete(key);
    else next.set(key, value);
  }
  return `#/calls?${next.toString()}`;
}

/** Today, yesterday and the last 7 days in Helsinki time: one click each, the other filters kept. */
function presets(params: URLSearchParams): HTMLElement {
  const now = Date.now();
  const today = finnishDate(now);
  const choices = [
    { label: t('search.today'), from: today, to: today },
    { label: t('search.yesterday'), from: finnishDate(now, 1), to: finnishDate(now, 1) },
    { label: t('search.week'), from: finnishDate(now, 6), to: today },
  ];
  return h('div', { class: 'presets', role: 'group', 'aria-label': t('search.presets') },
    ...choices.map(({ label, from, to }) => {
      const current = params.get('from') === from && params.get('to') === to;
      return h('a', { href: searchWith(params, { from, to }), class: 'preset', ...(current ? { 'aria-current': 'true' } : {}) }, label);
    }),
  );
}

export async function callsView(params: URLSearchParams): Promise<void> {
  const show = screen();
  const page = Number(params.get('page') ?? '1');
  const result = await api<{ total: number; page: number; pageSize: number; items: Call[] }>('GET', `/calls?${apiQuery(params, ['from', 'to'], ['minDuration', 'maxDuration']).toString()}`);
  const input = (name: string, attrs: Record<string, string> = {}): HTMLInputElement => h('input', { name, type: 'text', value: params.get(name) ?? '', ...attrs });
  // Text fields in the Finnish format whatever the browser's locale (a date input follows the
  // browser's), one tab stop each (a date input takes one per part).
  const timeInput = (name: string): HTMLInputElement => input(name, { pattern: SEARCH_TIME_PATTERN, autocomplete: 'off', 'aria-describedby': 'date-help', placeholder: 'pp.kk.vvvv' });
  const durationInput = (name: string): HTMLInputElement => input(name, { pattern: DURATION_PATTERN, inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': 'duration-help', class: 'short' });
  const order = h('select', { name: 'order' },
    h('option', { value: 'desc', ...(params.get('order') !== 'asc' ? { selected: true } : {}) }, t('calls.newest')),
    h('option', { value: 'asc', ...(params.get('order') === 'asc' ? { selected: true } : {}) }, t('calls.oldest')),
  );
  const search = form(
    searchTo('calls'),
    presets(params),
    h('div', { class: 'fields' },
      field('from', t('search.from'), timeInput('from')),
      field('to', t('search.to'), timeInput('to')),
      field('caller', t('calls.caller'), input('caller', { inputmode: 'tel' })),
      field('service', t('calls.service'), input('service', { inputmode: 'tel' })),
      field('agent', t('calls.agent'), input('agent')),
      field('tag', t('search.tag'), input('tag', { autocomplete: 'off' })),
      h('div', { class: 'pair' },
        field('minDuration', t('search.minDuration'), durationInput('minDuration')),
        field('maxDuration', t('search.maxDuration'), durationInput('maxDuration')),
      ),
      field('order', t('calls.order'), order),
      h('div', { class: 'check' }, h('input', { id: 'recorded', name: 'recorded', type: 'checkbox', value: 'true', ...(params.get('recorded') === 'true' ? { checked: true } : {}) }), h('label', { for: 'recorded' }, t('calls.recorded'))),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('calls.search')), h('a', { href: '#/calls', id: 'clear-search' }, t('search.clear'))),
    ),
    h('p', { class: 'hint', id: 'date-help' }, t('search.dateHelp')),
    h('p', { class: 'hint', id: 'duration-help' }, t('search.durationHelp')),
  );
  // A call's link carries the search, so its "back to search" returns to this very list.
  const searchQuery = params.toString();
  const rows = result.items.map((call) => {
    const agent = call.agentName ?? call.agentExtension;
    return h('tr', {},
      h('td', { class: 'time' }, h('a', { href: `#/calls/${call.callId}${searchQuery === '' ? '' : `?${searchQuery}`}`, class: 'open-call' }, formatTime(call.startedAt))),
      h('td', { class: 'duration' }, duration(call)),
      h('td', { class: 'number' }, call.callerNumber === null ? t('call.withheld') : h('a', { href: searchWith(params, { caller: call.callerNumber }), class: 'filter-caller', title: t('search.byCaller', { number: call.callerNumber }) }, call.callerNumber)),
      h('td', { class: 'number' }, call.serviceNumber ?? '–'),
      h('td', {}, h('a', { href: searchWith(params, { agent: call.agentExtension }), class: 'filter-agent', title: t('search.byAgent', { agent }) }, agent)),
      h('td', {}, describeRecording(call)),
    );
  });
  show(
    t('calls.title'),
    search,
    h('p', { id: 'calls-total' }, t('calls.total', { n: result.total })),
    result.items.length === 0
      ? h('p', {}, t('calls.none'))
      : h('div', { class: 'table-wrap' }, h('table', { id: 'calls' }, h('thead', {}, h('tr', {}, ...(['col.start', 'col.duration', 'col.caller', 'col.service', 'col.agent', 'col.recording'] as const).map((key) => h('th', { scope: 'col' }, t(key))))), h('tbody', {}, ...rows))),
    pager('calls', params, page, Math.max(1, Math.ceil(result.total / result.pageSize))),
  );
}
