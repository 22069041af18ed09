// Stored service API keys: `jalur_<keyId>_<secret>`. The key id is public and finds the row; the
// secret is 256 random bits, shown once when the key is made and stored only as its SHA-256
// digest. A fast hash is enough here: slow hashes (bcrypt, scrypt) exist to make guessing
// low-entropy passwords expensive, but nobody can enumerate 2^256 secrets at any hashing speed,
// and a fast digest keeps every authenticated request cheap.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from './database';
import { KEY_ROLES, TRAINING_PLATFORM_ROLE, type KeyRole } from './config';

const KEY_PATTERN = /^jalur_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface PresentedKey {
  keyId: string;
  secret: string;
}

/** A presented bearer value in the stored-key format, split; undefined for anything else. */
export function parseStoredKey(presented: string): PresentedKey | undefined {
  const match = KEY_PATTERN.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time: the response time says nothing about how much of the secret was right. */
export function secretMatches(secret: string, storedDigest: Uint8Array): boolean {
  const presented = digestSecret(secret);
  return storedDigest.length === presented.length && timingSafeEqual(presented, storedDigest);
}

function newKeyId(): string {
  // 16 characters from 36: about 82 bits, so ids never collide in practice (the primary key would refuse one).
  return [...randomBytes(16)].map((byte) => KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length]).join('');
}

export interface StoredKeyView {
  id: string;
  name: string;
  role: string;
  platformId: string | null;
  displayPrefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface NewKeyRequest {
  name: string;
  role: KeyRole;
  platformId?: string;
  expiresAt?: Date;
}

export class ApiKeyAdministration {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates a key and returns it with its secret: the only time the secret exists outside the caller's hands. */
  async create(request: NewKeyRequest): Promise<{ key: string; record: StoredKeyView }> {
    if (!isKeyRole(request.role)) throw new Error(`Unknown role "${request.role}" (one of ${KEY_ROLES.join(', ')})`);
    if ((request.role === TRAINING_PLATFORM_ROLE) !== Boolean(request.platformId)) {
      throw new Error(`A ${TRAINING_PLATFORM_ROLE} key needs --platform, and only such a key may have one`);
    }
    const id = newKeyId();
    const secret = randomBytes(32).toString('base64url');
    const key = `jalur_${id}_${secret}`;
    const record = await this.prisma.apiKey.create({
      data: {
        id,
        name: request.name,
        role: request.role,
        platformId: request.platformId ?? null,
        secretDigest: new Uint8Array(digestSecret(secret)),
        displayPrefix: key.slice(0, 'jalur_'.length + 16 + 5),
        expiresAt: request.expiresAt ?? null,
      },
      select: VIEW,
    });
    return { key, record };
  }

  async list(): Promise<StoredKeyView[]> {
    return this.prisma.apiKey.findMany({ select: VIEW, orderBy: [{ name: 'asc' }, { createdAt: 'asc' }] });
  }

  /**
   * A new key with the same name, role and platform as the newest live key of that name. The old
   * keys keep working until revoked or, with `oldKeysExpireAt`, until then.
   */
  async rotate(name: string, options: { oldKeysExpireAt?: Date; expiresAt?: Date } = {}): Promise<{ key: string; record: StoredKeyView; previous: StoredKeyView[] }> {
    const live = await this.prisma.apiKey.findMany({ where: { name, revokedAt: null }, select: VIEW, orderBy: { createdAt: 'desc' } });
    const newest = live[0];
    if (!newest) throw new Error(`No live key named "${name}" to rotate`);
    const created = await this.create({ name, role: newest.role as KeyRole, platformId: newest.platformId ?? undefined, expiresAt: options.expiresAt });
    if (options.oldKeysExpireAt) {
      await this.prisma.apiKey.updateMany({ where: { id: { in: live.map((key) => key.id) } }, data: { expiresAt: options.oldKeysExpireAt } });
    }
    return { ...created, previous: live };
  }

  /** Revokes one key by id; the API stops accepting it within its key cache time. */
  async revoke(keyId: string, now = new Date()): Promise<StoredKeyView> {
    const found = await this.prisma.apiKey.findUnique({ where: { id: keyId }, select: VIEW });
    if (!found) throw new Error(`No key with id "${keyId}"`);
    if (found.revokedAt) return found;
    return this.prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: now }, select: VIEW });
  }
}

const VIEW = { id: true, name: true, role: true, platformId: true, displayPrefix: true, createdAt: true, expiresAt: true, revokedAt: true } as const;

export function isKeyRole(role: string): role is KeyRole {
  return (KEY_ROLES as readonly string[]).includes(role);
}
