/**
 * Alarms: faults an operator must see (a recording that could not be written, the bridge gone, a
 * disk filling up). One alarm per cause, not per occurrence: raising the same cause again (same
 * code and key) counts it and moves its last time; `clear()` closes it when the cause goes away.
 * A maintainer acknowledges an open alarm with a note. Alarms hold pseudonymous ids only.
 *
 * Kept in an encrypted document (`health/alarms`) once `persistTo()` has been called, so they
 * survive a restart; raising stays synchronous (the recording path never waits for the disk):
 * the document is written behind, coalesced, and a failed write is logged, never thrown.
 */
import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import { severityOf, type AlarmSeverity } from './alarm-catalogue.js';

export type { AlarmSeverity };

export interface Alarm {
  readonly code: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly raisedAt: string;
}

export interface Acknowledgement {
  readonly userId: string;
  readonly at: string;
  readonly note: string;
}

/** One cause: its code and key (a channel, a receiver; '' when the code is the whole cause). */
export interface AlarmRecord {
  readonly id: string;
  readonly code: string;
  readonly key: string;
  readonly severity: AlarmSeverity;
  /** The latest occurrence's text and fields. */
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly count: number;
  readonly state: 'open' | 'cleared';
  readonly clearedAt: string | null;
  readonly acknowledged: Acknowledgement | null;
}

/** What happened to an alarm, for the receivers (e-mail, syslog, SNMP). */
export interface AlarmChange {
  readonly kind: 'raised' | 'cleared';
  readonly alarm: AlarmRecord;
}

export interface RaiseOptions {
  /** The cause within the code (a channel, a receiver); raising the same code and key counts. */
  readonly key?: string;
  /** Overrides the catalogue's severity for this occurrence (a disk at 95 % instead of 85 %). */
  readonly severity?: AlarmSeverity;
}

interface AlarmDocument {
  alarms: AlarmRecord[];
  total: number;
}

/** Closed alarms kept for the System view; open ones are all kept. */
const CLOSED_KEPT = 200;
export const ALARM_DOCUMENT = 'health/alarms';

export class AlarmLog {
  private alarms: AlarmRecord[] = [];
  private total = 0;
  private document: Low<AlarmDocument> | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private readonly listeners = new Set<(change: AlarmChange) => void>();

  constructor(private readonly clock: Clock, private readonly logger: Logger) {}

  /**
   * Keeps the alarms in the store from now on: those stored before (a previous run) come back,
   * and those raised meanwhile are merged into them.
   */
  async persistTo(documents: DocumentStore): Promise<void> {
    const document = await documents.openDocument<AlarmDocument>(ALARM_DOCUMENT, { alarms: [], total: 0 });
    const raisedMeanwhile = this.alarms;
    this.alarms = [...document.data.alarms];
    this.total += document.data.total;
    this.document = document;
    for (const alarm of raisedMeanwhile) {
      const open = this.openAlarm(alarm.code, alarm.key);
      if (open === undefined) this.alarms.push(alarm);
      else this.replace(open, { ...open, count: open.count + alarm.count, lastAt: alarm.lastAt, message: alarm.message, fields: alarm.fields, severity: alarm.severity });
    }
    this.save();
    await this.flushed();
  }

  raise(code: string, message: string, fields: Record<string, string | number> = {}, options: RaiseOptions = {}): void {
    this.total++;
    const now = new Date(this.clock.now()).toISOString();
    const key = options.key ?? '';
    const severity = options.severity ?? severityOf(code);
    const open = this.openAlarm(code, key);
    if (open === undefined) {
      const alarm: AlarmRecord = { id: randomUUID(), code, key, severity, message, fields: { ...fields }, firstAt: now, lastAt: now, count: 1, state: 'open', clearedAt: null, acknowledged: null };
      this.alarms.push(alarm);
      this.logger.error(`alarm: ${message}`, { alarm: code, ...fields });
      this.emit({ kind: 'raised', alarm });
    } else {
      const escalated = severityRank(severity) > severityRank(open.severity);
      const alarm = this.replace(open, { ...open, message, fields: { ...fields }, lastAt: now, count: open.count + 1, severity: escalated ? severity : open.severity });
      // A repeat is counted, not logged or sent again (a flood would drown the receivers);
      // a worse state of the same cause is news, and goes out.
      if (escalated) {
        this.logger.error(`alarm: ${message}`, { alarm: code, ...fields });
        this.emit({ kind: 'raised', alarm });
      }
    }
    this.prune();
    this.save();
  }

