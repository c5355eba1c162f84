/**
 * Password rules of NIST SP 800-63B: long (at least 15 characters), no composition rules, no
 * forced rotation, and never a password that is known from breaches or guessable from context.
 * The breached list is the maintained one of @zxcvbn-ts/language-common (~49,000 passwords).
 *
 * Length is counted in Unicode code points after NFKC normalisation, the same form the hasher
 * hashes, so "Å" is one character however the keyboard produced it.
 */
import { createRequire } from 'node:module';

export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 128;
/**
 * Input longer than this (UTF-16 units) is too long without normalising it first: NFKC can
 * compose a few units into one code point, but never this many, and normalising megabytes of
 * input sent by a client would be work for nothing.
 */
const MAX_RAW_PASSWORD_UNITS = MAX_PASSWORD_LENGTH * 8;
/** Parts of the display name shorter than this are too common to refuse ("Li", "Ek"). */
const MIN_NAME_PART_LENGTH = 4;
const PRODUCT_NAME = 'tallennin';

export type PasswordRuleCode = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_COMMON' | 'PASSWORD_CONTEXT';
/** Which part of the context a PASSWORD_CONTEXT password holds, so the person is told the right one. */
export type PasswordContextReason = 'user-name' | 'person-name' | 'product-name' | 'repeated-character';
export type PasswordRuleResult = { ok: true } | { ok: false; code: PasswordRuleCode; message: string; reason?: PasswordContextReason };

const CONTEXT_MESSAGES: Record<PasswordContextReason, string> = {
  'user-name': 'the password must not contain the user name',
  'person-name': 'the password must not contain a part of the person’s name',
  'product-name': 'the password must not contain the product name (Tallennin)',
  'repeated-character': 'the password must not be one character repeated',
};

/**
 * The breached list, read at the first password set or changed (a rare event on a running box):
 * parsed and kept, the list and its set cost ~10 MB that every start would otherwise carry.
 * Read synchronously (the package has a CommonJS entry), so the rules stay a plain function.
 */
let commonPasswords: ReadonlySet<string> | undefined;
function commonPasswordSet(): ReadonlySet<string> {
  if (commonPasswords === undefined) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((word) => word.toLowerCase()));
  }
  return commonPasswords;
}

/** Unicode NFKC, so the same password typed on another keyboard or OS still matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function checkPasswordRules(password: string, context: { username: string; displayName?: string }): PasswordRuleResult {
  if (password.length > MAX_RAW_PASSWORD_UNITS) return tooLong();
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) return { ok: false, code: 'PASSWORD_TOO_SHORT', message: `a password has at least ${MIN_PASSWORD_LENGTH} characters` };
  if (length > MAX_PASSWORD_LENGTH) return tooLong();
  const lower = normalized.toLowerCase();
  const reason = contextReason(lower, context);
  if (reason !== undefined) return { ok: false, code: 'PASSWORD_CONTEXT', message: CONTEXT_MESSAGES[reason], reason };
  if (isCommon(lower)) return { ok: false, code: 'PASSWORD_COMMON', message: 'this password is known from breaches or is easy to guess: choose another' };
  return { ok: true };
}

function tooLong(): PasswordRuleResult {
  return { ok: false, code: 'PASSWORD_TOO_LONG', message: `a password has at most ${MAX_PASSWORD_LENGTH} characters` };
}

/** The user name, the person's name parts, the product name, or one character over and over: which, if any. */
function contextReason(lower: string, context: { username: string; displayName?: string }): PasswordContextReason | undefined {
  if (/^(.)\1*$/su.test(lower)) return 'repeated-character';
  if (lower.includes(PRODUCT_NAME)) return 'product-name';
  const compact = lower.replace(/[\s\p{P}\p{S}]+/gu, '');
  const username = normalizePassword(context.username).trim().toLowerCase();
  if (username.length > 0 && (lower.includes(username) || compact.includes(username))) return 'user-name';
  const nameParts = normalizePassword(context.displayName ?? '')
    .toLowerCase()
    .split(/[\s\p{P}\p{S}]+/u)
    .filter((part) => [...part].length >= MIN_NAME_PART_LENGTH);
  return nameParts.some((part) => lower.includes(part)) ? 'person-name' : undefined;
}

/** "123456789012345", "abcdefghijklmnop", "zyxwvuts...": each character the next (or previous) one. */
function isSequential(chars: readonly string[]): boolean {
  const next = (a: string, b: string, step: number): boolean =>
    /\d/.test(a) && /\d/.test(b) ? (Number(a) + step + 10) % 10 === Number(b) : b.codePointAt(0) === (a.codePointAt(0) ?? 0) + step;
  return chars.length > 1 && [1, -1].some((step) => chars.every((char, i) => i === 0 || next(chars[i - 1]!, char, step)));
}

/** The password is a short unit said again and again: the unit, or undefined. */
function repeatedUnit(chars: readonly string[]): string | undefined {
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.length % unit !== 0) continue;
    if (chars.every((char, i) => char === chars[i % unit])) return chars.slice(0, unit).join('');
  }
  return undefined;
}

/**
 * A listed password in disguise: as it is, without the digits and punctuation people put around
 * it ("password2024!"), without spaces ("i love you i love you"), or a listed word or a unit of
 * at most four characters repeated ("salasanasalasana", "abcabcabcabcabc").
 */
function isCommon(lower: string): boolean {
  const common = commonPasswordSet();
  const stripped = lower.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');
  const candidates = new Set([lower, stripped, lower.replace(/\s+/gu, ''), stripped.replace(/\s+/gu, '')]);
  for (const candidate of candidates) {
    if (candidate.length === 0) continue;
    if (common.has(candidate)) return true;
    const chars = [...candidate];
    if (isSequential(chars)) return true;
    const unit = repeatedUnit(chars);
    if (unit !== undefined && (common.has(unit) || [...unit].length <= 4 || isSequential([...unit]))) return true;
  }
  return false;
}
