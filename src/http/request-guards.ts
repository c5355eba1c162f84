/**
 * Guards every request passes through: the session (resolved on each request, so a disabled
 * user or a changed role takes effect at once), CSRF for state changes, and the narrow set of
 * routes open to a session below the strength its roles need (a second factor to enrol, or to
 * step up to): the account's own, nothing else.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import type { AccountAccess, Actor } from '../access/account-access.js';
import { readSessionToken } from './session-cookie.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

export function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** The signed-in actor of a request that passed `requireSession`. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (actor === undefined) throw new AppError('NOT_AUTHENTICATED', 'sign in first');
  return actor;
}

/**
 * HTTP/1.1 requires a Host header (RFC 9112 section 3.2). node refuses a request without one
 * before express, with no body; the server leaves that to this guard, so the answer has a code.
 */
export function hostRequired(): RequestHandler {
  return (req, _res, next) => {
    next(req.httpVersion === '1.1' && req.headers.host === undefined ? new AppError('BAD_REQUEST_SYNTAX', 'an HTTP/1.1 request names its Host') : undefined);
  };
}

/**
 * Cross-site requests never change state: browsers send Sec-Fetch-Site and Origin, and both
 * must say this origin. With a session, the synchronizer token must match too.
 */
export function csrfGuard(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return next(new AppError('CSRF_REJECTED', 'cross-site request refused'));
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `https://${req.headers.host ?? ''}`) return next(new AppError('CSRF_REJECTED', 'cross-origin request refused'));
    next();
  };
}

/** Resolves the session; `requireSession` then refuses requests without one. */
export function sessionResolver(accounts: AccountAccess): RequestHandler {
  return (req, res, next) => {
    const token = readSessionToken(req);
    const actor = accounts.resolve(token);
    if (actor !== undefined) res.locals.actor = actor;
    // A cookie of a session that has ended: NOT_AUTHENTICATED will say why (idle, password changed...).
    else if (token !== undefined) res.locals.sessionEnd = accounts.sessionEnd(token);
    next();
  };
}

/** `allowDuringTotpEnrollment`: the route is open before the second factor is enrolled or stepped up to. */
export function requireSession(options: { allowDuringTotpEnrollment?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (actor === undefined) {
      const ended = res.locals.sessionEnd as { reason: string; idleMinutes?: number } | undefined;
      return next(new AppError('NOT_AUTHENTICATED', ended === undefined ? 'sign in first' : `the session has ended (${ended.reason}): sign in again`, ended === undefined ? undefined : { details: { ...ended } }));
    }
    if (STATE_CHANGING.has(req.method) && req.headers[CSRF_HEADER] !== actor.session.csrfToken) {
      return next(new AppError('CSRF_REJECTED', 'missing or wrong CSRF token'));
    }
    if (actor.secondFactorNeeded !== null && options.allowDuringTotpEnrollment !== true) {
      return next(
        actor.secondFactorNeeded === 'enrol'
          ? new AppError('TOTP_ENROLLMENT_REQUIRED', 'this account’s roles need a second factor (TOTP): set it up first')
          : new AppError('SECOND_FACTOR_REQUIRED', 'this account’s roles need the second factor: confirm with the password and the authenticator code'),
      );
    }
    next();
  };
}

/** Personal data is never cached by the browser or anything between. */
export function noStore(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  };
}
