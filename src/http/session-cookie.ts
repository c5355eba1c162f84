/**
 * The session cookie: `__Host-` prefixed (Secure, Path=/, no Domain: the browser binds it to
 * this origin), HttpOnly and SameSite=Strict. It carries only the random session token.
 *
 * The device cookie (access/device-cookie.ts) has the same attributes and a long Max-Age: it
 * outlives sessions and sign-outs, and tells the login throttle that this browser has signed in
 * to the account before.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = '__Host-tallennin';

export const DEVICE_COOKIE = '__Host-tallennin-device';

function readCookie(req: Request, name: string, pattern: RegExp): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return pattern.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function readSessionToken(req: Request): string | undefined {
  return readCookie(req, SESSION_COOKIE, /^[A-Za-z0-9_-]{20,100}$/);
}

export function readDeviceCookie(req: Request): string | undefined {
  return readCookie(req, DEVICE_COOKIE, /^[A-Za-z0-9_.~-]{20,1005}$/);
}

/** Added beside the session cookie (call after setSessionCookie). */
export function setDeviceCookie(res: Response, value: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', `${DEVICE_COOKIE}=${value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`);
}

export function setSessionCookie(res: Response, token: string): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict`);
}

export function clearSessionCookie(res: Response): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`);
}
