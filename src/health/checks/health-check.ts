/**
 * A health check looks at one thing (the disk, the clock, a certificate...) and raises its alarm
 * while the trouble lasts and clears it when it is gone. The checks run together every
 * HEALTH_CHECK_INTERVAL_MS (health-checks.ts); one that fails is logged and the others go on.
 */
export interface HealthCheck {
  readonly name: string;
  run(): Promise<void>;
}

/** What a check raises and clears: the alarm log's two calls. */
export interface AlarmControl {
  raise(code: string, message: string, fields?: Record<string, string | number>, options?: { key?: string; severity?: 'info' | 'warning' | 'critical' }): void;
  clear(code: string, key?: string): void;
}
