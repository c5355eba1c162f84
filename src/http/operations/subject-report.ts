/** The data subject's report under a case (P14) in the API, and its entries of the OpenAPI document. */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { REPORT_LANGUAGES } from '../../disclosure/subject-report.js';

export const subjectReportQuery = z.object({ lang: z.enum(REPORT_LANGUAGES).default('fi') }).strict();

const ERRORS = ['CASE_NOT_FOUND', 'REPORT_NOT_DATA_SUBJECT_CASE', 'AUDIT_UNAVAILABLE'];
const SUMMARY = 'the data subject’s report (P14) in Finnish or English: their contact records, the roles with access under the register, and every view and play of their calls in the audit trail with the role that did it';

export const SUBJECT_REPORT_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cases/{id}/report.html',
    operationId: 'getSubjectReportHtml',
    summary: `Printable HTML of ${SUMMARY}`,
    permission: 'cases:manage',
    query: subjectReportQuery,
    success: { '200': { description: 'the report as a printable HTML page', media: 'text/html' } },
    errors: ERRORS,
  },
  {
    method: 'get',
    path: '/cases/{id}/report.pdf',
    operationId: 'getSubjectReportPdf',
    summary: `PDF of ${SUMMARY}`,
    permission: 'cases:manage',
    query: subjectReportQuery,
    success: {
      '200': {
        description: 'the report as an application/pdf attachment',
        media: 'application/pdf',
        headers: { 'Content-Disposition': { description: 'attachment; filename="report-<case id>-<lang>.pdf"', pattern: '^attachment; filename="report-[0-9a-f-]+-(fi|en)\\.pdf"$' } },
      },
    },
    errors: ERRORS,
  },
];
