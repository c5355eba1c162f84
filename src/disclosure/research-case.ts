/**
 * The research disclosure's own facts in a case (P9), kept in `DisclosureCase.research`: the
 * return-or-destruction date, the registrar's confirmation that the content was checked for
 * names and numbers spoken aloud, the McAdams coefficient drawn for each recording (kept here,
 * never in the package), the packages that left, and the institute's confirmation of destruction.
 */
import { z } from 'zod';
import type { DisclosureCase } from './case-record.js';

const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const researchFactsSchema = z.object({
  /** The date (YYYY-MM-DD) by which the institute returns or destroys the data. */
  returnDue: isoDate.nullable(),
  contentCheck: z.object({ at: isoTime, by: z.string(), note: z.string() }).nullable(),
  /** One voice per recording (a recording is one channel): its drawn McAdams coefficient. */
  voices: z.array(z.object({ recordingId: z.string(), alpha: z.number().min(0.7).max(0.9) })),
  packages: z.array(z.object({ id: z.uuid(), at: isoTime, by: z.string(), sha256: z.string(), bytes: z.number().int().min(0), calls: z.number().int().min(0), audioFiles: z.number().int().min(0) })),
  destruction: z
    .object({
      /** When the institute says it destroyed (or returned) the data. */
      confirmedOn: isoDate,
      /** Who confirmed it at the institute, as written in the confirmation. */
      confirmedBy: z.string(),
      /** The reference of the institute's written confirmation. */
      reference: z.string(),
      enteredAt: isoTime,
      enteredBy: z.string(),
    })
    .nullable(),
  /** When the overdue reminder was raised (once per case). */
  remindedAt: isoTime.nullable(),
});
export type ResearchFacts = z.infer<typeof researchFactsSchema>;

export const NO_RESEARCH_FACTS: ResearchFacts = { returnDue: null, contentCheck: null, voices: [], packages: [], destruction: null, remindedAt: null };

/** The research facts of a case (none yet: the empty set). */
export function researchFactsOf(record: DisclosureCase): ResearchFacts {
  return record.research === undefined ? NO_RESEARCH_FACTS : researchFactsSchema.parse(record.research);
}

/** Past due: a package left, the return date has passed, and no destruction is confirmed. */
export function isOverdue(facts: ResearchFacts, nowMs: number): boolean {
  if (facts.returnDue === null || facts.destruction !== null || facts.packages.length === 0) return false;
  // Due at the end of the day named (UTC).
  return nowMs >= Date.parse(`${facts.returnDue}T00:00:00Z`) + 24 * 3600_000;
}
