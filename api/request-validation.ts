// Validates one part of a request with zod, once, and hands the handler the parsed, typed
// result. A failure is a 400 listing every problem by field; the values themselves are never
// echoed back (they may be personal data).
import type { Request } from 'express';
import type { z } from 'zod';
import { fieldProblems, ValidationError } from './errors';

export type RequestPart = 'body' | 'params' | 'query';

export function parseRequestPart<Schema extends z.ZodType>(schema: Schema, value: unknown, part: RequestPart): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(`The request ${part} is invalid`, fieldProblems(result.error, part));
}

/** The request body, parsed by `schema`. A missing body is validated as `{}` so fields are listed. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parseRequestPart(schema, req.body ?? {}, 'body');
}

export function parseParams<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parseRequestPart(schema, req.params, 'params');
}

export function parseQuery<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parseRequestPart(schema, req.query, 'query');
}

/** A `:name` segment of the route: always one string (express types allow arrays for wildcards). */
export function routeParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new Error(`The route has no :${name} parameter`);
  return value;
}
