// Personal data at rest: AES-256-GCM envelopes with the key id inside (so keys rotate), and a
// keyed hash (blind index) for the one lookup that needs equality: one participation per NIK.
// A plain hash of a NIK is reversible (region and birth date leave a few unknown digits), so
// the blind index uses a secret key.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from './config';
import type { PayoutAccount } from './payout-account';

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

  /** A participant's personal data; throws when the retention job has erased it. */
  openPersonalData(participantId: string, envelope: string | null): ParticipantPersonalData {
    if (envelope === null) throw new PersonalDataErasedError(participantId);
    return this.decrypt<ParticipantPersonalData>(envelope, ENVELOPE_CONTEXT.personalData(participantId));
  }

  /** The same value under the active key (key rotation); the associated data stays. */
  reencrypt(envelope: string, associatedData: string): string {
    return this.encrypt(this.decrypt<unknown>(envelope, associatedData), associatedData);
  }

  blindIndex(kind: 'nik', value: string): string {
    return createHmac('sha256', this.blindIndexKey).update(`${kind}:${value}`).digest('hex');
  }
}

export class PersonalDataErasedError extends Error {
  constructor(readonly participantId: string) {
    super(`The personal data of participant ${participantId} has been erased (retention period over)`);
    this.name = 'PersonalDataErasedError';
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

/** The key id an envelope names (`v1.<keyId>.…`). */
export function envelopeKeyId(envelope: string): string {
  return envelope.split('.')[1] ?? '';
}

/**
 * Associated data per kind of envelope: an envelope copied to another participant, or from one
 * column to another, fails authentication instead of decrypting.
 */
export const ENVELOPE_CONTEXT = {
  personalData: (participantId: string) => participantId,
  payoutAccount: (participantId: string) => `${participantId}:payout`,
  identityCorrection: (participantId: string) => `${participantId}:identity-correction`,
  decisionExplanation: (participantId: string) => `${participantId}:decision-explanation`,
  appealStatement: (participantId: string) => `${participantId}:appeal-statement`,
  appealDocument: (participantId: string) => `${participantId}:appeal-document`,
} as const;

/** How a sealed decision explanation is stored in EligibilityDecision.explanation (a JSON column). */
export interface SealedExplanation {
  sealed: string;
}

export function isSealedExplanation(value: unknown): value is SealedExplanation {
  return typeof value === 'object' && value !== null && typeof (value as { sealed?: unknown }).sealed === 'string';
}

// Masking: what operators see. Enough to confirm a caller's identity with them ("the NIK ending
// 0001?"), not enough to use it elsewhere.

/** `3171011705900001` → `3171********0001`: region kept, birth date and serial hidden but the last four. */
export function maskNik(nik: string): string {
  return nik.length <= 8 ? '*'.repeat(nik.length) : `${nik.slice(0, 4)}${'*'.repeat(nik.length - 8)}${nik.slice(-4)}`;
}

/** `siti.rahayu@example.id` → `s*********@example.id`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(email.length);
  return `${email[0]}${'*'.repeat(Math.max(at - 1, 3))}${email.slice(at)}`;
}

/** `+6281234567890` → `+62812******90`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 6)}${'*'.repeat(phone.length - 8)}${phone.slice(-2)}`;
}

/** Account numbers: the last four digits only. */
export function maskAccountNumber(accountNumber: string): string {
  return accountNumber.length <= 4 ? '*'.repeat(accountNumber.length) : `${'*'.repeat(accountNumber.length - 4)}${accountNumber.slice(-4)}`;
}

/** `Siti Rahayu` → `S*** R*****`: initials only. */
export function maskName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((part) => (/^\s+$/.test(part) || part.length === 0 ? part : `${[...part][0]}${'*'.repeat(Math.max([...part].length - 1, 1))}`))
    .join('');
}

/** The birth year only. */
export function maskDateOfBirth(dateOfBirth: string): string {
  return `${dateOfBirth.slice(0, 4)}-**-**`;
}

export interface MaskedPersonalData {
  nik: string;
  fullName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  payoutAccount: PayoutAccount | null;
}

export function maskPersonalData(person: ParticipantPersonalData, account: PayoutAccount | null): MaskedPersonalData {
  return {
    nik: maskNik(person.nik),
    fullName: maskName(person.fullName),
    dateOfBirth: maskDateOfBirth(person.dateOfBirth),
    email: maskEmail(person.email),
    phone: maskPhone(person.phone),
    payoutAccount: account
      ? { type: account.type, provider: account.provider, accountNumber: maskAccountNumber(account.accountNumber), accountName: maskName(account.accountName) }
      : null,
  };
}
