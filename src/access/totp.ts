/**
 * TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30 s), with otpauth. A code is accepted one
 * step either side of now (clock drift of the phone), and never twice (replay).
 */
import * as OTPAuth from 'otpauth';

const ISSUER = 'Tallennin';
const PERIOD_S = 30;
const DIGITS = 6;
/** Steps accepted either side of now. */
const WINDOW_STEPS = 1;

function totpOf(secret: string, label = 'user'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_S, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** A new 160-bit secret, base32 as authenticator apps expect. */
export function generateTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app takes (typed in, or as a QR code). */
export function totpUri(secret: string, username: string): string {
  return totpOf(secret, username).toString();
}

/** The 30-second time step of a moment (RFC 6238's T). */
export function totpStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PERIOD_S);
}

/**
 * Checks a code against the steps just before, at and after now (the phone's clock may be off by
 * up to 30 s). A code of a step at or before `lastUsedStep` is refused: each code works once,
 * and so does every earlier one. Spaces in the code ("123 456") are ignored. A malformed secret
 * is a mismatch, never an exception.
 */
export function verifyTotp(secret: string, code: string, nowMs: number, lastUsedStep: number | null): { ok: true; step: number } | { ok: false } {
  const digits = typeof code === 'string' ? code.replace(/\s+/g, '') : '';
  if (!new RegExp(`^[0-9]{${DIGITS}}$`).test(digits) || !Number.isFinite(nowMs)) return { ok: false };
  let delta: number | null;
  try {
    delta = totpOf(secret).validate({ token: digits, timestamp: nowMs, window: WINDOW_STEPS });
  } catch {
    return { ok: false };
  }
  if (delta === null) return { ok: false };
  const step = totpStepAt(nowMs) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false };
  return { ok: true, step };
}
