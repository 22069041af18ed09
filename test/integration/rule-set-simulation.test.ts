// RuleSetSimulator against the stack's PostgreSQL, checked against json-rules-engine
// (evaluateRuleSet) deciding the same stored rows. Other tests write facts to the same database,
// so the candidate changes decisions only in this test's own provinces: every change the report
// counts is one of this test's participants, and the expected counts are exact.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { RuleSetSimulator, type SimulationReport } from '../../api/rule-sets/rule-set-simulation';
import { createPrismaClient, type PrismaClient } from '../../lib/database';
import { createLogger } from '../../lib/logger';
import { findRuleSetInForce } from '../../lib/rule-set-in-force';
import {
  EMPLOYMENT_STATUSES,
  IDENTITY_STATUSES,
  REGISTRATION_CHANNELS,
  evaluateRuleSet,
  formatRuleSetErrors,
  validateRuleSet,
  type CompiledDecision,
  type EligibilityInput,
  type JsonRule,
  type RuleSetDefinition,
  type ValidatedRuleSet,
} from '../../rules';
import { readTestStack } from '../support/test-stack';

const EVALUATION_DATE = '2026-11-23';
const RUN = randomUUID().slice(0, 8);
const PROVINCES = [`Uji ${RUN} Barat`, `Uji ${RUN} Timur`, `Uji ${RUN} Tengah`];
/** In this province the candidate lifts every ineligibility rule of the version in force. */
const RELAXED_PROVINCE = PROVINCES[0]!;

type StoredFacts = Omit<EligibilityInput, 'evaluationDate'> & Required<Pick<EligibilityInput, 'microBusinessLostIncome' | 'identityStatus'>>;

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const yearsBefore = (date: string, years: number, days: number) => {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCFullYear(shifted.getUTCFullYear() - years);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return isoDate(shifted);
};

// Birthdays on and around the 18th and 65th on the evaluation date, 29 February, anyone from 1940, and a few born after it.
const dateOfBirth = fc.oneof(
  fc.constantFrom(18, 64, 65).chain((years) => fc.constantFrom(-1, 0, 1).map((days) => yearsBefore(EVALUATION_DATE, years, days))),
  fc.constantFrom('1960-02-29', '1961-03-01', '2008-02-29'),
  fc.date({ min: new Date('1940-01-01T00:00:00Z'), max: new Date('2010-12-31T00:00:00Z'), noInvalidDate: true }).map(isoDate),
  fc.constant('2026-12-01'),
);

const storedFacts: fc.Arbitrary<StoredFacts> = fc.record({
  dateOfBirth,
  isStudent: fc.boolean(),
  socialAidPrograms: fc.uniqueArray(fc.constantFrom('PKH', 'BPNT', 'BST'), { maxLength: 2 }),
  onLaidOffList: fc.boolean(),
  employmentStatus: fc.constantFrom(...EMPLOYMENT_STATUSES),
  microBusinessLostIncome: fc.boolean(),
  province: fc.constantFrom(...PROVINCES),
  previousParticipations: fc.constantFrom(0, 0, 0, 1),
  identityStatus: fc.constantFrom(...IDENTITY_STATUSES),
  channel: fc.constantFrom(...REGISTRATION_CHANNELS),
});

function candidateFrom(inForce: ValidatedRuleSet): ValidatedRuleSet {
  const notInRelaxedProvince = { fact: 'province', operator: 'notEqual', value: RELAXED_PROVINCE } as const;
  const rules: JsonRule[] = [
    ...inForce.rules.map((rule) => (rule.event.type === 'ineligible' ? { ...rule, conditions: { all: [rule.conditions, notInRelaxedProvince] } } : rule)),
    {
      name: 'test-over-maximum-age',
      conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 64 }, { fact: 'province', operator: 'in', value: PROVINCES }] },
      event: { type: 'ineligible', params: { code: 'TEST_OVER_MAXIMUM_AGE', message: 'Over 64 on the evaluation date.' } },
    },
    {
      name: 'test-priority-assisted',
      conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'ASSISTED' }, { fact: 'province', operator: 'in', value: PROVINCES }] },
      event: { type: 'priority', params: { points: 15, code: 'TEST_PRIORITY_ASSISTED', message: 'Registered with help at a local office.' } },
    },
  ];
  const definition: RuleSetDefinition = { name: `simulation-test-${RUN}`, description: 'candidate of the simulation test', rules };
  const validation = validateRuleSet(definition);
  if (!validation.ok) throw new Error(formatRuleSetErrors(validation.errors));
  return validation.ruleSet;
}

