/**
 * The use cases that let door data out, each asking the policy first and auditing before
 * anything leaves: the server room (who is in, the door events beside the box's own events),
 * the door settings (config:manage), a user's card enrolment (users:manage), the door sources'
 * health (health:read), and the on-site listening check of the player (P14, P6).
 */
import { AppError } from '../errors.js';
import { can, type Role } from './policy.js';
import type { AuditTrail } from './audit-trail.js';
import type { AuditRecord } from './audit-entry.js';
import type { Viewer } from './call-access.js';
import type { DoorService } from '../doors/door-service.js';
import type { DoorSettings } from '../doors/door-settings.js';
import type { StoredDoorEvent } from '../doors/door-event-log.js';

export interface DoorAccessDeps {
  readonly doors: DoorService;
  readonly audit: AuditTrail;
  /** A user's display name and roles by id (enrolled users shown by name to those who may see the room). */
  readonly userById: (id: string) => { displayName: string; roles: readonly Role[]; disabled?: boolean } | undefined;
  readonly now: () => number;
}

export interface PersonView {
  readonly userId: string | null;
  readonly displayName: string | null;
  /** A visitor's tag: the first digits of the card's pseudonym, so two visitors can be told apart. */
  readonly visitorTag: string | null;
  readonly state: 'in' | 'unknown';
  readonly since: string;
  readonly door: string;
}

export interface TimelineEvent extends StoredDoorEvent {
  readonly userId: string | null;
  readonly displayName: string | null;
}

export interface BoxEvent {
  readonly time: string;
  readonly action: string;
  readonly outcome: string;
  readonly presentUsers: string[];
  readonly presentVisitors: number;
}

/** Why an on-site playback is refused, in the user's language (the UI shows it as it is). */
const LISTENING_REASONS = {
  en: {
    'no-card': 'Listening to recordings needs you to be in the listening room, and no access card is enrolled for you. Ask a maintainer to enrol your card.',
    'not-present': 'Listening to recordings needs you to be in the listening room: badge in at its door and try again.',
    'no-room': 'Listening to recordings needs presence in the listening room, but no listening room door is set. Ask a maintainer.',
  },
  fi: {
    'no-card': 'Tallenteiden kuuntelu edellyttää, että olet kuunteluhuoneessa, eikä sinulle ole liitetty kulkukorttia. Pyydä ylläpitäjää liittämään korttisi.',
    'not-present': 'Tallenteiden kuuntelu edellyttää, että olet kuunteluhuoneessa: kirjaudu sisään sen ovella kortillasi ja yritä uudelleen.',
    'no-room': 'Tallenteiden kuuntelu edellyttää läsnäoloa kuunteluhuoneessa, mutta kuunteluhuoneen ovea ei ole asetettu. Ota yhteys ylläpitäjään.',
  },
} as const;

export type ListeningRefusal = keyof (typeof LISTENING_REASONS)['en'];

/** The user's language from Accept-Language: Finnish if it comes before English, else English. */
export function languageOf(acceptLanguage: string | undefined): 'fi' | 'en' {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'fi' || tag === 'en') return tag;
  }
  return 'en';
}

export class DoorAccess {
  constructor(private readonly deps: DoorAccessDeps) {}

  /** Who is in the server room now, audited as a read of personal data. */
  async serverRoom(viewer: Viewer, clientAddress: string): Promise<{ people: PersonView[]; watching: boolean }> {
    this.require(viewer, 'doors:read');
    const people = this.deps.doors.serverRoom().map((person) => this.personView(person));
    await this.deps.audit.append({ action: 'doors.presence', outcome: 'success', actorId: viewer.id, clientAddress, details: { people: people.length } });
    return { people, watching: this.deps.doors.watching };
  }

  /** The door events and the box's hands-on events of a period, side by side (newest first). */
  async timeline(viewer: Viewer, query: { fromMs?: number; toMs?: number; door?: string }, clientAddress: string): Promise<{ doorEvents: TimelineEvent[]; boxEvents: BoxEvent[] }> {
    this.require(viewer, 'doors:read');
    const range = { ...(query.fromMs === undefined ? {} : { fromMs: query.fromMs }), ...(query.toMs === undefined ? {} : { toMs: query.toMs }) };
    const events = await this.deps.doors.log.search({ ...range, ...(query.door === undefined ? {} : { door: query.door }) });
    const box = await this.deps.audit.search({ ...range, action: 'box.', limit: 200 });
    const doorEvents = events.map((event) => {
      const userId = event.card === null ? null : (this.deps.doors.settings.userOfCard(event.card) ?? null);
      return { ...event, userId, displayName: userId === null ? null : (this.deps.userById(userId)?.displayName ?? null) };
    });
    await this.deps.audit.append({ action: 'doors.timeline', outcome: 'success', actorId: viewer.id, clientAddress, details: { doorEvents: doorEvents.length, boxEvents: box.records.length, door: query.door ?? null } });
    return { doorEvents, boxEvents: box.records.map(boxEventOf) };
  }

  async settings(viewer: Viewer, clientAddress: string): Promise<DoorSettings['visible']> {
    this.require(viewer, 'config:manage');
    await this.deps.audit.append({ action: 'config.view', outcome: 'success', actorId: viewer.id, target: { type: 'config', id: 'door-settings' }, clientAddress });
    return this.deps.doors.settings.visible;
  }

