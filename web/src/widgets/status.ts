// The status line under the page (#status, a polite live region): what a change did or why it failed.
import { ApiError } from '../api.js';
import { t, tryT } from '../i18n.js';

/** Whether the status message said last is kept across the next navigation (it tells where to go next). */
let keepStatus = false;

export function say(message: string, isError = false, acrossNavigation = false): void {
  const status = document.getElementById('status') as HTMLElement;
  status.textContent = message;
  status.className = isError ? 'error' : 'ok';
  keepStatus = acrossNavigation;
}

/** A new view starts: a message belongs to the view it was said on, unless it says what to do on the next one. */
export function clearStatusForNewView(): void {
  const status = document.getElementById('status') as HTMLElement;
  if (!keepStatus) {
    status.textContent = '';
    status.className = '';
  }
  keepStatus = false;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return tryT(`error.${err.code}`) ?? t('error.other', { code: err.code });
  return t('error.other', { code: String(err) });
}
