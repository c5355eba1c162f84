/**
 * Phone numbers are stored in E.164 (+358201234567), whatever form the card reports them in
 * (0201234567, 00358..., +358...). libphonenumber-js carries the numbering plans, so that a
 * change in Finnish number ranges is a package update, not a code change.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * The number in E.164 when it is a valid number of the plan, otherwise the digits as the card
 * gave them (short numbers, internal extensions): a contact record must keep what was received
 * rather than drop it (P3). Empty input (a withheld caller) gives null.
 */
export function normalizePhoneNumber(raw: string, defaultRegion: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion.toUpperCase() as CountryCode);
  if (parsed !== undefined && parsed.isValid()) return parsed.number;
  return trimmed;
}

/** True when the string is a number in E.164 form. */
export function isE164(value: string): boolean {
  return /^\+[1-9][0-9]{1,14}$/.test(value);
}