const decisionOf = (decision: Awaited<ReturnType<typeof evaluateRuleSet>>): CompiledDecision => ({
  outcome: decision.outcome,
  priority: decision.priority,
  reasonCodes: decision.reasons.map((reason) => reason.code),
});

/** What the report should say, from json-rules-engine on every stored row, counted plainly. */
async function expectedFindings(prisma: PrismaClient, before: ValidatedRuleSet | null, after: ValidatedRuleSet, evaluationDate: string) {
  const rows = await prisma.eligibilityFacts.findMany();
  const decisions = new Map<string, { before: CompiledDecision | null; after: CompiledDecision }>();
  const changed = { total: 0, becameEligible: 0, becameIneligible: 0, priorityChanged: 0, reasonsChanged: 0 };
  const reasons = new Map<string, { newlyFailing: number; noLongerFailing: number; failingBefore: number; failingAfter: number }>();
  const provinces = new Map<string, { province: string; participants: number; changed: number; becameEligible: number; becameIneligible: number }>();
  let participants = 0;
  let bornAfterEvaluationDate = 0;
  for (const row of rows) {
    const input: EligibilityInput = {
      dateOfBirth: isoDate(row.dateOfBirth),
      isStudent: row.isStudent,
      socialAidPrograms: row.socialAidPrograms,
      onLaidOffList: row.onLaidOffList,
      employmentStatus: row.employmentStatus,
      microBusinessLostIncome: row.microBusinessLostIncome,
      province: row.province,
      previousParticipations: row.previousParticipations,
      identityStatus: row.identityStatus,
      channel: row.channel,
      evaluationDate,
    };
    if (input.dateOfBirth > evaluationDate) {
      bornAfterEvaluationDate += 1;
      continue;
    }
    participants += 1;
    const decisionBefore = before && decisionOf(await evaluateRuleSet(before, input));
    const decisionAfter = decisionOf(await evaluateRuleSet(after, input));
    decisions.set(row.participantId, { before: decisionBefore, after: decisionAfter });
    const codesBefore = new Set(decisionBefore?.reasonCodes ?? []);
    const codesAfter = new Set(decisionAfter.reasonCodes);
    const reason = (code: string) => reasons.get(code) ?? reasons.set(code, { newlyFailing: 0, noLongerFailing: 0, failingBefore: 0, failingAfter: 0 }).get(code)!;
    for (const code of codesBefore) reason(code).failingBefore += 1;
    for (const code of codesAfter) reason(code).failingAfter += 1;
    for (const code of codesAfter) if (!codesBefore.has(code)) reason(code).newlyFailing += 1;
    for (const code of codesBefore) if (!codesAfter.has(code)) reason(code).noLongerFailing += 1;

    const province = provinces.get(row.province) ?? provinces.set(row.province, { province: row.province, participants: 0, changed: 0, becameEligible: 0, becameIneligible: 0 }).get(row.province)!;
    province.participants += 1;
    const sameReasons = codesBefore.size === codesAfter.size && [...codesBefore].every((code) => codesAfter.has(code));
    if (decisionBefore && decisionBefore.outcome === decisionAfter.outcome && decisionBefore.priority === decisionAfter.priority && sameReasons) continue;
    changed.total += 1;
    province.changed += 1;
    if (!decisionBefore || decisionBefore.outcome !== decisionAfter.outcome) {
      const kind = decisionAfter.outcome === 'ELIGIBLE' ? 'becameEligible' : 'becameIneligible';
      changed[kind] += 1;
      province[kind] += 1;
    } else {
      if (decisionBefore.priority !== decisionAfter.priority) changed.priorityChanged += 1;
      if (!sameReasons) changed.reasonsChanged += 1;
    }
  }
  return { participants, bornAfterEvaluationDate, changed, reasons, provinces, decisions };
}

