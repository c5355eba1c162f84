/**
 * The research disclosure (P9) and the data subject's report (P14) under a case, in the API:
 * requests, answers and their entries of the OpenAPI document (spread into OPERATIONS).
 */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { researchFactsSchema } from '../../disclosure/research-case.js';

const text = (max: number): z.ZodString => z.string().trim().min(1).max(max);
const AUDITED = 'AUDIT_UNAVAILABLE';
const permission = 'cases:manage';

// Requests.

export const researchReturnDueBody = z.object({ returnDue: z.iso.date() }).strict();
export const researchContentCheckBody = z.object({ note: text(4000) }).strict();
export const researchDestructionBody = z.object({ confirmedOn: z.iso.date(), confirmedBy: text(200), reference: text(200) }).strict();

// Answers.

export const researchView = z.object({ research: researchFactsSchema, overdue: z.boolean() });

// The OpenAPI entries.

const RESEARCH_CASE = ['CASE_NOT_FOUND', 'RESEARCH_NOT_RESEARCH_CASE', AUDITED];
const OPEN_RESEARCH_CASE = [...RESEARCH_CASE, 'CASE_CLOSED'];
const TAR_HEADERS = {
  'Content-Disposition': { description: 'attachment; filename="research-<reference>.tar"', pattern: '^attachment; filename="research-[A-Za-z0-9._-]+\\.tar"$' },
  'X-Package-SHA256': { description: 'The SHA-256 of the package, as entered in the audit trail and the case', pattern: '^[0-9a-f]{64}$' },
};

export const RESEARCH_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cases/{id}/research',
    operationId: 'getResearchDisclosure',
    summary: 'A research case’s own facts: return date, content check, the voices’ McAdams coefficients, the packages that left, the confirmation of destruction, and whether it is overdue',
    permission,
    success: { '200': { description: 'the research facts', json: researchView } },
    errors: RESEARCH_CASE,
  },
  {
    method: 'put',
    path: '/cases/{id}/research/return-due',
    operationId: 'setResearchReturnDue',
    summary: 'The date by which the institute returns or destroys the data; an alarm is raised when it passes without a confirmation',
    permission,
    body: researchReturnDueBody,
    success: { '200': { description: 'the research facts', json: researchView } },
    errors: [...OPEN_RESEARCH_CASE, 'RESEARCH_INVALID'],
  },
  {
    method: 'post',
    path: '/cases/{id}/research/content-check',
    operationId: 'confirmResearchContentCheck',
    summary: 'The registrar confirms the calls were checked for names and numbers spoken aloud (anonymised voices still say them)',
    permission,
    body: researchContentCheckBody,
    success: { '200': { description: 'the research facts', json: researchView } },
    errors: OPEN_RESEARCH_CASE,
  },
  {
    method: 'post',
    path: '/cases/{id}/research/package',
    operationId: 'makeResearchPackage',
    summary: 'The research package (after re-authentication): anonymised WAVs, pseudonymised contact records, README and SHA256SUMS in one tar',
    permission,
    success: { '200': { description: 'the package as an application/x-tar attachment', media: 'application/x-tar', headers: TAR_HEADERS } },
    errors: [...OPEN_RESEARCH_CASE, 'REAUTH_REQUIRED', 'RESEARCH_RETURN_DUE_MISSING', 'RESEARCH_CONTENT_UNCHECKED', 'RESEARCH_NO_CALLS', 'RECORDING_NOT_FOUND', 'RECORDING_KEY_MISSING', 'RECORDING_CORRUPT', 'ANONYMISER_FAILED'],
  },
  {
    method: 'post',
    path: '/cases/{id}/research/destruction',
    operationId: 'confirmResearchDestruction',
    summary: 'Enter the institute’s written confirmation that the research data were destroyed or returned (needed before the case closes)',
    permission,
    body: researchDestructionBody,
    success: { '200': { description: 'the research facts', json: researchView } },
    errors: [...OPEN_RESEARCH_CASE, 'RESEARCH_NOTHING_DISCLOSED', 'RESEARCH_INVALID'],
  },
];
