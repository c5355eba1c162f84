/**
 * Password rules of NIST SP 800-63B: long (at least 15 characters), no composition rules, no
 * forced rotation, and never a password that is known from breaches or guessable from context.
 * The breached list is the maintained one of @zxcvbn-ts/language-common (~49,000 passwords).
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordRuleResult =
  | { ok: true }
  | { ok: false; code: 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_COMMON' | 'PASSWORD_CONTEXT'; message: string };

const COMMON_PASSWORDS: ReadonlySet<string> = new Set((dictionary['passwords-common'] as string[]).map((word) => word.toLowerCase()));

/** Unicode NFKC, so the same password typed on another keyboard or OS still matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function checkPasswordRules(password: string, context: { username: string; displayName?: string }): PasswordRuleResult {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) return { ok: false, code: 'PASSWORD_TOO_SHORT', message: `a password has at least ${MIN_PASSWORD_LENGTH} characters` };
  if (length > MAX_PASSWORD_LENGTH) return { ok: false, code: 'PASSWORD_TOO_LONG', message: `a password has at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = normalized.toLowerCase();
  if (isCommon(lower)) return { ok: false, code: 'PASSWORD_COMMON', message: 'this password is known from breaches: choose another' };
  const username = context.username.trim().toLowerCase();
  if ((username.length >= 3 && lower.includes(username)) || lower.includes('tallennin') || /^(.)\1*$/u.test(lower)) {
    return { ok: false, code: 'PASSWORD_CONTEXT', message: 'the password must not contain the user name or the product name, nor repeat one character' };
  }
  return { ok: true };
}

/** "123456789012345", "abcdefghijklmnop", "zyxwvuts...": each character the next (or previous) one. */
function isSequential(lower: string): boolean {
  const next = (a: string, b: string, step: number): boolean =>
    /\d/.test(a) && /\d/.test(b) ? (Number(a) + step + 10) % 10 === Number(b) : b.codePointAt(0) === (a.codePointAt(0) ?? 0) + step;
  const chars = [...lower];
  return [1, -1].some((step) => chars.every((char, i) => i === 0 || next(chars[i - 1]!, char, step)));
}

function isCommon(lower: string): boolean {
  if (COMMON_PASSWORDS.has(lower) || isSequential(lower)) return true;
  // "password2024!" and "salasanasalasana" are the list's words in disguise.
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  if (stripped !== lower && COMMON_PASSWORDS.has(stripped)) return true;
  for (let unit = 1; unit <= lower.length / 2; unit++) {
    if (lower.length % unit !== 0) continue;
    const piece = lower.slice(0, unit);
    if (piece.repeat(lower.length / unit) === lower && (COMMON_PASSWORDS.has(piece) || unit <= 4)) return true;
  }
  return false;
}
