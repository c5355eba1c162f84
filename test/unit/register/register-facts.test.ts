/**
 * The facts the checks rest on, from the stores' own shapes: the desk's cases counted by kind
 * and status, its copies, bundles and research disclosures; the accounts per role and their
 * second factors; the server room's door sources; the oldest record the purge could take, with
 * the calls under a legal hold counted apart.
 */
import t from 'tap';
import { accountFacts, deskFacts, doorFacts, gatherRegisterFacts, lastHeardFromLog, type RegisterSources } from '../../../src/register/register-facts.js';
import type { DisclosureCase } from '../../../src/disclosure/case-record.js';
import type { ContactRecord } from '../../../src/history/contact-record.js';
import { doorSettingsSchema } from '../../../src/doors/door-settings.js';
import { checkPolicy } from '../../../src/access/policy-self-check.js';
import { NOW, NOW_MS } from './register-fixture.js';

const BASE: DisclosureCase = {
  id: 'c',
  kind: 'access-request',
  status: 'open',
  requester: { name: 'n', contact: 'c' },
  subject: null,
  legalBasis: { text: 't', reference: 'r' },
  receivedAt: NOW,
  openedAt: NOW,
  openedBy: 'u1',
  deadline: null,
  extension: null,
  calls: [],
  notes: [],
  hold: null,
  approval: null,
  disclosures: [],
  closedAt: null,
  closedBy: null,
  closingNote: null,
};
const disclosure = (type: 'copy' | 'police-bundle', approvedBy: string | null = null) => ({ id: 'd', type, at: NOW, by: 'u1', sha256: 'x', bytes: 1, approvedBy });
const pkg = { id: '00000000-0000-4000-8000-000000000000', at: NOW, by: 'u1', sha256: 'x', bytes: 1, calls: 1, audioFiles: 1 };
const research = (facts: Record<string, unknown>) => ({ returnDue: null, contentCheck: null, voices: [], packages: [], destruction: null, remindedAt: null, ...facts });

void t.test('when the desk has cases of every kind, then they are counted with their disclosures', async (t) => {
  const cases: DisclosureCase[] = [
    { ...BASE, disclosures: [disclosure('copy')], deadline: '2026-11-27T00:00:00.000Z' },
    { ...BASE, status: 'closed' },
    { ...BASE, kind: 'police-request', disclosures: [disclosure('police-bundle', 'u2'), disclosure('police-bundle', 'u1')] },
    { ...BASE, kind: 'police-request', status: 'closed', disclosures: [disclosure('copy')] },
    { ...BASE, kind: 'research', research: research({ returnDue: '2026-11-01', packages: [pkg], contentCheck: { at: NOW, by: 'u1', note: '' } }) },
    { ...BASE, kind: 'research', status: 'closed', research: research({ packages: [pkg, pkg], destruction: { confirmedOn: '2026-11-02', confirmedBy: 'x', reference: 'y', enteredAt: NOW, enteredBy: 'u1' } }) },
  ];
  t.same(deskFacts(cases, NOW_MS), {
    cases: { 'access-request': { open: 1, closed: 1 }, 'police-request': { open: 1, closed: 1 }, research: { open: 1, closed: 1 }, 'erasure-objection': { open: 0, closed: 0 } },
    copies: 2,
    policeBundles: 2,
    unapprovedBundles: 1,
    copiesOutsideRequests: 1,
    research: { open: 1, overdue: 1, destroyed: 1, packages: 3, packagesWithoutContentCheck: 2 },
    requestsPastDeadline: 1,
    requestsAnswered: 1,
  });
});

void t.test('when accounts are counted, then only enabled ones count, per role, with their second factors and shared names', async (t) => {
  const facts = accountFacts([
    { username: 'yllapitaja', roles: ['technical-maintainer'], disabled: false, totpEnabled: true },
    { username: 'admin', roles: ['phone-admin', 'agent'], disabled: false, totpEnabled: false },
    { username: 'vanha', roles: ['supervisor'], disabled: true, totpEnabled: false },
  ]);
  t.same(facts, { total: 3, enabled: 2, disabled: 1, byRole: { agent: 1, supervisor: 0, 'quality-expert': 0, 'technical-maintainer': 1, 'phone-admin': 1, registrar: 0 }, withSecondFactor: 1, pendingEnrolment: 1, sharedNames: 1 });
});

