/** Signing in and out, the first administrator, the signed-in user's own account. */
import { Router } from 'express';
import { AppError } from '../../errors.js';
import type { AccountAccess } from '../../access/account-access.js';
import { loginBody, passwordChangeBody, reauthenticateBody, setupBody, totpBeginBody, totpConfirmBody } from '../api-schemas.js';
import { csrfRotated, me, oneUser, setupStatus, signedIn, totpEnrollment } from '../api-responses.js';
import { reply } from '../reply.js';
import { totpQrCode } from '../totp-qr-code.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';
import { clearSessionCookie, readDeviceCookie, setDeviceCookie, setSessionCookie } from '../session-cookie.js';

export function sessionRoutes(accounts: AccountAccess): Router {
  const router = Router();

  router.post('/session', async (req, res) => {
    const body = validate(loginBody, req.body);
    // The device cookie tells the throttle this browser has signed in to the account before.
    const deviceCookie = readDeviceCookie(req);
    const result = await accounts.login({ ...body, clientAddress: clientAddress(req), ...(deviceCookie === undefined ? {} : { deviceCookie }) });
    if (!result.ok) {
      // One answer for an unknown user and a wrong password (INVALID_CREDENTIALS).
      throw new AppError(result.reason, loginMessage(result.reason), result.retryAfterMs === undefined ? undefined : { details: { retryAfterMs: result.retryAfterMs } });
    }
    // Always a new token: a token the client brought is never reused (session fixation).
    setSessionCookie(res, result.token);
    if (result.deviceCookie !== undefined && result.deviceCookieMaxAgeSeconds !== undefined) setDeviceCookie(res, result.deviceCookie, result.deviceCookieMaxAgeSeconds);
    const actor = accounts.resolve(result.token);
    reply(res, 201, signedIn, { csrfToken: result.session.csrfToken, user: result.user, totpEnrollmentRequired: actor?.secondFactorNeeded === 'enrol', roleNotice: result.session.roleNotice });
  });

  router.delete('/session', requireSession({ allowDuringTotpEnrollment: true }), async (req, res) => {
    await accounts.logout(actorOf(res), clientAddress(req));
    clearSessionCookie(res);
    res.status(204).end();
  });

  // Open below the strength the roles need: with the code, this is the step up to it.
  router.post('/session/reauthenticate', requireSession({ allowDuringTotpEnrollment: true }), async (req, res) => {
    const body = validate(reauthenticateBody, req.body);
    const rotated = await accounts.reauthenticate(actorOf(res), body.password, body.totpCode, clientAddress(req));
    // A change of privilege: the session goes on under a new token and CSRF token.
    setSessionCookie(res, rotated.token);
    reply(res, 200, csrfRotated, { csrfToken: rotated.session.csrfToken });
  });

  router.get('/me', requireSession({ allowDuringTotpEnrollment: true }), (_req, res) => {
    const actor = actorOf(res);
    reply(res, 200, me, { ...accounts.me(actor), csrfToken: actor.session.csrfToken });
  });

  router.post('/me/password', requireSession(), async (req, res) => {
    const body = validate(passwordChangeBody, req.body);
    const actor = actorOf(res);
    await accounts.changePassword(actor, body.currentPassword, body.newPassword, clientAddress(req));
    clearSessionCookie(res);
    res.status(204).end();
  });

  router.post('/me/totp', requireSession({ allowDuringTotpEnrollment: true }), async (req, res) => {
    const body = validate(totpBeginBody, req.body ?? {});
    const enrolment = await accounts.beginTotp(actorOf(res), body, clientAddress(req));
    reply(res, 201, totpEnrollment, { ...enrolment, qrCode: await totpQrCode(enrolment.uri) });
  });

  router.post('/me/totp/confirm', requireSession({ allowDuringTotpEnrollment: true }), async (req, res) => {
    const body = validate(totpConfirmBody, req.body);
    const rotated = await accounts.confirmTotp(actorOf(res), body.code, clientAddress(req));
    setSessionCookie(res, rotated.token);
    reply(res, 200, csrfRotated, { csrfToken: rotated.session.csrfToken });
  });

  router.get('/setup', async (_req, res) => {
    reply(res, 200, setupStatus, { pending: await accounts.setupPending() });
  });

  router.post('/setup', async (req, res) => {
    const body = validate(setupBody, req.body);
    const user = await accounts.createFirstAdministrator({ ...body, clientAddress: clientAddress(req) });
    reply(res, 201, oneUser, { user });
  });

  return router;
}

function loginMessage(reason: string): string {
  switch (reason) {
    case 'THROTTLED':
      return 'too many failed attempts: wait before trying again';
    case 'TOTP_REQUIRED':
      return 'enter the code from the authenticator app';
    case 'TOTP_INVALID':
      return 'the code does not match';
    default:
      return 'wrong user name or password';
  }
}
