/**
 * The session cookie: `__Host-` prefixed (Secure, Path=/, no Domain: the browser binds it to
 * this origin), HttpOnly and SameSite=Strict. It carries only the random session token.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = '__Host-tallennin';

export function readSessionToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setSessionCookie(res: Response, token: string): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict`);
}

export function clearSessionCookie(res: Response): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`);
}
