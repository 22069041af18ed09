// What the API's middleware attaches to a response for the handlers after it: the request id
// (set for every request) and the authenticated caller (set by the authorisation middleware).
import type { Response } from 'express';
import type { KeyRole, ParticipantRole } from '../lib/config';

export interface Caller {
  role: KeyRole | ParticipantRole;
  /** The key's name (the key itself for the dev keys) or the person's name in a token: recorded as "by". */
  name: string;
  /** Which credential proved it: rate limits count per credential, /v1/me reports it. */
  credential: { kind: 'stored-key' | 'configured-key' | 'token' | 'codec-session' | 'participant-token'; id: string; expiresAt?: Date };
  /** A training platform's key: the platform it speaks for. */
  platformId?: string;
  /** A participant's own token: the participant it speaks for (the only `:id` it opens). */
  participantId?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      caller?: Caller;
    }
  }
}

/** The caller of a route guarded by role: the authorisation middleware has run before. */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller;
  if (!caller) throw new Error('callerOf() used on a route without role authorisation');
  return caller;
}
