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
import { closeUnfinishedCalls } from './calls/unfinished-calls.js';
import { LINK_ERROR_ALARM_PER_MINUTE } from './capture/link-errors.js';
import { CaptureThread } from './capture-thread/capture-thread.js';
import type { LeftoverReport, RecoveryReport } from './recording/recording-store.js';
import { SettingsAccess } from './access/settings-access.js';
import { AlarmLog } from './health/alarms.js';
import { AlarmAccess } from './access/alarm-access.js';
import { AlarmDeliveryAccess } from './access/alarm-delivery-access.js';
import { KeyBackupAccess } from './access/key-backup-access.js';
import { AuditExportAccess } from './access/audit-export-access.js';
import { AuditExportCheck, type AuditExportDocument } from './health/checks/audit-export-check.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { channel } from 'node:diagnostics_channel';
import { AlarmDelivery } from './health/alarm-delivery.js';
import { DeliverySettings } from './health/delivery-settings.js';
import { Metrics } from './health/metrics.js';
import { HealthChecks, HEALTH_CHECK_INTERVAL_MS } from './health/checks/health-checks.js';
import { DiskCheck, type DiskSample } from './health/checks/disk-check.js';
import { ClockCheck, type CommandRunner } from './health/checks/clock-check.js';
import { CertificateCheck } from './health/checks/certificate-check.js';
import { MachineCheck } from './health/checks/machine-check.js';
import { KeyBackupCheck, type KeyBackupDocument } from './health/checks/key-backup-check.js';
import { runCommand } from './health/checks/command-runner.js';
import { SystemdNotifier } from './health/systemd-notify.js';
import { RetentionScheduler } from './retention/retention-scheduler.js';
import { healthReport } from './health/health-report.js';
import { LiveChannels } from './access/live-channels.js';
import { CallNotes } from './access/call-notes.js';
import { PasswordHasher } from './access/password-hasher.js';
import { HashWorker } from './access/hash-worker.js';
import { UserStore } from './access/user-store.js';
import { PasswordResetTokens } from './access/password-reset-tokens.js';
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
import { loadTlsMaterial } from './http/tls-certificate.js';
import { createApp } from './http/app.js';
import { CaseStore } from './disclosure/case-store.js';
import { CaseDesk } from './disclosure/case-desk.js';
import { purgeHoldsOf } from './disclosure/purge-holds.js';
import { DisclosureDesk } from './disclosure/disclosure-desk.js';
import { RESEARCH_REMINDER_INTERVAL_MS, ResearchDesk } from './disclosure/research-desk.js';
import { SubjectReports } from './disclosure/subject-report.js';
import { startWebServer, type WebServer } from './http/web-server.js';
import { fileURLToPath } from 'node:url';
import { CardPseudonyms } from './doors/card-pseudonym.js';
import { DoorEventLog } from './doors/door-event-log.js';
import { DoorSettings } from './doors/door-settings.js';
import { DoorService } from './doors/door-service.js';
import { annotateHandsOn, BOX_ACTIONS } from './doors/hands-on-actions.js';
import { UsbChangeCheck } from './health/checks/usb-change-check.js';
import { describeUsbDevice, listUsbDevices } from './health/usb-devices.js';
import { DoorAccess } from './access/door-access.js';
import { checkPolicy } from './access/policy-self-check.js';
import { UNNAMED_REGISTER } from './config/config-schema.js';
import { gatherRegisterFacts, historySource } from './register/register-facts.js';
import { RegisterPrints } from './register/register-prints.js';

/**
 * Each stage of the start as it is done ({ stage, appliance? }): the memory benchmark measures
 * the process there (bench/memory-bench.js). A channel nobody subscribes to costs nothing.
 */
export const START_STAGES = channel('tallennin:start-stage');
export type StartStage = 'modules-loaded' | 'storage-open' | 'history-indexed' | 'capture-thread-ready' | 'http-listening' | 'started';
const stageDone = (stage: StartStage, appliance?: Appliance): void => {
  if (START_STAGES.hasSubscribers) START_STAGES.publish(appliance === undefined ? { stage } : { stage, appliance });
};

