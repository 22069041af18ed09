// Participant and wave ids are UUIDs. Anything else names nothing: the caller gets the same
// 404 as for an unknown id (never a database error about a malformed uuid).
import { z } from 'zod';

const uuidSchema = z.uuid();

export function isUuid(value: string | undefined): value is string {
  return uuidSchema.safeParse(value).success;
}
