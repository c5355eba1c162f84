/**
 * A known configuration's facts for the register's unit tests: a box in order, with every count
 * distinct so that a field read from the wrong place shows.
 */
import { checkPolicy } from '../../../src/access/policy-self-check.js';
import type { RegisterFacts } from '../../../src/register/register-facts.js';

export const NOW = '2026-11-28T10:00:00.000Z';
export const NOW_MS = Date.parse(NOW);

export function knownFacts(change: Partial<RegisterFacts> = {}): RegisterFacts {
  return {
    generatedAt: NOW,
    identity: { name: 'Testikassan kontaktihistorian ja puhelutallenteiden rekisteri', controller: { name: 'Testikassa', address: 'Testikatu 3, 00530 Helsinki' } },
    mode: 'production',
    recordedServiceNumbers: ['020 123 4567', '020 765 4321'],
    agentsInDirectory: 4,
    retentionMonths: 3,
    otherRetention: { auditDays: 730, caseYears: 5, doorMonths: 12 },
    contactRecords: 1234,
    oldestRecord: { startedAt: '2026-08-31T10:00:00.000Z', ageDays: 89 },
    heldRecords: 0,
    accounts: {
      total: 12,
      enabled: 11,
      disabled: 1,
      byRole: { agent: 5, supervisor: 2, 'quality-expert': 1, 'technical-maintainer': 2, 'phone-admin': 1, registrar: 3 },
      withSecondFactor: 7,
      pendingEnrolment: 0,
      sharedNames: 0,
    },
    masterKeySource: 'credential',
    tls: 'installed',
    doors: { serverRoomDoors: ['Palvelinhuone'], sources: [{ id: 'ovi', name: 'Ovi-ohjain', kind: 'webhook', lastHeardAt: '2026-11-28T09:58:00.000Z' }], silentMinutes: 30, heardFrom: 'live' },
    desk: {
      cases: { 'access-request': { open: 1, closed: 6 }, 'police-request': { open: 0, closed: 2 }, research: { open: 1, closed: 1 }, 'erasure-objection': { open: 0, closed: 0 } },
      copies: 3,
      policeBundles: 2,
      unapprovedBundles: 0,
      copiesOutsideRequests: 0,
      research: { open: 1, overdue: 0, destroyed: 1, packages: 2, packagesWithoutContentCheck: 0 },
      requestsPastDeadline: 0,
      requestsAnswered: 6,
    },
    policyCheck: { ...checkPolicy('2026-11-28T06:00:00.000Z'), when: 'service-start' },
    ...change,
  };
}
