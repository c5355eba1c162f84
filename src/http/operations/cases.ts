/**
 * The registrar's desk in the API (/api/v1/cases): the requests and answers of the cases, holds,
 * approvals, copies and disclosure bundles, and their entries of the OpenAPI document (spread
 * into OPERATIONS in openapi.ts).
 */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { contactRecord } from '../api-responses.js';
import { CASE_KINDS, CASE_STATUSES } from '../../disclosure/case-record.js';

const isoTime = z.iso.datetime({ offset: true });
const text = (max: number): z.ZodString => z.string().trim().min(1).max(max);
const AUDITED = 'AUDIT_UNAVAILABLE';

// Requests.

export const caseOpenBody = z
  .object({
    kind: z.enum(CASE_KINDS),
    requester: z.object({ name: text(200), contact: z.string().trim().max(200).optional() }).strict(),
    /** A caller's number in any written form, or an agent's extension or name. */
    subject: z.object({ caller: z.string().trim().min(3).max(32).optional(), agent: z.string().trim().min(1).max(64).optional() }).strict().optional(),
    legalBasis: z.object({ text: text(2000), reference: text(200) }).strict(),
    receivedAt: isoTime.optional(),
    /** An authority's or a research request's own deadline; a data subject's is one month by law. */
    deadline: isoTime.optional(),
  })
  .strict();

export const caseCallsBody = z.object({ callIds: z.array(z.uuid()).max(500) }).strict();
export const caseNoteBody = z.object({ text: text(4000) }).strict();
export const caseExtendBody = z.object({ reason: text(2000) }).strict();
export const caseHoldBody = z.object({ reason: text(2000), until: isoTime }).strict();
export const caseCloseBody = z.object({ note: text(4000) }).strict();
/** Without a passphrase the box generates a strong one; either way it is shown once. */
export const bundleBody = z.object({ passphrase: z.string().max(1024).optional() }).strict();
export const caseFindQuery = z.object({ caller: z.string().trim().min(3).max(32).optional(), agent: z.string().trim().min(1).max(64).optional() }).strict();

// Answers.

const caseSummary = z.object({
  id: z.uuid(),
  kind: z.enum(CASE_KINDS),
  status: z.enum(CASE_STATUSES),
  requester: z.object({ name: z.string(), contact: z.string() }),
  subject: z.discriminatedUnion('type', [z.object({ type: z.literal('caller'), number: z.string() }), z.object({ type: z.literal('agent'), extension: z.string() })]).nullable(),
  legalBasis: z.object({ text: z.string(), reference: z.string() }),
  receivedAt: isoTime,
  openedAt: isoTime,
  openedBy: z.string(),
  deadline: isoTime.nullable(),
  extension: z.object({ reason: z.string(), at: isoTime, by: z.string() }).nullable(),
  calls: z.array(z.object({ callId: z.uuid(), recordingId: z.uuid().nullable(), startedAt: isoTime, addedAt: isoTime, addedBy: z.string() })),
  notes: z.array(z.object({ at: isoTime, by: z.string(), text: z.string() })),
  hold: z.object({ reason: z.string(), until: isoTime, placedAt: isoTime, placedBy: z.string() }).nullable(),
  approval: z.object({ approvedAt: isoTime, approvedBy: z.string() }).nullable(),
  disclosures: z.array(z.object({ id: z.uuid(), type: z.enum(['copy', 'police-bundle']), at: isoTime, by: z.string(), sha256: z.string(), bytes: z.number().int().min(0), approvedBy: z.string().nullable() })),
  closedAt: isoTime.nullable(),
  closedBy: z.string().nullable(),
  closingNote: z.string().nullable(),
});

export const caseList = z.object({ cases: z.array(caseSummary) });
export const oneCase = z.object({ case: caseSummary });
/** A case with the contact records of its calls still on the box. */
export const caseWithCalls = z.object({ case: caseSummary, calls: z.array(contactRecord) });
export const foundCalls = z.object({ calls: z.array(contactRecord) });
export const disclosureKey = z.object({ algorithm: z.literal('Ed25519'), publicKeyPem: z.string(), fingerprint: z.string().regex(/^[0-9a-f]{64}$/) });
export const madeBundle = z.object({
  case: caseSummary,
  bundle: z.object({ id: z.uuid(), sha256: z.string(), bytes: z.number().int().min(0), approvedBy: z.string().nullable(), fileName: z.string() }),
  /** Shown once: the box keeps no copy. */
  passphrase: z.string(),
  passphraseGenerated: z.boolean(),
});

