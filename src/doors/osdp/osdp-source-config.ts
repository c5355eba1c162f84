/**
 * The settings of one OSDP reader source, as a maintainer gives them: one schema gives the
 * validation and the type. The Secure Channel is on unless turned off, and then needs the
 * reader's SCBK (32 hex digits) or install mode (the published SCBK-D, for a reader fresh from
 * its box, and only while it is being provisioned).
 */
import { z } from 'zod';

/** The baud rates of OSDP v2.2 (section 5.2); 9600 is what readers leave the factory with. */
export const OSDP_BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400] as const;

export const osdpSourceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an id is lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(100),
    kind: z.literal('osdp').default('osdp'),
    /** The RS-485 USB adapter: a /dev/serial/by-id/... name survives replugging. */
    devicePath: z.string().min(1),
    baudRate: z.union(OSDP_BAUD_RATES.map((rate) => z.literal(rate))).default(9600),
    /** The reader's address on the line, 0-126 (127 is broadcast). */
    address: z.number().int().min(0).max(126).default(0),
    secureChannel: z.boolean().default(true),
    /** The reader's Secure Channel Base Key. A secret: kept with the other secrets of the settings. */
    scbk: z.string().regex(/^[0-9a-fA-F]{32}$/, 'an SCBK is 32 hexadecimal digits').optional(),
    /** Use SCBK-D, the published default key: only while a new reader is provisioned. */
    installMode: z.boolean().default(false),
    /** The doors the reader covers; its events name the first. */
    doors: z.array(z.string().trim().min(1).max(100)).min(1),
    /** Whether a card read at this reader is an entry or an exit. */
    direction: z.enum(['in', 'out']).optional(),
    replyTimeoutMs: z.number().int().min(50).max(5000).default(200),
    pollIntervalMs: z.number().int().min(10).max(5000).default(100),
    offlineAfterMissedReplies: z.number().int().min(1).max(100).default(8),
  })
  .superRefine((config, ctx) => {
    if (config.secureChannel && config.scbk === undefined && !config.installMode) {
      ctx.addIssue({ code: 'custom', path: ['scbk'], message: 'the Secure Channel needs the reader\'s SCBK (or install mode while provisioning)' });
    }
    if (!config.secureChannel && config.installMode) {
      ctx.addIssue({ code: 'custom', path: ['installMode'], message: 'install mode is a Secure Channel key: turn the Secure Channel on' });
    }
  });

export type OsdpSourceConfig = z.output<typeof osdpSourceConfigSchema>;
export type OsdpSourceConfigInput = z.input<typeof osdpSourceConfigSchema>;
