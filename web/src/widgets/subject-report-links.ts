// The data subject's report (P14) of a case, as links the registrar's desk shows under a data
// subject's request: the printable HTML opens in a new tab, the PDF downloads; Finnish or English.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function subjectReportLinks(caseId: string): HTMLElement {
  const base = `/api/v1/cases/${encodeURIComponent(caseId)}`;
  return h('section', { class: 'panel', id: 'subject-report', 'aria-labelledby': 'subject-report-title' },
    h('h2', { id: 'subject-report-title' }, t('report.title')),
    h('ul', {},
      h('li', {}, h('a', { href: `${base}/report.html?lang=fi`, target: '_blank', rel: 'noopener' }, t('report.html.fi'))),
      h('li', {}, h('a', { href: `${base}/report.html?lang=en`, target: '_blank', rel: 'noopener' }, t('report.html.en'))),
      h('li', {}, h('a', { href: `${base}/report.pdf?lang=fi`, download: '' }, t('report.pdf.fi'))),
      h('li', {}, h('a', { href: `${base}/report.pdf?lang=en`, download: '' }, t('report.pdf.en'))),
    ),
  );
}
