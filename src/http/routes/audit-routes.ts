/**
 * The audit trail (audit:read): search, and the trail's verification status. Reading it is
 * audited too. Entries hold ids; the reader is shown who (user name and name), can look for a
 * person by a part of either, and may leave out their own reading of the trail.
 */
import { Router } from 'express';
import { AppError } from '../../errors.js';
import { can } from '../../access/policy.js';
import type { AuditTrail } from '../../access/audit-trail.js';
import { auditSearchQuery } from '../api-schemas.js';
import { auditPage, auditVerification } from '../api-responses.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export interface StaffName {
  readonly username: string;
  readonly displayName: string;
}

export function auditRoutes(audit: AuditTrail, staffNames: () => ReadonlyMap<string, StaffName>): Router {
  const router = Router();
  router.use(requireSession(), (_req, res, next) => {
    next(can(actorOf(res), 'audit:read') ? undefined : new AppError('FORBIDDEN', 'this account may not read the audit trail'));
  });

  router.get('/', async (req, res) => {
    const query = validate(auditSearchQuery, req.query);
    const actor = actorOf(res);
    await audit.append({ action: 'audit.search', outcome: 'success', actorId: actor.id, clientAddress: clientAddress(req), details: { action: query.action ?? null, page: query.page, byName: query.who !== undefined } });
    const staff = staffNames();
    const result = await audit.search({
      ...(query.from === undefined ? {} : { fromMs: Date.parse(query.from) }),
      ...(query.to === undefined ? {} : { toMs: Date.parse(query.to) }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.actor === undefined ? {} : { actorId: query.actor }),
      ...(query.who === undefined ? {} : { actorIds: matching(staff, query.who) }),
      ...(query.hideOwnReads === true ? { hideReadsBy: actor.id } : {}),
      ...(query.target === undefined ? {} : { targetId: query.target }),
      ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const items = result.records.map((record) => {
      const who = record.actorId === null ? undefined : staff.get(record.actorId);
      const targetUser = record.target?.type === 'user' ? staff.get(record.target.id) : undefined;
      return { ...record, ...(who === undefined ? {} : { actor: who }), ...(targetUser === undefined ? {} : { targetUser }) };
    });
    reply(res, 200, auditPage, { total: result.total, page: query.page, pageSize: query.pageSize, items });
  });

  router.get('/verification', async (req, res) => {
    const actor = actorOf(res);
    await audit.append({ action: 'audit.verify', outcome: 'success', actorId: actor.id, clientAddress: clientAddress(req) });
    reply(res, 200, auditVerification, { verification: await audit.verify() });
  });

  return router;
}

/** The ids of the people whose user name or name holds `text`, in any case. */
function matching(staff: ReadonlyMap<string, StaffName>, text: string): Set<string> {
  const wanted = text.toLocaleLowerCase('fi');
  const ids = new Set<string>();
  for (const [id, name] of staff) if (name.username.includes(wanted) || name.displayName.toLocaleLowerCase('fi').includes(wanted)) ids.add(id);
  return ids;
}
