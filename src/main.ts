/**
 * Wires the appliance together, in the order the data flows: storage (key, documents,
 * recordings) -> start-up recovery -> calls -> capture (the bridge link) -> retention. This is the
 * only module that knows every stage; each stage gets what it needs passed in.
 */
import type { SerialLinkOptions } from './capture/serial-link.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { AppError } from './errors.js';
import type { Config } from './config/config-schema.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import { ContactHistory } from './history/contact-history.js';
import { CallSettings } from './calls/call-settings.js';
import { SettingsAccess } from './access/settings-access.js';
import { CallTracker } from './calls/call-tracker.js';
import { closeUnfinishedCalls, reopenUnfinishedCalls } from './calls/unfinished-calls.js';
import { access } from 'node:fs/promises';
import { BridgeClient } from './capture/bridge-client.js';
import { LINK_ERROR_ALARM_PER_MINUTE, LINK_ERROR_CHECK_INTERVAL_MS, LinkErrorMonitor } from './capture/link-errors.js';
import { SerialLink } from './capture/serial-link.js';
import { AlarmLog } from './health/alarms.js';
import { SystemdNotifier } from './health/systemd-notify.js';
import { RetentionScheduler } from './retention/retention-scheduler.js';
import { healthReport } from './health/health-report.js';
import { PasswordHasher } from './access/password-hasher.js';
import { HashWorker } from './access/hash-worker.js';
import { UserStore } from './access/user-store.js';
import { LoginThrottle } from './access/login-throttle.js';
import { LoginTarpit } from './access/login-tarpit.js';
import { DeviceCookies } from './access/device-cookie.js';
import { SessionStore } from './access/session-store.js';
import { Authenticator } from './access/authenticator.js';
import { SetupTokens } from './access/setup-token.js';
import { AuditTrail } from './access/audit-trail.js';
import { AuditPseudonyms } from './access/audit-pseudonyms.js';
import { AccountAccess } from './access/account-access.js';
import { CallAccess } from './access/call-access.js';
import { ReaderCache } from './recording/reader-cache.js';
import { WaveformStore } from './recording/waveform.js';
import type { LeftoverReport } from './recording/recording-store.js';
import { loadTlsMaterial } from './http/tls-certificate.js';
import { createApp } from './http/app.js';
import { CaseStore } from './disclosure/case-store.js';
import { CaseDesk } from './disclosure/case-desk.js';
import { purgeHoldsOf } from './disclosure/purge-holds.js';
import { DisclosureDesk } from './disclosure/disclosure-desk.js';
import { RESEARCH_REMINDER_INTERVAL_MS, ResearchDesk } from './disclosure/research-desk.js';
import { SubjectReports } from './disclosure/subject-report.js';
import { join } from 'node:path';
import { startWebServer, type WebServer } from './http/web-server.js';
import { fileURLToPath } from 'node:url';

/** The built web UI, served by the service. */
const WEB_ROOT = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface ApplianceOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The serial binding; the real one by default. Unit tests pass a mock binding. */
  readonly serialBinding?: SerialLinkOptions['binding'];
  /** Overrides $CREDENTIALS_DIRECTORY (tests). */
  readonly credentialsDirectory?: string;
  /** Overrides the password hashing cost (tests and benchmarks that log in many times). */
  readonly hasher?: PasswordHasher;
  /** Overrides the login throttle's limits (tests that flood an account up to its cap). */
  readonly throttle?: LoginThrottle;
}

export interface Appliance {
  readonly config: Config;
  readonly storage: Storage;
  readonly history: ContactHistory;
  readonly tracker: CallTracker;
  readonly bridge: BridgeClient;
  readonly alarms: AlarmLog;
  readonly retention: RetentionScheduler;
  readonly audit: AuditTrail;
  readonly users: UserStore;
  readonly research: ResearchDesk;
  readonly web: WebServer;
  /** A one-time token for creating the first administrator, when there is no user yet. */
  readonly setupToken: string | undefined;
  /** Ends calls in progress as service-stopped, seals their recordings, then closes the link. */
  stop(): Promise<void>;
}

