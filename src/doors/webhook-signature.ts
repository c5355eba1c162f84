/**
 * The webhook's signature, in the way of Stripe's and GitHub's: the controller sends
 *
 *   Tallennin-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${raw body}`)>
 *
 * The timestamp is inside what is signed, so a captured request cannot be replayed with a new
 * one; it must be within 5 minutes of the box's clock either way; the MAC is compared in
 * constant time. Several v1 values may be sent (a secret being rotated): one must match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

export const SIGNATURE_HEADER = 'tallennin-signature';
export const SOURCE_HEADER = 'tallennin-source';
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export function signatureOf(secret: string, unixSeconds: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(rawBody).digest('hex');
}

/** The header a controller sends: what the demo sender, the benchmark and docs/door-access.md use. */
export function signatureHeader(secret: string, unixSeconds: number, rawBody: Buffer | string): string {
  return `t=${unixSeconds},v1=${signatureOf(secret, unixSeconds, rawBody)}`;
}

/**
 * Checks a request's signature; resolves to nothing, or throws DOOR_SIGNATURE_INVALID (missing,
 * malformed or wrong) or DOOR_SIGNATURE_EXPIRED (outside the window).
 */
export function verifySignature(header: string | undefined, secret: string, rawBody: Buffer, nowMs: number): { timestamp: number; mac: string } {
  if (header === undefined || header.length > 1000) throw invalid('the Tallennin-Signature header is missing');
  let timestamp: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) macs.push(value);
  }
  if (timestamp === undefined || macs.length === 0) throw invalid('the Tallennin-Signature header is not t=<unix>,v1=<hex>');
  if (Math.abs(nowMs - timestamp * 1000) > SIGNATURE_WINDOW_MS) {
    throw new AppError('DOOR_SIGNATURE_EXPIRED', 'the signature’s timestamp is more than 5 minutes from the box’s clock');
  }
  const expected = Buffer.from(signatureOf(secret, timestamp, rawBody), 'hex');
  // Every candidate is compared, so the time taken does not tell which one matched.
  let match: string | undefined;
  for (const mac of macs) if (timingSafeEqual(expected, Buffer.from(mac, 'hex'))) match = mac;
  if (match === undefined) throw invalid('the signature does not match the body');
  return { timestamp, mac: match };
}

function invalid(message: string): AppError {
  return new AppError('DOOR_SIGNATURE_INVALID', message);
}
