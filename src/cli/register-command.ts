/**
 * `tallennin register [--lang fi|en] [--format text|html|pdf] [--out FILE]`: the register
 * description and the record of processing (GDPR Art. 30) from the configuration and the data
 * directory, each promise with its check. It reads only (no writer lock: it runs beside the
 * service). What only the running service knows it says plainly: the policy self-check is run
 * by this command itself ("now"), and a door source is "heard" by its last event in the door
 * event log (the service also counts heartbeats and polls, so its own print can be fresher).
 */
import { writeFile } from 'node:fs/promises';
import { systemClock } from '../clock.js';
import { createLogger } from '../log.js';
import { openStorage } from '../storage/open-storage.js';
import { ContactHistory } from '../history/contact-history.js';
import { CallSettings } from '../calls/call-settings.js';
import { USERS_DOCUMENT, type UsersDocument } from '../access/user-store.js';
import { checkPolicy } from '../access/policy-self-check.js';
import { CaseStore } from '../disclosure/case-store.js';
import { DoorSettings } from '../doors/door-settings.js';
import { DoorEventLog } from '../doors/door-event-log.js';
import { requireRegisterIdentity } from '../config/load-config.js';
import { gatherRegisterFacts, historySource, lastHeardFromLog } from '../register/register-facts.js';
import { REGISTER_LANGUAGES, registerDocument, registerText, type RegisterLanguage } from '../register/register-text.js';
import { registerHtml } from '../register/register-html.js';
import { registerPdf } from '../register/register-pdf.js';
import { requireExistingDemoKey, resolveConfig } from './resolve-config.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';

const FORMATS = ['text', 'html', 'pdf'] as const;

export async function runRegister(options: CliOptions, _none: void): Promise<number> {
  const language = (options.lang ?? 'fi') as RegisterLanguage;
  if (!(REGISTER_LANGUAGES as readonly string[]).includes(language)) throw new UsageError(`--lang is fi or en, not "${options.lang}"`);
  const format = options.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is text, html or pdf, not "${format}"`);
  if (format === 'pdf' && options.out === undefined && process.stdout.isTTY === true) throw new UsageError('a PDF goes to a file: add --out FILE');
  const config = await resolveConfig(options);
  const identity = requireRegisterIdentity(config);
  await requireExistingDemoKey(config);
  const logger = createLogger({ level: 'warn' });
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger });
  const settings = (await CallSettings.open(storage.documents, config)).current;
  const accounts = (await storage.documents.list(USERS_DOCUMENT)).length === 0 ? [] : (await storage.documents.openDocument<UsersDocument>(USERS_DOCUMENT, { version: 1, users: [] })).data.users;
  const events = await DoorEventLog.readStored({ dataDir: config.dataDir, signingKey: storage.keys.signingKey('door-events-signing'), clock: systemClock, logger });
  const nowMs = systemClock.now();
  const facts = await gatherRegisterFacts({
    identity,
    mode: config.mode,
    settings,
    auditRetentionDays: config.audit.retentionDays,
    caseRetentionYears: config.cases.retentionYears,
    history: historySource(new ContactHistory(storage.documents)),
    accounts,
    masterKeySource: storage.masterKey.source,
    tls: config.http.tls.certFile === undefined ? 'self-signed' : 'installed',
    doorSettings: (await DoorSettings.open(storage.documents)).current,
    lastHeard: lastHeardFromLog(events),
    heardFrom: 'log',
    cases: (await CaseStore.open(storage.documents)).all(),
    policyCheck: { ...checkPolicy(new Date(nowMs).toISOString()), when: 'now' },
    nowMs,
  });
  const doc = registerDocument(facts, language);
  const output = format === 'pdf' ? await registerPdf(doc) : format === 'html' ? registerHtml(doc) : registerText(doc);
  if (options.out === undefined) process.stdout.write(output);
  else await writeFile(options.out, output, { mode: 0o640 });
  // Exit 1 when a promise fails, so a cron job or a monitoring check can act on it.
  return doc.summary.failed > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}
