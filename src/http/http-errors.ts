/**
 * The one place that maps errors to HTTP: AppError codes to statuses, everything else to 500
 * with no detail (the log keeps the code). Bodies are `{ error: { code, message } }`.
 */
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';

const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  USERNAME_INVALID: 400,
  ROLES_INVALID: 400,
  AGENT_DIRECTORY_INVALID: 400,
  RECORDING_RULES_INVALID: 400,
  PASSWORD_TOO_SHORT: 400,
  PASSWORD_TOO_LONG: 400,
  PASSWORD_COMMON: 400,
  PASSWORD_CONTEXT: 400,
  RANGE_INVALID: 416,
  NOT_AUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  REAUTH_FAILED: 401,
  SETUP_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  REAUTH_REQUIRED: 403,
  TOTP_ENROLLMENT_REQUIRED: 403,
  SECOND_FACTOR_REQUIRED: 403,
  SELF_ROLE_CHANGE: 403,
  SELF_LOCKOUT: 409,
  SELF_TOTP_RESET: 409,
  LAST_MAINTAINER: 409,
  CALL_NOT_FOUND: 404,
  RECORDING_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  SETUP_DONE: 409,
  PAYLOAD_TOO_LARGE: 413,
  THROTTLED: 429,
  AUTH_BUSY: 503,
  AUDIT_UNAVAILABLE: 503,
  RECORDING_KEY_MISSING: 410,
  RECORDING_CORRUPT: 500,
};

export function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // express.json()'s own errors (bad JSON, too large) carry `type` and `status`.
    const parserError = err as { type?: string; status?: number };
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (parserError.type === 'entity.too.large') appError = new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    else if (parserError.type === 'entity.parse.failed') appError = new AppError('VALIDATION_FAILED', 'the request body is not valid JSON');
    else appError = new AppError('INTERNAL', 'internal error');
    const status = statusOf(appError.code);
    if (status >= 500) logger.error('request failed', { method: req.method, route: req.route?.path ?? req.path, code: appError.code, error: err instanceof Error ? err.name : 'unknown' });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const problems = appError.details?.problems;
    if (appError.code === 'THROTTLED' && typeof appError.details?.retryAfterMs === 'number') res.setHeader('Retry-After', String(Math.ceil(appError.details.retryAfterMs / 1000)));
    res.status(status).json({ error: { code: appError.code, message: status >= 500 && appError.code === 'INTERNAL' ? 'internal error' : appError.message, ...(Array.isArray(problems) ? { problems } : {}) } });
  };
}
