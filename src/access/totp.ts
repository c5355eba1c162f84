/**
 * TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30 s), with otpauth. A code is accepted one
 * step either side of now (clock drift of the phone), and never twice (replay).
 */
import * as OTPAuth from 'otpauth';

const ISSUER = 'Tallennin';
const PERIOD_S = 30;
const DIGITS = 6;

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

export function verifyTotp(secret: string, code: string, nowMs: number, lastUsedStep: number | null): { ok: true; step: number } | { ok: false } {
  if (!/^[0-9]{6}$/.test(code)) return { ok: false };
  const delta = totpOf(secret).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return { ok: false };
  const step = Math.floor(nowMs / 1000 / PERIOD_S) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false };
  return { ok: true, step };
}
