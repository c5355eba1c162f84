// The Tallennin web UI: a hash router over a few views. Access is decided by the service; the
// UI only hides what the signed-in user may not use (from the permissions in GET /me).
import { api, ApiError, setCsrfToken } from './api.js';
import { field, h } from './dom.js';
import { formatTime, language, setLanguage, t, tryT, type Language, type MessageKey } from './i18n.js';
import { helsinkiWallTimeToIso } from './time.js';

interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  csrfToken: string;
  totpEnabled: boolean;
  /** The roles need a second factor this account has not enrolled: only the set-up page. */
  totpEnrollmentOnly: boolean;
  /** The roles need the second factor this session was not signed in with: only the step-up page. */
  stepUpRequired: boolean;
  roleNotice: RoleNotice | null;
}

interface RoleNotice {
  changedAt: string;
  before: string[];
  after: string[];
}

interface RecordingView {
  seal: 'verified';
  sealedAt: string;
  outcome: 'completed' | 'interrupted';
  durationMs: number;
  gaps: Array<{ fromMs: number; toMs: number; cause: string }>;
  peaks: number[];
}

interface Call {
  callId: string;
  startedAt: string;
  endedAt: string | null;
  callerNumber: string | null;
  serviceNumber: string | null;
  agentExtension: string;
  agentName: string | null;
  agentPhone: string | null;
  recordingId: string | null;
  recordingState: string;
  endReason: string | null;
  resumed: boolean;
}

const ROLES = ['agent', 'supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar'];
const main = document.getElementById('main') as HTMLElement;
let me: Me | null = null;
/** The TOTP enrolment begun in this page, kept until confirmed: re-rendering must not change the key. */
let enrolment: { secret: string; uri: string } | null = null;
/** Counts navigations; a view draws only if no newer navigation started while it waited for data. */
let renderSeq = 0;
/** Whether the status message said last is kept across the next navigation (it tells where to go next). */
let keepStatus = false;

function say(message: string, isError = false, acrossNavigation = false): void {
  const status = document.getElementById('status') as HTMLElement;
  status.textContent = message;
  status.className = isError ? 'error' : 'ok';
  keepStatus = acrossNavigation;
}

/** Goes to a view: a changed hash routes by its hashchange event, the same hash routes again here. */
function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return tryT(`error.${err.code}`) ?? t('error.other', { code: err.code });
  return t('error.other', { code: String(err) });
}

function can(permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}

/**
 * The renderer of the view being built: it draws only while its navigation is the latest, so a
 * slow answer for a view the user has already left never replaces the view they went to.
 */
function screen(): (title: string, ...content: HTMLElement[]) => void {
  const seq = renderSeq;
  return (title, ...content) => {
    if (seq !== renderSeq) return;
    document.title = `${title} – Tallennin`;
    main.replaceChildren(h('h1', {}, title), ...content);
  };
}

function renderChrome(): void {
  const nav = document.getElementById('nav') as HTMLElement;
  const route = location.hash.split('/')[1] ?? '';
  const link = (hash: string, key: MessageKey): HTMLElement => h('a', { href: `#/${hash}`, ...(route === hash ? { 'aria-current': 'page' } : {}) }, t(key));
  const items: HTMLElement[] = [];
  if (me !== null && !me.totpEnrollmentOnly && !me.stepUpRequired) {
    if (can('calls:read-all') || can('calls:read-own')) items.push(link('calls', 'nav.calls'));
    if (can('users:manage')) items.push(link('users', 'nav.users'));
    if (can('audit:read')) items.push(link('audit', 'nav.audit'));
    if (can('health:read')) items.push(link('system', 'nav.system'));
    if (can('config:manage')) items.push(link('settings', 'nav.settings'));
    items.push(link('account', 'nav.account'));
  }
  if (me !== null) items.push(h('a', { href: '#/logout', id: 'logout' }, t('nav.logout')));
  nav.replaceChildren(...items);
  nav.setAttribute('aria-label', t('app.mainNav'));
  (document.getElementById('who') as HTMLElement).textContent = me?.displayName ?? '';
  (document.getElementById('language-label') as HTMLElement).textContent = t('app.language');
  (document.getElementById('language') as HTMLSelectElement).value = language();
}

