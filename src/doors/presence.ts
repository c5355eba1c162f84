/**
 * Who is in a room now, from the entry and exit readers: for each card, the last access granted
 * with a direction at one of the room's doors decides. In: present, until the maximum stay has
 * passed without a badge-out, after which the presence is "unknown" (someone may have left
 * behind another). Out: gone. A card no user is enrolled with is a visitor, shown as such
 * (by its pseudonym's first digits, never the card number).
 */
import type { StoredDoorEvent } from './door-event-log.js';

export interface PresentPerson {
  /** The enrolled user, or null for a visitor. */
  readonly userId: string | null;
  /** The card's pseudonym (card-pseudonym.ts). */
  readonly card: string;
  readonly state: 'in' | 'unknown';
  /** When the person badged in. */
  readonly since: string;
  readonly door: string;
}

interface Movement {
  readonly door: string;
  readonly direction: 'in' | 'out';
  readonly atMs: number;
}

export class Presence {
  /** Per card, per door: the last movement through it. */
  private readonly movements = new Map<string, Map<string, Movement>>();

  /**
   * Takes a stored event; only granted accesses and card reads with a direction and a card move
   * anyone. A card read is what the box's own OSDP reader reports: the box reads the card at the
   * room's entry or exit reader but does not hold the lock, so the read is the badge.
   */
  apply(event: StoredDoorEvent): void {
    if ((event.kind !== 'access-granted' && event.kind !== 'card-read') || event.direction === null || event.card === null) return;
    const atMs = Date.parse(event.occurredAt);
    const doors = this.movements.get(event.card) ?? new Map<string, Movement>();
    const previous = doors.get(event.door);
    // Events may arrive out of order (a pull feed behind a webhook): the later badge wins.
    if (previous !== undefined && previous.atMs > atMs) return;
    doors.set(event.door, { door: event.door, direction: event.direction, atMs });
    this.movements.set(event.card, doors);
  }

  /**
   * The people in the room made of `doors` (empty: every door) at `nowMs`: in while their last
   * badge there is an entry within `maxStayMs`, unknown after that.
   */
  inRoom(doors: readonly string[], nowMs: number, maxStayMs: number, userOfCard: (card: string) => string | undefined): PresentPerson[] {
    const room = new Set(doors);
    const people: PresentPerson[] = [];
    for (const [card, byDoor] of this.movements) {
      let last: Movement | undefined;
      for (const movement of byDoor.values()) {
        if (room.size > 0 && !room.has(movement.door)) continue;
        if (last === undefined || movement.atMs > last.atMs) last = movement;
      }
      if (last === undefined || last.direction === 'out') continue;
      people.push({
        userId: userOfCard(card) ?? null,
        card,
        state: nowMs - last.atMs <= maxStayMs ? 'in' : 'unknown',
        since: new Date(last.atMs).toISOString(),
        door: last.door,
      });
    }
    return people.sort((a, b) => a.since.localeCompare(b.since));
  }
}
