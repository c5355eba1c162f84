// One case of the registrar's desk: its calls (found and picked), hold, deadline, listening on
// site, the data subject's copy, the approval and bundle of a disclosure, notes, closing.
import { api, ApiError } from '../api.js';
import type { Call } from '../call-types.js';
import type { DeskCase } from '../desk-types.js';
import { field, h } from '../dom.js';
import { formatTime, t, type MessageKey } from '../i18n.js';
import { screen } from '../router.js';
import { currentUser } from '../session.js';
import { describeRecording } from '../widgets/call-facts.js';
import { form, text } from '../widgets/form.js';
import { withReauth } from '../widgets/reauth.js';
import { errorText, say } from '../widgets/status.js';
import { helsinkiWallTimeToIso } from '../time.js';
import { researchPanel } from '../widgets/research-panel.js';
import { subjectReportLinks } from '../widgets/subject-report-links.js';

export async function deskCaseView(id: string): Promise<void> {
  const show = screen('desk-case');
  const path = `/cases/${encodeURIComponent(id)}`;
  const { case: item, calls } = await api<{ case: DeskCase; calls: Call[] }>('GET', path);
  const open = item.status === 'open';
  const again = (message: string): void => {
    say(message, false, true);
    void deskCaseView(id).catch((err: unknown) => say(errorText(err), true));
  };
  const act = (run: () => Promise<unknown>, message: string) => async (): Promise<void> => {
    try {
      await run();
      again(message);
    } catch (err) {
      say(errorText(err), true);
    }
  };

  const details = h('dl', { class: 'details' },
    h('dt', {}, t('desk.kind')), h('dd', {}, t(`kind.${item.kind}` as MessageKey)),
    h('dt', {}, t('desk.status')), h('dd', { id: 'case-status' }, t(`status.${item.status}` as MessageKey)),
    h('dt', {}, t('desk.requester')), h('dd', {}, item.requester.name, item.requester.contact === '' ? '' : ` (${item.requester.contact})`),
    h('dt', {}, t('desk.basis')), h('dd', {}, `${item.legalBasis.text} – ${item.legalBasis.reference}`),
    h('dt', {}, t('desk.deadline')), h('dd', { id: 'case-deadline' }, item.deadline === null ? t('desk.noDeadline') : formatTime(item.deadline), item.extension === null ? '' : ` (${t('case.extendedWith', { reason: item.extension.reason })})`),
    h('dt', {}, t('case.hold')), h('dd', { id: 'case-hold' }, item.hold === null ? t('case.holdNone') : t('case.holdUntil', { until: formatTime(item.hold.until), reason: item.hold.reason })),
  );

  // The calls picked, each with its player for the supervised listening on site.
  const picked = h('section', { id: 'case-calls' }, h('h2', {}, t('case.calls')),
    calls.length === 0 ? h('p', {}, t('case.noCalls')) : h('p', {}, t('case.listenHelp')),
    ...calls.map((call) => h('div', { class: 'panel case-call', 'data-call': call.callId },
      h('p', {}, `${formatTime(call.startedAt)} · ${call.callerNumber ?? t('call.withheld')} → ${call.serviceNumber ?? '–'} · ${call.agentName ?? '–'} (${call.agentExtension}) · `, describeRecording(call)),
      call.recordingId !== null && open ? h('audio', { controls: true, preload: 'none', src: `/api/v1${path}/calls/${call.callId}/audio`, 'aria-label': t('case.listen') }) : '',
    )),
  );

  const content: HTMLElement[] = [details, picked];
  if (open) {
    // Find by the case's subject (or another number or agent) and pick.
    const found = h('div', { id: 'case-found' });
    const pickedIds = new Set(item.calls.map((call) => call.callId));
    const findForm = form(
      async (data) => {
        const query = new URLSearchParams();
        for (const name of ['caller', 'agent']) if (text(data, name) !== '') query.set(name, text(data, name));
        const { calls: results } = await api<{ calls: Call[] }>('GET', `${path}/find?${query.toString()}`);
        found.replaceChildren(
          h('h3', {}, t('case.found')),
          ...results.map((call) => h('label', { class: 'found-call' }, h('input', { type: 'checkbox', name: 'pick', value: call.callId, ...(pickedIds.has(call.callId) ? { checked: true } : {}) }), ` ${formatTime(call.startedAt)} · ${call.callerNumber ?? t('call.withheld')} · ${call.agentName ?? '–'} (${call.agentExtension}) · `, describeRecording(call))),
          h('button', { type: 'button', id: 'case-save-pick', onclick: act(() => api('PUT', `${path}/calls`, { callIds: [...found.querySelectorAll<HTMLInputElement>('input[name=pick]:checked')].map((input) => input.value) }), t('case.picked')) }, t('case.savePick')),
        );
      },
      h('div', { class: 'fields' },
        field('find-caller', t('desk.subjectCaller'), h('input', { name: 'caller', inputmode: 'tel' })),
        field('find-agent', t('desk.subjectAgent'), h('input', { name: 'agent' })),
      ),
      h('button', { type: 'submit', id: 'case-find' }, t('case.find')),
    );
    content.push(h('section', {}, h('h2', {}, t('case.find')), findForm, found));

    content.push(h('section', {}, h('h2', {}, t('case.hold')),
      form(
        async (data) => {
          const until = helsinkiWallTimeToIso(text(data, 'until'));
          await api('PUT', `${path}/hold`, { reason: text(data, 'reason'), until: until ?? '' });
          again(t('case.holdPlaced'));
        },
        h('div', { class: 'fields' },
          field('hold-reason', t('case.holdReason'), h('input', { name: 'reason', required: true })),
          field('hold-until', t('case.holdEnd'), h('input', { name: 'until', type: 'datetime-local', required: true })),
        ),
        h('button', { type: 'submit', id: 'hold-place' }, t('case.holdPlace')),
        ...(item.hold === null ? [] : [h('button', { type: 'button', class: 'secondary', id: 'hold-lift', onclick: act(() => api('DELETE', `${path}/hold`), t('case.holdLifted')) }, t('case.holdLift'))]),
      ),
    ));

    if ((item.kind === 'access-request' || item.kind === 'erasure-objection') && item.extension === null) {
      content.push(h('section', {}, h('h2', {}, t('case.extension')),
        form(
          async (data) => {
            await api('POST', `${path}/extension`, { reason: text(data, 'reason') });
            again(t('case.extended'));
          },
          field('extension-reason', t('case.extensionReason'), h('input', { name: 'reason', required: true })),
          h('button', { type: 'submit', id: 'case-extend' }, t('case.extend')),
        ),
      ));
    }

    if (item.kind === 'access-request') {
      content.push(h('section', {}, h('h2', {}, t('case.copy')), h('p', {}, t('case.copyHelp')),
        h('button', { type: 'button', id: 'case-copy', onclick: () => void download(`${path}/copy`).then(() => again(t('case.copyMade')), (err: unknown) => say(errorText(err), true)) }, t('case.copyMake'))));
    }

    if (item.kind === 'police-request') {
      const me = currentUser();
      content.push(h('section', { id: 'case-approval' }, h('h2', {}, t('case.approval')),
        h('p', {}, item.approval === null ? t('case.approvalNone') : t('case.approvedBy', { when: formatTime(item.approval.approvedAt) })),
        item.approval === null && me?.id !== item.openedBy ? h('button', { type: 'button', id: 'case-approve', onclick: act(() => api('POST', `${path}/approval`), t('case.approved')) }, t('case.approve')) : '',
      ));
      const made = h('div', { id: 'bundle-made' });
      content.push(h('section', {}, h('h2', {}, t('case.bundle')), h('p', {}, t('case.bundleHelp')),
        form(
          async (data) => {
            const passphrase = String(data.get('passphrase') ?? '');
            const result = await withReauth(() => api<{ bundle: { id: string; sha256: string; fileName: string }; passphrase: string }>('POST', `${path}/bundles`, passphrase === '' ? {} : { passphrase }));
            made.replaceChildren(h('div', { class: 'panel', role: 'status' },
              h('p', {}, t('case.bundleMade')),
              h('p', {}, `${t('case.bundlePassphrase')}: `, h('code', { id: 'bundle-passphrase' }, result.passphrase)),
              h('p', {}, `${t('case.bundleHash')}: `, h('code', { class: 'id' }, result.bundle.sha256)),
              h('p', {}, h('a', { href: `/api/v1${path}/bundles/${result.bundle.id}`, download: result.bundle.fileName }, t('case.bundleDownload'))),
            ));
          },
          field('bundle-passphrase-input', t('case.passphrase'), h('input', { name: 'passphrase', type: 'password', autocomplete: 'new-password' })),
          h('button', { type: 'submit', id: 'bundle-make' }, t('case.bundleMake')),
        ),
        made,
      ));
    }
  }

  // The data subject's report (P14), and the research disclosure's steps (P9).
  if (item.kind === 'access-request' || item.kind === 'erasure-objection') content.push(subjectReportLinks(item.id));
  if (item.kind === 'research') {
    const research = h('div', { id: 'research' });
    content.push(research);
    void researchPanel(research, item.id).catch((err: unknown) => say(errorText(err), true));
  }

  if (item.disclosures.length > 0) {
    content.push(h('section', { id: 'case-disclosures' }, h('h2', {}, t('case.disclosures')),
      h('ul', {}, ...item.disclosures.map((disclosure) => h('li', {}, `${formatTime(disclosure.at)} · ${disclosure.type === 'copy' ? t('case.copy') : t('case.bundle')} · `, h('code', { class: 'id' }, disclosure.sha256))))));
  }
  content.push(h('section', {}, h('h2', {}, t('case.notes')),
    h('ul', { id: 'case-notes' }, ...item.notes.map((note) => h('li', {}, `${formatTime(note.at)}: ${note.text}`))),
    form(
      async (data) => {
        await api('POST', `${path}/notes`, { text: text(data, 'note') });
        again(t('case.noteAdded'));
      },
      field('case-note', t('case.note'), h('input', { name: 'note', required: true })),
      h('button', { type: 'submit' }, t('case.addNote')),
    ),
  ));
  if (open) {
    content.push(h('section', {}, h('h2', {}, t('case.close')),
      form(
        async (data) => {
          await api('POST', `${path}/close`, { note: text(data, 'note') });
          again(t('case.closed'));
        },
        field('case-closing', t('case.closingNote'), h('input', { name: 'note', required: true })),
        h('button', { type: 'submit', class: 'secondary', id: 'case-close' }, t('case.close')),
      ),
    ));
  }
  content.push(h('p', {}, h('a', { href: '#/desk' }, t('case.back'))));
  show(`${t('case.title')}: ${item.legalBasis.reference}`, ...content);
}

/** A file the API makes on re-authentication (the copy): asked for, then saved by the browser. */
async function download(apiPath: string): Promise<void> {
  await withReauth(async () => {
    const res = await fetch(`/api/v1${apiPath}`, { credentials: 'same-origin' });
    if (!res.ok) {
      const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
      throw new ApiError(res.status, data.error?.code ?? `HTTP_${res.status}`, data.error?.message ?? res.statusText);
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'tallennin-copy.tar';
    const link = h('a', { href: URL.createObjectURL(await res.blob()), download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  });
}