  /** The cause has gone away: its open alarm (if any) is closed. */
  clear(code: string, key = ''): void {
    const open = this.openAlarm(code, key);
    if (open === undefined) return;
    const alarm = this.replace(open, { ...open, state: 'cleared', clearedAt: new Date(this.clock.now()).toISOString() });
    this.logger.info('alarm cleared', { alarm: code });
    this.emit({ kind: 'cleared', alarm });
    this.prune();
    this.save();
  }

  /** Whether the cause has an open alarm. */
  isOpen(code: string, key = ''): boolean {
    return this.openAlarm(code, key) !== undefined;
  }

  /** A maintainer has seen an open alarm (AppError ALARM_NOT_FOUND / ALARM_CLEARED otherwise). */
  async acknowledge(id: string, userId: string, note: string): Promise<AlarmRecord> {
    const alarm = this.alarms.find((candidate) => candidate.id === id);
    if (alarm === undefined) throw new AppError('ALARM_NOT_FOUND', 'no such alarm');
    if (alarm.state !== 'open') throw new AppError('ALARM_CLEARED', 'the alarm has been cleared already');
    const acknowledged = this.replace(alarm, { ...alarm, acknowledged: { userId, at: new Date(this.clock.now()).toISOString(), note } });
    this.save();
    await this.flushed();
    return acknowledged;
  }

  /** Open alarms first (most severe, then newest), then the closed ones, newest first. */
  records(): readonly AlarmRecord[] {
    const open = this.alarms.filter((alarm) => alarm.state === 'open').sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.lastAt.localeCompare(a.lastAt));
    const closed = this.alarms.filter((alarm) => alarm.state !== 'open').sort((a, b) => b.lastAt.localeCompare(a.lastAt));
    return [...open, ...closed];
  }

  /** The alarms as the health report lists them: newest last, with their last time. */
  list(): readonly Alarm[] {
    return [...this.alarms].sort((a, b) => a.lastAt.localeCompare(b.lastAt)).map((alarm) => ({ code: alarm.code, message: alarm.message, fields: alarm.fields, raisedAt: alarm.lastAt }));
  }

  /** Occurrences raised, over every run kept in the store. */
  get count(): number {
    return this.total;
  }

  /** Called with every new alarm and every cleared one; a listener's failure never reaches the raiser. */
  onChange(listener: (change: AlarmChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the alarms as they are now are in the store. */
  async flushed(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private emit(change: AlarmChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error('an alarm listener failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
    }
  }

  private openAlarm(code: string, key: string): AlarmRecord | undefined {
    return this.alarms.find((alarm) => alarm.state === 'open' && alarm.code === code && alarm.key === key);
  }

  private replace(old: AlarmRecord, next: AlarmRecord): AlarmRecord {
    this.alarms[this.alarms.indexOf(old)] = next;
    return next;
  }

  private prune(): void {
    const closed = this.alarms.filter((alarm) => alarm.state !== 'open');
    if (closed.length <= CLOSED_KEPT) return;
    const dropped = new Set(closed.sort((a, b) => a.lastAt.localeCompare(b.lastAt)).slice(0, closed.length - CLOSED_KEPT));
    this.alarms = this.alarms.filter((alarm) => !dropped.has(alarm));
  }

  /** One write at a time; changes made meanwhile go into the next one. */
  private save(): void {
    if (this.document === undefined) return;
    if (this.writing !== undefined) {
      this.dirty = true;
      return;
    }
    const document = this.document;
    document.data = { alarms: this.alarms, total: this.total };
    this.writing = document.write().then(
      () => undefined,
      (err: unknown) => this.logger.error('the alarms could not be stored', { error: err instanceof AppError ? err.code : 'unknown' }),
    ).finally(() => {
      this.writing = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.save();
      }
    });
  }
}

export function severityRank(severity: AlarmSeverity): number {
  return severity === 'critical' ? 3 : severity === 'warning' ? 2 : 1;
}