void t.test('when door sources are set, then those of the server room’s doors that are enabled are its watchers', async (t) => {
  const settings = doorSettingsSchema.parse({
    serverRoomDoors: ['Palvelinhuone'],
    sources: [
      { id: 'a', name: 'A', kind: 'webhook', doors: ['Palvelinhuone'] },
      { id: 'b', name: 'B', kind: 'webhook', doors: ['Aula'] },
      { id: 'c', name: 'C', kind: 'webhook', doors: [] },
      { id: 'd', name: 'D', kind: 'webhook', doors: ['Palvelinhuone'], enabled: false },
    ],
  });
  const heard = lastHeardFromLog([{ sourceId: 'a', receivedAt: '2026-11-28T09:00:00.000Z' }, { sourceId: 'a', receivedAt: '2026-11-28T09:50:00.000Z' }, { sourceId: 'a', receivedAt: '2026-11-28T09:10:00.000Z' }]);
  t.same(doorFacts(settings, heard, 'log'), { serverRoomDoors: ['Palvelinhuone'], sources: [{ id: 'a', name: 'A', kind: 'webhook', lastHeardAt: '2026-11-28T09:50:00.000Z' }, { id: 'c', name: 'C', kind: 'webhook', lastHeardAt: null }], silentMinutes: 30, heardFrom: 'log' });
  t.same(doorFacts(doorSettingsSchema.parse({ sources: [{ id: 'b', name: 'B', kind: 'webhook', doors: ['Aula'] }] }), heard, 'live').sources.map((source) => source.id), ['b'], 'no server-room doors set: every door counts');
});

void t.test('when the oldest records are under a legal hold, then the oldest the purge could take is measured and the held ones counted', async (t) => {
  const record = (callId: string, startedAt: string) => ({ callId, startedAt }) as ContactRecord;
  const records = [record('held-1', '2026-08-01T00:00:00.000Z'), record('held-2', '2026-08-02T00:00:00.000Z'), record('free', '2026-09-01T10:00:00.000Z')];
  const pages: Array<[number, number]> = [];
  const sources: RegisterSources = {
    identity: { name: 'Rekisteri', controller: { name: 'Kassa', address: 'Katu 1, 00100 Helsinki' } },
    mode: 'demo',
    settings: { recordedServiceNumbers: ['0201234567'], agents: [{}], retentionMonths: 3 },
    auditRetentionDays: 730,
    caseRetentionYears: 5,
    history: {
      count: async () => records.length,
      oldest: async (offset, limit) => {
        pages.push([offset, limit]);
        return records.slice(offset, offset + limit);
      },
    },
    accounts: [],
    masterKeySource: 'demo-file',
    tls: 'self-signed',
    doorSettings: doorSettingsSchema.parse({}),
    lastHeard: () => null,
    heardFrom: 'live',
    cases: [{ ...BASE, hold: { reason: 'r', until: '2027-01-01T00:00:00.000Z', placedAt: NOW, placedBy: 'u1' }, calls: ['held-1', 'held-2'].map((callId) => ({ callId, recordingId: null, startedAt: NOW, addedAt: NOW, addedBy: 'u1' })) }],
    policyCheck: { ...checkPolicy(NOW), when: 'now' },
    nowMs: NOW_MS,
  };
  const facts = await gatherRegisterFacts(sources);
  t.same(facts.oldestRecord, { startedAt: '2026-09-01T10:00:00.000Z', ageDays: 88 });
  t.equal(facts.heldRecords, 2);
  t.equal(facts.contactRecords, 3);
  t.same(facts.otherRetention, { auditDays: 730, caseYears: 5, doorMonths: 12 });
  t.same(pages, [[0, 200]]);
  const empty = await gatherRegisterFacts({ ...sources, history: { count: async () => 0, oldest: async () => [] } });
  t.equal(empty.oldestRecord, null);
});
