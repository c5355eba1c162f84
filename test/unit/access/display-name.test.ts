/**
 * Display names under the Nickname profile of PRECIS (RFC 8266 on RFC 8264) with the
 * appliance's own rules: one case per class of the FreeformClass and per step of enforcement.
 */
import t from 'tap';
import { checkDisplayName, prepareDisplayName, MAX_DISPLAY_NAME_LENGTH, type DisplayNameRefusal } from '../../../src/access/display-name.js';
import { AppError } from '../../../src/errors.js';

t.test('when a name is valid, then it is enforced to its stable form', async (t) => {
  const accepted: Array<[input: string, expected: string, why: string]> = [
    ['Eeva Esimerkki', 'Eeva Esimerkki', 'plain Latin'],
    ['Yll\u0061\u0308pita\u0308ja\u0308', 'Ylläpitäjä', 'decomposed input is composed (NFKC)'],
    ['  Eeva   Esimerkki  ', 'Eeva Esimerkki', 'leading, trailing and repeated spaces'],
    ['Eeva\u00A0Esimerkki', 'Eeva Esimerkki', 'a no-break space is a space'],
    ['Eeva\u3000\u2003Esimerkki', 'Eeva Esimerkki', 'ideographic and em spaces, collapsed'],
    ['\uFF25\uFF45\uFF56\uFF41', 'Eeva', 'full-width letters (NFKC)'],
    ['\uFB01ona', 'fiona', 'a ligature (HasCompat)'],
    ['\u01C5or\u0111e', 'D\u017Eor\u0111e', 'a title-case digraph (Lt) decomposed by NFKC'],
    ["Seán O'Brien-Smith Jr.", "Seán O'Brien-Smith Jr.", 'ASCII punctuation'],
    ['Ελένη Παπαδοπούλου', 'Ελένη Παπαδοπούλου', 'Greek'],
    ['محمد علي', 'محمد علي', 'Arabic, right to left by its letters, no controls needed'],
    ['דוד כהן', 'דוד כהן', 'Hebrew'],
    ['山田・太郎', '山田・太郎', 'a katakana middle dot in Japanese text'],
    ['Paul·la', 'Paul·la', 'the Catalan middle dot between two l'],
    ['\u0375\u03B1', '\u0375\u03B1', 'a Greek keraia before a Greek letter'],
    ['\u05E6\u05F3\u05F4', '\u05E6\u05F3\u05F4', 'a Hebrew geresh and gershayim after a Hebrew letter'],
    ['김민수', '김민수', 'Hangul syllables'],
    ['Anna 😀', 'Anna 😀', 'a symbol outside the BMP (a valid surrogate pair)'],
    ['Ⅻ Kuningas', 'XII Kuningas', 'a Roman numeral (Nl) under NFKC'],
    ['x'.repeat(MAX_DISPLAY_NAME_LENGTH), 'x'.repeat(MAX_DISPLAY_NAME_LENGTH), 'exactly the longest'],
  ];
  for (const [input, expected, why] of accepted) {
    const result = checkDisplayName(input);
    t.same(result, { ok: true, value: expected }, why);
    if (result.ok) t.same(checkDisplayName(result.value), result, `${why}: enforcing again changes nothing`);
  }
});

