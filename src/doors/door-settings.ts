/**
 * What a maintainer sets for the door integration in Settings: the door sources (id, name,
 * kind, the doors each covers, its secret), which doors make the server room and the
 * listening room, the maximum stay, the on-site listening policy per role, the console's
 * addresses, when a silent source is alarmed, and how long door events are kept. Kept in the
 * encrypted document `doors/door-settings` (the secrets with it); the API never hands a secret
 * back: a source saved without one keeps the secret it had.
 */
import type { Low } from 'lowdb';
import { z } from 'zod';
import { OSDP_BAUD_RATES } from './osdp/osdp-source-config.js';
import { AppError } from '../errors.js';
import { ROLES, type Role } from '../access/policy.js';

const name = z.string().trim().min(1).max(100);
const door = z.string().trim().min(1).max(100);
/** A source id goes into a header and a file name: letters, digits and dashes. */
export const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a source id is 1-40 lower-case letters, digits and dashes');
const fingerprint = z.string().regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint is 32 hex bytes separated by colons');

const pullOptions = z
  .object({
    /** The controller's events feed, e.g. https://controller.example:8904/api/events */
    url: z.url({ protocol: /^https$/ }),
    /** The header the API key goes in (Gallagher: Authorization: GGL-API-KEY <key>). */
    apiKeyHeader: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).default('Authorization'),
    apiKeyPrefix: z.string().max(40).default('GGL-API-KEY '),
    /** The controller's certificate, pinned by its SHA-256 fingerprint; or the CA that signed it. */
    fingerprint256: fingerprint.optional(),
    ca: z.string().min(1).max(20_000).optional(),
    intervalSeconds: z.number().int().min(1).max(3600).default(5),
  })
  .strict()
  .refine((pull) => pull.fingerprint256 !== undefined || pull.ca !== undefined, 'a pull source needs the controller’s certificate fingerprint or its CA');

/**
 * The OSDP reader's own settings (docs/door-access-osdp.md); its Secure Channel Base Key is the
 * source's write-only secret (32 hex digits), so the API never hands it back either.
 */
const osdpOptions = z
  .object({
    /** The RS-485 USB adapter: a /dev/serial/by-id/... name survives replugging. */
    devicePath: z.string().min(1).max(200),
    baudRate: z.union(OSDP_BAUD_RATES.map((rate) => z.literal(rate))).default(9600),
    address: z.number().int().min(0).max(126).default(0),
    secureChannel: z.boolean().default(true),
    /** SCBK-D, the published default key: only while a new reader is provisioned. */
    installMode: z.boolean().default(false),
    /** Whether a card read at this reader is an entry or an exit. */
    direction: z.enum(['in', 'out']).optional(),
  })
  .strict();

export const doorSourceSchema = z
  .object({
    id: sourceIdSchema,
    name,
    kind: z.enum(['webhook', 'pull', 'osdp']),
    doors: z.array(door).max(100).default([]),
    /** The webhook's signing secret, or the pull feed's API key. Write-only. */
    secret: z.string().min(16).max(200).optional(),
    enabled: z.boolean().default(true),
    pull: pullOptions.optional(),
    osdp: osdpOptions.optional(),
  })
  .strict()
  .refine((source) => source.kind !== 'pull' || source.pull !== undefined, { message: 'a pull source needs its feed (pull)', path: ['pull'] })
  .refine((source) => source.kind !== 'osdp' || source.osdp !== undefined, { message: 'an OSDP source needs its reader (osdp)', path: ['osdp'] })
  .refine((source) => source.kind !== 'osdp' || source.doors.length > 0, { message: 'an OSDP reader names the door it is at', path: ['doors'] });

export const doorSettingsSchema = z
  .object({
    sources: z.array(doorSourceSchema).max(20).default([]),
    /** The doors of the server room (where the box stands); empty: every door of every source. */
    serverRoomDoors: z.array(door).max(100).default([]),
    /** After this long without a badge-out, a person's presence is "unknown". */
    maxStayHours: z.number().int().min(1).max(72).default(12),
    listeningRoom: z
      .object({
        name: name.default('Listening room'),
        doors: z.array(door).max(100).default([]),
        /** Playback is allowed this long after badging in (and not out). */
        withinMinutes: z.number().int().min(1).max(720).default(60),
      })
      .strict()
      .prefault({}),
    /** Roles whose playback needs presence in the listening room (P14, P6). */
    onSiteListeningRoles: z.array(z.enum(ROLES)).default([]),
    /** The addresses of the box's own console: a sign-in from one is a hands-on action. */
    consoleAddresses: z.array(z.string().min(1).max(64)).max(20).default(['127.0.0.1', '::1']),
    /** DOOR_SOURCE_SILENT after this long without an event or a heartbeat. */
    silentMinutes: z.number().int().min(1).max(1440).default(30),
    /** Door events older than this are purged with the daily purge. */
    retentionMonths: z.number().int().min(1).max(60).default(12),
  })
  .strict();

