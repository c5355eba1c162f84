/**
 * The one place that maps errors to HTTP: AppError codes to statuses, the errors of express and
 * its body parser to codes of their own, everything else to 500 with no detail (the log keeps the
 * code). Bodies are `{ error: { code, message } }`. Requests that HTTP itself cannot parse never
 * reach express: `clientErrorResponse` answers them with the same kind of body.
 */
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';

const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  BAD_REQUEST_ENCODING: 400,
  BAD_REQUEST_SYNTAX: 400,
  BODY_NOT_ALLOWED: 400,
  DISPLAY_NAME_INVALID: 400,
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
  RECORDING_IN_PROGRESS: 409,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_CONTENT_ENCODING: 415,
  HEADERS_TOO_LARGE: 431,
  THROTTLED: 429,
  AUTH_BUSY: 503,
  AUDIT_UNAVAILABLE: 503,
  RECORDING_KEY_MISSING: 410,
  RECORDING_CORRUPT: 500,
  // Password reset links
  PASSWORD_RESET_INVALID: 400,
  SELF_PASSWORD_RESET: 409,
  // The door integration (docs/door-access.md).
  DOOR_EVENT_INVALID: 400,
  DOOR_SOURCE_UNKNOWN: 401,
  DOOR_SIGNATURE_INVALID: 401,
  DOOR_SIGNATURE_EXPIRED: 401,
  DOOR_REPLAYED: 409,
  DOOR_LOG_UNAVAILABLE: 503,
  LISTENING_NOT_ON_SITE: 403,
  // Operations: alarms and their delivery.
  ALARM_NOT_FOUND: 404,
  ALARM_CLEARED: 409,
  DELIVERY_SETTINGS_INVALID: 400,
  METRICS_TOKEN_INVALID: 401,
  // Notes and tags on a call.
  NOTE_NOT_FOUND: 404,
  NOTES_FULL: 409,
  // The registrar's desk (src/disclosure/).
  CASE_INVALID: 400,
  CASE_SUBJECT_REQUIRED: 400,
  HOLD_INVALID: 400,
  CASE_NOT_FOUND: 404,
  HOLD_NOT_FOUND: 404,
  CASE_NO_CALLS: 422,
  CASE_CLOSED: 409,
  CASE_NOT_CLOSABLE: 409,
  CASE_EXTENSION_NOT_ALLOWED: 409,
  CASE_ALREADY_EXTENDED: 409,
  APPROVAL_NOT_NEEDED: 409,
  APPROVAL_DONE: 409,
  APPROVAL_BY_REQUESTER: 403,
  APPROVAL_REQUIRED: 409,
  PASSPHRASE_TOO_SHORT: 400,
  BUNDLE_INVALID: 422,
  BUNDLE_NOT_FOUND: 404,
  CASE_NO_RECORDINGS: 409,
  CASE_KIND_MISMATCH: 409,
  // Research disclosures (P9) under a case.
  RESEARCH_NOT_RESEARCH_CASE: 409,
  RESEARCH_INVALID: 400,
  RESEARCH_RETURN_DUE_MISSING: 409,
  RESEARCH_CONTENT_UNCHECKED: 409,
  RESEARCH_NO_CALLS: 409,
  RESEARCH_NOTHING_DISCLOSED: 409,
  ANONYMISER_FAILED: 500,
  // The data subject's report (P14).
  REPORT_NOT_DATA_SUBJECT_CASE: 409,
};

/** Every code an answer can carry (INTERNAL for the rest): the web UI has a text for each. */
export const ERROR_CODES: readonly string[] = [...Object.keys(STATUS_BY_CODE), 'INTERNAL'];

export function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** The body parser's error types (body-parser's `type` field), each with its own code. */
const CODE_BY_PARSER_TYPE: Record<string, { code: string; message: string }> = {
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' },
  'entity.parse.failed': { code: 'VALIDATION_FAILED', message: 'the request body is not valid JSON' },
  'charset.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'a request body is JSON in UTF-8' },
  'encoding.unsupported': { code: 'UNSUPPORTED_CONTENT_ENCODING', message: 'a request body is sent uncompressed' },
  'request.aborted': { code: 'BAD_REQUEST_SYNTAX', message: 'the request body ended early' },
  'request.size.invalid': { code: 'BAD_REQUEST_SYNTAX', message: 'the request body does not match its Content-Length' },
};

/** Any error a request can end in, as an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // The router decodes path parameters with decodeURIComponent; the query parser does the same.
  if (err instanceof URIError) return new AppError('BAD_REQUEST_ENCODING', 'the address has percent-encoding that is not UTF-8');
  const expressError = err as { type?: unknown; status?: unknown; expose?: unknown };
  const parserCode = typeof expressError.type === 'string' ? CODE_BY_PARSER_TYPE[expressError.type] : undefined;
  if (parserCode !== undefined) return new AppError(parserCode.code, parserCode.message);
  // Other errors express's own modules mark as the client's (http-errors: status 4xx, expose).
  if (typeof expressError.status === 'number' && expressError.status >= 400 && expressError.status < 500 && expressError.expose === true) {
    return new AppError('BAD_REQUEST', 'the request is not valid');
  }
  return new AppError('INTERNAL', 'internal error');
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError = toAppError(err);
    const status = statusOf(appError.code);
    if (status >= 500) logger.error('request failed', { method: req.method, route: req.route?.path ?? req.path, code: appError.code, error: err instanceof Error ? err.name : 'unknown' });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body still unread (refused from its headers, or never sent) would be read as the next
    // request, or waited for: the connection ends with this answer instead.
    if (!req.complete) res.setHeader('Connection', 'close');
    const problems = appError.details?.problems;
    const reason = appError.details?.reason;
    const idleMinutes = appError.details?.idleMinutes;
    if (appError.code === 'THROTTLED' && typeof appError.details?.retryAfterMs === 'number') res.setHeader('Retry-After', String(Math.ceil(appError.details.retryAfterMs / 1000)));
    res.status(status).json({
      error: {
        code: appError.code,
        message: status >= 500 && appError.code === 'INTERNAL' ? 'internal error' : appError.message,
        ...(Array.isArray(problems) ? { problems } : {}),
        ...(typeof reason === 'string' ? { reason } : {}),
        ...(typeof idleMinutes === 'number' ? { idleMinutes } : {}),
      },
    });
  };
}

/** node's HTTP parser errors (llhttp `HPE_*` codes, the server's timeouts), as codes. */
export function clientErrorCode(err: { code?: unknown }): string {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'PAYLOAD_TOO_LARGE';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    default:
      return 'BAD_REQUEST_SYNTAX';
  }
}

/** The whole raw answer to a request HTTP could not parse; the connection closes after it. */
export function clientErrorResponse(err: { code?: unknown }): string {
  const code = clientErrorCode(err);
  const status = statusOf(code);
  const message = code === 'REQUEST_TIMEOUT' ? 'the request was not received in time' : code === 'HEADERS_TOO_LARGE' ? 'the request headers are too large' : 'the request is not valid HTTP';
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' };
