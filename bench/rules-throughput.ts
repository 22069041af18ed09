/**
 * Decisions per second on one core for the default rule set: json-rules-engine (evaluateRuleSet, the
 * per-participant path with its explanation), the compiled evaluator (bulk path), and a hand-written
 * plain-JavaScript predicate (the baseline). Prints JSON. The simulation benchmark reuses it.
 *
 *   npm run bench -- rules-throughput [--inputs 200000] [--engine-inputs 20000]
 *   npx tsx bench/rules-throughput.ts [--inputs 200000] [--engine-inputs 20000]
 */
import os from 'node:os';
import { Engine } from 'json-rules-engine';
import { compileRuleSet, deriveEligibilityFacts, EMPLOYMENT_STATUSES, evaluateRuleSet, loadDefaultRuleSet, type CompiledDecision, type EligibilityInput } from '../rules';
import { customEngineOperators } from '../rules/operators';
import { defaultRuleSetByHand } from './hand-written-rules';

export function numberArgument(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const text = index >= 0 ? args[index + 1] : undefined;
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

/** mulberry32: a seeded generator, so every run measures the same population. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROVINCES = ['Aceh', 'Sumatera Utara', 'DKI Jakarta', 'Jawa Barat', 'Jawa Tengah', 'Jawa Timur', 'Bali', 'Sulawesi Selatan', 'Papua'];
const PROGRAMS = ['PKH', 'BPNT', 'BST', 'BLT_DANA_DESA'];
const IDENTITY = ['MATCH', 'MATCH', 'MATCH', 'MATCH', 'MATCH', 'MATCH', 'MATCH', 'MISMATCH', 'NOT_FOUND', 'DECEASED'] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function generateInputs(count: number): EligibilityInput[] {
  const random = seededRandom(2020_04_11);
  const inputs: EligibilityInput[] = [];
  for (let index = 0; index < count; index += 1) {
    const birthYear = 1955 + Math.floor(random() * 50);
    const birthMonth = 1 + Math.floor(random() * 12);
    const birthDay = 1 + Math.floor(random() * 28);
    inputs.push({
      dateOfBirth: `${birthYear}-${String(birthMonth).padStart(2, '0')}-${String(birthDay).padStart(2, '0')}`,
      isStudent: random() < 0.1,
      socialAidPrograms: random() < 0.6 ? [] : PROGRAMS.filter(() => random() < 0.4),
      onLaidOffList: random() < 0.2,
      employmentStatus: pick(random, EMPLOYMENT_STATUSES),
      microBusinessLostIncome: random() < 0.5,
      province: pick(random, PROVINCES),
      previousParticipations: random() < 0.05 ? 1 : 0,
      identityStatus: pick(random, IDENTITY),
      channel: random() < 0.8 ? 'SELF' : 'ASSISTED',
      evaluationDate: '2020-04-11',
    });
  }
  return inputs;
}

function sameDecision(a: CompiledDecision, b: CompiledDecision): boolean {
  return a.outcome === b.outcome && a.priority === b.priority && a.reasonCodes.join() === b.reasonCodes.join();
}

type Measurement = { decisions: number; seconds: number; decisionsPerSecond: number };

function measurement(decisions: number, startedAt: bigint): Measurement {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  return { decisions, seconds: Number(seconds.toFixed(3)), decisionsPerSecond: Math.round(decisions / seconds) };
}

function measureSync(inputs: readonly EligibilityInput[], decide: (input: EligibilityInput) => CompiledDecision): { result: Measurement; decisions: CompiledDecision[] } {
  for (const input of inputs.slice(0, 20_000)) decide(input); // warm up the JIT
  const decisions: CompiledDecision[] = new Array(inputs.length);
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < inputs.length; index += 1) decisions[index] = decide(inputs[index] as EligibilityInput);
  return { result: measurement(inputs.length, startedAt), decisions };
}

/** Decisions per second on one core of each evaluator, and whether they all agree. */
export async function measureRulesThroughput(options: { inputs: number; engineInputs: number }) {
  const inputCount = options.inputs;
  const engineInputCount = Math.min(inputCount, options.engineInputs);
  const ruleSet = loadDefaultRuleSet();
  const inputs = generateInputs(inputCount);
  const engineInputs = inputs.slice(0, engineInputCount);

  const baseline = measureSync(inputs, (input) => defaultRuleSetByHand(deriveEligibilityFacts(input)));
  const compiledRuleSet = compileRuleSet(ruleSet);
  const compiled = measureSync(inputs, compiledRuleSet);

  for (const input of engineInputs.slice(0, 1_000)) await evaluateRuleSet(ruleSet, input);
  const engineDecisions: CompiledDecision[] = [];
  let startedAt = process.hrtime.bigint();
  for (const input of engineInputs) {
    const decision = await evaluateRuleSet(ruleSet, input);
    engineDecisions.push({ outcome: decision.outcome, priority: decision.priority, reasonCodes: decision.reasons.map((reason) => reason.code) });
  }
  const evaluateRuleSetResult = measurement(engineInputs.length, startedAt);

  // json-rules-engine alone (one shared engine, no input validation, no explanation): the figure the issue quotes.
  const sharedEngine = new Engine(ruleSet.rules.map((rule) => ({ ...rule })), { allowUndefinedFacts: false });
  for (const operator of customEngineOperators()) sharedEngine.addOperator(operator);
  const engineFacts = engineInputs.map(deriveEligibilityFacts);
  startedAt = process.hrtime.bigint();
  for (const facts of engineFacts) await sharedEngine.run({ ...facts });
  const engineRunOnlyResult = measurement(engineFacts.length, startedAt);

  const compiledVersusBaseline = compiled.decisions.filter((decision, index) => !sameDecision(decision, baseline.decisions[index] as CompiledDecision)).length;
  const compiledVersusEngine = engineDecisions.filter((decision, index) => !sameDecision(decision, compiled.decisions[index] as CompiledDecision)).length;
  const eligible = compiled.decisions.filter((decision) => decision.outcome === 'ELIGIBLE').length;

  return {
    benchmark: 'rules-throughput',
    ruleSet: ruleSet.name,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    note: 'single-threaded: decisions per second on one core',
    inputs: inputCount,
    eligibleShare: Number((eligible / inputCount).toFixed(3)),
    decisionsPerSecondPerCore: {
      jsonRulesEngine: evaluateRuleSetResult.decisionsPerSecond,
      jsonRulesEngineRunOnly: engineRunOnlyResult.decisionsPerSecond,
      compiled: compiled.result.decisionsPerSecond,
      plainJavaScriptBaseline: baseline.result.decisionsPerSecond,
    },
    details: {
      jsonRulesEngine: { ...evaluateRuleSetResult, what: 'evaluateRuleSet: input validation, fresh engine, engine.run, full explanation' },
      jsonRulesEngineRunOnly: { ...engineRunOnlyResult, what: 'one shared json-rules-engine Engine, engine.run only' },
      compiled: { ...compiled.result, what: 'compileRuleSet closures' },
      plainJavaScriptBaseline: { ...baseline.result, what: 'hand-written predicate of the default rule set' },
    },
    disagreements: { compiledVersusBaseline, compiledVersusJsonRulesEngine: compiledVersusEngine },
  };
}

export async function main(args: readonly string[]): Promise<void> {
  const result = await measureRulesThroughput({ inputs: numberArgument(args, 'inputs', 200_000), engineInputs: numberArgument(args, 'engine-inputs', 20_000) });
  console.log(JSON.stringify(result, null, 2));
  if (result.disagreements.compiledVersusBaseline > 0 || result.disagreements.compiledVersusJsonRulesEngine > 0) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
