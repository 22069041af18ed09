// Entry of a rule-set simulation worker thread (started by RuleSetSimulator): the compiled
// evaluator decides, on rule sets validated again on this side of the thread boundary.
import { compileRuleSetOnFacts, formatRuleSetErrors, validateRuleSet, type RuleSetDefinition } from '../../rules';
import { runSimulationWorker } from './rule-set-simulation-worker-loop';

// Either side may be a version published before a fact it names was retired.
function compileValidated(ruleSet: RuleSetDefinition) {
  const validation = validateRuleSet(ruleSet, { allowRetiredFacts: true });
  if (!validation.ok) throw new Error(`rule set "${ruleSet.name}" is not valid: ${formatRuleSetErrors(validation.errors)}`);
  return compileRuleSetOnFacts(validation.ruleSet);
}

runSimulationWorker(({ baseline, candidate }) => ({ before: baseline === null ? null : compileValidated(baseline), after: compileValidated(candidate) }));
