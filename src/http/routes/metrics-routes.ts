/**
 * GET /metrics: the Prometheus text exposition, behind the bearer token set in the alarm
 * delivery settings (outside /api/v1: a scraper has no session). Off until a token is set.
 * The token is compared by its SHA-256 in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { Metrics } from '../../health/metrics.js';

export interface MetricsEndpoint {
  readonly metrics: Metrics;
  /** The token now ('' or off: the endpoint is not there). */
  readonly token: () => { enabled: boolean; token: string };
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function metricsRoutes(endpoint: MetricsEndpoint): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { enabled, token } = endpoint.token();
    if (!enabled || token === '') throw new AppError('NOT_FOUND', 'the metrics endpoint is off');
    const offered = /^Bearer ([\x21-\x7e]+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (offered === undefined || !timingSafeEqual(digest(offered), digest(token))) {
      res.set('WWW-Authenticate', 'Bearer realm="tallennin-metrics"');
      throw new AppError('METRICS_TOKEN_INVALID', 'a valid bearer token is needed');
    }
    res.set('Cache-Control', 'no-store');
    res.type(endpoint.metrics.contentType).send(await endpoint.metrics.text());
  });
  return router;
}

/** Times every request into the latency histogram, by route pattern (no ids in labels). */
export function requestTimer(metrics: Metrics | undefined): RequestHandler {
  return (req, res, next) => {
    if (metrics === undefined) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route === undefined ? 'other' : `${req.baseUrl}${String((req.route as { path: unknown }).path)}`;
      metrics.observeRequest(req.method, route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
