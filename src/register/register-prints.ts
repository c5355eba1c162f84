/**
 * The register description as the service shows it: for the holders of register:read (the
 * registrar and the two administrator roles), from the facts of this moment. Each print (the
 * HTML page or the PDF) is an audit entry, as a document handed out; the JSON the view reads
 * is not (it holds counts and settings, no personal data).
 */
import { AppError } from '../errors.js';
import type { AuditEventInput } from '../access/audit-entry.js';
import type { Viewer } from '../access/call-access.js';
import { can } from '../access/policy.js';
import type { RegisterFacts } from './register-facts.js';
import { registerDocument, type RegisterDocument, type RegisterLanguage } from './register-text.js';

export type RegisterPrintFormat = 'html' | 'pdf';

export interface RegisterPrintsDeps {
  readonly facts: () => Promise<RegisterFacts>;
  readonly audit: { append(event: AuditEventInput): Promise<unknown> };
}

export class RegisterPrints {
  constructor(private readonly deps: RegisterPrintsDeps) {}

  async document(viewer: Viewer, language: RegisterLanguage): Promise<RegisterDocument> {
    if (!can(viewer, 'register:read')) throw new AppError('FORBIDDEN', 'this account may not read the register description');
    return registerDocument(await this.deps.facts(), language);
  }

  /** The document for a print; the audit entry is committed before it is returned. */
  async print(viewer: Viewer, language: RegisterLanguage, format: RegisterPrintFormat, clientAddress: string): Promise<RegisterDocument> {
    const doc = await this.document(viewer, language);
    await this.deps.audit.append({ action: 'register.print', outcome: 'success', actorId: viewer.id, target: { type: 'config', id: 'register' }, details: { format, language, passed: doc.summary.passed, failed: doc.summary.failed }, clientAddress });
    return doc;
  }
}
