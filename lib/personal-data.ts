// Personal data at rest: AES-256-GCM envelopes with the key id inside (so keys rotate), and a
// keyed hash (blind index) for the one lookup that needs equality: one participation per NIK.
// A plain hash of a NIK is reversible (region and birth date leave a few unknown digits), so
// the blind index uses a secret key.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from './config';

const VERSION = 'v1';

export class PersonalDataCipher {
  constructor(private readonly keyRing: KeyRing, private readonly blindIndexKey: Buffer) {}

  get activeKeyId(): string {
    return this.keyRing.activeKeyId;
  }

  /** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url parts; the participant id is bound as associated data. */
  encrypt(value: unknown, associatedData: string): string {
    const keyId = this.keyRing.activeKeyId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyRing.keys.get(keyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, keyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  decrypt<T>(envelope: string, associatedData: string): T {
    const [version, keyId, iv, ciphertext, tag] = envelope.split('.');
    const key = keyId ? this.keyRing.keys.get(keyId) : undefined;
    if (version !== VERSION || !key || !iv || !ciphertext || !tag) throw new Error('Personal data envelope is malformed or its key is unknown');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')) as T;
  }

  blindIndex(kind: 'nik', value: string): string {
    return createHmac('sha256', this.blindIndexKey).update(`${kind}:${value}`).digest('hex');
  }
}

/** What Participant.personalData holds. */
export interface ParticipantPersonalData {
  nik: string;
  fullName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
}

export interface PayoutAccount {
  type: 'BANK' | 'EWALLET';
  provider: string;
  accountNumber: string;
  accountName: string;
}
