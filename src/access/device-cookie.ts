/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful sign-in the browser gets a cookie that says "this browser has signed in to this
 * account before". The login throttle then counts that browser's attempts on its own
 * (login-throttle.ts), so a flood against the account from elsewhere never locks the real user
 * out of their usual browser.
 *
 *   value = entry ("~" entry)...   (one per account signed in from this browser, newest first)
 *   entry = "v1" . base64url(user id) . nonce . issued (seconds, base 36) . mac
 *   mac   = HMAC-SHA256(key, "tallennin/device-cookie/v1" NUL user id NUL nonce NUL issued)
 *
 * A browser shared by several people (agents taking turns at a workstation) keeps an entry for
 * each of the last MAX_DEVICE_COOKIE_ACCOUNTS accounts signed in from it, so one person's
 * sign-in does not make the browser a stranger to the others.
 *
 * The key is the key hierarchy's "device-cookie" subkey, so a cookie survives restarts and
 * cannot be made without the master key. The cookie proves nothing but a past sign-in: it never
 * replaces the password or the second factor. The nonce names the device to the throttle, so a
 * cookie used for many failures (a stolen one) is locked out on its own. A cookie older than
 * DEVICE_COOKIE_MAX_AGE_MS is not trusted; each sign-in issues a fresh one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/** How long a browser stays trusted after its last sign-in. */
export const DEVICE_COOKIE_MAX_AGE_MS = 90 * 24 * 3600_000;
const VERSION = 'v1';
const CONTEXT = 'tallennin/device-cookie/v1';
const NONCE_BYTES = 16;
/** Accounts one browser is remembered for. */
export const MAX_DEVICE_COOKIE_ACCOUNTS = 5;
const MAX_ENTRY_LENGTH = 200;
/** Longer values are not ours: refused before any work. */
export const MAX_DEVICE_COOKIE_LENGTH = MAX_DEVICE_COOKIE_ACCOUNTS * (MAX_ENTRY_LENGTH + 1);

export class DeviceCookies {
  readonly #key: Buffer;
  private readonly maxAgeMs: number;

  constructor(private readonly options: { key: Buffer; clock: Clock; maxAgeMs?: number }) {
    if (options.key.length < 32) throw new AppError('KEY_INVALID', 'the device-cookie key must be at least 32 bytes');
    this.#key = options.key;
    this.maxAgeMs = options.maxAgeMs ?? DEVICE_COOKIE_MAX_AGE_MS;
    if (!Number.isSafeInteger(this.maxAgeMs) || this.maxAgeMs < 1000) throw new AppError('CONFIG_INVALID', 'the device-cookie lifetime must be a whole number of ms, at least 1000');
  }

  /** Seconds a browser should keep the cookie (its Max-Age). */
  get maxAgeSeconds(): number {
    return Math.floor(this.maxAgeMs / 1000);
  }

  /**
   * The new cookie value for a browser that has just signed in to the account: a fresh entry for
   * it first, then the valid entries of other accounts from the value the browser brought.
   */
  issue(userId: string, previous?: string): string {
    const nonce = randomBytes(NONCE_BYTES).toString('base64url');
    const issued = Math.floor(this.options.clock.now() / 1000).toString(36);
    const fresh = [VERSION, Buffer.from(userId, 'utf8').toString('base64url'), nonce, issued, this.mac(userId, nonce, issued)].join('.');
    const others = this.entries(previous).filter((entry) => entry.userId !== userId && entry.device !== undefined);
    return [fresh, ...others.slice(0, MAX_DEVICE_COOKIE_ACCOUNTS - 1).map((entry) => entry.text)].join('~');
  }

  /**
   * The device id (the entry's nonce) when the value holds an entry this box issued to this very
   * account and it has not expired; undefined for anything else (missing, malformed, forged,
   * another account's, too old).
   */
  deviceOf(value: string | undefined, userId: string): string | undefined {
    return this.entries(value).find((entry) => entry.userId === userId && entry.device !== undefined)?.device;
  }

  /** The entries of a value, each with its account and, when genuine and in date, its device id. */
  private entries(value: string | undefined): Array<{ text: string; userId: string; device: string | undefined }> {
    if (value === undefined || value.length > MAX_DEVICE_COOKIE_LENGTH) return [];
    return value
      .split('~')
      .slice(0, MAX_DEVICE_COOKIE_ACCOUNTS)
      .flatMap((text) => {
        const parts = text.split('.');
        if (text.length > MAX_ENTRY_LENGTH || parts.length !== 5 || parts[0] !== VERSION) return [];
        const [, encodedUser, nonce, issued, mac] = parts as [string, string, string, string, string];
        const userId = Buffer.from(encodedUser, 'base64url').toString('utf8');
        return [{ text, userId, device: this.verified(userId, nonce, issued, mac) }];
      });
  }

  private verified(userId: string, nonce: string, issued: string, mac: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{22}$/.test(nonce) || !/^[0-9a-z]{1,12}$/.test(issued)) return undefined;
    const expected = Buffer.from(this.mac(userId, nonce, issued), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const ageMs = this.options.clock.now() - parseInt(issued, 36) * 1000;
    // A minute's grace for a clock set back a little after the entry was issued.
    return ageMs > -60_000 && ageMs < this.maxAgeMs ? nonce : undefined;
  }

  private mac(userId: string, nonce: string, issued: string): string {
    return createHmac('sha256', this.#key).update([CONTEXT, userId, nonce, issued].join('\0')).digest('base64url');
  }

  toJSON(): string {
    return '[DeviceCookies]';
  }
}
