/**
 * What a request may carry as a body: JSON in UTF-8, at most 64 KiB, uncompressed, and only on a
 * method that has one (POST, PUT, PATCH). Everything else is refused from the headers alone,
 * before a byte of the body is read: the body parser would first drain a refused body to its
 * declared end, so a client that declares a length and sends nothing would hold the socket until
 * the request timeout. The error middleware closes the connection of a request whose body was
 * not read (http-errors.ts).
 */
import express, { type RequestHandler } from 'express';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors.js';

/** Requests carry small JSON bodies only (the largest is the agent directory of settings). */
export const MAX_BODY_BYTES = 64 * 1024;

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Refuses, from the headers, every body the JSON parser below would not take. */
export function requestBodyGuard(): RequestHandler {
  return (req, _res, next) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    // node's parser has already refused a Content-Length that is not a number.
    const hasBody = chunked || (length !== undefined && Number(length) > 0);
    if (!hasBody) return next();
    if (!METHODS_WITH_BODY.has(req.method)) return next(new AppError('BODY_NOT_ALLOWED', `a ${req.method} request has no body`));
    if (req.is('application/json') !== 'application/json') return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'a request body is JSON (Content-Type: application/json)'));
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8') return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'a request body is JSON in UTF-8'));
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    // Small bodies gain nothing from compression, and a compressed body can inflate far past the limit.
    if (encoding !== 'identity') return next(new AppError('UNSUPPORTED_CONTENT_ENCODING', 'a request body is sent uncompressed'));
    if (length !== undefined && Number(length) > MAX_BODY_BYTES) return next(new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large'));
    next();
  };
}

/**
 * The JSON parser behind the guard: objects and lists only, no inflation, and UTF-8 that is
 * valid (the decoder would otherwise turn bad bytes into U+FFFD and a name would be stored so).
 */
export function jsonBody(): RequestHandler {
  return express.json({
    limit: MAX_BODY_BYTES,
    strict: true,
    inflate: false,
    verify: (_req, _res, raw) => {
      if (!isUtf8(raw)) throw new AppError('BAD_REQUEST_ENCODING', 'the request body is not valid UTF-8');
    },
  });
}
