// The journey's steps in order. A journey walks them from the first; a participant reinstated by
// an appeal walks them again from the step where they belong.
import { verifyEmail } from './email-verification';
import { decideEligibility } from './eligibility';
import { verifyIdentity } from './identity';
import type { JourneyState } from './journey-state';
import { payIncentives } from './payments';
import { takeSurveys } from './surveys';
import { buyFirstTraining, completeTraining, creditTrainingBalance } from './training';
import { joinWaveUntilSelected } from './waves';

export type JourneyStep = 'EMAIL' | 'IDENTITY' | 'ELIGIBILITY' | 'WAVES' | 'BUY_TRAINING' | 'COMPLETE_TRAINING' | 'INCENTIVES' | 'SURVEYS';

const PATH: ReadonlyArray<readonly [JourneyStep, (journey: JourneyState) => Promise<void>]> = [
  // The registrant confirms the email address within the calendar's window.
  ['EMAIL', verifyEmail],
  // Dukcapil confirms the NIK; a mismatch may be corrected a limited number of times.
  ['IDENTITY', verifyIdentity],
  // The registries' facts, decided by the rule-set version in force.
  ['ELIGIBILITY', decideEligibility],
  // The participant applies to waves (or is carried over) until a lottery selects them; the training balance is credited.
  [
    'WAVES',
    async (journey) => {
      await joinWaveUntilSelected(journey);
      await creditTrainingBalance(journey);
    },
  ],
  // A first training is bought before the deadline, then completed.
  ['BUY_TRAINING', buyFirstTraining],
  ['COMPLETE_TRAINING', completeTraining],
  // Monthly incentives, only after the training is completed.
  ['INCENTIVES', payIncentives],
  // Surveys, each paid when submitted in its window.
  ['SURVEYS', takeSurveys],
];

/** Walks the path from `step` to its end. */
export async function walkFrom(journey: JourneyState, step: JourneyStep): Promise<void> {
  for (const [, run] of PATH.slice(PATH.findIndex(([name]) => name === step))) await run(journey);
}
