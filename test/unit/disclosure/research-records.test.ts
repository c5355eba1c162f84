import t from 'tap';
import type { ContactRecord } from '../../../src/history/contact-record.js';
import { ResearchPseudonymiser, researchRecords, researchRecordsCsv } from '../../../src/disclosure/research-records.js';

function record(overrides: Partial<ContactRecord>): ContactRecord {
  return {
    callId: 'c6d1b6a2-2b49-4c1f-9a55-0e0e7a7f0001',
    startedAt: '2026-11-28T09:41:17.250Z',
    endedAt: '2026-11-28T09:44:02.000Z',
    callerNumber: '+358401234567',
    serviceNumber: '+358201234000',
    agentExtension: '2001',
    agentName: 'Aino Agentti',
    agentPhone: '+358501112223',
    channel: 3,
    recordingId: '0a3f8d2e-6a1c-4d7e-9b1a-5c2f00000001',
    recordingState: 'completed',
    endReason: 'completed',
    resumed: false,
    ...overrides,
  };
}

const RECORDS: ContactRecord[] = [
  record({}),
  record({ callId: 'c2', startedAt: '2026-11-28T10:00:00.000Z', endedAt: '2026-11-28T10:59:59.999Z', recordingId: 'r2' }),
  record({ callId: 'c3', callerNumber: '+358409999999', agentExtension: '2002', agentName: 'Eero', recordingId: null, recordingState: 'not-recorded' }),
  record({ callId: 'c4', callerNumber: null, endedAt: null, recordingId: null, recordingState: 'not-recorded' }),
];

void t.test('when records are pseudonymised for research, then numbers, agents and exact times are gone', async (t) => {
  const rows = researchRecords(RECORDS, new ResearchPseudonymiser(), (callId) => callId !== 'c3' && callId !== 'c4');
  const text = JSON.stringify(rows) + researchRecordsCsv(rows);
  for (const secret of ['358401234567', '0401234567', '358409999999', 'Aino', 'Eero', '2001', '2002', '358501112223', 'c6d1b6a2', '0a3f8d2e', '09:41', '17.250', ':44:']) {
    t.notOk(text.includes(secret), `no ${secret}`);
  }
  t.equal(rows[0]?.startedHour, '2026-11-28T09:00Z');
  t.equal(rows[0]?.endedHour, '2026-11-28T09:00Z');
  t.equal(rows[1]?.endedHour, '2026-11-28T10:00Z');
  t.equal(rows[3]?.endedHour, null);
  t.equal(rows[0]?.serviceNumber, '+358201234000', 'the service number is the fund’s, not a person’s');
  t.equal(rows[0]?.caller, rows[1]?.caller, 'one caller, one pseudonym within a disclosure');
  t.not(rows[0]?.caller, rows[2]?.caller);
  t.equal(rows[3]?.caller, null, 'a withheld number stays withheld');
  t.equal(rows[0]?.agent, rows[1]?.agent);
  t.not(rows[0]?.agent, rows[2]?.agent);
  t.not(rows[0]?.caller, rows[0]?.agent);
  t.equal(rows[0]?.recorded, true);
  t.equal(rows[2]?.recorded, false);
  t.equal(rows[0]?.audioFile, 'audio/call-001.wav');
  t.same(rows.map((row) => row.call), ['call-001', 'call-002', 'call-003', 'call-004']);
  const csv = researchRecordsCsv(rows).split('\n');
  t.equal(csv[0], 'call,started_hour_utc,ended_hour_utc,service_number,caller,agent,recorded,audio_file');
  t.equal(csv.length, RECORDS.length + 2, 'a header, a line per call and a final newline');
});

void t.test('when the same records go out in two disclosures, then their pseudonyms cannot be linked', async (t) => {
  const first = researchRecords(RECORDS, new ResearchPseudonymiser(), () => false);
  const second = researchRecords(RECORDS, new ResearchPseudonymiser(), () => false);
  const pseudonyms = (rows: typeof first): Set<string> => new Set(rows.flatMap((row) => [row.caller, row.agent]).filter((value): value is string => value !== null));
  const shared = [...pseudonyms(first)].filter((value) => pseudonyms(second).has(value));
  t.same(shared, [], 'no pseudonym of the first disclosure appears in the second');
});

void t.test('when the key is discarded, then the pseudonymiser refuses to go on', async (t) => {
  const pseudonymiser = new ResearchPseudonymiser();
  const before = pseudonymiser.caller('+358401234567');
  t.match(before, /^caller-[0-9a-f]{12}$/);
  pseudonymiser.discard();
  t.throws(() => pseudonymiser.caller('+358401234567'), { code: 'RESEARCH_KEY_DISCARDED' });
  t.throws(() => pseudonymiser.agent('2001'), { code: 'RESEARCH_KEY_DISCARDED' });
});
