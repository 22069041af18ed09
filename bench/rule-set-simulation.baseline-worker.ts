/**
 * The simulation benchmark's baseline worker: the same reading and counting as the simulator's
 * worker (runSimulationWorker), deciding with the hand-written predicates instead of compiled rules.
 */
import { runSimulationWorker } from '../api/rule-sets/rule-set-simulation-worker-loop';
import { loadDefaultRuleSet } from '../rules';
import { CANDIDATE_RULE_SET_NAME, candidateRuleSetByHand, defaultRuleSetByHand } from './hand-written-rules';

runSimulationWorker(({ baseline, candidate }) => {
  // The predicates are written for these two rule sets only.
  if (baseline?.name !== loadDefaultRuleSet().name || candidate.name !== CANDIDATE_RULE_SET_NAME) {
    throw new Error(`the hand-written baseline decides "${loadDefaultRuleSet().name}" against "${CANDIDATE_RULE_SET_NAME}", not "${baseline?.name}" against "${candidate.name}"`);
  }
  return { before: defaultRuleSetByHand, after: candidateRuleSetByHand };
});
