// Who is calling: `Authorization: Bearer <credential>` names the caller and its role. Three kinds
// of credential, told apart by their shape:
// - a stored API key `jalur_<keyId>_<secret>`: looked up by id (cached for config.api.keyCacheSeconds,
//   so a revocation takes effect within that time), the secret compared as a SHA-256 digest in
//   constant time, refused once revoked or expired;
// - a person's token (a JWT, lib/people-tokens.ts), or a participant's own token (a JWT for the
//   participants' audience, the role `participant` and the participant's id): each is verified
//   for its own audience only, so neither is ever taken for the other;
// - a key from the environment (API_KEYS bootstrap keys; the fixed development keys outside
//   production), compared as SHA-256 digests with timingSafeEqual against every configured key,
//   so neither a key's content nor its position in the list shows in the response time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isKeyRole, parseStoredKey, secretMatches } from '../lib/api-keys';
import type { PrismaClient } from '../lib/database';
import { PARTICIPANT_ROLE, type Config } from '../lib/config';
import { CODEC_SESSION_AUDIENCE_SUFFIX, looksLikeJwt, type PeopleTokens } from '../lib/people-tokens';
import type { Caller } from './request-context';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Past this many cached key ids the cache starts afresh: random ids cannot grow it without bound. */
const MAX_CACHED_KEYS = 10_000;

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export type Authentication = { authenticated: true; caller: Caller } | { authenticated: false; reason: 'MISSING' | 'UNKNOWN' | 'EXPIRED' };

interface StoredKeyRow {
  id: string;
  name: string;
  role: string;
  platformId: string | null;
  secretDigest: Uint8Array;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthenticatorOptions {
  config: Config;
  prisma: PrismaClient;
  tokens: PeopleTokens;
  now: () => Date;
}

export class Authenticator {
  private readonly configuredKeys: ReadonlyArray<{ digest: Buffer; caller: Caller }>;
  /** The lookup itself is kept, not only its result: requests that miss together share one query. */
  private readonly storedKeys = new Map<string, { row: Promise<StoredKeyRow | null>; loadedAt: number }>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.configuredKeys = options.config.api.keys.map(({ key, role, name }) => ({
      digest: digest(key),
      caller: { role, name, credential: { kind: 'configured-key', id: name } },
    }));
  }

  async authenticate(authorizationHeader: string | undefined): Promise<Authentication> {
    if (authorizationHeader === undefined) return { authenticated: false, reason: 'MISSING' };
    const presented = BEARER.exec(authorizationHeader)?.[1];
    if (presented === undefined) return { authenticated: false, reason: 'UNKNOWN' };
    const storedKey = parseStoredKey(presented);
    if (storedKey) return this.authenticateStoredKey(storedKey.keyId, storedKey.secret);
    if (looksLikeJwt(presented)) {
      // The audience only chooses the verification; each verification then demands its own audience.
      return this.options.tokens.isForParticipant(presented) ? this.authenticateParticipantToken(presented) : this.authenticateToken(presented);
    }
    return this.authenticateConfiguredKey(presented);
  }

  private async authenticateParticipantToken(token: string): Promise<Authentication> {
    const verification = await this.options.tokens.verifyParticipantToken(token, { now: this.options.now() });
    if (!verification.valid) return { authenticated: false, reason: verification.reason === 'EXPIRED' ? 'EXPIRED' : 'UNKNOWN' };
    const { participantId, keyId, expiresAt } = verification.holder;
    return {
      authenticated: true,
      caller: { role: PARTICIPANT_ROLE, name: `participant:${participantId}`, participantId, credential: { kind: 'participant-token', id: `${keyId}:${participantId}`, expiresAt } },
    };
  }

  /** The codec's cookie: a token for the codec-session audience only, never accepted as a bearer token. */
  async authenticateCodecSession(token: string | undefined): Promise<Authentication> {
    if (!token) return { authenticated: false, reason: 'MISSING' };
    return this.authenticateToken(token, `${this.options.config.tokens.audience}${CODEC_SESSION_AUDIENCE_SUFFIX}`);
  }

  private authenticateConfiguredKey(presented: string): Authentication {
    const presentedDigest = digest(presented);
    let match: Caller | undefined;
    for (const key of this.configuredKeys) {
      if (timingSafeEqual(key.digest, presentedDigest) && match === undefined) match = key.caller;
    }
    return match ? { authenticated: true, caller: match } : { authenticated: false, reason: 'UNKNOWN' };
  }

  private async authenticateToken(token: string, audience?: string): Promise<Authentication> {
    const verification = await this.options.tokens.verify(token, { audience, now: this.options.now() });
    if (!verification.valid) return { authenticated: false, reason: verification.reason === 'EXPIRED' ? 'EXPIRED' : 'UNKNOWN' };
    const { holder } = verification;
    return {
      authenticated: true,
      caller: { role: holder.role, name: holder.name, credential: { kind: audience ? 'codec-session' : 'token', id: `${holder.keyId}:${holder.subject}`, expiresAt: holder.expiresAt } },
    };
  }

  private async authenticateStoredKey(keyId: string, secret: string): Promise<Authentication> {
    const row = await this.storedKey(keyId);
    // Compared even for an unknown id (against a zero digest), so an unknown id costs the same time.
    const matches = secretMatches(secret, row?.secretDigest ?? Buffer.alloc(32));
    if (!row || !matches || row.revokedAt || !isKeyRole(row.role)) return { authenticated: false, reason: 'UNKNOWN' };
    if (row.expiresAt && row.expiresAt <= this.options.now()) return { authenticated: false, reason: 'EXPIRED' };
    return {
      authenticated: true,
      caller: {
        role: row.role,
        name: row.name,
        credential: { kind: 'stored-key', id: row.id, expiresAt: row.expiresAt ?? undefined },
        ...(row.platformId ? { platformId: row.platformId } : {}),
      },
    };
  }

  private storedKey(keyId: string): Promise<StoredKeyRow | null> {
    const now = Date.now();
    const cached = this.storedKeys.get(keyId);
    if (cached && now - cached.loadedAt < this.options.config.api.keyCacheSeconds * 1000) return cached.row;
    // One lookup shared by every request that misses: under a peak all requests in flight with this
    // key would otherwise query for it the moment its entry expires. Wrapped in a plain promise:
    // a PrismaPromise is lazy, and this one must run now, once, whoever awaits it.
    const row = Promise.resolve(this.options.prisma.apiKey.findUnique({
      where: { id: keyId },
      select: { id: true, name: true, role: true, platformId: true, secretDigest: true, expiresAt: true, revokedAt: true },
    }));
    if (this.storedKeys.size >= MAX_CACHED_KEYS) this.storedKeys.clear();
    const entry = { row, loadedAt: now };
    this.storedKeys.set(keyId, entry);
    // A failed lookup is not kept: the next request asks the database again.
    row.catch(() => {
      if (this.storedKeys.get(keyId) === entry) this.storedKeys.delete(keyId);
    });
    return row;
  }
}
