/**
 * P4: calls to the service numbers are recorded; calls to other numbers (the switchboard's
 * internal lines, for instance) get a contact record only. The rule is by the number called,
 * compared in E.164 so that 020 123 4567 and +358201234567 are the same service number.
 */
import { AppError } from '../errors.js';
import { isE164, normalizePhoneNumber } from './phone-number.js';

export class RecordingRules {
  private recordedNumbers: ReadonlySet<string> = new Set();

  constructor(serviceNumbers: readonly string[], private readonly defaultRegion: string) {
    this.replace(serviceNumbers);
  }

  /** Replaces the recorded numbers (an administrator's change); nothing changes if any is invalid. */
  replace(serviceNumbers: readonly string[]): void {
    const normalised = new Set<string>();
    for (const number of serviceNumbers) {
      const e164 = normalizePhoneNumber(number, this.defaultRegion);
      if (e164 === null || !isE164(e164)) {
        throw new AppError('RECORDING_RULES_INVALID', `recorded service number "${number}" is not a valid phone number`);
      }
      normalised.add(e164);
    }
    this.recordedNumbers = normalised;
  }

  /** Whether a call to this (normalised) service number is to be recorded. */
  isRecorded(serviceNumber: string | null): boolean {
    if (serviceNumber === null) return false;
    const e164 = normalizePhoneNumber(serviceNumber, this.defaultRegion);
    return e164 !== null && this.recordedNumbers.has(e164);
  }

  get numbers(): readonly string[] {
    return [...this.recordedNumbers];
  }
}
