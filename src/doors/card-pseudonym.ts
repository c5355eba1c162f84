/**
 * A card number never leaves the doors/ folder in clear: it becomes a keyed pseudonym, HMAC-SHA256
 * with the key hierarchy's door-card-pseudonym key, so the same card always gives the same
 * pseudonym on this box (enrolment and presence work) while the log read on its own names no
 * card. Card numbers are short, so an unkeyed hash could be reversed by trying them all; the key
 * stays in the box.
 */
import { createHmac } from 'node:crypto';

/** The pseudonym's form: `card:` and 24 hex digits (96 bits: no collision among a site's cards). */
export const CARD_PSEUDONYM = /^card:[0-9a-f]{24}$/;

export class CardPseudonyms {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = Buffer.from(key);
  }

  /** Readers differ in leading zeros and separators: the digits and letters alone name the card. */
  of(cardNumber: string): string {
    const normalised = cardNumber.replace(/[^0-9A-Za-z]/g, '').replace(/^0+(?=.)/, '').toUpperCase();
    return `card:${createHmac('sha256', this.#key).update(`tallennin/door-card/v1|${normalised}`).digest('hex').slice(0, 24)}`;
  }

  toJSON(): string {
    return '[CardPseudonyms]';
  }
}
