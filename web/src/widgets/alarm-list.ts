// The alarms of the System view: the open ones (most severe first), each with its text and what
// to do, how often and when, and its acknowledgement; then the recently cleared ones.
import { api } from '../api.js';
import { h, replaceKeepingTyped, startDraw } from '../dom.js';
import { formatTime, t, tryT, type MessageKey } from '../i18n.js';
import { can } from '../session.js';
import { errorText, say } from './status.js';

interface AlarmRecord {
  id: string;
  code: string;
  key: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  count: number;
  firstAt: string;
  lastAt: string;
  clearedAt: string | null;
  acknowledged: { at: string; note: string } | null;
}

/** The catalogue's text for the code; a code it does not know shows the service's own message. */
function alarmText(alarm: AlarmRecord): string {
  const text = tryT(`alarm.${alarm.code}`) ?? alarm.message;
  return alarm.key === '' ? text : `${text} (${alarm.key})`;
}

function severityCell(alarm: AlarmRecord): HTMLElement {
  return h('td', { class: `severity-${alarm.severity}` }, t(`severity.${alarm.severity}` as MessageKey));
}

function acknowledgement(alarm: AlarmRecord, redraw: (sent?: HTMLFormElement) => Promise<void>): HTMLElement {
  if (alarm.acknowledged !== null) return h('td', { class: 'acknowledged' }, t('alarms.ackBy', { when: formatTime(alarm.acknowledged.at), note: alarm.acknowledged.note }));
  if (!can('config:manage')) return h('td', {}, '–');
  // The box cannot see the master key's backup: a maintainer's confirmation (audited) closes it.
  const confirmBackup = alarm.code === 'KEY_BACKUP_UNCONFIRMED'
    ? h('button', {
        type: 'button',
        class: 'secondary',
        id: 'confirm-key-backup',
        onclick: () => {
          api('POST', '/master-key-backup/confirmation')
            .then(async () => {
              await redraw();
              say(t('alarms.backupConfirmed'));
            })
            .catch((err: unknown) => say(errorText(err), true));
        },
      }, t('alarms.confirmBackup'))
    : alarm.code === 'AUDIT_EXPORT_OVERDUE' && can('audit:read')
      ? h('button', {
          type: 'button',
          class: 'secondary',
          id: 'export-checkpoint',
          onclick: () => {
            api<{ headJson: string }>('POST', '/audit-checkpoint/export')
              .then(async ({ headJson }) => {
                await redraw();
                // The signed head, verbatim: the maintainer copies it off the box.
                document.getElementById('alarms')?.append(h('pre', { id: 'checkpoint' }, headJson));
                say(t('alarms.checkpointExported'));
              })
              .catch((err: unknown) => say(errorText(err), true));
          },
        }, t('alarms.exportCheckpoint'))
      : null;
  const note = h('input', { name: 'note', id: `alarm-note-${alarm.id}`, required: true, maxlength: '500', 'aria-label': t('alarms.note'), class: 'alarm-note' });
  const form = h('form', { class: 'inline' }, note, h('button', { type: 'submit' }, t('alarms.acknowledge')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api('POST', `/alarms/${alarm.id}/acknowledgement`, { note: note.value.trim() })
      .then(async () => {
        await redraw(form);
        say(t('alarms.acknowledged'));
      })
      .catch((err: unknown) => say(errorText(err), true));
  });
  return h('td', {}, form, confirmBackup);
}

/**
 * The alarm list as one element, redrawn in place after an acknowledgement (`sent`: its form); a
 * note being typed for another alarm stays.
 */
export async function alarmList(): Promise<HTMLElement> {
  const container = h('section', { id: 'alarms' });
  const redraw = async (sent?: HTMLFormElement): Promise<void> => {
    const newest = startDraw(container);
    const { open, recent } = await api<{ open: AlarmRecord[]; recent: AlarmRecord[] }>('GET', '/alarms');
    if (!newest()) return;
    replaceKeepingTyped(container, sent ?? null,
      h('h2', {}, t('alarms.open')),
      open.length === 0
        ? h('p', {}, t('alarms.none'))
        : h('table', { class: 'alarms-open' },
            h('thead', {}, h('tr', {}, h('th', {}, t('alarms.severity')), h('th', {}, t('alarms.alarm')), h('th', {}, t('alarms.count')), h('th', {}, t('alarms.first')), h('th', {}, t('alarms.last')), h('th', {}, t('alarms.ack')))),
            h('tbody', {}, ...open.map((alarm) => h('tr', { 'data-code': alarm.code }, severityCell(alarm), h('td', {}, alarmText(alarm)), h('td', {}, String(alarm.count)), h('td', {}, formatTime(alarm.firstAt)), h('td', {}, formatTime(alarm.lastAt)), acknowledgement(alarm, redraw))))),
      h('h2', {}, t('alarms.recent')),
      recent.length === 0
        ? h('p', {}, t('alarms.noneRecent'))
        : h('table', { class: 'alarms-recent' },
            h('thead', {}, h('tr', {}, h('th', {}, t('alarms.severity')), h('th', {}, t('alarms.alarm')), h('th', {}, t('alarms.count')), h('th', {}, t('alarms.first')), h('th', {}, t('alarms.cleared')))),
            h('tbody', {}, ...recent.map((alarm) => h('tr', { 'data-code': alarm.code }, severityCell(alarm), h('td', {}, alarmText(alarm)), h('td', {}, String(alarm.count)), h('td', {}, formatTime(alarm.firstAt)), h('td', {}, formatTime(alarm.clearedAt)))))),
    );
  };
  await redraw();
  return container;
}
