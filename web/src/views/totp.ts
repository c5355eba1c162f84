// Setting up the second factor (TOTP): at the first sign-in of a role that needs it, or from
// the account page to set one up or replace the authenticator app.
import { api, setCsrfToken } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, screen } from '../router.js';
import { currentUser, loadMe } from '../session.js';
import { form, passwordAndCode, text } from '../widgets/form.js';
import { say } from '../widgets/status.js';

/** The TOTP enrolment begun in this page, kept until confirmed: re-rendering must not change the key. */
let enrolment: Enrolment | null = null;

/** The pending key, its otpauth:// address, and that address as a QR code (an SVG data URL drawn by the service). */
interface Enrolment {
  secret: string;
  uri: string;
  qrCode: string;
}

/** The session ended: its enrolment goes with it. */
export function forgetEnrolment(): void {
  enrolment = null;
}

/**
 * A first factor starts at once; an active one is replaced only with the password and a
 * current code, and keeps working until the new key is confirmed, so opening this page never
 * switches anything off.
 */
export async function totpView(): Promise<void> {
  const show = screen();
  const me = currentUser();
  if (enrolment === null && me?.totpEnrollmentOnly !== true) {
    // From a full session: the password first (and a current code when one is active).
    const replacing = me?.totpEnabled === true;
    const password = field('replace-password', t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' }));
    show(
      t('totp.title'),
      h('p', {}, replacing ? t('totp.replaceHelp') : t('totp.help')),
      form(
        async (data) => {
          enrolment = await api<Enrolment>('POST', '/me/totp', { password: String(data.get('password')), ...(replacing ? { code: text(data, 'code') } : {}) });
          await totpView();
        },
        h('div', { class: 'fields' }, ...(replacing ? passwordAndCode('replace', t('totp.currentCode')) : [password]), h('div', {}, h('button', { type: 'submit' }, t('totp.replaceSubmit')))),
      ),
    );
    return;
  }
  // The QR code first; the key grouped in fours and the otpauth:// address stay as the fallback
  // for an app (or a person) that cannot scan it: authenticator apps accept both typed or pasted.
  enrolment ??= await api<Enrolment>('POST', '/me/totp');
  const { secret, uri, qrCode } = enrolment;
  show(
    t('totp.title'),
    h('p', {}, t('totp.help')),
    h('figure', { class: 'totp-qr' }, h('img', { id: 'totp-qr', src: qrCode, alt: t('totp.qr'), width: '220', height: '220' }), h('figcaption', { class: 'hint' }, t('totp.qrHelp'))),
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
