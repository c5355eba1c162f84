/**
 * A synthetic contact history, so a demo box (`tallennin demo --seed-history 90:2000`) and every
 * benchmark look like a box three months into its life: CALLS contact records on each of the
 * DAYS UTC days before today, from Finnish callers (mobile and landline numbers in E.164, some
 * calling again and again, a few withholding their number) to the given service numbers,
 * answered by the given agents during office hours.
 *
 * Honest by construction: the records are of calls to service numbers that are not recorded
 * (P4), so each says "not-recorded" and has no recording; nothing claims audio that does not
 * exist, and `recordings verify --all` has nothing to miss. The same seed gives the same history.
 */
import { AppError } from '../errors.js';
import type { ContactRecord, EndReason } from './contact-record.js';
import { DOCUMENT_PREFIX, emptyDay, type HistoryDay, type HistoryDocuments } from './day-cache.js';

const DAY_MS = 24 * 3600_000;
/** Retention is at most 3 months (P7): older seeded days would be purged at once. */
export const MAX_SEED_DAYS = 93;
export const MAX_SEED_CALLS_PER_DAY = 20_000;
/** Office hours of the desk, 07:00-17:00 in Helsinki, as UTC hours (winter time). */
const FIRST_CALL_UTC_HOUR = 5;
const LAST_CALL_UTC_HOUR = 15;
const CHANNELS = 30;

export interface SeedAgent {
  readonly extension: string;
  readonly name: string | null;
  /** E.164. */
  readonly phone: string | null;
}

export interface SeedHistoryPlan {
  readonly days: number;
  readonly callsPerDay: number;
}

export interface SeedHistoryOptions extends SeedHistoryPlan {
  /** The seeded days are the `days` UTC days before the one this falls in. */
  readonly nowMs: number;
  /** Service numbers (E.164) that are not recorded: the calls get contact records only. */
  readonly serviceNumbers: readonly string[];
  readonly agents: readonly SeedAgent[];
  readonly seed?: number;
}

/** Parses "DAYS:CALLS" (e.g. "90:2000"); AppError SEED_HISTORY_INVALID otherwise. */
export function parseSeedHistory(text: string): SeedHistoryPlan {
  const match = /^([0-9]{1,3}):([0-9]{1,6})$/.exec(text.trim());
  const days = Number(match?.[1]);
  const callsPerDay = Number(match?.[2]);
  if (match === null || days < 1 || days > MAX_SEED_DAYS || callsPerDay < 1 || callsPerDay > MAX_SEED_CALLS_PER_DAY) {
    throw new AppError('SEED_HISTORY_INVALID', `--seed-history takes DAYS:CALLS, 1-${MAX_SEED_DAYS} days and 1-${MAX_SEED_CALLS_PER_DAY} calls a day (for example 90:2000)`);
  }
  return { days, callsPerDay };
}

/** The synthetic days, oldest first, one at a time (a day of 2,000 records is about 1 MB). */
export function* syntheticDays(options: SeedHistoryOptions): Generator<HistoryDay> {
  if (options.serviceNumbers.length === 0 || options.agents.length === 0) {
    throw new AppError('SEED_HISTORY_INVALID', 'a seeded history needs at least one service number and one agent');
  }
  const random = mulberry32(options.seed ?? 0x7a11e);
  // About one caller for every three calls; 30 % of the calls come from the first 2 % of them
  // (customers who call again and again: some 45 calls each over 90 days at 2,000 a day).
  const callers = Array.from({ length: Math.max(50, Math.round((options.days * options.callsPerDay) / 3)) }, () => finnishNumber(random));
  const repeatCallers = Math.ceil(callers.length * 0.02);
  const today = Math.floor(options.nowMs / DAY_MS) * DAY_MS;
  for (let back = options.days; back >= 1; back--) {
    const dayStart = today - back * DAY_MS;
    const day = new Date(dayStart).toISOString().slice(0, 10);
    const span = (LAST_CALL_UTC_HOUR - FIRST_CALL_UTC_HOUR) * 3600_000;
    const starts = Array.from({ length: options.callsPerDay }, () => dayStart + FIRST_CALL_UTC_HOUR * 3600_000 + Math.floor(random() * span)).sort((a, b) => a - b);
    const records = starts.map((startMs, n): ContactRecord => {
      const agent = options.agents[Math.floor(random() * options.agents.length)] as SeedAgent;
      const withheld = random() < 0.03;
      const caller = callers[Math.floor((random() < 0.3 ? repeatCallers : callers.length) * random())] as string;
      const abnormal = random() < 0.01;
      const durationMs = 20_000 + Math.floor(random() * random() * 900_000);
      return {
        callId: uuid(random),
        startedAt: new Date(startMs).toISOString(),
        endedAt: new Date(startMs + durationMs).toISOString(),
        callerNumber: withheld ? null : caller,
        serviceNumber: options.serviceNumbers[Math.floor(random() * options.serviceNumbers.length)] as string,
        agentExtension: agent.extension,
        agentName: agent.name,
        agentPhone: agent.phone,
        channel: n % CHANNELS,
        recordingId: null,
        recordingState: 'not-recorded',
        endReason: (abnormal ? 'abnormal' : 'completed') satisfies EndReason,
        resumed: false,
      };
    });
    yield { version: 1, day, records };
  }
}

/**
 * Writes the synthetic days into the history's documents, one day at a time. A day that
 * already has a document is left as it is, so seeding twice adds nothing.
 */
export async function seedHistory(
  documents: Pick<HistoryDocuments, 'openDocument' | 'close' | 'list'>,
  options: SeedHistoryOptions,
): Promise<{ readonly days: number; readonly records: number; readonly skippedDays: number }> {
  const existing = new Set(await documents.list(DOCUMENT_PREFIX));
  let days = 0;
  let records = 0;
  let skippedDays = 0;
  for (const synthetic of syntheticDays(options)) {
    const name = DOCUMENT_PREFIX + synthetic.day;
    if (existing.has(name)) {
      skippedDays++;
      continue;
    }
    const doc = await documents.openDocument<HistoryDay>(name, emptyDay(synthetic.day));
    doc.data = synthetic;
    await doc.write();
    await documents.close(name);
    days++;
    records += synthetic.records.length;
  }
  return { days, records, skippedDays };
}

/** A Finnish number in E.164: mostly mobile (040, 041, 044, 045, 046, 050), some landlines. */
function finnishNumber(random: () => number): string {
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  if (random() < 0.8) {
    const prefix = ['40', '41', '44', '45', '46', '50'][Math.floor(random() * 6)] as string;
    return `+358${prefix}${1 + Math.floor(random() * 9)}${digits(6)}`;
  }
  // Helsinki (9), Turku (2), Tampere (3), Oulu (8): area code and a 7-digit subscriber number.
  const area = ['9', '2', '3', '8'][Math.floor(random() * 4)] as string;
  return `+358${area}${2 + Math.floor(random() * 7)}${digits(6)}`;
}

/** A version 4 UUID from the seeded generator (reproducible, unlike randomUUID). */
function uuid(random: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

/** mulberry32: small, fast and seeded. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
