/**
 * The appliance's configuration: one schema gives both the validation and the TypeScript type.
 * Every error is reported at once as `path: message`; a config that does not validate stops the
 * service at start-up (exit code 2, see src/cli/exit-codes.ts).
 */
import { z } from 'zod';

/** P7: contact-history identification data are kept at most 3 months. */
export const MAX_RETENTION_MONTHS = 3;

const extension = z.string().regex(/^[0-9]{1,12}$/, 'an extension is 1-12 digits');

export const agentSchema = z.object({
  extension,
  name: z.string().trim().min(1).max(200),
  phone: z.string().min(3).max(32),
});

/**
 * The register this box keeps and who keeps it, as the register description names them (the
 * printed description and the record of processing start with these: src/register/).
 */
export const registerIdentitySchema = z
  .object({
    /** The register's name, e.g. "Kuljetusalan Työttömyyskassan kontaktihistorian ja puhelutallenteiden rekisteri". */
    name: z.string().trim().min(3).max(300),
    controller: z
      .object({
        name: z.string().trim().min(2).max(200),
        /** The postal address, one line. */
        address: z.string().trim().min(5).max(300),
      })
      .strict(),
  })
  .strict();

/**
 * Used when a demo data directory has no register of its own: a fictional fund, so the demo's
 * register description reads as a real one does. A production box must name its own.
 */
export const DEMO_REGISTER_IDENTITY = Object.freeze({
  name: 'Esimerkkikassan kontaktihistorian ja puhelutallenteiden rekisteri',
  controller: Object.freeze({ name: 'Esimerkkikassa (demo)', address: 'Esimerkkikatu 1, 00100 Helsinki' }),
});

/** What the register shows where a configuration names no register (REGISTER_NOT_NAMED is raised). */
export const UNNAMED_REGISTER = Object.freeze({
  name: '(ei nimetty asetuksissa / not named in the configuration: register.name)',
  controller: Object.freeze({ name: '(ei nimetty / not named: register.controller.name)', address: '(register.controller.address)' }),
});

export const configSchema = z
  .object({
    mode: z.enum(['production', 'demo']).default('production'),
    dataDir: z.string().min(1).default('/var/lib/tallennin'),
    bridge: z
      .object({
        /** A stable device path: /dev/tallennin-bridge (udev rule) or /dev/serial/by-id/... */
        path: z.string().min(1).default('/dev/tallennin-bridge'),
        baudRate: z.number().int().positive().default(921600),
      })
      .prefault({}),
    phone: z
      .object({
        /** Region used to read national numbers (0201234567) into E.164. */
        defaultRegion: z.string().length(2).default('FI'),
      })
      .prefault({}),
    recording: z
      .object({
        /** P4: calls to these service numbers are recorded; every call gets a contact record. */
        recordedServiceNumbers: z.array(z.string().min(3).max(32)).default([]),
      })
      .prefault({}),
    /** P3: the agent directory, extension -> the answering agent's name and phone number. */
    agents: z.array(agentSchema).default([]),
    retention: z
      .object({
        /** Contact history and recordings older than this are destroyed (P7: at most 3). */
        months: z.number().int().min(1).max(MAX_RETENTION_MONTHS).default(MAX_RETENTION_MONTHS),
        /** Local time of the daily purge, HH:MM in Europe/Helsinki. */
        dailyAt: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).default('03:30'),
      })
      .prefault({}),
    http: z
      .object({
        /** The LAN address to listen on; the systemd unit's IP allow-list narrows who reaches it. */
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8443),
        /** An administrator-provided certificate; without one a P-256 self-signed one is made at first start. */
        tls: z
          .object({ certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })
          .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), 'certFile and keyFile go together')
          .prefault({}),
      })
      .prefault({}),
    sessions: z
      .object({
        idleMinutes: z.number().int().min(1).max(120).default(15),
        absoluteHours: z.number().int().min(1).max(24).default(8),
      })
      .prefault({}),
    /** The registrar's cases are kept this long after closing, then purged (src/disclosure/case-retention.ts). */
    cases: z.object({ retentionYears: z.number().int().min(1).max(30).default(5) }).prefault({}),
    audit: z.object({ retentionDays: z.number().int().min(30).max(3650).default(730) }).prefault({}),
    /** The door webhook's rate limit per client address (docs/door-access.md); sources are set in Settings. */
    doors: z
      .object({
        webhookBurst: z.number().int().min(1).max(1_000_000).default(4000),
        webhookPerSecond: z.number().int().min(1).max(100_000).default(2000),
      })
      .prefault({}),
    log: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).prefault({}),
    /** The register and its controller (required in production: the register description names them). */
    register: registerIdentitySchema.optional(),
  })
  .strict()
  .transform((config) => (config.register === undefined && config.mode === 'demo' ? { ...config, register: DEMO_REGISTER_IDENTITY } : config));

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;
export type AgentEntry = z.infer<typeof agentSchema>;
export type RegisterIdentity = z.infer<typeof registerIdentitySchema>;
