/**
 * sd_notify for Type=notify with WatchdogSec=. Node has no unix datagram sockets, so this uses
 * systemd's own `systemd-notify` (the unit sets NotifyAccess=all). Without $NOTIFY_SOCKET
 * (development, tests, demo) every call is a no-op.
 */
import { execFile } from 'node:child_process';
import type { Logger } from '../log.js';

export class SystemdNotifier {
  private watchdogTimer: NodeJS.Timeout | undefined;
  private readonly enabled: boolean;

  constructor(private readonly logger: Logger, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.enabled = typeof env.NOTIFY_SOCKET === 'string' && env.NOTIFY_SOCKET !== '';
  }

  ready(status: string): void {
    this.send(['--ready', `--status=${status}`]);
  }

  status(status: string): void {
    this.send([`--status=${status}`]);
  }

  stopping(): void {
    this.send(['STOPPING=1']);
    this.stopWatchdog();
  }

  /** Pings the watchdog at half its interval while `healthy()` holds. */
  startWatchdog(healthy: () => boolean): void {
    const usec = Number(this.env.WATCHDOG_USEC);
    if (!this.enabled || !Number.isFinite(usec) || usec <= 0) return;
    const intervalMs = Math.max(500, Math.floor(usec / 2000));
    this.watchdogTimer = setInterval(() => {
      if (healthy()) this.send(['WATCHDOG=1']);
    }, intervalMs);
    this.watchdogTimer.unref();
  }

  stopWatchdog(): void {
    if (this.watchdogTimer !== undefined) clearInterval(this.watchdogTimer);
    this.watchdogTimer = undefined;
  }

  private send(args: string[]): void {
    if (!this.enabled) return;
    execFile('systemd-notify', args, { env: this.env }, (err) => {
      if (err !== null) this.logger.warn('systemd-notify failed', { error: err.message });
    });
  }
}
