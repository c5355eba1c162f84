/**
 * Alarms: faults an operator must see (a recording that could not be written, a corrupt
 * document, the bridge gone). Kept in memory for the health view and logged once each; they
 * hold pseudonymous ids only.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

export interface Alarm {
  readonly code: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly raisedAt: string;
}

/** The newest alarms kept; older ones stay in the journal. */
const ALARMS_KEPT = 200;

export class AlarmLog {
  private readonly alarms: Alarm[] = [];
  private total = 0;

  constructor(private readonly clock: Clock, private readonly logger: Logger) {}

  raise(code: string, message: string, fields: Record<string, string | number> = {}): void {
    this.total++;
    this.alarms.push({ code, message, fields: { ...fields }, raisedAt: new Date(this.clock.now()).toISOString() });
    if (this.alarms.length > ALARMS_KEPT) this.alarms.shift();
    this.logger.error(`alarm: ${message}`, { alarm: code, ...fields });
  }

  list(): readonly Alarm[] {
    return [...this.alarms];
  }

  get count(): number {
    return this.total;
  }
}
