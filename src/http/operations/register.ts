/**
 * The register description with its live checks (register:read) in the API: the document the
 * Register view shows, and its printable HTML and PDF (each print audited).
 */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { PROMISES } from '../../register/register-checks.js';
import { REGISTER_LANGUAGES } from '../../register/register-text.js';

export const registerQuery = z.object({ lang: z.enum(REGISTER_LANGUAGES).default('fi') }).strict();

const labelled = z.object({ label: z.string(), value: z.string() });

export const registerDocumentAnswer = z.object({
  language: z.enum(REGISTER_LANGUAGES),
  title: z.string(),
  intro: z.string(),
  generatedAt: z.iso.datetime(),
  generated: z.string(),
  identity: z.array(labelled),
  summary: z.object({ promises: z.number().int(), passed: z.number().int(), failed: z.number().int(), notCheckable: z.number().int(), text: z.string() }),
  sections: z.array(
    z.object({
      id: z.string(),
      heading: z.string(),
      paragraphs: z.array(z.string()),
      promises: z.array(
        z.object({
          promise: z.enum(PROMISES),
          text: z.string(),
          status: z.enum(['pass', 'fail', 'not-checkable']),
          statusText: z.string(),
          measured: z.string(),
          limit: z.string().nullable(),
        }),
      ),
    }),
  ),
  record: z.object({ heading: z.string(), intro: z.string(), rows: z.array(labelled) }),
  checks: z.array(
    z.object({
      promise: z.enum(PROMISES),
      status: z.enum(['pass', 'fail', 'not-checkable']),
      finding: z.string(),
      measured: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
      limit: z.number().nullable(),
    }),
  ),
});

export const REGISTER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/register',
    operationId: 'getRegisterDescription',
    summary: 'The register description (P1-P14) and the record of processing (GDPR Art. 30) from the running configuration, in Finnish or English, each promise with its live check and the measured value',
    permission: 'register:read',
    query: registerQuery,
    success: { '200': { description: 'the register description with its checks', json: registerDocumentAnswer } },
  },
  {
    method: 'get',
    path: '/register/print.html',
    operationId: 'printRegisterDescriptionHtml',
    summary: 'The register description as a printable HTML page, its own print style allowed by its hash in the answer’s CSP; audited as register.print',
    permission: 'register:read',
    query: registerQuery,
    success: {
      '200': {
        description: 'the printable HTML page',
        media: 'text/html',
        headers: { 'Content-Security-Policy': { description: "default-src 'none' and the page's one style block by its hash", pattern: "^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'" } },
      },
    },
    errors: ['AUDIT_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/register/print.pdf',
    operationId: 'printRegisterDescriptionPdf',
    summary: 'The register description as a PDF; audited as register.print',
    permission: 'register:read',
    query: registerQuery,
    success: {
      '200': {
        description: 'the register description as an application/pdf attachment',
        media: 'application/pdf',
        headers: { 'Content-Disposition': { description: 'attachment; filename="register-<lang>.pdf"', pattern: '^attachment; filename="register-(fi|en)\\.pdf"$' } },
      },
    },
    errors: ['AUDIT_UNAVAILABLE'],
  },
];
