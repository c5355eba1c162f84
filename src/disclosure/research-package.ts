/**
 * The package of a research disclosure (P9): one tar file holding
 *
 *   README.txt            what the package is and the terms it is given under (Finnish, English)
 *   contact-records.csv   the calls' records, pseudonymised (research-records.ts)
 *   audio/call-NNN.wav    each recorded call's audio with the voices anonymised (voice-anonymiser.ts)
 *   SHA256SUMS            `sha256sum -c SHA256SUMS` checks every file above
 *
 * The McAdams coefficient of each recording is not in the package (it would help undo the
 * anonymisation): the case keeps it. The original recordings are only read. The package is
 * made in a temporary folder beside its target and appears whole or not at all.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ContactRecord } from '../history/contact-record.js';
import type { WavSource } from '../recording/wav-export.js';
import { moveDurable, writeFileDurable } from '../storage/durable-file.js';
import { ResearchPseudonymiser, researchAudioFile, researchRecords, researchRecordsCsv } from './research-records.js';
import { writeAnonymisedWav } from './voice-anonymiser.js';
import { AnonymiserThread } from './voice-anonymiser-thread.js';
import { sha256OfFile } from './file-digest.js';

export interface ResearchPackageInput {
  /** The disclosure's reference (the case's reference number): what the institute quotes back. */
  readonly reference: string;
  /** The calls, in the order they are numbered in the package. */
  readonly records: readonly ContactRecord[];
  /** The McAdams coefficient drawn for each recording that goes in. */
  readonly alphaOf: (recordingId: string) => number;
  readonly openReader: (recordingId: string) => Promise<WavSource & { close(): Promise<void> }>;
  /** The date (YYYY-MM-DD) by which the institute returns or destroys the package. */
  readonly returnDue: string;
  readonly outFile: string;
}

export interface ResearchPackageResult {
  readonly sha256: string;
  readonly bytes: number;
  readonly calls: number;
  readonly audioFiles: number;
}

/** Recordings that hold audio (the others have a record only). */
export function hasAudio(record: ContactRecord): boolean {
  return record.recordingId !== null && (record.recordingState === 'completed' || record.recordingState === 'interrupted');
}

export async function buildResearchPackage(input: ResearchPackageInput): Promise<ResearchPackageResult> {
  const work = await mkdtemp(join(dirname(input.outFile), `.${basename(input.outFile)}-`));
  const pseudonymiser = new ResearchPseudonymiser();
  const thread = new AnonymiserThread();
  try {
    const withAudio = new Set(input.records.filter(hasAudio).map((record) => record.callId));
    const files: string[] = [];
    await mkdir(join(work, 'audio'));
    let index = 0;
    for (const record of input.records) {
      if (withAudio.has(record.callId)) {
        const reader = await input.openReader(record.recordingId!);
        try {
          await writeAnonymisedWav(reader, input.alphaOf(record.recordingId!), join(work, researchAudioFile(index)), thread);
        } finally {
          await reader.close();
        }
        files.push(researchAudioFile(index));
      }
      index += 1;
    }
    const rows = researchRecords(input.records, pseudonymiser, (callId) => withAudio.has(callId));
    pseudonymiser.discard();
    await writeFileDurable(join(work, 'contact-records.csv'), Buffer.from(researchRecordsCsv(rows)));
    await writeFileDurable(join(work, 'README.txt'), Buffer.from(researchReadme(input.reference, input.returnDue, rows.length, files.length)));
    files.unshift('README.txt', 'contact-records.csv');
    const sums: string[] = [];
    for (const file of files) sums.push(`${(await sha256OfFile(join(work, file))).sha256}  ${file}`);
    await writeFileDurable(join(work, 'SHA256SUMS'), Buffer.from(`${sums.join('\n')}\n`));
    files.push('SHA256SUMS');
    const tarFile = join(work, 'package.tar');
    // portable: no owner, group or user names of the box in the archive; a fixed mtime for the same reason.
    // tar is loaded when a package is made, not by every start (bundle-archive.ts says why).
    const { create: createTar } = await import('tar');
    await createTar({ file: tarFile, cwd: work, portable: true, mtime: new Date(0) }, files);
    const { sha256, bytes } = await sha256OfFile(tarFile);
    await moveDurable(tarFile, input.outFile);
    return { sha256, bytes, calls: rows.length, audioFiles: withAudio.size };
  } finally {
    await thread.close();
    pseudonymiser.discard();
    await rm(work, { recursive: true, force: true });
  }
}

/** The README of the package: what it holds and on what terms, in Finnish and English. */
export function researchReadme(reference: string, returnDue: string, calls: number, audioFiles: number): string {
  return `TUTKIMUSAINEISTO / RESEARCH DATA
Viite / Reference: ${reference}
Palautettava tai hävitettävä viimeistään / Return or destroy by: ${returnDue}

SUOMEKSI

Tämä paketti on luovutettu tutkimukseen puhelutallennerekisteristä (rekisteriseloste, kohta P9).
Se sisältää ${calls} puhelun yhteystiedot ja ${audioFiles} puhelun äänen.

- contact-records.csv: puheluiden yhteystiedot. Soittajien numerot ja asiakaspalvelijat on
  korvattu pseudonyymeillä, jotka on muodostettu vain tätä luovutusta varten satunnaisella
  avaimella; avain on hävitetty. Saman soittajan puhelut tunnistaa samasta pseudonyymistä,
  mutta eri luovutusten pseudonyymejä ei voi yhdistää. Ajat on pyöristetty tunnin tarkkuuteen (UTC).
- audio/call-NNN.wav: puheluiden ääni, jossa puhujien äänet on muunnettu McAdams-kertoimen
  menetelmällä (VoicePrivacy 2020, B2). Puhuttu sisältö on tarkistettu nimien ja numeroiden
  varalta ennen luovutusta.
- SHA256SUMS: tiedostojen tarkistussummat (sha256sum -c SHA256SUMS).

Ehdot: aineistoa saa käyttää vain luovutuspäätöksessä nimettyyn tutkimukseen. Henkilöiden
tunnistaminen tai sen yrittäminen on kielletty. Aineisto palautetaan tai hävitetään kaikkine
kopioineen viimeistään yllä mainittuna päivänä, ja hävittämisestä ilmoitetaan kirjallisesti
rekisterinpitäjälle viitteellä ${reference}.

IN ENGLISH

This package is disclosed for research from the call-recording register (register
description, P9). It holds the contact records of ${calls} calls and the audio of ${audioFiles}.

- contact-records.csv: the calls' contact records. Callers' numbers and agents are replaced by
  pseudonyms made for this disclosure only, with a random key that has been destroyed: the
  calls of one caller share a pseudonym, but pseudonyms of different disclosures cannot be
  linked. Times are coarsened to the hour (UTC).
- audio/call-NNN.wav: the calls' audio with the speakers' voices transformed by the McAdams
  coefficient method (VoicePrivacy 2020, B2). The spoken content was checked for names and
  numbers before the disclosure.
- SHA256SUMS: checksums of the files (sha256sum -c SHA256SUMS).

Terms: the data may be used only for the research named in the disclosure decision. Identifying
anyone, or trying to, is forbidden. The data and every copy of it are returned or destroyed by
the date above, and the destruction is confirmed to the controller in writing, quoting ${reference}.
`;
}
