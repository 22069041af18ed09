// Signed, expiring tokens for people (program managers, operators, auditors, reviewers): JWTs with
// issuer, audience, expiry, issue time and key id all checked. Our own are HS256 with a key ring
// from configuration (a new key id is added, tokens signed with the old one stay valid until the
// old key is removed); in production an identity provider's tokens are verified against its JWKS.
// A participant's own token is signed the same way for an audience of its own (`<audience>:participant`),
// so neither kind is ever taken for the other.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { PARTICIPANT_ROLE, PEOPLE_ROLES, type Config, type PersonRole } from './config';

export interface TokenHolder {
  role: PersonRole;
  /** Who they are (the `name` claim, else `sub`): recorded as "by". */
  name: string;
  subject: string;
  keyId: string;
  expiresAt: Date;
}

export type TokenVerification = { valid: true; holder: TokenHolder } | { valid: false; reason: 'EXPIRED' | 'INVALID' };

/** A codec session (the cookie the Temporal UI sends) is a token for this audience only. */
export const CODEC_SESSION_AUDIENCE_SUFFIX = ':codec-session';
/** A participant's own token is for this audience only. */
export const PARTICIPANT_AUDIENCE_SUFFIX = ':participant';
/**
 * A participant's token lives at most a day: the participant portal signs the person in its own
 * way and asks for a token per session. Its own bound, apart from people's AUTH_TOKEN_MAX_TTL_SECONDS.
 */
export const PARTICIPANT_TOKEN_MAX_TTL_SECONDS = 86_400;
export const PARTICIPANT_TOKEN_MIN_TTL_SECONDS = 60;

export interface ParticipantTokenHolder {
  participantId: string;
  keyId: string;
  expiresAt: Date;
}

export type ParticipantTokenVerification = { valid: true; holder: ParticipantTokenHolder } | { valid: false; reason: 'EXPIRED' | 'INVALID' };

const participantIdSchema = z.uuid();

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const IDENTITY_PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export function looksLikeJwt(value: string): boolean {
  return JWT_SHAPE.test(value);
}

export interface IssueTokenRequest {
  role: PersonRole;
  name: string;
  ttlSeconds: number;
  /** Defaults to the configured audience; codec sessions use their own. */
  audience?: string;
  now?: Date;
}

type TokenSettings = Config['tokens'];

export class PeopleTokens {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: TokenSettings) {
    if (settings.jwks) this.jwks = createRemoteJWKSet(new URL(settings.jwks.url), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }

  get maxTtlSeconds(): number {
    return this.settings.maxTtlSeconds;
  }

  get canIssue(): boolean {
    return this.settings.signing !== undefined;
  }

