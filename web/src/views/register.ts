// The register description (registrar, maintainers): each promise P1-P14 with its text, its
// check's status in words (never by colour alone), the measured value and the limit, as the
// service measured them now; the record of processing; links to the printable HTML and PDF.
import { api } from '../api.js';
import { h } from '../dom.js';
import { language, t } from '../i18n.js';
import { screen } from '../router.js';

type CheckStatus = 'pass' | 'fail' | 'not-checkable';

interface PromiseLine { promise: string; text: string; status: CheckStatus; statusText: string; measured: string; limit: string | null }
interface Labelled { label: string; value: string }

export interface RegisterDocument {
  title: string;
  intro: string;
  generated: string;
  identity: Labelled[];
  summary: { promises: number; passed: number; failed: number; notCheckable: number; text: string };
  sections: Array<{ id: string; heading: string; paragraphs: string[]; promises: PromiseLine[] }>;
  record: { heading: string; intro: string; rows: Labelled[] };
}

/** The document in the UI's language, measured now by the service. */
export function fetchRegister(): Promise<RegisterDocument> {
  return api<RegisterDocument>('GET', `/register?lang=${language()}`);
}

const STATUS_CLASS: Record<CheckStatus, string> = { pass: 'ok', fail: 'error', 'not-checkable': 'hint' };

function promiseItem(line: PromiseLine): HTMLElement {
  return h('li', { id: `promise-${line.promise}`, class: `promise promise-${line.status}` },
    h('p', {}, h('strong', {}, `${line.promise}. `), line.text),
    h('dl', { class: 'details' },
      h('dt', {}, t('register.measured')),
      h('dd', {}, h('strong', { class: `check-status ${STATUS_CLASS[line.status]}` }, `${t(`register.status.${line.status}`)}: `), line.measured),
      ...(line.limit === null ? [] : [h('dt', {}, t('register.limit')), h('dd', {}, line.limit)]),
    ),
  );
}

function labelled(rows: Labelled[], id: string): HTMLElement {
  return h('dl', { class: 'details', id }, ...rows.flatMap((row) => [h('dt', {}, row.label), h('dd', {}, row.value)]));
}

export async function registerView(): Promise<void> {
  const show = screen();
  const doc = await fetchRegister();
  const base = '/api/v1/register';
  show(
    t('nav.register'),
    h('p', { class: 'hint' }, t('register.help')),
    h('h2', {}, doc.title),
    h('p', {}, doc.intro),
    labelled(doc.identity, 'register-identity'),
    h('p', {}, doc.generated),
    h('p', { id: 'register-summary', class: doc.summary.failed > 0 ? 'error' : 'ok' }, h('strong', {}, doc.summary.text)),
    h('section', { class: 'panel', id: 'register-prints', 'aria-labelledby': 'register-prints-title' },
      h('h2', { id: 'register-prints-title' }, t('register.print')),
      h('ul', {},
        h('li', {}, h('a', { href: `${base}/print.html?lang=fi`, target: '_blank', rel: 'noopener' }, t('register.html.fi'))),
        h('li', {}, h('a', { href: `${base}/print.html?lang=en`, target: '_blank', rel: 'noopener' }, t('register.html.en'))),
        h('li', {}, h('a', { href: `${base}/print.pdf?lang=fi`, download: '' }, t('register.pdf.fi'))),
        h('li', {}, h('a', { href: `${base}/print.pdf?lang=en`, download: '' }, t('register.pdf.en'))),
      ),
    ),
    ...doc.sections.map((section) =>
      h('section', { id: `register-${section.id}`, 'aria-labelledby': `register-${section.id}-title` },
        h('h2', { id: `register-${section.id}-title` }, section.heading),
        ...section.paragraphs.map((text) => h('p', {}, text)),
        ...(section.promises.length === 0 ? [] : [h('ul', { class: 'promises' }, ...section.promises.map(promiseItem))]),
      ),
    ),
    h('section', { id: 'register-record', 'aria-labelledby': 'register-record-title' },
      h('h2', { id: 'register-record-title' }, doc.record.heading),
      h('p', {}, doc.record.intro),
      labelled(doc.record.rows, 'register-record-rows'),
    ),
  );
}