  async replaceSettings(viewer: Viewer, input: unknown, clientAddress: string): Promise<DoorSettings['visible']> {
    this.require(viewer, 'config:manage');
    try {
      const after = await this.deps.doors.settings.replace(input);
      await this.deps.audit.append({ action: 'config.change', outcome: 'success', actorId: viewer.id, target: { type: 'config', id: 'door-settings' }, clientAddress, details: { sources: after.sources.length, onSiteRoles: after.onSiteListeningRoles.join(' ') } });
      return this.deps.doors.settings.visible;
    } catch (err) {
      await this.deps.audit.append({ action: 'config.change', outcome: 'failed', actorId: viewer.id, target: { type: 'config', id: 'door-settings' }, clientAddress, details: { reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
  }

  /** A user's enrolment: whether a card is enrolled, and a reader waiting for one. */
  async card(viewer: Viewer, userId: string, clientAddress: string): Promise<{ enrolled: boolean; enrolledAt: string | null; waiting: { door: string; until: string } | null }> {
    this.require(viewer, 'users:manage');
    this.requireUser(userId);
    const enrolment = this.deps.doors.settings.enrolments.filter((entry) => entry.userId === userId).at(-1);
    await this.deps.audit.append({ action: 'user.card', outcome: 'success', actorId: viewer.id, target: { type: 'user', id: userId }, clientAddress, details: { step: 'view' } }, 'written');
    return { enrolled: enrolment !== undefined, enrolledAt: enrolment?.enrolledAt ?? null, waiting: this.deps.doors.waitingEnrolment(userId) };
  }

  /** Enrols a typed card number, or arms "the next card read at this door". */
  async enrol(viewer: Viewer, userId: string, input: { card?: string | undefined; nextAtDoor?: string | undefined }, clientAddress: string): Promise<{ enrolled: boolean; enrolledAt: string | null; waiting: { door: string; until: string } | null }> {
    this.require(viewer, 'users:manage');
    this.requireUser(userId);
    if (input.card !== undefined) {
      await this.deps.doors.enrolTyped(userId, input.card);
      await this.deps.audit.append({ action: 'user.card', outcome: 'success', actorId: viewer.id, target: { type: 'user', id: userId }, clientAddress, details: { step: 'typed' } });
    } else if (input.nextAtDoor !== undefined) {
      this.deps.doors.armEnrolment(userId, input.nextAtDoor);
      await this.deps.audit.append({ action: 'user.card', outcome: 'success', actorId: viewer.id, target: { type: 'user', id: userId }, clientAddress, details: { step: 'waiting', door: input.nextAtDoor } });
    }
    return this.card(viewer, userId, clientAddress);
  }

  async unenrol(viewer: Viewer, userId: string, clientAddress: string): Promise<void> {
    this.require(viewer, 'users:manage');
    this.requireUser(userId);
    const removed = await this.deps.doors.settings.removeEnrolments(userId);
    await this.deps.audit.append({ action: 'user.card', outcome: 'success', actorId: viewer.id, target: { type: 'user', id: userId }, clientAddress, details: { step: 'removed', cards: removed } });
  }

  health(viewer: Viewer): ReturnType<DoorService['health']> {
    this.require(viewer, 'health:read');
    return this.deps.doors.health();
  }

  /**
   * The player's on-site check: a viewer whose role needs presence in the listening room may
   * play audio only while badged in there (within its minutes, not badged out since). A refusal
   * is audited and says why in the viewer's language.
   */
  async checkOnSiteListening(viewer: Viewer, callId: string, language: 'fi' | 'en', clientAddress: string): Promise<void> {
    if (!this.deps.doors.settings.requiresOnSite(viewer.roles)) return;
    const refusal = this.listeningRefusal(viewer.id);
    if (refusal === undefined) return;
    await this.deps.audit.append({ action: 'recording.play', outcome: 'denied', actorId: viewer.id, target: { type: 'call', id: callId }, clientAddress, details: { reason: 'LISTENING_NOT_ON_SITE', why: refusal } });
    throw new AppError('LISTENING_NOT_ON_SITE', 'playback needs presence in the listening room', { details: { reason: LISTENING_REASONS[language][refusal] } });
  }

  private listeningRefusal(userId: string): ListeningRefusal | undefined {
    const settings = this.deps.doors.settings;
    if (settings.current.listeningRoom.doors.length === 0) return 'no-room';
    if (!settings.enrolments.some((entry) => entry.userId === userId)) return 'no-card';
    const present = this.deps.doors.listeningRoom().some((person) => person.userId === userId && person.state === 'in');
    return present ? undefined : 'not-present';
  }

  private personView(person: { userId: string | null; card: string; state: 'in' | 'unknown'; since: string; door: string }): PersonView {
    const user = person.userId === null ? undefined : this.deps.userById(person.userId);
    return {
      userId: person.userId,
      displayName: user?.displayName ?? null,
      visitorTag: person.userId === null ? person.card.slice(5, 11) : null,
      state: person.state,
      since: person.since,
      door: person.door,
    };
  }

  private require(viewer: Viewer, permission: Parameters<typeof can>[1]): void {
    if (!can(viewer, permission)) throw new AppError('FORBIDDEN', 'this account may not do this');
  }

  private requireUser(userId: string): void {
    if (this.deps.userById(userId) === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
  }
}

function boxEventOf(record: AuditRecord): BoxEvent {
  const users = record.details?.presentUsers;
  const visitors = record.details?.presentVisitors;
  return {
    time: record.time,
    action: record.action,
    outcome: record.outcome,
    presentUsers: typeof users === 'string' && users !== '' ? users.split(' ') : [],
    presentVisitors: typeof visitors === 'number' ? visitors : 0,
  };
}
