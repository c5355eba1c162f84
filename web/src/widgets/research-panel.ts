// The research disclosure of a case (P9), as a panel the registrar's desk shows under a research case:
// the return date, the content check, the package download (after re-authentication), the packages
// that left, and the institute's confirmation of destruction.
import { api, apiFile } from '../api.js';
import { field, h, replaceKeepingTyped, startDraw } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { form, text } from './form.js';
import { withReauth } from './reauth.js';
import { errorText, say } from './status.js';

interface ResearchFacts {
  returnDue: string | null;
  contentCheck: { at: string; by: string; note: string } | null;
  voices: Array<{ recordingId: string; alpha: number }>;
  packages: Array<{ id: string; at: string; sha256: string; bytes: number; calls: number; audioFiles: number }>;
  destruction: { confirmedOn: string; confirmedBy: string; reference: string } | null;
}
interface ResearchAnswer {
  research: ResearchFacts;
  overdue: boolean;
}

/**
 * Draws the panel of case `caseId` into `container`, and again after each change (`sent`: the form
 * whose save caused the redraw; what is typed in the others stays).
 */
export async function researchPanel(container: HTMLElement, caseId: string, sent: HTMLFormElement | null = null): Promise<void> {
  const base = `/cases/${encodeURIComponent(caseId)}/research`;
  const newest = startDraw(container);
  const answer = await api<ResearchAnswer>('GET', base);
  if (!newest()) return;
  const redraw = (saved: HTMLFormElement | null = null): Promise<void> => researchPanel(container, caseId, saved);
  const { research, overdue } = answer;

  const returnDue = form(
    async (data) => {
      await api('PUT', `${base}/return-due`, { returnDue: text(data, 'returnDue') });
      await redraw(returnDue);
    },
    field('research-return-due', t('research.returnDue'), h('input', { name: 'returnDue', type: 'date', required: true, value: research.returnDue ?? '' })),
    h('button', { type: 'submit' }, t('research.saveReturnDue')),
  );

  const contentCheck = form(
    async (data) => {
      await api('POST', `${base}/content-check`, { note: text(data, 'note') });
      await redraw(contentCheck);
    },
    h('p', { id: 'research-check-state', 'data-checked': String(research.contentCheck !== null) }, research.contentCheck === null ? t('research.notChecked') : t('research.contentChecked', { when: formatTime(research.contentCheck.at) })),
    field('research-content-note', t('research.contentCheckNote'), h('textarea', { name: 'note', required: true, maxlength: '4000' })),
    h('button', { type: 'submit' }, t('research.confirmContentCheck')),
  );

  const download = h('button', { type: 'button', id: 'research-package', onclick: () => {
    void withReauth(() => apiFile('POST', `${base}/package`))
      .then(async ({ blob, headers }) => {
        const name = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '')?.[1] ?? 'research.tar';
        const link = h('a', { href: URL.createObjectURL(blob), download: name });
        link.click();
        // Revoked later: a browser may still be reading the file when click() returns.
        setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
        say(t('research.packageMade', { sha256: headers.get('x-package-sha256') ?? '' }));
        await redraw();
      })
      .catch((err: unknown) => say(errorText(err), true));
  } }, t('research.makePackage'));

  const packages = research.packages.length === 0
    ? h('p', {}, t('research.noPackages'))
    : h('ul', {}, ...research.packages.map((made) => h('li', {}, t('research.packageLine', { when: formatTime(made.at), calls: made.calls, audio: made.audioFiles, sha256: made.sha256 }))));

  const destruction = research.destruction !== null
    ? h('p', { id: 'research-destroyed' }, t('research.destroyed', { date: research.destruction.confirmedOn, by: research.destruction.confirmedBy, reference: research.destruction.reference }))
    : form(
      async (data) => {
        await api('POST', `${base}/destruction`, { confirmedOn: text(data, 'confirmedOn'), confirmedBy: text(data, 'confirmedBy'), reference: text(data, 'reference') });
        await redraw(destruction as HTMLFormElement);
      },
      field('research-confirmed-on', t('research.confirmedOn'), h('input', { name: 'confirmedOn', type: 'date', required: true })),
      field('research-confirmed-by', t('research.confirmedBy'), h('input', { name: 'confirmedBy', required: true, maxlength: '200' })),
      field('research-reference', t('research.reference'), h('input', { name: 'reference', required: true, maxlength: '200' })),
      h('button', { type: 'submit' }, t('research.enterDestruction')),
    );

  replaceKeepingTyped(container, sent,
    h('section', { class: 'panel', id: 'research-panel', 'aria-labelledby': 'research-title' },
      h('h2', { id: 'research-title' }, t('research.title')),
      h('p', {}, t('research.help')),
      overdue ? h('p', { class: 'error', role: 'alert' }, t('research.overdue')) : null,
      returnDue,
      h('h3', {}, t('research.contentCheck')),
      contentCheck,
      h('p', {}, download),
      h('h3', {}, t('research.packages')),
      packages,
      h('p', {}, t('research.voices', { n: research.voices.length })),
      h('h3', {}, t('research.destruction')),
      destruction,
    ),
  );
}
