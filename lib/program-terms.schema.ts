// A wave's program terms as the API accepts them and as the API and the activities read them back
// from the database. Kept apart from program-terms.ts so workflow code never bundles zod.
import { z } from 'zod';
import { MAX_PAYMENT_COUNT, type ProgramTerms } from './program-terms';

/** No item of the program pays more; a larger amount is a typo (an extra zero). */
const LARGEST_AMOUNT = 10_000_000;

const rupiahSchema = z
  .int('must be a whole number of rupiah')
  .positive('must be more than zero')
  .max(LARGEST_AMOUNT, `must not be more than ${LARGEST_AMOUNT} rupiah`);

const paymentCountSchema = z
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_PAYMENT_COUNT, `must not be more than ${MAX_PAYMENT_COUNT}`);

/** Every term, once: adding one to ProgramTerms without listing it here fails to compile. */
export const programTermsFields = {
  trainingBalance: rupiahSchema.meta({ description: 'Rupiah credited at selection for training', example: 1_000_000 }),
  incentiveAmount: rupiahSchema.meta({ description: 'Rupiah per monthly incentive', example: 600_000 }),
  incentiveCount: paymentCountSchema.meta({ description: 'Monthly incentives after the training', example: 4 }),
  surveyAmount: rupiahSchema.meta({ description: 'Rupiah per employment survey', example: 50_000 }),
  surveyCount: paymentCountSchema.meta({ description: 'Employment surveys after the incentives', example: 3 }),
} satisfies Record<keyof ProgramTerms, z.ZodType>;

export const programTermsSchema = z.object(programTermsFields).meta({ description: 'The money and counts the participants selected in a wave get' });

/**
 * A wave's stored terms. Only the waves API writes them, complete and validated (the column's
 * default is the 2020 terms), so terms that do not parse are a bug, not a client error.
 */
export function storedTermsOf(wave: { id: string; terms: unknown }): ProgramTerms {
  const terms = programTermsSchema.safeParse(wave.terms);
  if (!terms.success) throw new Error(`Wave ${wave.id} has malformed stored terms`);
  return terms.data;
}