// The OpenAPI entries.

const CASE = ['CASE_NOT_FOUND', AUDITED];
const OPEN_CASE = ['CASE_NOT_FOUND', 'CASE_CLOSED', AUDITED];
const permission = 'cases:manage';

const WAV_ERRORS = ['CALL_NOT_FOUND', 'RECORDING_NOT_FOUND', 'RECORDING_IN_PROGRESS', 'RECORDING_KEY_MISSING', 'RECORDING_CORRUPT'];
const LENGTH = { 'Content-Length': { description: 'Bytes in this answer', pattern: '^[0-9]+$' } };

export const CASE_OPERATIONS: readonly ApiOperation[] = [
  // Before /cases/{id}: the API's contract check takes the first path that matches.
  { method: 'get', path: '/cases/public-key', operationId: 'getDisclosureKey', summary: 'The box’s disclosure signing key (Ed25519): what a receiver checks a bundle’s pub.pem against', open: true, success: { '200': { description: 'the public key and its SHA-256 fingerprint', json: disclosureKey } } },
  { method: 'get', path: '/cases', operationId: 'listCases', summary: 'The registrar’s desk: every case, what is due first at the top', permission, success: { '200': { description: 'the cases', json: caseList } }, errors: [AUDITED] },
  {
    method: 'post',
    path: '/cases',
    operationId: 'openCase',
    summary: 'Open a case: a data subject’s access request (P14) or erasure/objection (deadline one month), an authority’s request (P10) or a research disclosure (P9); its calls are held from the start',
    permission,
    body: caseOpenBody,
    success: { '201': { description: 'opened', json: oneCase } },
    errors: ['CASE_SUBJECT_REQUIRED', 'CASE_NO_CALLS', 'CASE_INVALID', AUDITED],
  },
  { method: 'get', path: '/cases/{id}', operationId: 'getCase', summary: 'A case with the contact records of its calls', permission, success: { '200': { description: 'the case', json: caseWithCalls } }, errors: CASE },
  {
    method: 'get',
    path: '/cases/{id}/find',
    operationId: 'findCallsForCase',
    summary: 'Every contact record and recording within retention of a caller (any written form of the number) or an agent; by default the case’s subject',
    permission,
    query: caseFindQuery,
    success: { '200': { description: 'the calls found', json: foundCalls } },
    errors: CASE,
  },
  { method: 'put', path: '/cases/{id}/calls', operationId: 'setCaseCalls', summary: 'The calls the registrar picked for the case', permission, body: caseCallsBody, success: { '200': { description: 'the case', json: oneCase } }, errors: [...OPEN_CASE, 'CALL_NOT_FOUND'] },
  { method: 'post', path: '/cases/{id}/notes', operationId: 'addCaseNote', summary: 'A note on the case', permission, body: caseNoteBody, success: { '201': { description: 'the case', json: oneCase } }, errors: CASE },
  {
    method: 'post',
    path: '/cases/{id}/extension',
    operationId: 'extendCaseDeadline',
    summary: 'Extend a data subject’s deadline once by two months, with the reason (GDPR Art. 12(3))',
    permission,
    body: caseExtendBody,
    success: { '200': { description: 'the case', json: oneCase } },
    errors: [...OPEN_CASE, 'CASE_EXTENSION_NOT_ALLOWED', 'CASE_ALREADY_EXTENDED'],
  },
  { method: 'put', path: '/cases/{id}/hold', operationId: 'placeCaseHold', summary: 'Place or change the legal hold of the case’s calls: the purge leaves them until it ends', permission, body: caseHoldBody, success: { '200': { description: 'the case', json: oneCase } }, errors: [...OPEN_CASE, 'HOLD_INVALID'] },
  { method: 'delete', path: '/cases/{id}/hold', operationId: 'liftCaseHold', summary: 'Lift the legal hold: the calls go at the first purge past their retention', permission, success: { '200': { description: 'the case', json: oneCase } }, errors: [...CASE, 'HOLD_NOT_FOUND'] },
  {
    method: 'post',
    path: '/cases/{id}/approval',
    operationId: 'approveDisclosure',
    summary: 'Approve a disclosure to an authority (four eyes: never the person who entered the request)',
    permission: 'disclosures:approve',
    success: { '200': { description: 'approved', json: oneCase } },
    errors: ['CASE_NOT_FOUND', 'CASE_CLOSED', 'APPROVAL_NOT_NEEDED', 'APPROVAL_BY_REQUESTER', 'APPROVAL_DONE', AUDITED],
  },
  {
    method: 'post',
    path: '/cases/{id}/bundles',
    operationId: 'makeDisclosureBundle',
    summary: 'Make the signed bundle of an approved authority’s request (P10), encrypted to a passphrase with age; needs a fresh re-authentication; the passphrase is shown once',
    permission,
    body: bundleBody,
    success: { '201': { description: 'made', json: madeBundle } },
    errors: [...OPEN_CASE, 'CASE_KIND_MISMATCH', 'APPROVAL_REQUIRED', 'REAUTH_REQUIRED', 'PASSPHRASE_TOO_SHORT', 'CASE_NO_RECORDINGS', ...WAV_ERRORS],
  },
  {
    method: 'get',
    path: '/cases/{id}/bundles/{bundleId}',
    operationId: 'downloadDisclosureBundle',
    summary: 'A bundle made earlier (still encrypted), for download',
    permission,
    success: { '200': { description: 'the .tar.age file', media: 'application/octet-stream', headers: { ...LENGTH, 'Content-Disposition': { description: 'attachment; filename="tallennin-disclosure-<id>.tar.age"', pattern: '^attachment; filename="tallennin-disclosure-[0-9a-f-]+\\.tar\\.age"$' } } } },
    errors: [...CASE, 'BUNDLE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/cases/{id}/copy',
    operationId: 'makeDataSubjectCopy',
    summary: 'The data subject’s copy (GDPR Art. 15(3)): the case’s recordings as WAV with the signed manifest, as a tar; needs a fresh re-authentication',
    permission,
    success: { '200': { description: 'the copy as a tar', media: 'application/x-tar', headers: { ...LENGTH, 'Content-Disposition': { description: 'attachment; filename="tallennin-copy-<id>.tar"', pattern: '^attachment; filename="tallennin-copy-[0-9a-f-]+\\.tar"$' } } } },
    errors: [...OPEN_CASE, 'CASE_KIND_MISMATCH', 'REAUTH_REQUIRED', 'CASE_NO_RECORDINGS', ...WAV_ERRORS],
  },
  {
    method: 'get',
    path: '/cases/{id}/calls/{callId}/audio',
    operationId: 'listenWithDataSubject',
    summary: 'On-site listening (P14): a call of the case played with the data subject present, each part audited as heard with the data subject under the case (HTTP Range)',
    permission,
    success: {
      '200': { description: 'the whole recording', media: 'audio/wav', headers: { ...LENGTH, 'Accept-Ranges': { description: 'bytes', pattern: '^bytes$' } } },
      '206': { description: 'the range asked for', media: 'audio/wav', headers: { ...LENGTH, 'Accept-Ranges': { description: 'bytes', pattern: '^bytes$' }, 'Content-Range': { description: 'The bytes sent, of the whole', pattern: '^bytes [0-9]+-[0-9]+/[0-9]+$' } } },
    },
    errors: [...OPEN_CASE, 'RANGE_INVALID', ...WAV_ERRORS],
  },
  { method: 'post', path: '/cases/{id}/close', operationId: 'closeCase', summary: 'Close the case; its hold ends with it', permission, body: caseCloseBody, success: { '200': { description: 'closed', json: oneCase } }, errors: [...OPEN_CASE, 'CASE_NOT_CLOSABLE'] },
];