export async function startAppliance(config: Config, options: ApplianceOptions = {}): Promise<Appliance> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const notifier = new SystemdNotifier(logger.child('systemd'));
  const alarms = new AlarmLog(clock, logger.child('alarms'));

  const storage = await openStorage({
    dataDir: config.dataDir,
    mode: config.mode,
    clock,
    logger: logger.child('storage'),
    ...(options.credentialsDirectory === undefined ? {} : { credentialsDirectory: options.credentialsDirectory }),
  });
  const history = new ContactHistory(storage.documents);

  // Recovery before anything new is written. A call left open by a crash may still run at the
  // card: its recording is reopened (cut at its last valid chunk) and handed to the call tracker,
  // which goes on with it when the bridge announces the call again. Recordings that cannot go on
  // are sealed as interrupted, and the contact records of the other calls are closed.
  const unfinished = await reopenUnfinishedCalls({
    history,
    logger: logger.child('recovery'),
    reopen: async (recordingId) => {
      const part = storage.recordings.partPath(recordingId);
      if (!(await access(part).then(() => true, () => false))) return undefined;
      return storage.recordings.reopen(recordingId, {
        onError: () => alarms.raise('RECORDING_FAILED', 'a recording stopped while the call was in progress', { recordingId }),
      });
    },
  });
  const recovered = await storage.recordings.recoverOpen();
  for (const problem of recovered.quarantined) alarms.raise('RECORDING_QUARANTINED', 'an unreadable recording was moved to quarantine', { recordingId: problem.recordingId });
  for (const problem of recovered.failed) alarms.raise('RECORDING_RECOVERY_FAILED', 'a recording left open could not be sealed; retried at next start', { recordingId: problem.recordingId, error: problem.code });
  const closed = await closeUnfinishedCalls({
    history,
    skip: new Set(unfinished.map((call) => call.record.callId)),
    logger: logger.child('recovery'),
    // Opening a reader checks the seal, so the outcome written into the history is a verified one.
    recordingOutcome: async (recordingId) => {
      try {
        const reader = await storage.recordings.openReader(recordingId);
        const outcome = { outcome: reader.outcome, durationMs: reader.durationMs };
        await reader.close();
        return outcome;
      } catch {
        return undefined;
      }
    },
  });
  if (recovered.recovered.length > 0 || closed > 0 || unfinished.length > 0) {
    logger.warn('recovered from an unclean stop', { recordings: recovered.recovered.length, calls: closed, callsHeld: unfinished.length });
  }
  // Then the leftovers: keys no recording can exist for any more, shreddings and key writes cut short.
  const leftovers = await storage.recordings.shredLeftovers((ids) => history.provablyUnrecorded(ids));
  if (leftovers.keptKeys.length > 0) {
    alarms.raise('RECORDING_FILE_MISSING', 'recording files are missing while their keys remain: run tallennin recordings verify --all', { count: leftovers.keptKeys.length });
  }

  // The agent directory, recorded numbers and retention are managed in the web UI; config.json seeds them.
  const callSettings = await CallSettings.open(storage.documents, config);
  const tracker = new CallTracker({
    history,
    recordings: storage.recordings,
    rules: callSettings.rules,
    agents: callSettings.agents,
    clock,
    logger: logger.child('calls'),
    alarms,
    defaultRegion: config.phone.defaultRegion,
  });
  tracker.adopt(unfinished);

  const bridge = new BridgeClient({
    link: new SerialLink({
      path: config.bridge.path,
      baudRate: config.bridge.baudRate,
      logger: logger.child('link'),
      ...(options.serialBinding === undefined ? {} : { binding: options.serialBinding }),
    }),
    clock,
    logger: logger.child('capture'),
  });
  bridge.on('callStart', (event) => tracker.onCallStart(event));
  bridge.on('callEnd', (event) => tracker.onCallEnd(event));
  bridge.on('audio', (event) => tracker.onAudio(event));
  bridge.on('heartbeat', (event) => tracker.onHeartbeat(event));
  bridge.on('linkDown', (event) => {
    // A stop of our own is not a lost link: the tracker has sealed its calls as service-stopped.
    if (event.reason === 'stopped') return;
    tracker.onLinkDown();
    alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: event.reason });
  });
  bridge.on('bridgeRestarted', () => tracker.onBridgeRestarted());
  // CRC errors, garbage, lost and repeated frames: logged (rate-limited) and alarmed above a rate.
  const linkErrors = new LinkErrorMonitor({ read: () => bridge.linkErrors(), clock, logger: logger.child('capture'), alarms });
  const linkErrorTimer = setInterval(() => linkErrors.check(), LINK_ERROR_CHECK_INTERVAL_MS);
  linkErrorTimer.unref();
  // Calls held after a lost link or a bridge restart end when the bridge has not announced them again in time.
  const holdTimer = setInterval(() => tracker.expireHeldCalls(), 1000);
  holdTimer.unref();
  bridge.on('linkUp', () => {
    notifier.status('bridge link up');
  });

  const waveforms = new WaveformStore(storage.documents);
  // The registrar's cases: documents of their own; their calls' holds bind the purge.
  const caseStore = await CaseStore.open(storage.documents);
  const retention = new RetentionScheduler({
    holds: purgeHoldsOf(caseStore, config.cases.retentionYears, (caseId) => disclosures.removeCaseFiles(caseId)),
    audit: { prune: () => audit.prune(), append: (event) => audit.append(event) },
    derived: waveforms,
    history,
    recordings: storage.recordings,
    clock,
    months: () => callSettings.retentionMonths,
    dailyAt: config.retention.dailyAt,
    logger: logger.child('retention'),
    alarms,
  });
  // Access: the audit trail first (fail closed: nothing is served without it), then accounts.
  const audit = await AuditTrail.open({
    dataDir: config.dataDir,
    signingKey: storage.keys.signingKey('audit-signing'),
    clock,
    logger: logger.child('audit'),
    retentionDays: config.audit.retentionDays,
    // Every access is refused meanwhile: the maintainer must see why in the system view.
    onFault: (code) => alarms.raise('AUDIT_UNAVAILABLE', 'the audit trail cannot be written: access to personal data is refused until it recovers', { error: code }),
  });
  await auditLeftovers(audit, leftovers, logger);
  const pseudonyms = new AuditPseudonyms(storage.keys.symmetricKey('audit-pseudonym'));
  // argon2id runs in a worker at lower CPU priority, so sign-ins never starve capture or playback.
  const hashWorker = options.hasher === undefined ? new HashWorker({ logger: logger.child('hash-worker') }) : undefined;
  const hasher = options.hasher ?? new PasswordHasher({ runner: hashWorker });
  const users = await UserStore.open({ documents: storage.documents, hasher, clock, logger: logger.child('users') });
  const sessions = new SessionStore({ clock, idleTimeoutMs: config.sessions.idleMinutes * 60_000, absoluteTimeoutMs: config.sessions.absoluteHours * 3600_000 });
  const setupTokens = new SetupTokens({ dataDir: config.dataDir, clock });
  // A browser that has signed in before keeps working during a login flood (device cookies).
  const devices = new DeviceCookies({ key: storage.keys.symmetricKey('device-cookie'), clock });
  const authenticator = new Authenticator({ users, hasher, throttle: options.throttle ?? new LoginThrottle({ clock }), sessions, clock, logger: logger.child('auth'), devices });
  const accounts = new AccountAccess({ users, authenticator, tarpit: new LoginTarpit(), sessions, setupTokens, audit, pseudonyms, logger: logger.child('accounts'), now: () => clock.now() });
  const readers = new ReaderCache((id) => storage.recordings.openReader(id), clock);
  const calls = new CallAccess({ history, readers, waveforms, audit, pseudonyms, defaultRegion: config.phone.defaultRegion, now: () => clock.now() });
  const cases = new CaseDesk({ cases: caseStore, history, audit, pseudonyms, defaultRegion: config.phone.defaultRegion, now: () => clock.now() });
  const disclosures = new DisclosureDesk({
    desk: cases,
    openReader: (id) => storage.recordings.openReader(id),
    playerReader: (id) => readers.get(id),
    signingKey: storage.keys.signingKey('disclosure-signing'),
    dataDir: config.dataDir,
    now: () => clock.now(),
  });
  await disclosures.removeLeftovers();
  // Research disclosures (P9): packages are made inside the data directory, never left behind.
  const research = new ResearchDesk({ desk: cases, allCases: () => caseStore.all(), openReader: (id) => storage.recordings.openReader(id), alarms, outgoingDir: join(config.dataDir, 'disclosures', '.research'), now: () => clock.now() });
  await research.removeLeftovers();
  const researchReminderTimer = setInterval(() => void research.remindOverdue().catch((err: unknown) => logger.error('research reminders failed', { error: err instanceof Error ? err.name : 'unknown' })), RESEARCH_REMINDER_INTERVAL_MS);
  const startedAtMs = clock.now();
  const app = createApp({
    accounts,
    calls,
    settings: new SettingsAccess({ settings: callSettings, audit }),
    cases,
    disclosures,
    research,
    reports: new SubjectReports({ desk: cases, audit, rolesOf: (id) => users.get(id)?.roles ?? [], now: () => clock.now() }),
    audit,
    logger: logger.child('http'),
    isRecentlyReauthenticated: (session) => sessions.isRecentlyReauthenticated(session),
    health: () => healthReport({ dataDir: config.dataDir, bridge, linkErrorAlarmPerMinute: LINK_ERROR_ALARM_PER_MINUTE, tracker, alarms, startedAtMs, now: () => clock.now() }),
    webRoot: WEB_ROOT,
  });
  const tls = await loadTlsMaterial({ ...config.http.tls, dataDir: config.dataDir, clock, logger: logger.child('tls') });
  const web = await startWebServer(app, { host: config.http.host, port: config.http.port, tls });
  logger.info('web UI listening', { host: web.address.address, port: web.address.port, tlsFingerprint: tls.fingerprint, tlsSource: tls.source });
  // No default password: while no user exists, a one-time setup token creates the first administrator.
  const setupToken = users.count() === 0 ? await setupTokens.issue() : undefined;

  bridge.start();
  retention.start();

  notifier.ready('recording');
  notifier.startWatchdog(() => true);
  logger.info('service started', { mode: config.mode, keySource: storage.masterKey.source });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      notifier.stopping();
      retention.stop();
      await web.stop();
      await hashWorker?.close();
      await readers.closeAll();
      // The calls first, so that each is sealed as 'service-stopped' (the truth), then the link:
      // closed in the other order, every call would be told as lost with the link.
      await tracker.stop();
      await bridge.stop();
      clearInterval(linkErrorTimer);
      clearInterval(holdTimer);
      clearInterval(researchReminderTimer);
      linkErrors.flush();
      await retention.idle();
      try {
        await audit.close();
      } catch (err) {
        // The entries themselves are on disk already; only the closing checkpoint is missing.
        logger.error('audit trail not closed cleanly', { error: err instanceof Error ? err.name : 'unknown' });
      }
      logger.info('service stopped');
    })();
    return stopping;
  };

  return { config, storage, history, tracker, bridge, alarms, retention, audit, users, research, web, setupToken, stop };
}

/**
 * What the start-up clean-up destroyed goes into the audit trail too: ids and counts only. A
 * trail that cannot take it raises its own alarm; recording calls must not wait for it.
 */
async function auditLeftovers(audit: AuditTrail, leftovers: LeftoverReport, logger: Logger): Promise<void> {
  const removed = [...leftovers.shreddedKeys, ...leftovers.finishedShreds];
  if (removed.length === 0 && leftovers.tempKeyFiles === 0 && leftovers.keptKeys.length === 0) return;
  await audit.append({
    action: 'recording.leftovers',
    outcome: 'success',
    actorId: null,
    details: {
      shreddedKeys: leftovers.shreddedKeys.length,
      finishedShreds: leftovers.finishedShreds.length,
      tempKeyFiles: leftovers.tempKeyFiles,
      keptKeys: leftovers.keptKeys.length,
      recordingIds: removed.join(' '),
      keptRecordingIds: leftovers.keptKeys.join(' '),
    },
  }).catch((err: unknown) => logger.error('the start-up clean-up could not be audited', { error: err instanceof AppError ? err.code : 'unknown' }));
}
