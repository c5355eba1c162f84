/**
 * Display names (a person's name as other people see it: a user's name in the user list and the
 * audit view, an agent's name in the agent directory and so in every contact record and export)
 * prepared and enforced by the Nickname profile of the PRECIS FreeformClass (RFC 8266 on
 * RFC 8264), with this appliance's own stricter rules on top, which a profile may add.
 *
 * Why: a name is shown to administrators and printed into evidence. A right-to-left override
 * (U+202E) makes "Eva" display as anything; a zero-width or control character makes two names
 * that look the same differ; a lone surrogate breaks JSON and UTF-8 output further on; and "<"
 * or ">" in a name is an injection attempt in every HTML or CSV view, however well escaped.
 *
 * Enforcement (RFC 8266, in the order of operations of RFC 8264):
 *   1. additional mapping: every space character (Zs) becomes U+0020; leading and trailing
 *      spaces go and runs of spaces become one;
 *   2. normalisation: NFKC (so "ﬁ" is "fi" and a full-width "Ａ" is "A");
 *   3. the rules are applied again until the result is stable (enforcement is idempotent).
 * Then every code point must be valid in the FreeformClass (RFC 8264): controls (Cc),
 * default-ignorable code points (the bidi controls U+200E/F, U+202A-U+202E, U+2066-U+2069, the
 * zero-width characters, other Cf), noncharacters, surrogates (Cs), private use (Co),
 * unassigned code points (Cn), line and paragraph separators and old Hangul jamo are refused,
 * and so are the exceptions and contextual rules the class inherits from IDNA (RFC 5892).
 * This appliance adds: no "<" or ">", at most 200 characters, not empty. The joiners U+200C and
 * U+200D are refused outright (their contextual rule needs a virama before them, which a
 * person's name in the scripts used here never has, and emoji sequences are not names).
 *
 * Comparison (two names the same person would call equal) is the enforced forms lower-cased;
 * this appliance does not compare display names, so only enforcement is here.
 */
import { AppError } from '../errors.js';

export const MAX_DISPLAY_NAME_LENGTH = 200;
/**
 * Input longer than this (UTF-16 units) is refused before it is normalised: NFKC can compose a
 * few units into one code point, never this many, and normalising megabytes is work for nothing.
 */
export const MAX_DISPLAY_NAME_INPUT_UNITS = MAX_DISPLAY_NAME_LENGTH * 8;
/** Stable after at most this many applications, or refused (in practice two suffice). */
const MAX_ENFORCEMENT_ROUNDS = 4;

export type DisplayNameRefusal =
  | 'not-text'
  | 'empty'
  | 'too-long'
  | 'lone-surrogate'
  | 'control-character'
  | 'bidi-control'
  | 'invisible-character'
  | 'unassigned-character'
  | 'disallowed-character'
  | 'markup'
  | 'unstable';

export type DisplayNameResult = { ok: true; value: string } | { ok: false; reason: DisplayNameRefusal };

const MESSAGES: Record<DisplayNameRefusal, string> = {
  'not-text': 'a display name is text',
  empty: 'a display name is needed',
  'too-long': `a display name has at most ${MAX_DISPLAY_NAME_LENGTH} characters`,
  'lone-surrogate': 'the display name is not valid Unicode text (a lone surrogate)',
  'control-character': 'a display name cannot contain control characters (such as NUL, tab or a line break)',
  'bidi-control': 'a display name cannot contain text-direction controls (such as U+202E)',
  'invisible-character': 'a display name cannot contain invisible characters (such as zero-width spaces or joiners)',
  'unassigned-character': 'a display name cannot contain code points that are not assigned characters',
  'disallowed-character': 'a display name contains a character that names do not use',
  markup: 'a display name cannot contain < or >',
  unstable: 'the display name does not have a stable normal form',
};

// The categories of RFC 8264, as Unicode property escapes (the `u` flag reads a string by
// code points, so a lone surrogate is one code point of category Cs).
const SPACE_SEPARATOR = /\p{Zs}/gu;
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /\p{Bidi_Control}/u;
/** PrecisIgnorableProperties, the joiners (CONTEXTJ, see above) and the rest of Cf. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Join_Control}\p{Cf}]/u;
const UNASSIGNED = /[\p{Cn}\p{Noncharacter_Code_Point}]/u;
/**
 * Private use, line and paragraph separators, and the DISALLOWED exceptions of RFC 5892
 * section 2.6 (tatweel, N'Ko lajanyalan, the vertical kana repeat marks and friends).
 */
