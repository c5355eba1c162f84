/**
 * An appliance started in-process for the API tests: real HTTPS on a random port, real stores
 * in a temp directory, a manual clock (session expiry without waiting), cheap password hashing
 * (the real argon2id, with the lowest parameters the hasher accepts). Calls are fed into the
 * real call tracker the way the bridge client does.
 */
import type { Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { startAppliance, type Appliance } from '../../../src/main.js';
import { PasswordHasher } from '../../../src/access/password-hasher.js';
import { LoginThrottle, type LoginThrottleOptions } from '../../../src/access/login-throttle.js';
import { ApiClient } from './https-client.js';
import type { CommandRunner } from '../../../src/health/checks/clock-check.js';

export const PASSWORD = 'kuusi kettua juoksee metsässä';
export const START_MS = Date.UTC(2026, 10, 28, 8, 0, 0);

export interface ApiFixture {
  readonly appliance: Appliance;
  readonly clock: ManualClock;
  readonly dataDir: string;
  /** A client; `localAddress` (127.0.0.2...) makes it come from another address. */
  client(options?: { localAddress?: string }): ApiClient;
  /** A TOTP code for a secret at the clock's current time. */
  totp(secret: string): string;
  /** Feeds one call through the call tracker: start, `seconds` of audio, end. Returns its call id. */
  call(options: { channel: number; extension: string; caller?: string; called?: string; seconds?: number }): Promise<string>;
}

export async function startApiAppliance(t: Test, options: { throttle?: Omit<LoginThrottleOptions, 'clock'>; config?: Partial<ConfigInput>; dataDir?: string; startMs?: number; deliveryBackoffMs?: readonly number[]; commandRunner?: CommandRunner; usbDevicesRoot?: string; credentialsDirectory?: string } = {}): Promise<ApiFixture> {
  // A given data directory is a restart of an appliance the test started before.
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tallennin-api-')));
  if (options.dataDir === undefined) t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(options.startMs ?? START_MS);
  const config = parseConfig({
    mode: 'demo',
    dataDir,
    bridge: { path: join(dataDir, 'no-bridge') },
    http: { host: '127.0.0.1', port: 0 },
    recording: { recordedServiceNumbers: ['0201234567'] },
    agents: [
      { extension: '2001', name: 'Aino Asiakaspalvelija', phone: '0501002001' },
      { extension: '2002', name: 'Eero Esimerkki', phone: '0501002002' },
    ],
    ...options.config,
  });
  const appliance = await startAppliance(config, {
    capture: 'inline',
    clock,
    logger: silentLogger,
    hasher: new PasswordHasher({ params: { memoryCost: 19456, timeCost: 2, parallelism: 1 } }),
    ...(options.throttle === undefined ? {} : { throttle: new LoginThrottle({ clock, ...options.throttle }) }),
    ...(options.deliveryBackoffMs === undefined ? {} : { deliveryBackoffMs: options.deliveryBackoffMs }),
    ...(options.commandRunner === undefined ? {} : { commandRunner: options.commandRunner }),
    ...(options.usbDevicesRoot === undefined ? {} : { usbDevicesRoot: options.usbDevicesRoot }),
    ...(options.credentialsDirectory === undefined ? {} : { credentialsDirectory: options.credentialsDirectory }),
    // The health checks run when a test asks (appliance.healthChecks.runAll()), never on a timer.
    healthCheckIntervalMs: null,
    // Stands still: with the manual clock, only a move the test makes is a jump of the wall clock.
    monotonicClock: new ManualClock(0),
  });
  t.teardown(() => appliance.stop());
  const ca = (await import('node:fs/promises')).readFile(join(dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const caText = await ca;
  let callRef = 1;
  let tick = 0;
  return {
    appliance,
    clock,
    dataDir,
    client: (options = {}) => new ApiClient(appliance.web.address.port, caText, options.localAddress),
    totp: (secret) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: clock.now() }),
    async call({ channel, extension, caller = '0401234567', called = '0201234567', seconds = 2 }) {
      const ref = callRef++;
      tick += 1000;
      const tracker = appliance.capture.inlineTracker;
      tracker.onHeartbeat({ uptimeMs: tick * 20, tick, activeChannels: [] });
      tracker.onCallStart({ bootId: 1, channel, callRef: ref, tick, caller, called, agentExtension: extension, resumed: false });
      for (let i = 0; i < seconds * 50; i++) {
        tracker.onAudio({ tick: tick + i, channels: [{ channel, samples: Buffer.alloc(160, (i * 7 + channel) & 0xff) }] });
        clock.advance(20);
        // Let the recording open, as it does while a real call's audio streams in: the tracker
        // holds at most 30 s of audio for a recording still opening.
        if (i % 1000 === 999) await tracker.drain();
      }
      tracker.onCallEnd({ bootId: 1, channel, callRef: ref, tick: tick + seconds * 50, cause: 'normal' });
      await tracker.drain();
      const records = await appliance.history.search({ predicate: (r) => r.channel === channel && r.agentExtension === extension });
      return records.at(-1)!.callId;
    },
  };
}

/** Creates the first administrator with the setup token and enrols TOTP; returns a signed-in client and the TOTP secret. */
export async function firstAdministrator(fixture: ApiFixture): Promise<{ admin: ApiClient; secret: string }> {
  const admin = fixture.client();
  const created = await admin.post('/api/v1/setup', { token: fixture.appliance.setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  if (created.status !== 201) throw new Error(`setup failed: ${created.status} ${created.body.toString()}`);
  const login = await admin.login('yllapitaja', PASSWORD);
  if (login.status !== 201) throw new Error(`admin login failed: ${login.status} ${login.body.toString()}`);
  const begun = await admin.post('/api/v1/me/totp');
  const secret = begun.json<{ secret: string }>().secret;
  const confirmed = await admin.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
  if (confirmed.status !== 200) throw new Error(`TOTP confirm failed: ${confirmed.status} ${confirmed.body.toString()}`);
  return { admin, secret };
}