async function loadMe(): Promise<void> {
  try {
    me = await api<Me>('GET', '/me');
    setCsrfToken(me.csrfToken);
  } catch {
    me = null;
    setCsrfToken(undefined);
  }
}

function form(onSubmit: (data: FormData) => Promise<void>, ...children: HTMLElement[]): HTMLFormElement {
  const element = h('form', { class: 'panel' }, ...children);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(new FormData(element)).catch((err: unknown) => say(errorText(err), true));
  });
  return element;
}

const text = (data: FormData, name: string): string => String(data.get(name) ?? '').trim();

function loginView(): void {
  const show = screen();
  const totpField = field('totp', t('login.totp'), h('input', { name: 'totpCode', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}' }));
  totpField.hidden = true;
  show(
    t('login.title'),
    form(
      async (data) => {
        const code = text(data, 'totpCode');
        try {
          await api('POST', '/session', { username: text(data, 'username'), password: String(data.get('password')), ...(code === '' ? {} : { totpCode: code }) });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') totpField.hidden = false;
          throw err;
        }
        await loadMe();
        // The roles changed since the last sign-in: say so, on whichever page comes next.
        if (me?.roleNotice != null) say(roleNoticeText(me.roleNotice), false, true);
        navigate(me?.totpEnrollmentOnly === true ? '#/totp' : '#/calls');
      },
      h('div', { class: 'fields' },
        field('username', t('login.username'), h('input', { name: 'username', autocomplete: 'username', required: true })),
        field('password', t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
        totpField,
        h('div', {}, h('button', { type: 'submit' }, t('login.submit'))),
      ),
    ),
  );
}

function setupView(): void {
  const show = screen();
  show(
    t('setup.title'),
    h('p', {}, t('setup.help')),
    form(
      async (data) => {
        await api('POST', '/setup', { token: text(data, 'token'), username: text(data, 'username'), displayName: text(data, 'displayName'), password: String(data.get('password')) });
        say(t('setup.done'), false, true);
        navigate('#/login');
      },
      h('div', { class: 'fields' },
        field('token', t('setup.token'), h('input', { name: 'token', required: true, autocomplete: 'off' })),
        field('username', t('login.username'), h('input', { name: 'username', required: true, autocomplete: 'username' })),
        field('displayName', t('setup.displayName'), h('input', { name: 'displayName', required: true })),
        field('password', t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
        h('div', {}, h('button', { type: 'submit' }, t('setup.submit'))),
      ),
    ),
  );
}

const roleNames = (roles: readonly string[]): string => (roles.length === 0 ? '–' : roles.map((role) => tryT(`role.${role}`) ?? role).join(', '));

function roleNoticeText(notice: RoleNotice): string {
  return t('notice.roles', { when: formatTime(notice.changedAt), before: roleNames(notice.before), after: roleNames(notice.after) });
}

/** The password and a code: a form of two fields (ids with `prefix`), as the re-authentication forms ask. */
function passwordAndCode(prefix: string, codeLabel: string): HTMLElement[] {
  return [
    field(`${prefix}-password`, t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    field(`${prefix}-code`, codeLabel, h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6}' })),
  ];
}

/**
 * Setting up the second factor. A first factor starts at once; an active one is replaced only
 * with the password and a current code, and keeps working until the new key is confirmed, so
 * opening this page never switches anything off.
 */
async function totpView(): Promise<void> {
  const show = screen();
  if (enrolment === null && me?.totpEnrollmentOnly !== true) {
    // From a full session: the password first (and a current code when one is active).
    const replacing = me?.totpEnabled === true;
    const password = field('replace-password', t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' }));
    show(
      t('totp.title'),
      h('p', {}, replacing ? t('totp.replaceHelp') : t('totp.help')),
      form(
        async (data) => {
          enrolment = await api<{ secret: string; uri: string }>('POST', '/me/totp', { password: String(data.get('password')), ...(replacing ? { code: text(data, 'code') } : {}) });
          await totpView();
        },
        h('div', { class: 'fields' }, ...(replacing ? passwordAndCode('replace', t('totp.currentCode')) : [password]), h('div', {}, h('button', { type: 'submit' }, t('totp.replaceSubmit')))),
      ),
    );
    return;
  }
  // No QR code: no QR library is available, so the key is shown grouped in fours and the
  // otpauth:// address as text, both of which authenticator apps accept typed or pasted.
  enrolment ??= await api<{ secret: string; uri: string }>('POST', '/me/totp');
  const { secret, uri } = enrolment;
  show(
    t('totp.title'),
    h('p', {}, t('totp.help')),
    h('dl', { class: 'details' },
      h('dt', {}, t('totp.key')), h('dd', {}, h('code', { class: 'secret', id: 'totp-secret' }, secret.match(/.{1,4}/g)?.join(' ') ?? '')),
      h('dt', {}, t('totp.uri')), h('dd', {}, h('code', { class: 'uri', id: 'totp-uri' }, uri)),
    ),
    form(
      async (data) => {
        // A change of privilege: the session goes on under a new id and CSRF token.
        const { csrfToken } = await api<{ csrfToken: string }>('POST', '/me/totp/confirm', { code: text(data, 'code') });
        setCsrfToken(csrfToken);
        enrolment = null;
        await loadMe();
        say(t('totp.done'), false, true);
        navigate('#/calls');
      },
      h('div', { class: 'fields' }, field('code', t('totp.code'), h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6}' })), h('div', {}, h('button', { type: 'submit' }, t('totp.submit')))),
    ),
  );
}

/** A session whose roles need the second factor it was not signed in with: the password and the code raise it. */
function stepUpView(): void {
  const show = screen();
  show(
    t('stepup.title'),
    h('p', {}, t('stepup.help')),
    form(
      async (data) => {
        const { csrfToken } = await api<{ csrfToken: string }>('POST', '/session/reauthenticate', { password: String(data.get('password')), totpCode: text(data, 'code') });
        setCsrfToken(csrfToken);
        await loadMe();
        navigate('#/calls');
      },
      h('div', { class: 'fields' }, ...passwordAndCode('stepup', t('login.totp')), h('div', {}, h('button', { type: 'submit' }, t('reauth.submit')))),
    ),
  );
}

/**
 * Runs an administrator's change; when the service asks for a fresh re-authentication first
 * (administrator and registrar roles), asks for the password and the code above the view and
 * runs the change once more. Cancelling leaves the change undone (REAUTH_REQUIRED).
 */
async function withReauth<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'REAUTH_REQUIRED') throw err;
    await reauthPrompt(err);
    return change();
  }
}

function reauthPrompt(refusal: ApiError): Promise<void> {
  document.getElementById('reauth')?.remove();
  return new Promise((resolve, reject) => {
    const prompt = h('section', { class: 'panel', id: 'reauth', role: 'dialog', 'aria-labelledby': 'reauth-title' },
      h('h2', { id: 'reauth-title' }, t('reauth.title')),
      h('p', {}, t('reauth.help')),
    );
    const confirm = form(
      async (data) => {
        const { csrfToken } = await api<{ csrfToken: string }>('POST', '/session/reauthenticate', { password: String(data.get('password')), totpCode: text(data, 'code') });
        setCsrfToken(csrfToken);
        prompt.remove();
        resolve();
      },
      h('div', { class: 'fields' },
        ...passwordAndCode('reauth', t('login.totp')),
        h('div', {}, h('button', { type: 'submit' }, t('reauth.submit')), ' ', h('button', { type: 'button', class: 'secondary', id: 'reauth-cancel', onclick: () => {
          prompt.remove();
          reject(refusal);
        } }, t('reauth.cancel'))),
      ),
    );
    prompt.append(confirm);
    main.prepend(prompt);
    (prompt.querySelector('input') as HTMLInputElement).focus();
  });
}

function describeRecording(call: Call): HTMLElement {
  const label = tryT(`rec.${call.recordingState}`) ?? call.recordingState;
  return h('span', { class: call.recordingState === 'interrupted' || call.recordingState === 'failed' ? 'badge warn' : 'badge' }, label);
}

function duration(call: Call): string {
  if (call.endedAt === null) return '–';
  const seconds = Math.round((Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The query of a search form as the API takes it: empty fields left out, the datetime-local
 * fields (Helsinki wall time, kept so in the address) turned into UTC instants.
 */
function apiQuery(params: URLSearchParams, timeFields: readonly string[]): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of params) {
    if (value.trim() === '') continue;
    if (timeFields.includes(key)) {
      const iso = helsinkiWallTimeToIso(value);
      if (iso !== undefined) query.set(key, iso);
    } else query.set(key, value);
  }
  return query;
}

/** A search form's submit: its non-empty fields become the view's address, so a search can be bookmarked. */
function searchTo(view: string) {
  return async (data: FormData): Promise<void> => {
    const next = new URLSearchParams();
    for (const [key, value] of data.entries()) if (String(value).trim() !== '') next.set(key, String(value).trim());
    navigate(`#/${view}?${next.toString()}`);
  };
}

function pager(view: string, params: URLSearchParams, page: number, pages: number): HTMLElement {
  const goto = (n: number): string => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `#/${view}?${next.toString()}`;
  };
  return h('nav', { class: 'pager', 'aria-label': t('calls.page', { page }) },
    page > 1 ? h('a', { href: goto(page - 1), rel: 'prev' }, t('calls.prev')) : null,
    h('span', {}, t('calls.page', { page }), ` / ${pages}`),
    page < pages ? h('a', { href: goto(page + 1), rel: 'next' }, t('calls.next')) : null,
  );
}

async function callsView(params: URLSearchParams): Promise<void> {
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

async function callView(id: string): Promise<void> {
  const show = screen();
  const { call } = await api<{ call: Call }>('GET', `/calls/${encodeURIComponent(id)}`);
  const details = h('dl', { class: 'details' },
    h('dt', {}, t('call.start')), h('dd', {}, formatTime(call.startedAt)),
    h('dt', {}, t('call.end')), h('dd', {}, formatTime(call.endedAt)),
    h('dt', {}, t('call.caller')), h('dd', {}, call.callerNumber ?? t('call.withheld')),
    h('dt', {}, t('call.service')), h('dd', {}, call.serviceNumber ?? '–'),
    h('dt', {}, t('call.agent')), h('dd', {}, `${call.agentName ?? '–'} (${call.agentExtension})`),
    h('dt', {}, t('call.agentPhone')), h('dd', {}, call.agentPhone ?? '–'),
    h('dt', {}, t('call.endReason')), h('dd', {}, call.endReason === null ? '–' : (tryT(`end.${call.endReason}`) ?? call.endReason)),
    h('dt', {}, t('call.recording')), h('dd', {}, describeRecording(call), call.resumed ? ` ${t('call.resumed')}` : ''),
  );
  const content: HTMLElement[] = [details];
  if (call.recordingId !== null && call.recordingState !== 'failed' && (can('recordings:play-all') || can('recordings:play-own'))) {
    // The server answers HTTP Range requests, so seeking fetches (and decrypts) only what is played.
    const audio = h('audio', { controls: true, preload: 'metadata', src: `/api/v1/calls/${encodeURIComponent(call.callId)}/audio`, id: 'player' });
    const speed = h('select', { id: 'speed' }, ...['0.75', '1', '1.25', '1.5', '2'].map((value) => h('option', { value, ...(value === '1' ? { selected: true } : {}) }, `${value}×`)));
    speed.addEventListener('change', () => (audio.playbackRate = Number(speed.value)));
    const { recording } = await api<{ recording: RecordingView }>('GET', `/calls/${encodeURIComponent(call.callId)}/recording`);
    const canvas = waveform(recording, audio);
    const facts = h('p', { id: 'seal' },
      h('span', { class: 'badge' }, t('call.sealOk')), ' ',
      recording.outcome === 'interrupted' ? h('span', { class: 'badge warn' }, t('rec.interrupted')) : '',
      recording.gaps.length > 0 ? h('span', { class: 'badge warn' }, t('call.gaps', { n: recording.gaps.length })) : '',
      // Why audio is missing: a lost link, a restart of the service or the bridge, lost frames.
      recording.gaps.length > 0 ? h('span', { class: 'badge' }, [...new Set(recording.gaps.map((gap) => tryT(`gap.${gap.cause}`) ?? gap.cause))].join(', ')) : '',
    );
    content.push(h('section', { class: 'panel' }, facts, canvas, h('div', { class: 'player' }, audio, h('div', {}, h('label', { for: 'speed' }, t('call.speed')), speed))));
  }
  content.push(h('p', {}, h('a', { href: '#/calls' }, t('call.back'))));
  show(t('call.title'), ...content);
}

/**
 * The call's waveform with its gaps shaded and the play position; a click seeks. The audio
 * element keeps the keyboard controls; this picture is a visual aid (its label says so).
 */
function waveform(recording: RecordingView, audio: HTMLAudioElement): HTMLCanvasElement {
  const canvas = h('canvas', { id: 'waveform', width: '1100', height: '90', role: 'img', 'aria-label': t('call.waveform') });
  const draw = (): void => {
    const context = canvas.getContext('2d');
    if (context === null) return;
    const { width, height } = canvas;
    context.clearRect(0, 0, width, height);
    const x = (ms: number): number => (ms / Math.max(1, recording.durationMs)) * width;
    context.fillStyle = '#fde68a';
    for (const gap of recording.gaps) context.fillRect(x(gap.fromMs), 0, Math.max(1, x(gap.toMs) - x(gap.fromMs)), height);
    context.fillStyle = '#0b5cad';
    const barWidth = width / Math.max(1, recording.peaks.length);
    recording.peaks.forEach((peak, i) => {
      const barHeight = Math.max(1, (peak / 255) * (height - 4));
      context.fillRect(i * barWidth, (height - barHeight) / 2, Math.max(1, barWidth - 0.5), barHeight);
    });
    context.fillStyle = '#b42318';
    context.fillRect(x(audio.currentTime * 1000), 0, 2, height);
  };
  audio.addEventListener('timeupdate', draw);
  audio.addEventListener('seeked', draw);
  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    audio.currentTime = ((event.clientX - box.left) / box.width) * (recording.durationMs / 1000);
  });
  requestAnimationFrame(draw);
  return canvas;
}

async function usersView(): Promise<void> {
  const show = screen();
  const { users } = await api<{ users: Array<{ id: string; username: string; displayName: string; roles: string[]; extensions: string[]; disabled: boolean; totpEnabled: boolean }> }>('GET', '/users');
  const rows = users.map((user) =>
    h('tr', {},
      h('td', {}, user.username),
      h('td', {}, user.displayName),
      h('td', {}, user.id === me?.id ? user.roles.map((role) => tryT(`role.${role}`) ?? role).join(', ') : roleEditor(user)),
      h('td', {}, user.extensions.join(', ')),
      h('td', {},
        user.id === me?.id ? '' : h('button', { class: 'secondary', type: 'button', onclick: () => void toggle(user.id, !user.disabled) }, user.disabled ? t('users.enable') : t('users.disable')),
        user.disabled ? ` ${t('users.disabled')}` : '',
        user.id !== me?.id && user.totpEnabled ? h('button', { class: 'secondary reset-totp', type: 'button', 'data-user': user.username, onclick: () => void resetTotp(user.id) }, t('users.resetTotp')) : '',
      ),
    ),
  );
  /** Another user's second factor goes (a lost phone): their sessions end and they enrol again. */
  const resetTotp = async (id: string): Promise<void> => {
    try {
      await withReauth(() => api('DELETE', `/users/${id}/totp`));
      say(t('users.totpReset'));
      await usersView();
    } catch (err) {
      say(errorText(err), true);
    }
  };
  function roleEditor(user: { id: string; username: string; roles: string[] }): HTMLElement {
    const select = h('select', { 'aria-label': `${t('users.roles')}: ${user.username}`, class: 'role-select', 'data-user': user.username },
      ...ROLES.map((role) => h('option', { value: role, ...(user.roles[0] === role ? { selected: true } : {}) }, tryT(`role.${role}`) ?? role)));
    select.addEventListener('change', () => {
      // A role change ends the user's sessions: they sign in again with the new roles and are told.
      withReauth(() => api('PATCH', `/users/${user.id}`, { roles: [select.value] })).then(
        () => say(t('users.rolesChanged')),
        (err: unknown) => {
          say(errorText(err), true);
          // The list shows again what the service holds.
          void usersView().catch(() => undefined);
        },
      );
    });
    return user.roles.length > 1 ? h('span', {}, select, ` + ${user.roles.slice(1).map((role) => tryT(`role.${role}`) ?? role).join(', ')}`) : select;
  }
  const toggle = async (id: string, disabled: boolean): Promise<void> => {
    try {
      await withReauth(() => api('PATCH', `/users/${id}`, { disabled }));
      await usersView();
    } catch (err) {
      say(errorText(err), true);
    }
  };
  const roleBoxes = ROLES.map((role) => h('label', {}, h('input', { type: 'checkbox', name: 'roles', value: role }), ` ${tryT(`role.${role}`) ?? role}`));
  show(
    t('users.title'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['users.username', 'users.displayName', 'users.roles', 'users.extensions', 'users.state'].map((key) => h('th', { scope: 'col' }, t(key as MessageKey))))), h('tbody', {}, ...rows)),
    h('h2', {}, t('users.create')),
    form(
      async (data) => {
        const extensions = text(data, 'extensions').split(',').map((e) => e.trim()).filter((e) => e !== '');
        await withReauth(() => api('POST', '/users', { username: text(data, 'username'), displayName: text(data, 'displayName'), roles: data.getAll('roles').map(String), password: String(data.get('password')), ...(extensions.length > 0 ? { extensions } : {}) }));
        say(t('users.created'));
        await usersView();
      },
      h('div', { class: 'fields' },
        field('new-username', t('users.username'), h('input', { name: 'username', required: true, autocomplete: 'off' })),
        field('new-displayName', t('users.displayName'), h('input', { name: 'displayName', required: true })),
        field('new-extensions', t('users.extensions'), h('input', { name: 'extensions' })),
        field('new-password', t('users.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
      ),
      h('fieldset', {}, h('legend', {}, t('users.roles')), ...roleBoxes),
      h('button', { type: 'submit' }, t('users.submit')),
    ),
  );
}

const AUDIT_ACTIONS = ['auth.login', 'auth.logout', 'auth.reauthenticate', 'setup.admin', 'user.create', 'user.roles', 'user.update', 'user.password', 'user.totp', 'user.totp-reset', 'calls.search', 'call.view', 'recording.view', 'recording.play', 'recording.export', 'config.view', 'config.change', 'audit.search', 'audit.verify', 'retention.purge', 'recording.leftovers'];
const AUDIT_OUTCOMES = ['success', 'denied', 'failed'];

/** A purge lists hundreds of ids: the row shows the start of a long value, the whole is its title. */
function detailsCell(details: Record<string, string | number | boolean | null>): HTMLElement {
  const whole = Object.entries(details).map(([key, value]) => `${key}: ${String(value)}`).join(', ');
  const shown = Object.entries(details).map(([key, value]) => `${key}: ${String(value).length > 120 ? `${String(value).slice(0, 120)}…` : String(value)}`).join(', ');
  return h('code', { class: 'id', ...(shown === whole ? {} : { title: whole }) }, shown);
}

interface AuditRow {
  seq: number;
  time: string;
  action: string;
  outcome: string;
  actorId: string | null;
  actorName?: string;
  target?: { type: string; id: string };
  details?: Record<string, string | number | boolean | null>;
}

async function auditView(params: URLSearchParams): Promise<void> {
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
        field('audit-actor', t('audit.actor'), input('actor')),
        field('audit-target', t('audit.target'), input('target')),
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
        h('td', {}, h('code', { class: 'id' }, r.actorId ?? r.actorName ?? '–')),
        h('td', {}, r.target === undefined ? '–' : h('code', { class: 'id' }, `${r.target.type} ${r.target.id}`)),
        h('td', {}, r.details === undefined ? '–' : detailsCell(r.details)),
      ))),
    ),
    pager('audit', params, page, Math.max(1, Math.ceil(result.total / result.pageSize))),
  );
}

