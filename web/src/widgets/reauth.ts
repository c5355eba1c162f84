// The re-authentication prompt: the password and the code again before an administrator's change.
import { api, ApiError, setCsrfToken } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { form, passwordAndCode, text } from './form.js';

/**
 * Runs an administrator's change; when the service asks for a fresh re-authentication first
 * (administrator and registrar roles), asks for the password and the code above the view and
 * runs the change once more. Cancelling leaves the change undone (REAUTH_REQUIRED).
 */
export async function withReauth<T>(change: () => Promise<T>): Promise<T> {
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
    (document.getElementById('main') as HTMLElement).prepend(prompt);
    (prompt.querySelector('input') as HTMLInputElement).focus();
  });
}
