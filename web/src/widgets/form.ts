// Forms: a submit runs the change and says why it failed; fields are read trimmed.
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { errorText, say } from './status.js';

export function form(onSubmit: (data: FormData) => Promise<void>, ...children: HTMLElement[]): HTMLFormElement {
  const element = h('form', { class: 'panel' }, ...children);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(new FormData(element)).catch((err: unknown) => say(errorText(err), true));
  });
  return element;
}

export const text = (data: FormData, name: string): string => String(data.get(name) ?? '').trim();

/** The password and a code: a form of two fields (ids with `prefix`), as the re-authentication forms ask. */
export function passwordAndCode(prefix: string, codeLabel: string): HTMLElement[] {
  return [
    field(`${prefix}-password`, t('login.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    field(`${prefix}-code`, codeLabel, h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6}' })),
  ];
}