  /** Signs with the active key of the ring. */
  async issue({ role, name, ttlSeconds, audience, now = new Date() }: IssueTokenRequest): Promise<{ token: string; expiresAt: Date }> {
    const signing = this.settings.signing;
    if (!signing) throw new Error('No token signing key is configured (AUTH_TOKEN_SIGNING_KEYS)');
    if (ttlSeconds > this.settings.maxTtlSeconds) throw new Error(`A token may live at most ${this.settings.maxTtlSeconds} s (AUTH_TOKEN_MAX_TTL_SECONDS)`);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await new SignJWT({ name, [this.settings.roleClaim]: role })
      .setProtectedHeader({ alg: 'HS256', kid: signing.activeKeyId, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(audience ?? this.settings.audience)
      .setSubject(name)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signing.keys.get(signing.activeKeyId)!);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  get participantAudience(): string {
    return `${this.settings.audience}${PARTICIPANT_AUDIENCE_SUFFIX}`;
  }

  /** Whether a token names the participants' audience (unverified: only to choose how to verify it). */
  isForParticipant(token: string): boolean {
    try {
      const { aud } = decodeJwt(token);
      return aud === this.participantAudience || (Array.isArray(aud) && aud.includes(this.participantAudience));
    } catch {
      return false;
    }
  }

  /** A participant's own token: subject the participant id, role claim `participant`, our key only. */
  async issueParticipantToken({ participantId, ttlSeconds, now = new Date() }: { participantId: string; ttlSeconds: number; now?: Date }): Promise<{ token: string; expiresAt: Date }> {
    const signing = this.settings.signing;
    if (!signing) throw new Error('No token signing key is configured (AUTH_TOKEN_SIGNING_KEYS)');
    if (ttlSeconds > PARTICIPANT_TOKEN_MAX_TTL_SECONDS) throw new Error(`A participant's token may live at most ${PARTICIPANT_TOKEN_MAX_TTL_SECONDS} s`);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await new SignJWT({ [this.settings.roleClaim]: PARTICIPANT_ROLE })
      .setProtectedHeader({ alg: 'HS256', kid: signing.activeKeyId, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.participantAudience)
      .setSubject(participantId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signing.keys.get(signing.activeKeyId)!);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** Only our own HS256 keys: an identity provider signs people in, never participants. */
  async verifyParticipantToken(token: string, options: { now?: Date } = {}): Promise<ParticipantTokenVerification> {
    const { keyId, algorithm } = headerOf(token);
    const ownKey = keyId ? this.settings.signing?.keys.get(keyId) : undefined;
    if (!keyId || !ownKey || algorithm !== 'HS256') return { valid: false, reason: 'INVALID' };
    try {
      const { payload } = await jwtVerify(token, ownKey, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.participantAudience,
        clockTolerance: this.settings.clockToleranceSeconds,
        maxTokenAge: PARTICIPANT_TOKEN_MAX_TTL_SECONDS + this.settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: options.now,
      });
      const participantId = participantIdSchema.safeParse(payload.sub);
      if (payload[this.settings.roleClaim] !== PARTICIPANT_ROLE || !participantId.success || payload.exp === undefined || payload.iat === undefined) {
        return { valid: false, reason: 'INVALID' };
      }
      if (payload.exp - payload.iat > PARTICIPANT_TOKEN_MAX_TTL_SECONDS) return { valid: false, reason: 'INVALID' };
      return { valid: true, holder: { participantId: participantId.data, keyId, expiresAt: new Date(payload.exp * 1000) } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { valid: false, reason: 'EXPIRED' };
      if (error instanceof errors.JOSEError) return { valid: false, reason: 'INVALID' };
      throw error;
    }
  }

  async verify(token: string, options: { audience?: string; now?: Date } = {}): Promise<TokenVerification> {
    const { keyId, algorithm } = headerOf(token);
    if (!keyId) return { valid: false, reason: 'INVALID' };
    const common = {
      clockTolerance: this.settings.clockToleranceSeconds,
      maxTokenAge: this.settings.maxTtlSeconds + this.settings.clockToleranceSeconds,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: options.now,
    };
    try {
      let payload: JWTPayload;
      const ownKey = this.settings.signing?.keys.get(keyId);
      if (ownKey && algorithm === 'HS256') {
        ({ payload } = await jwtVerify(token, ownKey, { ...common, algorithms: ['HS256'], issuer: this.settings.issuer, audience: options.audience ?? this.settings.audience }));
      } else if (this.jwks && this.settings.jwks && !options.audience) {
        // Codec sessions are ours alone; an identity provider's token is only ever a bearer token.
        ({ payload } = await jwtVerify(token, this.jwks, { ...common, algorithms: IDENTITY_PROVIDER_ALGORITHMS, issuer: this.settings.jwks.issuer, audience: this.settings.jwks.audience }));
      } else {
        return { valid: false, reason: 'INVALID' };
      }
      // A token names a person's role; backend is a service and never comes from a token.
      const role = z.enum(PEOPLE_ROLES).safeParse(payload[this.settings.roleClaim]);
      if (!role.success || !payload.sub || payload.exp === undefined || payload.iat === undefined) return { valid: false, reason: 'INVALID' };
      // A token made to live longer than allowed is refused outright, not merely cut short.
      if (payload.exp - payload.iat > this.settings.maxTtlSeconds) return { valid: false, reason: 'INVALID' };
      const name = typeof payload.name === 'string' && payload.name ? payload.name : payload.sub;
      return { valid: true, holder: { role: role.data, name, subject: payload.sub, keyId, expiresAt: new Date(payload.exp * 1000) } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { valid: false, reason: 'EXPIRED' };
      if (error instanceof errors.JOSEError) return { valid: false, reason: 'INVALID' };
      throw error;
    }
  }
}

/** The key id and algorithm a token names; both undefined when its header cannot be read. */
function headerOf(token: string): { keyId?: string; algorithm?: string } {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    return { keyId: kid, algorithm: alg };
  } catch {
    return {};
  }
}

/** `90s`, `30m`, `8h`, `7d` (or plain seconds) as seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a duration like 30m, 8h or 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
