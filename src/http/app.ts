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
import { passwordResetRoutes } from './routes/password-reset-routes.js';
import { alarmRoutes } from './routes/alarm-routes.js';
import type { AlarmAccess } from '../access/alarm-access.js';
import type { AlarmDeliveryAccess } from '../access/alarm-delivery-access.js';
import { alarmDeliveryRoutes } from './routes/alarm-delivery-routes.js';
import { masterKeyBackupRoutes } from './routes/master-key-backup-routes.js';
import type { KeyBackupAccess } from '../access/key-backup-access.js';
import type { AuditExportAccess } from '../access/audit-export-access.js';
import { auditCheckpointRoutes } from './routes/audit-checkpoint-routes.js';
import { metricsRoutes, requestTimer, type MetricsEndpoint } from './routes/metrics-routes.js';
import { liveRoutes } from './routes/live-routes.js';
import { callNotesRoutes } from './routes/call-notes-routes.js';
import type { CallNotes } from '../access/call-notes.js';
import type { LiveChannels } from '../access/live-channels.js';
import { caseRoutes } from './routes/case-routes.js';
import type { CaseDesk } from '../disclosure/case-desk.js';
import type { DisclosureDesk } from '../disclosure/disclosure-desk.js';
import { researchRoutes } from './routes/research-routes.js';
import type { ResearchDesk } from '../disclosure/research-desk.js';
import { subjectReportRoutes } from './routes/subject-report-routes.js';
import { registerRoutes } from './routes/register-routes.js';
import type { RegisterPrints } from '../register/register-prints.js';
import type { SubjectReports } from '../disclosure/subject-report.js';
import type { SettingsAccess } from '../access/settings-access.js';
import { openApiDocument } from './openapi.js';
import { AppError } from '../errors.js';
import { jsonBody, requestBodyGuard } from './request-body.js';
import { parseQueryStrictly } from './strict-query.js';
import type { DoorService } from '../doors/door-service.js';
import { languageOf, type DoorAccess } from '../access/door-access.js';
import { doorWebhookRoutes } from './routes/door-webhook-routes.js';
import { doorCardRoutes, doorRoutes } from './routes/door-routes.js';

export interface AppDependencies {
  readonly accounts: AccountAccess;
  readonly calls: CallAccess;
  readonly settings: SettingsAccess;
  readonly cases: CaseDesk;
  readonly disclosures: DisclosureDesk;
  readonly research: ResearchDesk;
  readonly reports: SubjectReports;
  /** The register description with its live checks (P1-P14). */
  readonly register: RegisterPrints;
  readonly audit: AuditTrail;
  readonly health: () => Promise<HealthReport>;
  readonly alarms: AlarmAccess;
  readonly alarmDelivery: AlarmDeliveryAccess;
  readonly keyBackup: KeyBackupAccess;
  readonly auditExport: AuditExportAccess;
  /** GET /metrics for Prometheus, and the request latencies it reports. */
  readonly metrics?: MetricsEndpoint;
  readonly live: LiveChannels;
  readonly notes: CallNotes;
  readonly isRecentlyReauthenticated: (session: import('../access/session-store.js').Session) => boolean;
  readonly logger: Logger;
  /** The built web UI (web/dist); served at / when present. */
  readonly webRoot?: string;
  /** The door integration: the controllers' webhook, the server room, door settings and cards. */
  readonly doors?: { readonly service: DoorService; readonly access: DoorAccess };
}

/** A part the appliance was built without (a test's partial app). */
function notServed(): never {
  throw new AppError('NOT_FOUND', 'no such API endpoint');
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
          // data: for images only: the second factor's QR code is an SVG data URL drawn by the
          // service (totp-qr-code.ts). An image cannot run script, and scripts stay 'self' only.
          imgSrc: ["'self'", 'data:'],
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

  // The door controllers' webhook: signed, sessionless, before the session and CSRF guards.
  const doorService = (): DoorService => deps.doors?.service ?? notServed();
  const doorAccess = (): DoorAccess => deps.doors?.access ?? notServed();
  app.use('/api/v1/door-events', hostRequired(), doorWebhookRoutes(doorService));
  // No route takes a body the guard refuses, the web UI's static files included.
  app.use(hostRequired(), requestBodyGuard());
  app.use(requestTimer(deps.metrics?.metrics));

  const api = express.Router();
  api.use(noStore(), jsonBody(), csrfGuard(), sessionResolver(deps.accounts));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  // Each resource's router under its own prefix, so a request passes only the routes of its
  // resource; the calls first, since a player sends a range request every few seconds.
  api.use('/calls', callNotesRoutes(deps.notes));
  api.use(
    '/calls',
    callRoutes(
      deps.calls,
      (res) => deps.isRecentlyReauthenticated(actorOf(res).session),
      // The on-site listening policy (P14, P6): asked before any audio leaves.
      async (req, res, callId) => deps.doors?.access.checkOnSiteListening(actorOf(res), callId, languageOf(req.headers['accept-language']), req.socket.remoteAddress ?? 'unknown'),
    ),
  );
  api.use('/doors', doorRoutes(doorAccess));
  api.use('/users/:id/door-card', doorCardRoutes(doorAccess));
  api.use(sessionRoutes(deps.accounts));
  api.use('/users', userRoutes(deps.accounts));
  api.use(passwordResetRoutes(deps.accounts));
  api.use('/audit', auditRoutes(deps.audit, () => deps.accounts.staffNames()));
  api.use('/settings', settingsRoutes(deps.settings));
  api.use('/health', healthRoutes(deps.health));
  api.use('/alarms', alarmRoutes(deps.alarms));
  api.use('/alarm-delivery', alarmDeliveryRoutes(deps.alarmDelivery));
  api.use('/master-key-backup', masterKeyBackupRoutes(deps.keyBackup));
  api.use('/live', liveRoutes(deps.live));
  api.use('/cases', caseRoutes(deps.cases, deps.disclosures, (res) => deps.isRecentlyReauthenticated(actorOf(res).session)));
  api.use('/audit-checkpoint', auditCheckpointRoutes(deps.auditExport));
  api.use('/cases', subjectReportRoutes(deps.reports));
  api.use('/register', registerRoutes(deps.register));
  api.use('/cases', researchRoutes(deps.research, (res) => deps.isRecentlyReauthenticated(actorOf(res).session)));
  api.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'no such API endpoint')));
  app.use('/api/v1', api);
  if (deps.metrics !== undefined) app.use('/metrics', noStore(), metricsRoutes(deps.metrics));

  if (deps.webRoot !== undefined && existsSync(deps.webRoot)) {
    app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: 0, fallthrough: true }));
  }
  // Whatever is left (another API version, a file that is not there) is a 404 with a code too.
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'nothing here')));
  app.use(errorMiddleware(deps.logger));
  return app;
}