/** The link's error counters since the service started (src/capture/link-errors.ts), in display order. */
const LINK_ERROR_NAMES = ['rxCrcErrors', 'garbageBytes', 'lostFrames', 'duplicateFrames', 'oversizeFrames', 'malformedFrames', 'resyncs'] as const;
type LinkErrorName = (typeof LINK_ERROR_NAMES)[number];

async function systemView(): Promise<void> {
  const show = screen();
  const health = await api<{ bridge: { linkUp: boolean; linkErrors: Record<LinkErrorName, number>; linkErrorAlarmPerMinute: number }; calls: { active: Array<{ channel: number; startedAt: string; recording: boolean }> }; alarms: { recent: Array<{ code: string; message: string; raisedAt: string }> }; system: { disk: { usePercent: number } | null; memory: { totalBytes: number; availableBytes: number } | null; load: { currentPercent: number } | null; temperatureC: number | null } }>('GET', '/health');
  const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  show(
    t('system.title'),
    h('dl', { class: 'details' },
      h('dt', {}, t('system.link')), h('dd', { class: health.bridge.linkUp ? 'ok' : 'error' }, health.bridge.linkUp ? t('system.up') : t('system.down')),
      h('dt', {}, t('system.active')), h('dd', {}, String(health.calls.active.length)),
      h('dt', {}, t('system.disk')), h('dd', {}, health.system.disk === null ? '–' : `${health.system.disk.usePercent.toFixed(0)} %`),
      h('dt', {}, t('system.memory')), h('dd', {}, health.system.memory === null ? '–' : `${gib(health.system.memory.availableBytes)} / ${gib(health.system.memory.totalBytes)}`),
      h('dt', {}, t('system.load')), h('dd', {}, health.system.load === null ? '–' : `${health.system.load.currentPercent} %`),
      h('dt', {}, t('system.temperature')), h('dd', {}, health.system.temperatureC === null ? '–' : `${health.system.temperatureC} °C`),
    ),
    h('h2', {}, t('system.linkErrors')),
    h('p', {}, t('system.linkErrorsHint', { n: health.bridge.linkErrorAlarmPerMinute })),
    h('dl', { class: 'details' }, ...LINK_ERROR_NAMES.flatMap((name) => [h('dt', {}, t(`system.linkError.${name}`)), h('dd', { class: health.bridge.linkErrors[name] === 0 ? 'ok' : 'error' }, String(health.bridge.linkErrors[name]))])),
    h('h2', {}, t('system.channels')),
    health.calls.active.length === 0
      ? h('p', {}, t('system.idle'))
      : h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('system.channel')), h('th', {}, t('col.start')), h('th', {}, t('col.recording')))),
          h('tbody', {}, ...health.calls.active.map((active) => h('tr', {}, h('td', {}, String(active.channel)), h('td', {}, formatTime(active.startedAt)), h('td', {}, active.recording ? t('rec.recording') : t('rec.not-recorded')))))),
    h('h2', {}, t('system.alarms')),
    health.alarms.recent.length === 0 ? h('p', {}, t('system.noAlarms')) : h('ul', {}, ...health.alarms.recent.map((alarm) => h('li', {}, `${formatTime(alarm.raisedAt)} ${alarm.code}: ${alarm.message}`))),
  );
}

