// The registrar's desk: the cases, what is due first at the top, and a new case.
import { api } from '../api.js';
import type { DeskCase } from '../desk-types.js';
import { field, h } from '../dom.js';
import { formatTime, t, type MessageKey } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { form, text } from '../widgets/form.js';
import { say } from '../widgets/status.js';

const KINDS = ['access-request', 'police-request', 'research', 'erasure-objection'] as const;

export async function deskView(): Promise<void> {
  const show = screen();
  const { cases } = await api<{ cases: DeskCase[] }>('GET', '/cases');
  const rows = cases.map((item) =>
    h('tr', { class: `case-row ${item.status}` },
      h('td', {}, item.deadline === null ? t('desk.noDeadline') : formatTime(item.deadline)),
      h('td', {}, h('a', { href: `#/desk/${item.id}` }, t(`kind.${item.kind}` as MessageKey))),
      h('td', {}, item.legalBasis.reference),
      h('td', {}, item.requester.name),
      h('td', {}, t(`status.${item.status}` as MessageKey)),
    ),
  );
  const table = cases.length === 0
    ? h('p', {}, t('desk.none'))
    : h('table', { id: 'cases' },
        h('thead', {}, h('tr', {}, ...(['desk.deadline', 'desk.kind', 'desk.reference', 'desk.requester', 'desk.status'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, ...rows));
  show(
    t('desk.title'),
    h('p', {}, t('desk.dueFirst')),
    table,
    h('h2', {}, t('desk.new')),
    form(
      async (data) => {
        const caller = text(data, 'caller');
        const agent = text(data, 'agent');
        const contact = text(data, 'contact');
        const { case: opened } = await api<{ case: DeskCase }>('POST', '/cases', {
          kind: text(data, 'kind'),
          requester: { name: text(data, 'requester'), ...(contact === '' ? {} : { contact }) },
          ...(caller === '' && agent === '' ? {} : { subject: caller !== '' ? { caller } : { agent } }),
          legalBasis: { text: text(data, 'basis'), reference: text(data, 'reference') },
        });
        say(t('desk.opened'), false, true);
        navigate(`#/desk/${opened.id}`);
      },
      h('div', { class: 'fields' },
        field('case-kind', t('desk.kind'), h('select', { name: 'kind' }, ...KINDS.map((kind) => h('option', { value: kind }, t(`kind.${kind}`))))),
        field('case-requester', t('desk.requester'), h('input', { name: 'requester', required: true })),
        field('case-contact', t('desk.contact'), h('input', { name: 'contact' })),
        field('case-caller', t('desk.subjectCaller'), h('input', { name: 'caller', inputmode: 'tel' })),
        field('case-agent', t('desk.subjectAgent'), h('input', { name: 'agent', inputmode: 'numeric' })),
        field('case-basis', t('desk.basis'), h('input', { name: 'basis', required: true })),
        field('case-reference', t('desk.reference'), h('input', { name: 'reference', required: true })),
      ),
      h('button', { type: 'submit', id: 'case-open' }, t('desk.open')),
    ),
  );
}
