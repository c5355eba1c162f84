/**
 * POST /api/v1/door-events: the door controllers' webhook. Mounted before the session, CSRF and
 * JSON-body middleware of the API (app.ts): it takes no cookie and no session and gives access
 * to nothing else; its authentication is the source's signature over the raw body, which is why
 * the body is read raw (at most 64 KiB) and parsed only after the signature holds.
 */
import express, { Router, type ErrorRequestHandler } from 'express';
import type { DoorService } from '../../doors/door-service.js';
import { SIGNATURE_HEADER, SOURCE_HEADER } from '../../doors/webhook-signature.js';
import { webhookAccepted } from '../operations/doors.js';
import { reply } from '../reply.js';
import { clientAddress, noStore } from '../request-guards.js';
import { MAX_BODY_BYTES, requestBodyGuard } from '../request-body.js';

export function doorWebhookRoutes(doorsOf: () => DoorService): Router {
  const router = Router();
  router.post('/', noStore(), requestBodyGuard(), express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const source = req.headers[SOURCE_HEADER];
    const signature = req.headers[SIGNATURE_HEADER];
    const accepted = await doorsOf().receiveWebhook({
      sourceId: typeof source === 'string' ? source : undefined,
      signature: typeof signature === 'string' ? signature : undefined,
      rawBody,
      address: clientAddress(req),
    });
    reply(res, 200, webhookAccepted, { accepted });
  });
  // A body refused before it reached a source (too large, not JSON) is counted too, then answered as any error.
  const countRefusal: ErrorRequestHandler = (err, _req, _res, next) => {
    if ((err as { type?: unknown }).type !== undefined || (err as { code?: unknown }).code === 'PAYLOAD_TOO_LARGE' || (err as { code?: unknown }).code === 'UNSUPPORTED_MEDIA_TYPE') doorsOf().countRejectedBody();
    next(err);
  };
  router.use(countRefusal);
  return router;
}