const DISALLOWED = /[\p{Co}\p{Zl}\p{Zp}\u0640\u07FA\u3031-\u3035\u303B]|\u302E|\u302F/u;
/** Old Hangul jamo (Hangul_Syllable_Type L, V or T), which no property escape names. */
const OLD_HANGUL_JAMO: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x11ff],
  [0xa960, 0xa97f],
  [0xd7b0, 0xd7ff],
];
/** The classes valid in the FreeformClass: letters, digits, marks, spaces, symbols, punctuation. */
const FREEFORM_VALID = /^[\p{L}\p{M}\p{N}\p{Zs}\p{S}\p{P}]*$/u;
const MARKUP = /[<>]/;

/** Applies the Nickname profile and this appliance's rules; never throws. */
export function checkDisplayName(input: unknown): DisplayNameResult {
  if (typeof input !== 'string') return { ok: false, reason: 'not-text' };
  if (input.length > MAX_DISPLAY_NAME_INPUT_UNITS) return { ok: false, reason: 'too-long' };
  // Before normalising: NFKC would carry a lone surrogate through, and it must be named as such.
  if (LONE_SURROGATE.test(input)) return { ok: false, reason: 'lone-surrogate' };
  let value = input;
  let rounds = 0;
  for (let next = enforceOnce(value); next !== value; next = enforceOnce(value)) {
    if (++rounds > MAX_ENFORCEMENT_ROUNDS) return { ok: false, reason: 'unstable' };
    value = next;
  }
  const refusal = refusalOf(value);
  return refusal === undefined ? { ok: true, value } : { ok: false, reason: refusal };
}

/**
 * The enforced display name, or AppError DISPLAY_NAME_INVALID with the field and the reason in
 * its details (the message never repeats the name: it is personal data).
 */
export function prepareDisplayName(input: unknown, field = 'displayName'): string {
  const result = checkDisplayName(input);
  if (result.ok) return result.value;
  throw new AppError('DISPLAY_NAME_INVALID', `${field}: ${MESSAGES[result.reason]}`, { details: { field, reason: result.reason } });
}

function enforceOnce(value: string): string {
  return value.replace(SPACE_SEPARATOR, ' ').replace(/ {2,}/g, ' ').replace(/^ | $/g, '').normalize('NFKC');
}

function refusalOf(value: string): DisplayNameRefusal | undefined {
  if (value.length === 0) return 'empty';
  if (CONTROL.test(value)) return 'control-character';
  if (BIDI_CONTROL.test(value)) return 'bidi-control';
  if (INVISIBLE.test(value)) return 'invisible-character';
  if (UNASSIGNED.test(value)) return 'unassigned-character';
  if (DISALLOWED.test(value) || hasOldHangulJamo(value) || !FREEFORM_VALID.test(value) || !contextRulesHold(value)) return 'disallowed-character';
  if (MARKUP.test(value)) return 'markup';
  if ([...value].length > MAX_DISPLAY_NAME_LENGTH) return 'too-long';
  return undefined;
}

function hasOldHangulJamo(value: string): boolean {
  for (const char of value) {
    const point = char.codePointAt(0)!;
    if (OLD_HANGUL_JAMO.some(([first, last]) => point >= first && point <= last)) return true;
  }
  return false;
}

/**
 * The CONTEXTO rules of RFC 5892 appendix A that the FreeformClass inherits: a character that
 * is valid only beside the characters of its own script.
 */
function contextRulesHold(value: string): boolean {
  const chars = [...value];
  return chars.every((char, i) => {
    switch (char) {
      case '\u00B7': // MIDDLE DOT: only in the Catalan "l·l"
        return chars[i - 1] === 'l' && chars[i + 1] === 'l';
      case '\u0375': // GREEK LOWER NUMERAL SIGN (keraia): before a Greek letter
        return /\p{Script=Greek}/u.test(chars[i + 1] ?? '');
      case '\u05F3': // HEBREW PUNCTUATION GERESH and GERSHAYIM: after a Hebrew letter
      case '\u05F4':
        return /\p{Script=Hebrew}/u.test(chars[i - 1] ?? '');
      case '\u30FB': // KATAKANA MIDDLE DOT: in Japanese text
        return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(value.replace(/\u30FB/g, ''));
      default:
        return true;
    }
  }) && !(/[\u0660-\u0669]/.test(value) && /[\u06F0-\u06F9]/.test(value)); // Arabic-Indic digits of both kinds never mix
}
