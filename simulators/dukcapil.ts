/** Dukcapil (civil registry): checks that a NIK exists and belongs to the name and birth date given. */
import { Router } from 'express';
import { z } from 'zod';
import { parseRequestPart } from './request-validation';
import { nikSchema, type ResidentRegistry } from './residents';
import type { Gender } from './population';

const nikVerificationBodySchema = z
  .object({
    nik: nikSchema,
    fullName: z.string().min(1).max(200),
    dateOfBirth: z.iso.date(),
  })
  .strict();

export type NikVerificationResult = 'MATCH' | 'MISMATCH' | 'NOT_FOUND' | 'DECEASED';
export type VerifiedField = 'fullName' | 'dateOfBirth';

export interface NikVerification {
  nik: string;
  result: NikVerificationResult;
  mismatchedFields: VerifiedField[];
  /** Only on MATCH: the registry tells nothing more about a NIK to someone who does not know its holder. */
  province?: string;
  gender?: Gender;
}

/** Case does not matter, nor leading, trailing or repeated spaces. */
function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('id-ID');
}

export function verifyNik(registry: ResidentRegistry, claim: z.infer<typeof nikVerificationBodySchema>): NikVerification {
  const resident = registry.find(claim.nik);
  if (resident === undefined) {
    return { nik: claim.nik, result: 'NOT_FOUND', mismatchedFields: [] };
  }
  if (resident.deceased) {
    return { nik: claim.nik, result: 'DECEASED', mismatchedFields: [] };
  }
  const mismatchedFields: VerifiedField[] = [];
  if (normaliseName(resident.fullName) !== normaliseName(claim.fullName)) {
    mismatchedFields.push('fullName');
  }
  if (resident.dateOfBirth !== claim.dateOfBirth) {
    mismatchedFields.push('dateOfBirth');
  }
  if (mismatchedFields.length > 0) {
    return { nik: claim.nik, result: 'MISMATCH', mismatchedFields };
  }
  return { nik: claim.nik, result: 'MATCH', mismatchedFields, province: resident.province, gender: resident.gender };
}

/** Mounted at /dukcapil, behind its fault gate. */
export function createDukcapilRouter(registry: ResidentRegistry): Router {
  const router = Router();
  router.post('/v1/nik-verifications', (req, res) => {
    const claim = parseRequestPart(nikVerificationBodySchema, req.body, 'body');
    res.json(verifyNik(registry, claim));
  });
  return router;
}
