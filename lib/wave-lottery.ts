// The wave lottery, as an auditor recomputes it: each applicant's ticket is the SHA-256 of the
// wave's recorded seed and the participant id, so anyone holding the seed and the applicant list
// gets the same ranking. The ranking activity computes the same tickets in PostgreSQL
// (activities/wave-selection.ts); a test checks the two agree.
import { createHash } from 'node:crypto';

export const LOTTERY_RULE =
  'lotteryTicket = hex(SHA-256(UTF-8 "<seed>:<participantId>")); ranked by priorityPoints descending, then lotteryTicket ascending (byte order), then participantId';

export function lotteryTicket(seed: string, participantId: string): string {
  return createHash('sha256').update(`${seed}:${participantId}`, 'utf8').digest('hex');
}

export interface LotteryApplicant {
  participantId: string;
  priorityPoints: number;
}

export interface RankedApplicant extends LotteryApplicant {
  rank: number;
  lotteryTicket: string;
  selected: boolean;
}

/** Byte order, as PostgreSQL's "C" collation compares: never locale-dependent. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function rankApplicants(seed: string, applicants: readonly LotteryApplicant[], quota: number): RankedApplicant[] {
  return applicants
    .map((applicant) => ({ ...applicant, lotteryTicket: lotteryTicket(seed, applicant.participantId) }))
    .sort((a, b) => b.priorityPoints - a.priorityPoints || byteOrder(a.lotteryTicket, b.lotteryTicket) || byteOrder(a.participantId, b.participantId))
    .map((applicant, index) => ({ ...applicant, rank: index + 1, selected: index < quota }));
}
