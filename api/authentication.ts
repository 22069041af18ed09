// API keys: `Authorization: Bearer <key>` names the caller and its role. Keys are compared as
// SHA-256 digests with timingSafeEqual, against every configured key, so neither a key's
// content nor its position in the list shows in the response time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../lib/config';
import type { Caller } from './request-context';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export class ApiKeyAuthenticator {
  private readonly keys: ReadonlyArray<{ digest: Buffer; caller: Caller }>;

  constructor(keys: Config['api']['keys']) {
    this.keys = keys.map(({ key, role, name }) => ({ digest: digest(key), caller: { role, name } }));
  }

  /** The caller named by an Authorization header, or undefined when the key is missing or unknown. */
  authenticate(authorizationHeader: string | undefined): Caller | undefined {
    const presented = BEARER.exec(authorizationHeader ?? '')?.[1];
    if (presented === undefined) return undefined;
    const presentedDigest = digest(presented);
    let match: Caller | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, presentedDigest) && match === undefined) match = key.caller;
    }
    return match;
  }
}