interface Settings {
  agents: Array<{ extension: string; name: string; phone: string }>;
  recordedServiceNumbers: string[];
  retentionMonths: number;
}

async function settingsView(): Promise<void> {
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

function accountView(): void {
  const show = screen();
  show(
    t('account.title'),
    form(
      async (data) => {
        await api('POST', '/me/password', { currentPassword: String(data.get('current')), newPassword: String(data.get('new')) });
        me = null;
        setCsrfToken(undefined);
        say(t('account.changed'), false, true);
        navigate('#/login');
      },
      h('div', { class: 'fields' },
        field('current', t('account.current'), h('input', { name: 'current', type: 'password', required: true, autocomplete: 'current-password' })),
        field('new', t('account.new'), h('input', { name: 'new', type: 'password', required: true, autocomplete: 'new-password' })),
        h('div', {}, h('button', { type: 'submit' }, t('account.submit'))),
      ),
    ),
    h('section', { class: 'panel' },
      h('h2', {}, t('account.totp')),
      h('p', { id: 'totp-state' }, me?.totpEnabled === true ? t('account.totpOn') : t('account.totpOff')),
      h('p', {}, h('a', { href: '#/totp', id: 'totp-link' }, me?.totpEnabled === true ? t('account.totpReplace') : t('account.totpSetUp'))),
    ),
  );
}

/**
 * Shows the view the address names. `moveFocus`: after a navigation, focus goes to the new
 * view's content (screen readers start there); a language switch leaves it on the switch.
 */
async function route(moveFocus = true): Promise<void> {
  const seq = ++renderSeq;
  const show = screen();
  const [path = '', queryString = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(queryString);
  const [view, id] = path.split('/');
  const status = document.getElementById('status') as HTMLElement;
  // A message belongs to the view it was said on, unless it says what to do on the next one.
  if (!keepStatus) {
    status.textContent = '';
    status.className = '';
  }
  keepStatus = false;
  try {
    if (view === 'logout') {
      await api('DELETE', '/session').catch(() => undefined);
      me = null;
      enrolment = null;
      setCsrfToken(undefined);
      navigate('#/login');
      return;
    }
    if (me === null) await loadMe();
    renderChrome();
    if (me === null) {
      if (view === 'setup') return setupView();
      const { pending } = await api<{ pending: boolean }>('GET', '/setup');
      return pending ? setupView() : loginView();
    }
    if (me.totpEnrollmentOnly) return await totpView();
    if (me.stepUpRequired) return stepUpView();
    switch (view) {
      case 'calls':
        return id === undefined ? await callsView(params) : await callView(id);
      case 'users':
        return await usersView();
      case 'audit':
        return await auditView(params);
      case 'system':
        return await systemView();
      case 'account':
        return accountView();
      case 'settings':
        return await settingsView();
      case 'totp':
        return await totpView();
      default:
        navigate('#/calls');
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      // The session ended (idle, expired, or the account was disabled): sign in again.
      me = null;
      enrolment = null;
      renderChrome();
      return loginView();
    }
    show(t('app.errorTitle'), h('p', { class: 'error', role: 'alert' }, errorText(err)));
  } finally {
    if (seq === renderSeq) {
      renderChrome();
      if (moveFocus) {
        window.scrollTo(0, 0);
        main.focus({ preventScroll: true });
      }
    }
  }
}

const languageSelect = document.getElementById('language') as HTMLSelectElement;
languageSelect.addEventListener('change', () => {
  setLanguage(languageSelect.value as Language);
  void route(false);
});
setLanguage(language());
window.addEventListener('hashchange', () => void route());
void route();
