/**
 * The express application: security headers (helmet with a strict CSP), the API under /api/v1,
 * the web UI's static files, and the error middleware. Routes are thin; access/ decides.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { Logger } from '../log.js';
import type { AccountAccess } from '../access/account-access.js';
import type { CallAccess } from '../access/call-access.js';
import type { AuditTrail } from '../access/audit-trail.js';
import { errorMiddleware } from './http-errors.js';
import { actorOf, csrfGuard, hostRequired, noStore, sessionResolver } from './request-guards.js';
import { sessionRoutes } from './routes/session-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { callRoutes } from './routes/call-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { healthRoutes, type HealthReport } from './routes/health-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { caseRoutes } from './routes/case-routes.js';
import type { CaseDesk } from '../disclosure/case-desk.js';
import type { DisclosureDesk } from '../disclosure/disclosure-desk.js';
import { researchRoutes } from './routes/research-routes.js';
import type { ResearchDesk } from '../disclosure/research-desk.js';
import { subjectReportRoutes } from './routes/subject-report-routes.js';
import type { SubjectReports } from '../disclosure/subject-report.js';
import type { SettingsAccess } from '../access/settings-access.js';
import { openApiDocument } from './openapi.js';
import { AppError } from '../errors.js';
import { jsonBody, requestBodyGuard } from './request-body.js';
import { parseQueryStrictly } from './strict-query.js';

export interface AppDependencies {
  readonly accounts: AccountAccess;
  readonly calls: CallAccess;
  readonly settings: SettingsAccess;
  readonly cases: CaseDesk;
  readonly disclosures: DisclosureDesk;
  readonly research: ResearchDesk;
  readonly reports: SubjectReports;
  readonly audit: AuditTrail;
  readonly health: () => Promise<HealthReport>;
  readonly isRecentlyReauthenticated: (session: import('../access/session-store.js').Session) => boolean;
  readonly logger: Logger;
  /** The built web UI (web/dist); served at / when present. */
  readonly webRoot?: string;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', parseQueryStrictly);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          mediaSrc: ["'self'"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          manifestSrc: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: { maxAge: 31536000, includeSubDomains: false },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: true,
    }),
  );

  // No route takes a body the guard refuses, the web UI's static files included.
  app.use(hostRequired(), requestBodyGuard());

  const api = express.Router();
  api.use(noStore(), jsonBody(), csrfGuard(), sessionResolver(deps.accounts));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  // Each resource's router under its own prefix, so a request passes only the routes of its
  // resource; the calls first, since a player sends a range request every few seconds.
  api.use('/calls', callRoutes(deps.calls, (res) => deps.isRecentlyReauthenticated(actorOf(res).session)));
  api.use(sessionRoutes(deps.accounts));
  api.use('/users', userRoutes(deps.accounts));
  api.use('/audit', auditRoutes(deps.audit));
  api.use('/settings', settingsRoutes(deps.settings));
  api.use('/health', healthRoutes(deps.health));
  api.use('/cases', caseRoutes(deps.cases, deps.disclosures, (res) => deps.isRecentlyReauthenticated(actorOf(res).session)));
  api.use('/cases', subjectReportRoutes(deps.reports));
  api.use('/cases', researchRoutes(deps.research, (res) => deps.isRecentlyReauthenticated(actorOf(res).session)));
  api.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'no such API endpoint')));
  app.use('/api/v1', api);

  if (deps.webRoot !== undefined && existsSync(deps.webRoot)) {
    app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: 0, fallthrough: true }));
  }
  // Whatever is left (another API version, a file that is not there) is a 404 with a code too.
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'nothing here')));
  app.use(errorMiddleware(deps.logger));
  return app;
}
