// The audit trail: its integrity check, a search by time, action, outcome, who (a name or user
// name) and target, the reader's own reading left out on request, and a page of entries.
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { formatTime, t, tryT } from '../i18n.js';
import { screen } from '../router.js';
import { form } from '../widgets/form.js';
import { pager } from '../widgets/pager.js';
import { apiQuery, searchTo } from '../widgets/search.js';

const AUDIT_ACTIONS = ['auth.login', 'auth.logout', 'auth.reauthenticate', 'setup.admin', 'user.create', 'user.roles', 'user.update', 'user.password', 'user.totp', 'user.totp-reset', 'user.password-reset', 'users.list', 'calls.search', 'call.view', 'recording.view', 'recording.play', 'recording.export', 'config.view', 'config.change', 'audit.search', 'audit.verify', 'retention.purge', 'recording.leftovers'];
const AUDIT_OUTCOMES = ['success', 'denied', 'failed'];

/** A purge lists hundreds of ids: the row shows the start of a long value, the whole is its title. */
function detailsCell(details: Record<string, string | number | boolean | null>): HTMLElement {
  const whole = Object.entries(details).map(([key, value]) => `${key}: ${String(value)}`).join(', ');
  const shown = Object.entries(details).map(([key, value]) => `${key}: ${String(value).length > 120 ? `${String(value).slice(0, 120)}…` : String(value)}`).join(', ');
  return h('code', { class: 'id', ...(shown === whole ? {} : { title: whole }) }, shown);
}

interface StaffName {
  username: string;
  displayName: string;
}

interface AuditRow {
  seq: number;
  time: string;
  action: string;
  outcome: string;
  actorId: string | null;
  actorName?: string;
  actor?: StaffName;
  target?: { type: string; id: string };
  targetUser?: StaffName;
  details?: Record<string, string | number | boolean | null>;
}

const named = (who: StaffName): string => `${who.displayName} (${who.username})`;

/** Who did it: the person by name, the system, a user name nobody has (a pseudonym), or a removed user's id. */
function whoCell(row: AuditRow): HTMLElement | string {
  if (row.actor !== undefined) return named(row.actor);
  if (row.actorId === null && row.actorName !== undefined) return h('span', {}, t('audit.unknownName'), ' ', h('code', { class: 'id' }, row.actorName));
  if (row.actorId === null) return t('audit.system');
  return h('span', {}, t('audit.removedUser'), ' ', h('code', { class: 'id' }, row.actorId));
}

function targetCell(row: AuditRow): HTMLElement | string {
  if (row.target === undefined) return '–';
  if (row.targetUser !== undefined) return named(row.targetUser);
  return h('code', { class: 'id' }, `${row.target.type} ${row.target.id}`);
}

export async function auditView(params: URLSearchParams): Promise<void> {
  const show = screen();
  const page = Number(params.get('page') ?? '1');
  const [result, check] = await Promise.all([
    api<{ total: number; page: number; pageSize: number; items: AuditRow[] }>('GET', `/audit?${apiQuery(params, ['from', 'to']).toString()}`),
    api<{ verification: { ok: boolean; entries: number; firstBadSeq?: number | null; problem?: string } }>('GET', '/audit/verification'),
  ]);
  const v = check.verification;
  const input = (name: string, type = 'text'): HTMLInputElement => h('input', { name, type, value: params.get(name) ?? '' });
  const choice = (name: string, values: readonly string[], label: (value: string) => string): HTMLSelectElement =>
    h('select', { name }, h('option', { value: '' }, t('audit.any')), ...values.map((value) => h('option', { value, ...(params.get(name) === value ? { selected: true } : {}) }, label(value))));
  const actionLabel = (action: string): string => tryT(`action.${action}`) ?? action;
  const outcomeLabel = (outcome: string): string => tryT(`outcome.${outcome}`) ?? t('app.unknownOutcome');
  const status = v.ok
    ? h('p', { class: 'ok', id: 'audit-status', role: 'status' }, t('audit.ok', { n: v.entries }))
    : h('p', { class: 'error', id: 'audit-status', role: 'alert' }, t('audit.bad', { problem: v.problem ?? '' }), typeof v.firstBadSeq === 'number' ? ` ${t('audit.firstBad', { seq: v.firstBadSeq })}` : '');
  show(
    t('audit.title'),
    status,
    form(
      searchTo('audit'),
      h('div', { class: 'fields' },
        field('audit-from', t('audit.from'), input('from', 'datetime-local')),
        field('audit-to', t('audit.to'), input('to', 'datetime-local')),
        field('audit-action', t('audit.action'), choice('action', AUDIT_ACTIONS, actionLabel)),
        field('audit-outcome', t('audit.outcome'), choice('outcome', AUDIT_OUTCOMES, outcomeLabel)),
        field('audit-who', t('audit.who'), input('who')),
        field('audit-target', t('audit.target'), input('target')),
        h('div', {}, h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'hideOwnReads', value: 'true', id: 'audit-hide-own', ...(params.get('hideOwnReads') === 'true' ? { checked: true } : {}) }), ` ${t('audit.hideOwnReads')}`)),
        h('div', {}, h('button', { type: 'submit' }, t('calls.search'))),
      ),
      h('p', { class: 'hint' }, t('calls.timeZone')),
    ),
    h('p', { id: 'audit-total' }, t('audit.total', { n: result.total })),
    h('table', { id: 'audit' },
      h('thead', {}, h('tr', {}, ...(['col.time', 'col.action', 'col.outcome', 'col.actor', 'col.target', 'col.details'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, ...result.items.map((r) => h('tr', {},
        h('td', { class: 'time' }, formatTime(r.time)),
        h('td', {}, actionLabel(r.action), h('br', {}), h('code', { class: 'id' }, r.action)),
        h('td', { class: 'outcome' }, h('span', { class: r.outcome === 'success' ? 'badge' : 'badge warn' }, outcomeLabel(r.outcome))),
        h('td', { class: 'who' }, whoCell(r)),
        h('td', {}, targetCell(r)),
        h('td', {}, r.details === undefined ? '–' : detailsCell(r.details)),
      ))),
    ),
    pager('audit', params, page, Math.max(1, Math.ceil(result.total / result.pageSize))),
  );
}
