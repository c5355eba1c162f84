/**
 * Pseudonyms for the audit trail: a keyed HMAC of a phone number or a typed user name. The same
 * value always gives the same pseudonym (the registrar can find a data subject's searches by
 * computing theirs), but the trail alone reveals no number, and without the key a list of all
 * numbers cannot be hashed to reverse it.
 */
import { createHmac } from 'node:crypto';

const PREFIX = { phone: 'ph_', username: 'un_' } as const;

export class AuditPseudonyms {
  constructor(private readonly key: Buffer) {}

  of(kind: keyof typeof PREFIX, value: string): string {
    return PREFIX[kind] + createHmac('sha256', this.key).update(`${kind}:${value}`).digest('base64url').slice(0, 22);
  }
}
