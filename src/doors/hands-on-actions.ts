/**
 * Actions that need hands on the box: the bridge's cable unplugged or plugged back, the service
 * stopped or started, a sign-in at the box's own console, a USB device changed. Every audit
 * entry of one records who was in the server room (user ids, and how many visitors and people
 * of unknown presence), and one with nobody in raises BOX_TOUCHED_UNATTENDED. The audit trail
 * runs each entry through `annotateHandsOn` before it is chained (audit-trail.ts, annotate).
 */
import type { AuditEventInput } from '../access/audit-entry.js';
import type { PresentPerson } from './presence.js';

export const BOX_ACTIONS = {
  bridgeLinkLost: 'box.bridge-link-lost',
  bridgeLinkFound: 'box.bridge-link-found',
  serviceStart: 'box.service-start',
  serviceStop: 'box.service-stop',
  usbChange: 'box.usb-change',
} as const;

export interface HandsOnContext {
  /** The server room's people now. */
  readonly present: () => readonly PresentPerson[];
  /** The console's addresses (a sign-in from one is hands-on). */
  readonly consoleAddresses: () => readonly string[];
  /** Whether any door source is configured: without one, nobody's presence can be known. */
  readonly watching: () => boolean;
  readonly raise: (code: string, message: string, fields: Record<string, string | number>) => void;
}

export function isHandsOn(event: AuditEventInput, consoleAddresses: readonly string[]): boolean {
  if (event.action.startsWith('box.')) return true;
  return event.action === 'auth.login' && event.clientAddress !== undefined && consoleAddresses.includes(normalisedAddress(event.clientAddress));
}

/** ::ffff:127.0.0.1 is 127.0.0.1. */
function normalisedAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function annotateHandsOn(context: HandsOnContext): (event: AuditEventInput) => AuditEventInput {
  return (event) => {
    // Most entries are not hands-on (reads, playback): that is decided first, without the settings.
    if (!isHandsOn(event, context.consoleAddresses()) || !context.watching()) return event;
    const people = context.present();
    const known = people.filter((person) => person.state === 'in');
    const users = [...new Set(known.flatMap((person) => (person.userId === null ? [] : [person.userId])))];
    const visitors = known.filter((person) => person.userId === null).length;
    if (known.length === 0) context.raise('BOX_TOUCHED_UNATTENDED', 'the box was handled with nobody badged into the server room', { action: event.action });
    return {
      ...event,
      details: {
        ...event.details,
        presentUsers: users.join(' '),
        presentVisitors: visitors,
        presenceUnknown: people.length - known.length,
      },
    };
  };
}