export type DoorSettingsData = z.infer<typeof doorSettingsSchema>;
export type DoorSourceConfig = z.infer<typeof doorSourceSchema>;

/** A card enrolled to a user, as its pseudonym. */
export interface Enrolment {
  readonly userId: string;
  readonly card: string;
  readonly enrolledAt: string;
}

interface Document {
  version: 1;
  settings: DoorSettingsData;
  enrolments: Enrolment[];
}

export class DoorSettings {
  private readonly changeListeners: Array<() => Promise<void>> = [];

  /**
   * The settings as one frozen copy, made again at each change: every audit entry and every
   * playback asks for them (the hands-on annotator, the listening-room policy), and a fresh
   * clone per question cost a playback more than its audit entry did.
   */
  private snapshot: DoorSettingsData;

  private constructor(private readonly doc: Low<Document>) {
    this.snapshot = frozenCopy(doc.data.settings);
  }

  static async open(documents: { openDocument<T>(name: string, defaultData: T): Promise<Low<T>> }): Promise<DoorSettings> {
    const doc = await documents.openDocument<Document>('doors/door-settings', { version: 1, settings: doorSettingsSchema.parse({}), enrolments: [] });
    return new DoorSettings(doc);
  }

  get current(): DoorSettingsData {
    return this.snapshot;
  }

  /** The settings as a maintainer sees them: every secret replaced by whether one is set. */
  get visible(): Omit<DoorSettingsData, 'sources'> & { sources: Array<Omit<DoorSourceConfig, 'secret'> & { secretSet: boolean }> } {
    const { sources, ...rest } = this.current;
    return { ...rest, sources: sources.map(({ secret, ...source }) => ({ ...source, secretSet: secret !== undefined })) };
  }

  get enrolments(): readonly Enrolment[] {
    return this.doc.data.enrolments;
  }

  onChange(listener: () => Promise<void>): void {
    this.changeListeners.push(listener);
  }

  /** Validates the whole, keeps the secrets of sources saved without one, stores, and restarts the sources. */
  async replace(input: unknown): Promise<DoorSettingsData> {
    const parsed = doorSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
      throw new AppError('VALIDATION_FAILED', `the door settings are not valid: ${problems.join('; ')}`, { details: { problems } });
    }
    const ids = parsed.data.sources.map((source) => source.id);
    if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'two door sources have the same id', { details: { problems: ['sources: ids must differ'] } });
    const previous = new Map(this.doc.data.settings.sources.map((source) => [source.id, source.secret]));
    const sources = parsed.data.sources.map((source) => {
      const secret = source.secret ?? previous.get(source.id);
      return secret === undefined ? source : { ...source, secret };
    });
    const missing = sources.filter((source) => source.kind !== 'osdp' && source.secret === undefined).map((source) => `sources.${source.id}.secret: required`);
    // An OSDP reader in the Secure Channel needs its SCBK, unless it is being provisioned (install mode).
    const scbkProblems = sources
      .filter((source) => source.kind === 'osdp' && source.osdp !== undefined && source.osdp.secureChannel && (source.secret === undefined ? !source.osdp.installMode : !/^[0-9a-fA-F]{32}$/.test(source.secret)))
      .map((source) => `sources.${source.id}.secret: the reader's SCBK, 32 hexadecimal digits`);
    missing.push(...scbkProblems);
    if (missing.length > 0) throw new AppError('VALIDATION_FAILED', 'a source needs its secret', { details: { problems: missing } });
    this.doc.data.settings = { ...parsed.data, sources };
    await this.doc.write();
    this.snapshot = frozenCopy(this.doc.data.settings);
    for (const listener of this.changeListeners) await listener();
    return this.current;
  }

  /** Enrols a card (as its pseudonym) to a user; the card leaves any other user. */
  async enrol(userId: string, card: string, at: string): Promise<void> {
    this.doc.data.enrolments = [...this.doc.data.enrolments.filter((entry) => entry.card !== card), { userId, card, enrolledAt: at }];
    await this.doc.write();
  }

  async removeEnrolments(userId: string): Promise<number> {
    const before = this.doc.data.enrolments.length;
    this.doc.data.enrolments = this.doc.data.enrolments.filter((entry) => entry.userId !== userId);
    await this.doc.write();
    return before - this.doc.data.enrolments.length;
  }

  userOfCard(card: string): string | undefined {
    return this.doc.data.enrolments.find((entry) => entry.card === card)?.userId;
  }

  requiresOnSite(roles: readonly Role[]): boolean {
    return roles.some((role) => this.doc.data.settings.onSiteListeningRoles.includes(role));
  }
}

function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || Object.isFrozen(node)) return;
    Object.freeze(node);
    for (const child of Object.values(node)) freeze(child);
  };
  freeze(copy);
  return copy;
}
