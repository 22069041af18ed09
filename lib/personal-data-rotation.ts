// Key rotation for personal data at rest: rewrites every envelope still under another key than
// the active one (PII_ENCRYPTION_KEY_ID), in bounded batches. Resumable by construction: it
// only ever selects rows not on the active key, so a run that stops (crash, Ctrl-C, maxBatches)
// is continued by running it again. Each row is written compare-and-set on the envelope it read,
// so a concurrent write (always under the active key) is never overwritten with older data.
// The blind index does not change: its key is separate (PII_BLIND_INDEX_KEY) and is not rotated
// here, since every NIK hash would have to be recomputed from the decrypted NIK at once.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { PrismaClient } from './database';
import { ENVELOPE_CONTEXT, isSealedExplanation, type PersonalDataCipher, type SealedExplanation } from './personal-data';

export interface RotationProgress {
  personalData: number;
  payoutAccounts: number;
  explanations: number;
  /** Appeals whose statement (and document file, sealed at the same filing) were rewritten. */
  appeals: number;
  batches: number;
  /** False when maxBatches stopped the run before every row was on the active key. */
  complete: boolean;
}

export interface RotationOptions {
  prisma: PrismaClient;
  cipher: PersonalDataCipher;
  batchSize?: number;
  /** Stop after this many batches (a bounded run); the next run resumes. */
  maxBatches?: number;
  onBatch?: (progress: RotationProgress) => void;
}

const explanationNotUnder = (keyId: string) => ({ OR: [{ explanationKeyId: null }, { explanationKeyId: { not: keyId } }] });

export async function rotatePersonalDataKeys({ prisma, cipher, batchSize = 500, maxBatches = Number.POSITIVE_INFINITY, onBatch }: RotationOptions): Promise<RotationProgress> {
  const active = cipher.activeKeyId;
  const progress: RotationProgress = { personalData: 0, payoutAccounts: 0, explanations: 0, appeals: 0, batches: 0, complete: false };

  const phases: Array<() => Promise<number>> = [
    async () => {
      const rows = await prisma.participant.findMany({
        where: { personalData: { not: null }, OR: [{ personalDataKeyId: null }, { personalDataKeyId: { not: active } }] },
        select: { id: true, personalData: true },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      for (const row of rows) {
        const rewritten = cipher.reencrypt(row.personalData!, ENVELOPE_CONTEXT.personalData(row.id));
        const { count } = await prisma.participant.updateMany({ where: { id: row.id, personalData: row.personalData }, data: { personalData: rewritten, personalDataKeyId: active } });
        progress.personalData += count;
      }
      return rows.length;
    },
    async () => {
      const rows = await prisma.participant.findMany({
        where: { payoutAccount: { not: null }, OR: [{ payoutAccountKeyId: null }, { payoutAccountKeyId: { not: active } }] },
        select: { id: true, payoutAccount: true },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      for (const row of rows) {
        const rewritten = cipher.reencrypt(row.payoutAccount!, ENVELOPE_CONTEXT.payoutAccount(row.id));
        const { count } = await prisma.participant.updateMany({ where: { id: row.id, payoutAccount: row.payoutAccount }, data: { payoutAccount: rewritten, payoutAccountKeyId: active } });
        progress.payoutAccounts += count;
      }
      return rows.length;
    },
    async () => {
      // Explanations written before they were sealed (key id null) are sealed now.
      const rows = await prisma.eligibilityDecision.findMany({
        where: explanationNotUnder(active),
        select: { id: true, participantId: true, explanation: true },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      for (const row of rows) {
        const context = ENVELOPE_CONTEXT.decisionExplanation(row.participantId);
        const plain = isSealedExplanation(row.explanation) ? cipher.decrypt<unknown>(row.explanation.sealed, context) : row.explanation;
        const sealed: SealedExplanation = { sealed: cipher.encrypt(plain, context) };
        // Decisions are never rewritten otherwise; the key id guards against two rotations at once.
        const { count } = await prisma.eligibilityDecision.updateMany({
          where: { id: row.id, ...explanationNotUnder(active) },
          data: { explanation: { ...sealed }, explanationKeyId: active },
        });
        progress.explanations += count;
      }
      return rows.length;
    },
    async () => {
      const rows = await prisma.appeal.findMany({
        where: { sealedStatement: { not: null }, OR: [{ statementKeyId: null }, { statementKeyId: { not: active } }] },
        select: { id: true, participantId: true, sealedStatement: true, documentPath: true },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      for (const row of rows) {
        // The file first: should the row's update then fail, the next run rewrites the file again
        // (from whichever key it is under now) and then the row.
        if (row.documentPath) await rewriteSealedFile(row.documentPath, (sealed) => cipher.reencrypt(sealed, ENVELOPE_CONTEXT.appealDocument(row.participantId)));
        const rewritten = cipher.reencrypt(row.sealedStatement!, ENVELOPE_CONTEXT.appealStatement(row.participantId));
        const { count } = await prisma.appeal.updateMany({ where: { id: row.id, sealedStatement: row.sealedStatement }, data: { sealedStatement: rewritten, statementKeyId: active } });
        progress.appeals += count;
      }
      return rows.length;
    },
  ];

  for (const phase of phases) {
    for (;;) {
      if (progress.batches >= maxBatches) return progress;
      const selected = await phase();
      if (selected === 0) break;
      progress.batches += 1;
      onBatch?.({ ...progress });
    }
  }
  progress.complete = true;
  return progress;
}

/** Rewrites a sealed file in place (temporary file and rename); a file already gone is left alone. */
async function rewriteSealedFile(file: string, rewrite: (sealed: string) => string): Promise<void> {
  let sealed: string;
  try {
    sealed = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(temporary, rewrite(sealed), { encoding: 'utf8', mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