t.test('when a name holds what names must not, then it is refused with a reason', async (t) => {
  const refused: Array<[input: unknown, reason: DisplayNameRefusal, why: string]> = [
    [42, 'not-text', 'a number'],
    [null, 'not-text', 'null'],
    ['', 'empty', 'nothing'],
    ['   ', 'empty', 'only spaces'],
    ['\u3000\u00A0', 'empty', 'only other spaces'],
    ['x'.repeat(MAX_DISPLAY_NAME_LENGTH + 1), 'too-long', 'one over the longest'],
    ['x'.repeat(100_000), 'too-long', 'megabytes are not normalised first'],
    ['Eeva\uD800', 'lone-surrogate', 'a lone high surrogate'],
    ['\uDC00Eeva', 'lone-surrogate', 'a lone low surrogate'],
    ['Eeva\u0000', 'control-character', 'NUL (Cc)'],
    ['Eeva\tEsimerkki', 'control-character', 'a tab (Cc)'],
    ['Eeva\nEsimerkki', 'control-character', 'a line feed (Cc)'],
    ['Eeva\u0085', 'control-character', 'NEL (Cc)'],
    ['\u202EavE', 'bidi-control', 'RIGHT-TO-LEFT OVERRIDE'],
    ['Eeva\u202A', 'bidi-control', 'LEFT-TO-RIGHT EMBEDDING'],
    ['\u2066Eeva\u2069', 'bidi-control', 'isolates'],
    ['Eeva\u200F', 'bidi-control', 'RIGHT-TO-LEFT MARK'],
    ['Ee\u200Bva', 'invisible-character', 'ZERO WIDTH SPACE'],
    ['Ee\u200Dva', 'invisible-character', 'ZERO WIDTH JOINER (CONTEXTJ)'],
    ['Ee\u200Cva', 'invisible-character', 'ZERO WIDTH NON-JOINER (CONTEXTJ)'],
    ['\uFEFFEeva', 'invisible-character', 'a byte-order mark'],
    ['Ee\u00ADva', 'invisible-character', 'a soft hyphen'],
    ['Ee\u2060va', 'invisible-character', 'WORD JOINER'],
    ['Eeva\uFE0F', 'invisible-character', 'a variation selector'],
    ['Eeva\u{E0041}', 'invisible-character', 'a tag character'],
    ['\u0600Eeva', 'invisible-character', 'an Arabic number sign (Cf, not default-ignorable)'],
    ['Eeva\u0378', 'unassigned-character', 'an unassigned code point (Cn)'],
    ['Eeva\uFFFF', 'unassigned-character', 'a noncharacter'],
    ['Eeva\uE000', 'disallowed-character', 'private use (Co)'],
    ['Eeva\u2028Esimerkki', 'disallowed-character', 'LINE SEPARATOR (Zl)'],
    ['Eeva\u2029', 'disallowed-character', 'PARAGRAPH SEPARATOR (Zp)'],
    ['\u1100', 'disallowed-character', 'an old Hangul jamo'],
    ['\u0639\u0640\u0644\u064A', 'disallowed-character', 'an Arabic tatweel (an RFC 5892 exception)'],
    ['a·b', 'disallowed-character', 'a middle dot not between two l'],
    ['\u0375x', 'disallowed-character', 'a Greek keraia before a Latin letter'],
    ['x\u05F3', 'disallowed-character', 'a Hebrew geresh after a Latin letter'],
    ['\u03B1\u0375', 'disallowed-character', 'a Greek keraia at the end'],
    ['\u05F3\u05E6', 'disallowed-character', 'a Hebrew geresh at the start'],
    ['Eeva・Esimerkki', 'disallowed-character', 'a katakana middle dot in Latin text'],
    ['\u0661\u06F1', 'disallowed-character', 'Arabic-Indic digits of both kinds'],
    ['<script>alert(1)</script>', 'markup', 'a tag'],
    ['Eeva > Esimerkki', 'markup', 'a greater-than sign'],
    ['\uFF1Cb\uFF1E', 'markup', 'full-width angle brackets become markup under NFKC'],
  ];
  for (const [input, reason, why] of refused) t.same(checkDisplayName(input), { ok: false, reason }, why);
});

t.test('when prepareDisplayName refuses, then it throws DISPLAY_NAME_INVALID with the reason and a message without the name', async (t) => {
  t.equal(prepareDisplayName(' Eeva '), 'Eeva');
  try {
    prepareDisplayName('\u202EEeva Esimerkki');
    t.fail('must throw');
  } catch (err) {
    t.ok(err instanceof AppError);
    t.match(err, { code: 'DISPLAY_NAME_INVALID', details: { field: 'displayName', reason: 'bidi-control' } });
    t.notMatch((err as Error).message, /Eeva/, 'the message never repeats the name');
  }
});
