// The status line (#status, a polite live region): what a change did or why it failed. It sits
// where the eye is: above the view for what a view or a navigation says, and beside the form's
// button when that form's submit failed; never over the table.
import { ApiError } from '../api.js';
import { t, tryT } from '../i18n.js';

/** Whether the status message said last is kept across the next navigation (it tells where to go next). */
let keepStatus = false;
/** Whether the view now drawn shows a message carried over from the last one. */
let carried = false;

/** A message carried over says what happened (a password set, say): it is not replaced by a general one. */
export function messageCarriedOver(): boolean {
  return carried;
}

/** Held here: beside a form, it leaves the document with that form when the view is drawn again. */
const statusElement = document.getElementById('status') as HTMLElement;
const statusLine = (): HTMLElement => statusElement;

/** The view was drawn again: a status line that stood beside a form now gone goes back above the view. */
export function keepStatusInView(): void {
  if (!statusElement.isConnected) (document.getElementById('main') as HTMLElement).before(statusElement);
}

/** Says a message; `near`: shown right after that element (a form's buttons), otherwise above the view. */
export function say(message: string, isError = false, acrossNavigation = false, near?: Element): void {
  const status = statusLine();
  if (near !== undefined) near.append(status);
  else (document.getElementById('main') as HTMLElement).before(status);
  status.textContent = message;
  status.className = isError ? 'error' : 'ok';
  keepStatus = acrossNavigation;
}

/** A new change starts: what the last one said no longer applies. */
export function clearStatus(): void {
  statusElement.textContent = '';
  statusElement.className = '';
  keepStatus = false;
}

/** A new view starts: a message belongs to the view it was said on, unless it says what to do on the next one. */
export function clearStatusForNewView(): void {
  const status = statusLine();
  // Back above the view: the form it stood beside is about to go.
  (document.getElementById('main') as HTMLElement).before(status);
  carried = keepStatus && status.textContent !== '';
  if (!keepStatus) {
    status.textContent = '';
    status.className = '';
  }
  keepStatus = false;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    // A refusal with a reason (which password rule, say) has a text of its own when the UI knows it.
    const specific = err.details.reason === undefined ? undefined : tryT(`error.${err.code}.${err.details.reason}`);
    return specific ?? tryT(`error.${err.code}`) ?? t('error.other', { code: err.code });
  }
  return t('error.other', { code: String(err) });
}
