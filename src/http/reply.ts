/**
 * The one way a handler sends a JSON answer: typed by its schema in api-responses.ts (the one
 * /api/v1/openapi.json describes) and parsed through it, so fields the schema does not name are
 * stripped and an answer that breaks the schema becomes a 500 instead of an undocumented body.
 */
import type { Response } from 'express';
import type { z } from 'zod';

/** The schema's type with readonly arrays and fields accepted, as the domain objects hand them out. */
type Answer<T> = T extends ReadonlyArray<infer U> ? ReadonlyArray<Answer<U>> : T extends object ? { readonly [K in keyof T]: Answer<T[K]> } : T;

export function reply<S extends z.ZodType>(res: Response, status: 200 | 201, schema: S, body: Answer<z.input<S>>): void {
  res.status(status).json(schema.parse(body));
}
