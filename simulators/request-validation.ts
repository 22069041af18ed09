/** Validates one part of a request with zod and turns issues into a 400 listing every field. */
import type { z } from 'zod';
import { SimulatorHttpError } from './http-errors';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

export function parseRequestPart<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  part: RequestPart,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const fields = result.error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new SimulatorHttpError(400, 'VALIDATION_FAILED', `The request ${part} is invalid`, fields);
}
