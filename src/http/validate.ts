/** Request validation through the API's zod schemas: a 400 listing every problem as `path: message`. */
import type { z } from 'zod';
import { AppError } from '../errors.js';

export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new AppError('VALIDATION_FAILED', `the request is not valid: ${problems.join('; ')}`, { details: { problems } });
}
