// Forms: a submit runs the change and says why it failed, beside the form's buttons; while it
// runs the submit button says so and the form cannot be sent twice. Fields are read trimmed.
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { clearStatus, errorText, say } from './status.js';

/** Disables a form's submit buttons while `work` runs, with `busyLabel` on them, and restores them after. */
export async function whileBusy<T>(buttons: readonly HTMLButtonElement[], busyLabel: string, work: () => Promise<T>): Promise<T> {
  const labels = buttons.map((button) => button.textContent);
  for (const button of buttons) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = busyLabel;
  }
  try {
    return await work();
  } finally {
    buttons.forEach((button, i) => {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = labels[i] ?? '';
    });
  }
}

export function form(onSubmit: (data: FormData) => Promise<void>, ...children: HTMLElement[]): HTMLFormElement {
  const element = h('form', { class: 'panel' }, ...children);
  let busy = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    // A second press (or Enter) while the first is on its way sends nothing.
    if (busy) return;
    busy = true;
    clearStatus();
    const buttons = [...element.querySelectorAll<HTMLButtonElement>('button[type=submit]')];
    whileBusy(buttons, element.dataset.busyLabel ?? t('form.busy'), () => onSubmit(new FormData(element)))
      .catch((err: unknown) => {
        if (element.isConnected) say(errorText(err), true, false, element);
        else say(errorText(err), true);
      })
      .finally(() => {
        busy = false;
      });
  });
  return element;
}

export const text = (data: FormData, name: string): string => String(data.get(name) ?? '').trim();

/** A field for a new password, with the rules beside it before anything is typed (and read out with it). */
export function newPasswordField(id: string, label: string, options: { name?: string; required?: boolean } = {}): HTMLElement {
  const rulesId = `${id}-rules`;
  const input = h('input', { name: options.name ?? 'password', type: 'password', autocomplete: 'new-password', 'aria-describedby': rulesId, ...(options.required === false ? {} : { required: true }) });
  const wrapper = field(id, label, input);
  wrapper.append(h('p', { class: 'hint password-rules', id: rulesId }, t('password.rules')));
  return wrapper;
}

/** The password and a code: a form of two fields (ids with `prefix`), as the re-authentication forms ask. */
export function passwordAndCode(prefix: string, codeLabel: string): HTMLElement[] {
  return [
    field(`${prefix}-password`, t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    field(`${prefix}-code`, codeLabel, h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6}' })),
  ];
}