/** The built web UI, served by the service. */
const WEB_ROOT = fileURLToPath(new URL('../web/dist/', import.meta.url));
/** How often the USB bus is looked at: a hand at the box is recorded within seconds, with who was in the room then. */
const USB_CHECK_INTERVAL_MS = 5_000;

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
  /** How often the health checks run; null: only when asked (tests run them by hand). */
  readonly healthCheckIntervalMs?: number | null;
  /** A clock that never jumps, against which the clock check sees the wall clock jump (performance.now by default). */
  readonly monotonicClock?: Clock;
  /** Runs `timedatectl` and `chronyc` for the clock check (tests answer for them). */
  readonly commandRunner?: CommandRunner;
  /** Overrides the alarm receivers' retry back-off (tests of a dead receiver). */
  readonly deliveryBackoffMs?: readonly number[];
  /**
   * 'thread' (the default): the capture path in its own worker thread. 'inline': the same engine
   * on the main thread, for tests that inject a manual clock or a mock serial binding, which a
   * worker cannot share; they feed it through capture.inlineTracker.
   */
  readonly capture?: 'thread' | 'inline';
  /** Where the USB devices are listed (sysfs by default; tests give a directory of their own). */
  readonly usbDevicesRoot?: string;
}

export interface Appliance {
  readonly config: Config;
  readonly storage: Storage;
  readonly history: ContactHistory;
  /** The capture path's thread: link state, calls in progress, counters, its events. */
  readonly capture: CaptureThread;
  readonly alarms: AlarmLog;
  readonly healthChecks: HealthChecks;
  readonly retention: RetentionScheduler;
  readonly audit: AuditTrail;
  readonly users: UserStore;
  readonly doors: DoorService;
  readonly research: ResearchDesk;
  readonly web: WebServer;
  /** A one-time token for creating the first administrator, when there is no user yet. */
  readonly setupToken: string | undefined;
  /** Ends calls in progress as service-stopped, seals their recordings, then closes the link. */
  stop(): Promise<void>;
}

