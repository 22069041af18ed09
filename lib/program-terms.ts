// A wave's program terms are data, beside its calendar: the money and the counts its
// participants get. The 2020 terms below are the default. Workflow-safe (no I/O): a journey
// keeps the terms of the wave it was selected in, and falls back to these.

export interface ProgramTerms {
  /** Rupiah credited at selection, spendable only on training. */
  trainingBalance: number;
  /** Rupiah per monthly incentive, paid after the training is completed. */
  incentiveAmount: number;
  incentiveCount: number;
  /** Rupiah per employment survey submitted in its window. */
  surveyAmount: number;
  surveyCount: number;
}

/** The 2020 terms: Rp 1,000,000 training balance, 4 × Rp 600,000 incentives, 3 × Rp 50,000 surveys. */
export const DEFAULT_PROGRAM_TERMS: ProgramTerms = Object.freeze({
  trainingBalance: 1_000_000,
  incentiveAmount: 600_000,
  incentiveCount: 4,
  surveyAmount: 50_000,
  surveyCount: 3,
});

/** No wave has more incentives or surveys than this; the survey API accepts sequences up to it. */
export const MAX_PAYMENT_COUNT = 12;

/** What a participant may be paid in all (incentives and surveys; the training balance is not paid out). */
export function maxPayoutUnder(terms: ProgramTerms): number {
  return terms.incentiveAmount * terms.incentiveCount + terms.surveyAmount * terms.surveyCount;
}