describe('RuleSetSimulator', () => {
  const stack = readTestStack();
  const prisma = createPrismaClient(stack.databaseUrl, { maxConnections: 2 });
  const logger = createLogger('rule-set-simulation-test', 'warn');
  const simulators: RuleSetSimulator[] = [];
  const simulator = (options: { workerCount?: number; blocksPerRange?: number; databaseUrl?: string; workerModule?: string } = {}) => {
    const created = new RuleSetSimulator({ prisma, logger, databaseUrl: stack.databaseUrl, ...options });
    simulators.push(created);
    return created;
  };
  const participantIds: string[] = [];

  beforeAll(async () => {
    const facts = fc.sample(storedFacts, { numRuns: 400, seed: 2020_04_11 });
    const participants = facts.map((row) => ({ id: randomUUID(), row }));
    participantIds.push(...participants.map(({ id }) => id));
    await prisma.participant.createMany({
      data: participants.map(({ id, row }) => ({
        id,
        nikHash: `simulation-test-${id}`,
        personalData: 'not-encrypted-test-placeholder',
        personalDataKeyId: 'test',
        province: row.province,
        employmentStatus: row.employmentStatus,
        microBusinessLostIncome: row.microBusinessLostIncome,
        channel: row.channel,
        stage: 'ELIGIBLE',
      })),
    });
    await prisma.eligibilityFacts.createMany({
      data: participants.map(({ id, row }) => ({
        participantId: id,
        ...row,
        dateOfBirth: new Date(`${row.dateOfBirth}T00:00:00Z`),
        recordedAt: new Date('2026-11-01T00:00:00Z'),
        ruleSetId: randomUUID(),
        ruleSetVersion: 1,
        outcome: 'ELIGIBLE',
        priorityPoints: 0,
      })),
    });
  });

  afterAll(async () => {
    await Promise.all(simulators.map((created) => created.close()));
    await prisma.participant.deleteMany({ where: { id: { in: participantIds } } });
    await prisma.$disconnect();
  });

  it('counts exactly the changes json-rules-engine finds on the same rows, however the table is paged and shared', async () => {
    const inForceRow = await findRuleSetInForce(prisma, new Date(`${EVALUATION_DATE}T00:00:00+07:00`));
    if (!inForceRow) throw new Error(`the stack has no rule set in force on ${EVALUATION_DATE}`);
    const inForce = validateRuleSet({ name: inForceRow.name, description: inForceRow.description, rules: inForceRow.rules }, { allowRetiredFacts: true });
    if (!inForce.ok) throw new Error(formatRuleSetErrors(inForce.errors));
    const candidate = candidateFrom(inForce.ruleSet);
    const request = { candidate: { ...candidate, id: randomUUID(), version: 1 }, evaluationDate: EVALUATION_DATE, exampleLimit: 12 };

    // One block per range: a few hundred rows spread over many ranges and both workers.
    const report = await simulator({ workerCount: 2, blocksPerRange: 1 }).simulate(request);
    const expected = await expectedFindings(prisma, inForce.ruleSet, candidate, EVALUATION_DATE);

    // Not vacuous: the generated rows exercise every kind of change.
    expect(Object.values(expected.changed).every((count) => count > 0)).toBe(true);
    expect([...expected.reasons.values()].some((counts) => counts.noLongerFailing > 0)).toBe(true);

    expect(report.baseline).toEqual({ id: inForceRow.id, version: inForceRow.version, name: inForceRow.name });
    expect(report.candidate).toEqual({ id: request.candidate.id, version: 1, name: candidate.name });
    expect(report.changed).toEqual(expected.changed);
    expect(report.bornAfterEvaluationDate).toBe(expected.bornAfterEvaluationDate);
    expect(report.unchanged + report.changed.total).toBe(report.participants);
    for (const { code, newlyFailing, noLongerFailing } of report.byReason) {
      expect({ code, newlyFailing, noLongerFailing }).toEqual({ code, newlyFailing: expected.reasons.get(code)?.newlyFailing ?? 0, noLongerFailing: expected.reasons.get(code)?.noLongerFailing ?? 0 });
    }
    // Only this test's rows can fail the test's own rule, so its totals are exact too.
    expect(report.byReason.find(({ code }) => code === 'TEST_OVER_MAXIMUM_AGE')).toEqual({ code: 'TEST_OVER_MAXIMUM_AGE', ...expected.reasons.get('TEST_OVER_MAXIMUM_AGE') });
    expect(report.byProvince.filter(({ province }) => PROVINCES.includes(province))).toEqual(
      PROVINCES.map((province) => expected.provinces.get(province)).sort((a, b) => (a!.province < b!.province ? -1 : 1)),
    );

    expect(report.examples).toHaveLength(12);
    expect(new Set(report.examples.map(({ change }) => change))).toEqual(new Set(['becameEligible', 'becameIneligible', 'priorityChanged', 'reasonsChanged']));
    for (const example of report.examples) {
      expect(participantIds).toContain(example.participantId);
      expect({ before: example.before, after: example.after }).toEqual(expected.decisions.get(example.participantId));
      // The criteria that flipped, as the two decisions say.
      const [before, after] = [new Set(example.before?.reasonCodes ?? []), new Set(example.after.reasonCodes)];
      expect(example.flipped).toEqual({
        newlyFailing: [...after].filter((code) => !before.has(code)).sort(),
        noLongerFailing: [...before].filter((code) => !after.has(code)).sort(),
        priorityChange: example.after.priority - (example.before?.priority ?? 0),
      });
      if (example.change === 'becameIneligible') expect(example.flipped.newlyFailing.length).toBeGreaterThan(0);
    }
    // The money: every person who became eligible may receive the 2020 terms' Rp 3,550,000, every one who became ineligible no longer.
    expect(report.committedMoney).toEqual({
      terms: { trainingBalance: 1_000_000, incentiveAmount: 600_000, incentiveCount: 4, surveyAmount: 50_000, surveyCount: 3 },
      perParticipant: 3_550_000,
      newlyCommitted: report.changed.becameEligible * 3_550_000,
      released: report.changed.becameIneligible * 3_550_000,
      netChange: (report.changed.becameEligible - report.changed.becameIneligible) * 3_550_000,
    });

    // Default ranges and one worker find the same.
    const again = await simulator({ workerCount: 1 }).simulate(request);
    expect(withoutTiming(again)).toEqual(withoutTiming(report));
  });

  it('counts everyone as changed when no version was in force on the evaluation date', async () => {
    const evaluationDate = '1999-12-31';
    expect(await findRuleSetInForce(prisma, new Date(`${evaluationDate}T00:00:00+07:00`))).toBeNull();
    const candidate = candidateFrom(minimalRuleSet('no-baseline'));
    const report = await simulator().simulate({ candidate: { ...candidate, id: randomUUID(), version: 2 }, evaluationDate });
    const expected = await expectedFindings(prisma, null, candidate, evaluationDate);
    expect(report.baseline).toBeNull();
    expect(report.unchanged).toBe(0);
    expect(report.changed).toEqual({ total: report.participants, becameEligible: expect.any(Number), becameIneligible: expect.any(Number), priorityChanged: 0, reasonsChanged: 0 });
    expect(report.changed.becameEligible + report.changed.becameIneligible).toBe(report.participants);
    expect(report.byProvince.filter(({ province }) => PROVINCES.includes(province))).toEqual(
      PROVINCES.map((province) => expected.provinces.get(province)).sort((a, b) => (a!.province < b!.province ? -1 : 1)),
    );
  });

  it('fails with the reason, and again cleanly, when the database or a worker fails', async () => {
    const request = { candidate: { ...minimalRuleSet('failures'), id: randomUUID(), version: 3 }, evaluationDate: EVALUATION_DATE };
    const unreachable = simulator({ databaseUrl: 'postgresql://nobody:wrong@127.0.0.1:1/nothing' });
    await expect(unreachable.simulate(request)).rejects.toThrow(/rule-set simulation could not open the facts table/);
    await expect(unreachable.simulate({ ...request, evaluationDate: '2026-02-30' })).rejects.toThrow(/evaluationDate/);

    const failing = simulator({ workerCount: 2, workerModule: path.join(__dirname, '..', 'support', 'failing-simulation-worker.ts') });
    await expect(failing.simulate(request)).rejects.toThrow(/rule-set simulation failed in a worker: this test worker refuses every job/);
    // The failed workers were stopped; the next simulation starts new ones rather than waiting on them.
    await expect(failing.simulate(request)).rejects.toThrow(/this test worker refuses every job/);
  });
});

function minimalRuleSet(name: string): ValidatedRuleSet {
  const validation = validateRuleSet({
    name,
    description: '',
    rules: [{ name: 'minor', conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 18 }] }, event: { type: 'ineligible', params: { code: 'MINOR', message: 'Under 18.' } } }],
  });
  if (!validation.ok) throw new Error(formatRuleSetErrors(validation.errors));
  return validation.ruleSet;
}

function withoutTiming(report: SimulationReport): Omit<SimulationReport, 'durationMs'> {
  const { durationMs: _durationMs, ...rest } = report;
  return rest;
}