export async function startAppliance(config: Config, options: ApplianceOptions = {}): Promise<Appliance> {
  stageDone('modules-loaded');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.log.level });
  // The register description names the register and its controller. A box whose configuration
  // does not (one upgraded from a version before the register) still records: REGISTER_NOT_NAMED
  // says what to add, and the printed register shows the gap.
  const registerIdentity = config.register ?? UNNAMED_REGISTER;
  const notifier = new SystemdNotifier(logger.child('systemd'));
  const alarms = new AlarmLog(clock, logger.child('alarms'));

  const storage = await openStorage({
    dataDir: config.dataDir,
    mode: config.mode,
    clock,
    logger: logger.child('storage'),
    ...(options.credentialsDirectory === undefined ? {} : { credentialsDirectory: options.credentialsDirectory }),
  });
  // Alarms survive a restart: those of the previous run come back, open or recent.
  await alarms.persistTo(storage.documents);
  stageDone('storage-open');
  const history = new ContactHistory(storage.documents);
  // The index of every day, before the capture thread starts (its recovery searches it anyway).
  await history.ready();
  stageDone('history-indexed');

  // The agent directory, recorded numbers and retention are managed in the web UI; config.json seeds them.
  const callSettings = await CallSettings.open(storage.documents, config);

  // The capture path (serial link, decoder, bridge client, call tracker, recording writers) runs
  // in a thread of its own (capture-thread/). Recovery before anything new is written: the
  // thread reopens the recordings of the calls a crash left open (cut at their last valid chunk)
  // and holds those calls until the bridge announces them again; here the other recordings left
  // open are sealed as interrupted and the contact records of the other calls are closed. A
  // restart of the thread after it died runs the same recovery.
  let recovered: RecoveryReport = { recovered: [], quarantined: [], failed: [], orphanKeys: [] };
  let closed = 0;
  let held = 0;
  const recover = async (adopted: ReadonlyArray<{ callId: string; recordingId: string }>): Promise<void> => {
    held = adopted.length;
    recovered = await storage.recordings.recoverOpen(new Set(adopted.map((call) => call.recordingId)));
    for (const problem of recovered.quarantined) alarms.raise('RECORDING_QUARANTINED', 'an unreadable recording was moved to quarantine', { recordingId: problem.recordingId });
    for (const problem of recovered.failed) alarms.raise('RECORDING_RECOVERY_FAILED', 'a recording left open could not be sealed; retried at next start', { recordingId: problem.recordingId, error: problem.code });
    closed = await closeUnfinishedCalls({
      history,
      skip: new Set(adopted.map((call) => call.callId)),
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
  };
  const capture = new CaptureThread({
    start: {
      dataDir: config.dataDir,
      // The thread writes recordings: it derives their keys itself. Never logged.
      masterKey: storage.masterKey.key,
      bridge: { path: config.bridge.path, baudRate: config.bridge.baudRate },
      defaultRegion: config.phone.defaultRegion,
      logLevel: config.log.level,
      settings: { agents: callSettings.current.agents, recordedServiceNumbers: callSettings.current.recordedServiceNumbers },
    },
    history,
    alarms,
    logger,
    now: () => clock.now(),
    recover,
    ...(options.capture === 'inline' ? { inline: { clock, ...(options.serialBinding === undefined ? {} : { serialBinding: options.serialBinding }) } } : {}),
  });
  await capture.start();
  stageDone('capture-thread-ready');
  if (recovered.recovered.length > 0 || closed > 0 || held > 0) {
    logger.warn('recovered from an unclean stop', { recordings: recovered.recovered.length, calls: closed, callsHeld: held });
  }
  // Then the leftovers: keys no recording can exist for any more, shreddings and key writes cut
  // short. Before the link starts: the capture thread creates no recording until then, so no key
  // without its file yet can be one being created.
  const leftovers = await storage.recordings.shredLeftovers((ids) => history.provablyUnrecorded(ids));
  if (leftovers.keptKeys.length > 0) {
    alarms.raise('RECORDING_FILE_MISSING', 'recording files are missing while their keys remain: run tallennin recordings verify --all', { count: leftovers.keptKeys.length });
  }
  callSettings.onChange((settings) => capture.updateSettings({ agents: settings.agents, recordedServiceNumbers: settings.recordedServiceNumbers }));
  capture.on('linkDown', (event) => {
    // A stop of our own is not a lost link: the calls were sealed as service-stopped first.
    if (event.reason === 'stopped') return;
    alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: event.reason });
    // The capture thread's own restart is no hand on the box (CAPTURE_THREAD_RESTARTED says it).
    if (event.reason !== 'capture-restart') handsOn(BOX_ACTIONS.bridgeLinkLost, { reason: event.reason });
  });
  // The bridge's heartbeat, silent channels and link-error rates are watched in the capture
  // thread, beside the audio (capture-engine.ts); their alarms come here as messages.
  let linkWasUp = false;
  capture.on('linkUp', () => {
    alarms.clear('BRIDGE_LINK_DOWN');
    notifier.status('bridge link up');
    // The first link of a start is the service's start; a later one is the cable plugged back.
    if (linkWasUp) handsOn(BOX_ACTIONS.bridgeLinkFound);
    linkWasUp = true;
  });

  const waveforms = new WaveformStore(storage.documents);
  // The registrar's cases: documents of their own; their calls' holds bind the purge.
  const caseStore = await CaseStore.open(storage.documents);
  const retention = new RetentionScheduler({
    holds: purgeHoldsOf(caseStore, config.cases.retentionYears, (caseId) => disclosures.removeCaseFiles(caseId)),
    // The door events' own retention runs with the audit trail's (both drop whole months).
    audit: { prune: async () => ({ removedEntries: (await audit.prune()).removedEntries + (await doors.prune()).removedEntries }), append: (event) => audit.append(event) },
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
  // Doors: the event log (evidence, its own chain), the sources, presence; hands-on actions on
  // the box record who was in the server room (doors/hands-on-actions.ts).
  const cards = new CardPseudonyms(storage.keys.symmetricKey('door-card-pseudonym'));
  const doorLog = await DoorEventLog.open({
    dataDir: config.dataDir,
    signingKey: storage.keys.signingKey('door-events-signing'),
    cards,
    clock,
    logger: logger.child('door-events'),
    onFault: (code) => alarms.raise('DOOR_LOG_UNAVAILABLE', 'the door event log cannot be written: door events are refused until it recovers', { error: code }),
  });
  const doorSettings = await DoorSettings.open(storage.documents);
  const doors = new DoorService({
    settings: doorSettings,
    log: doorLog.log,
    history: doorLog.events,
    cards,
    dataDir: config.dataDir,
    clock,
    logger: logger.child('doors'),
    alarms,
    webhookRate: { burst: config.doors.webhookBurst, perSecond: config.doors.webhookPerSecond },
  });
  audit.annotate(annotateHandsOn({ present: () => doors.serverRoom(), consoleAddresses: () => doorSettings.current.consoleAddresses, watching: () => doors.watching, raise: (code, message, fields) => alarms.raise(code, message, fields) }));
  const handsOn = (action: string, details: Record<string, string | number> = {}): void => {
    void audit.append({ action, outcome: 'success', actorId: null, details }).catch((err: unknown) => logger.error('a hands-on action could not be audited', { action, error: err instanceof AppError ? err.code : 'unknown' }));
  };
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
  const passwordResets = await PasswordResetTokens.open({ documents: storage.documents, clock });
  const accounts = new AccountAccess({ users, authenticator, tarpit: new LoginTarpit(), sessions, setupTokens, passwordResets, audit, pseudonyms, logger: logger.child('accounts'), now: () => clock.now() });
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
  // The policy's self-check against the register's access promises (P6, P11-P13): once, at start;
  // the register shows its result and time. A table that breaks them is an alarm.
  const policyCheck = { ...checkPolicy(new Date(startedAtMs).toISOString()), when: 'service-start' as const };
  if (config.register === undefined) alarms.raise('REGISTER_NOT_NAMED', 'the configuration does not name the register and its controller (register in config.json)');
  else alarms.clear('REGISTER_NOT_NAMED');
  if (!policyCheck.passed) alarms.raise('POLICY_SELF_CHECK_FAILED', 'the permission table breaks the register description’s access promises', { problems: policyCheck.problems.length, promises: [...new Set(policyCheck.problems.map((problem) => problem.promise))].join(' ') });
  else alarms.clear('POLICY_SELF_CHECK_FAILED');
  const health = () => healthReport({ dataDir: config.dataDir, bridge: capture, linkErrorAlarmPerMinute: LINK_ERROR_ALARM_PER_MINUTE, tracker: { activeCalls: () => capture.activeCalls(), stats: () => capture.trackerStats() }, capture, alarms, startedAtMs, now: () => clock.now() });
  // Operations: alarms reach people (e-mail, syslog, SNMP) through queues that never hold up recording.
  const deliverySettings = await DeliverySettings.open(storage.documents);
  const auditExport = new AuditExportCheck(await storage.documents.openDocument<AuditExportDocument>('health/audit-export', { since: null, exportedAt: null, exportedBy: null }), () => readFile(join(config.dataDir, 'audit', 'head.json'), 'utf8'), alarms, clock);
  const keyBackup = new KeyBackupCheck(await storage.documents.openDocument<KeyBackupDocument>('health/key-backup', { confirmedAt: null, confirmedBy: null }), alarms, clock);
  const delivery = new AlarmDelivery({ alarms, settings: deliverySettings, logger: logger.child('alarm-delivery'), now: () => clock.now(), ...(options.deliveryBackoffMs === undefined ? {} : { backoffMs: options.deliveryBackoffMs }) });
  delivery.start();
  const metrics = new Metrics({ health, alarms, extra: () => ({ purge: retention.last === undefined ? {} : { contactRecords: retention.last.contactRecords, recordings: retention.last.recordings, failures: retention.last.failures, keys: retention.last.keys }, delivery: delivery.stats() }) });
  const app = createApp({
    accounts,
    calls,
    settings: new SettingsAccess({ settings: callSettings, audit }),
    doors: { service: doors, access: new DoorAccess({ doors, audit, userById: (id) => users.get(id), now: () => clock.now() }) },
    cases,
    disclosures,
    research,
    reports: new SubjectReports({ desk: cases, audit, rolesOf: (id) => users.get(id)?.roles ?? [], now: () => clock.now() }),
    register: new RegisterPrints({
      audit,
      facts: () =>
        gatherRegisterFacts({
          identity: registerIdentity,
          mode: config.mode,
          settings: callSettings.current,
          auditRetentionDays: config.audit.retentionDays,
          caseRetentionYears: config.cases.retentionYears,
          history: historySource(history),
          accounts: users.list(),
          masterKeySource: storage.masterKey.source,
          tls: config.http.tls.certFile === undefined ? 'self-signed' : 'installed',
          doorSettings: doorSettings.current,
          // The door service's own view: events, and a pull feed's answers and a reader's polls too.
          lastHeard: (id) => doors.health().sources.find((source) => source.id === id)?.lastHeardAt ?? null,
          heardFrom: 'live',
          cases: caseStore.all(),
          policyCheck,
          nowMs: clock.now(),
        }),
    }),
    audit,
    logger: logger.child('http'),
    isRecentlyReauthenticated: (session) => sessions.isRecentlyReauthenticated(session),
    alarms: new AlarmAccess({ alarms, audit }),
    health,
    alarmDelivery: new AlarmDeliveryAccess({ settings: deliverySettings, delivery, audit }),
    keyBackup: new KeyBackupAccess({ keyBackup, audit }),
    auditExport: new AuditExportAccess({ auditExport, audit }),
    metrics: { metrics, token: () => deliverySettings.current.metrics },
    notes: new CallNotes({ history, audit, now: () => clock.now() }),
    // The live channels read the same list of calls in progress as the health report.
    live: new LiveChannels({ activeCalls: () => capture.activeCalls(), channelCount: () => capture.bridgeInfo?.channelCount ?? null, history, audit, now: () => clock.now() }),
    webRoot: WEB_ROOT,
  });
  const tls = await loadTlsMaterial({ ...config.http.tls, dataDir: config.dataDir, clock, logger: logger.child('tls') });
  // A USB device plugged in or pulled out is someone's hand at the box: audited with who was in the room.
  const usbChange = new UsbChangeCheck(
    () => listUsbDevices(options.usbDevicesRoot),
    (change) => handsOn(BOX_ACTIONS.usbChange, { added: change.added.map(describeUsbDevice).join('; '), removed: change.removed.map(describeUsbDevice).join('; ') }),
  );
  const healthChecks = new HealthChecks(
    [
      new DiskCheck({ usage: async () => (await health()).system.disk, alarms, clock, samples: await storage.documents.openDocument<{ samples: DiskSample[] }>('health/disk-usage', { samples: [] }), purge: () => retention.runNow() }),
      new ClockCheck({ run: options.commandRunner ?? runCommand, alarms, clock, ...(options.monotonicClock === undefined ? {} : { monotonicMs: () => options.monotonicClock!.now() }) }),
      new CertificateCheck(tls.cert, alarms, clock),
      new MachineCheck(async () => (await health()).system, alarms),
      keyBackup,
      auditExport,
      usbChange,
    ],
    logger.child('health-checks'),
  );
  const web = await startWebServer(app, { host: config.http.host, port: config.http.port, tls });
  logger.info('web UI listening', { host: web.address.address, port: web.address.port, tlsFingerprint: tls.fingerprint, tlsSource: tls.source });
  stageDone('http-listening');
  // No default password: while no user exists, a one-time setup token creates the first administrator.
  const setupToken = users.count() === 0 ? await setupTokens.issue() : undefined;

  capture.startLink();
  retention.start();
  await doors.start();
  handsOn(BOX_ACTIONS.serviceStart);
  if (options.healthCheckIntervalMs !== null) healthChecks.start(options.healthCheckIntervalMs ?? HEALTH_CHECK_INTERVAL_MS);
  const usbTimer = options.healthCheckIntervalMs === null ? undefined : setInterval(() => void usbChange.run().catch(() => undefined), USB_CHECK_INTERVAL_MS).unref();

  notifier.ready('recording');
  notifier.startWatchdog(() => true);
  logger.info('service started', { mode: config.mode, keySource: storage.masterKey.source });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      notifier.stopping();
      retention.stop();
      healthChecks.stop();
      clearInterval(usbTimer);
      await web.stop();
      await audit.append({ action: BOX_ACTIONS.serviceStop, outcome: 'success', actorId: null }).catch(() => undefined);
      await doors.stop();
      await hashWorker?.close();
      await readers.closeAll();
      // The capture thread ends the calls first, so that each is sealed as 'service-stopped' (the
      // truth), then closes the link: in the other order, every call would be told as lost with
      // the link. Their contact records are written here meanwhile.
      await capture.stop();
      clearInterval(researchReminderTimer);
      await retention.idle();
      delivery.stop();
      await alarms.flushed();
      try {
        await audit.close();
      } catch (err) {
        // The entries themselves are on disk already; only the closing checkpoint is missing.
        logger.error('audit trail not closed cleanly', { error: err instanceof Error ? err.name : 'unknown' });
      }
      await doorLog.log.close().catch(() => undefined);
      logger.info('service stopped');
    })();
    return stopping;
  };

  const appliance: Appliance = { config, storage, history, capture, alarms, healthChecks, retention, audit, users, doors, research, web, setupToken, stop };
  stageDone('started', appliance);
  return appliance;
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
