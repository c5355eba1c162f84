/**
 * Contact records as a research disclosure (P9) gives them: nothing that names a person.
 * Caller numbers and agents become pseudonyms keyed per disclosure: an HMAC with a fresh random
 * key that is thrown away when the package is made, so the same caller keeps one pseudonym inside
 * a disclosure (calls can be grouped by caller) but nothing links two disclosures, and nobody,
 * the box included, can turn a pseudonym back into a number. Times are coarsened to the hour, the
 * box's own ids (call and recording) are replaced by a running number, and the agent's name and
 * phone are left out. The service number is the fund's, not a person's, and stays.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ContactRecord } from '../history/contact-record.js';

/** 48 bits of HMAC: collisions stay improbable for the few thousand callers of a disclosure. */
const PSEUDONYM_HEX_CHARS = 12;

export class ResearchPseudonymiser {
  private key: Buffer | null = randomBytes(32);

  caller(number: string): string {
    return `caller-${this.mac('caller', number)}`;
  }

  agent(extension: string): string {
    return `agent-${this.mac('agent', extension)}`;
  }

  /** Overwrites and drops the key: no pseudonym of this disclosure can be made (or checked) again. */
  discard(): void {
    this.key?.fill(0);
    this.key = null;
  }

  private mac(kind: string, value: string): string {
    if (this.key === null) throw new AppError('RESEARCH_KEY_DISCARDED', 'the pseudonym key of this disclosure has been discarded');
    return createHmac('sha256', this.key).update(`${kind}:${value}`).digest('hex').slice(0, PSEUDONYM_HEX_CHARS);
  }
}

export interface ResearchRecord {
  /** call-001, call-002...: the order of the disclosure, not an id of the box. */
  readonly call: string;
  /** The hour the call started, UTC: "2026-11-28T09:00Z". */
  readonly startedHour: string;
  readonly endedHour: string | null;
  readonly serviceNumber: string | null;
  /** null when the caller withheld the number. */
  readonly caller: string | null;
  readonly agent: string;
  readonly recorded: boolean;
  /** The anonymised audio of the call in the package, when it has one. */
  readonly audioFile: string | null;
}

/** An ISO time cut to its hour. */
export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00Z`;
}

/** The label of the n-th call (from 0) of a disclosure. */
export function researchCallLabel(index: number): string {
  return `call-${String(index + 1).padStart(3, '0')}`;
}

/** The package path of the anonymised audio of the n-th call (from 0). */
export function researchAudioFile(index: number): string {
  return `audio/${researchCallLabel(index)}.wav`;
}

/**
 * The records of a disclosure, in the order given. `hasAudio` tells whether the package holds
 * the anonymised audio of a call (researchAudioFile of its position).
 */
export function researchRecords(records: readonly ContactRecord[], pseudonymiser: ResearchPseudonymiser, hasAudio: (callId: string) => boolean): ResearchRecord[] {
  return records.map((record, index) => {
    const audioFile = hasAudio(record.callId) ? researchAudioFile(index) : null;
    return {
      call: researchCallLabel(index),
      startedHour: hourOf(record.startedAt),
      endedHour: record.endedAt === null ? null : hourOf(record.endedAt),
      serviceNumber: record.serviceNumber,
      caller: record.callerNumber === null ? null : pseudonymiser.caller(record.callerNumber),
      agent: pseudonymiser.agent(record.agentExtension),
      recorded: audioFile !== null,
      audioFile,
    };
  });
}

/** The records as CSV (RFC 4180; no field needs quoting: every value is one the box made). */
export function researchRecordsCsv(rows: readonly ResearchRecord[]): string {
  const lines = ['call,started_hour_utc,ended_hour_utc,service_number,caller,agent,recorded,audio_file'];
  for (const row of rows) {
    lines.push([row.call, row.startedHour, row.endedHour ?? '', row.serviceNumber ?? '', row.caller ?? '', row.agent, row.recorded ? 'yes' : 'no', row.audioFile ?? ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}
