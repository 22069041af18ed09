// Rule sets through their life: drafts that program managers edit (optimistic concurrency on the
// revision), review by a second program manager (rule-set-review.ts), published versions that never
// change again, retirement; dry runs, diffs and the audit trail. Every write appends its audit
// entry in the same transaction.
import type { Prisma, RuleSet } from '../../generated/prisma/client';
import { isUniqueViolation, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { programDateAt } from '../../lib/program-day';
import { findRuleSetInForce } from '../../lib/rule-set-in-force';
import { evaluateRuleSet, isRecord, runTestCases, validateRuleSet, type EligibilityInput, type RuleSetError, type RuleSetValidationOptions, type ValidatedRuleSet } from '../../rules';
import { ConflictError, HttpError, InvalidRuleSetError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import { isUuid } from '../resource-ids';
import { diffRuleSets, type RuleSetSnapshot } from './rule-set-diff';
import {
  assertInReview,
  assertMayApprove,
  assertMayPublishDirectly,
  AUTHORING_ACTIONS,
  EFFECTIVE_FROM_TOLERANCE_MS,
  effectiveFromAtApproval,
  type ReviewPolicy,
} from './rule-set-review';
import {
  RULE_SET_NAME_PATTERN,
  storedRulesSchema,
  storedTestCasesSchema,
  type AuditAction,
  type ApprovalRequest,
  type PublishRequest,
  type ReviewComment,
  type SubmissionRequest,
  type RuleSetListQuery,
  type RuleSetView,
  type SimulationRequest,
  type TestResultsView,
} from './rule-set.schema';

const CREATE_ATTEMPTS = 3;

/**
 * The simulation over the stored population, written elsewhere (rule-set-simulation.ts); this is
 * all the API needs of it.
 */
export interface RuleSetSimulation {
  simulate(request: { candidate: ValidatedRuleSet & { id: string; version: number }; evaluationDate: string; exampleLimit?: number }): Promise<unknown>;
}

export interface RuleSetServiceDependencies {
  prisma: PrismaClient;
  logger: Logger;
  now: () => Date;
  review: ReviewPolicy;
  simulator?: RuleSetSimulation;
}

type Transaction = Prisma.TransactionClient;

export class RuleSetService {
  constructor(private readonly deps: RuleSetServiceDependencies) {}

  async listRuleSets(query: RuleSetListQuery): Promise<RuleSetView[]> {
    const [ruleSets, inForce] = await Promise.all([
      this.deps.prisma.ruleSet.findMany({ where: { name: query.name, status: query.status }, orderBy: [{ name: 'asc' }, { version: 'desc' }] }),
      findRuleSetInForce(this.deps.prisma, this.deps.now()),
    ]);
    return ruleSets.map((ruleSet) => toView(ruleSet, inForce?.id));
  }

  async getRuleSet(ruleSetId: string): Promise<RuleSetView> {
    return this.view(await this.findRuleSet(this.deps.prisma, ruleSetId));
  }

  /** A draft, numbered after the highest version of its name; a race for the number is retried. */
  async createDraft(document: unknown, actor: string): Promise<RuleSetView> {
    // The body is checked before anything is read. Without cases of its own, a new version takes
    // its parent's (the latest version of its name): they are checked against its rules too.
    const written = validated(document);
    const parent = written.testCases === undefined ? await this.deps.prisma.ruleSet.findFirst({ where: { name: written.name }, orderBy: { version: 'desc' } }) : null;
    const ruleSet = parent ? validated(withTestCases(document, parent.testCases)) : written;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await this.deps.prisma.$transaction(async (tx) => {
          const previous = await tx.ruleSet.findFirst({ where: { name: ruleSet.name }, orderBy: { version: 'desc' } });
          const draft = await tx.ruleSet.create({
            data: { name: ruleSet.name, version: (previous?.version ?? 0) + 1, status: 'DRAFT', description: ruleSet.description, rules: ruleSet.rules, testCases: ruleSet.testCases ?? [], createdBy: actor },
          });
          await audit(tx, draft.id, 'CREATED', actor, {
            against: previous ? reference(previous) : null,
            ...diffRuleSets(previous ? snapshot(previous) : emptySnapshot(ruleSet.name), snapshot(draft)),
            testCases: testCaseChanges(previous?.testCases ?? [], draft.testCases),
          });
          return draft;
        });
        this.deps.logger.info({ ruleSetId: created.id, name: created.name, version: created.version, actor }, 'rule set draft created');
        return this.view(created);
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /** Replaces a draft's description and rules if nobody wrote since `expectedRevision` was read. */
  async updateDraft(ruleSetId: string, document: unknown, expectedRevision: number, actor: string): Promise<RuleSetView> {
    const before = await this.findRuleSet(this.deps.prisma, ruleSetId);
    assertDraft(before);
    const ruleSet = validated(withTestCases(document, before.testCases));
    if (ruleSet.name !== before.name) throw new ValidationError('The request body is invalid', { name: `must stay "${before.name}": a new name is a new rule set (POST /v1/rule-sets)` });
    const updated = await this.deps.prisma.$transaction(async (tx) => {
      const current = await this.findRuleSet(tx, ruleSetId);
      assertDraft(current);
      assertRevision(current, expectedRevision);
      // The revision in the filter makes the check and the write one step: a concurrent writer's
      // update waits for this row and then finds the revision moved on.
      const { count } = await tx.ruleSet.updateMany({
        where: { id: ruleSetId, status: 'DRAFT', revision: expectedRevision },
        data: { description: ruleSet.description, rules: ruleSet.rules, testCases: ruleSet.testCases ?? [], revision: { increment: 1 } },
      });
      if (count === 0) throw revisionConflict(expectedRevision);
      const after = await tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
      await audit(tx, ruleSetId, 'UPDATED', actor, {
        revision: { from: current.revision, to: after.revision },
        ...diffRuleSets(snapshot(current), snapshot(after)),
        testCases: testCaseChanges(current.testCases, after.testCases),
      });
      return after;
    });
    this.deps.logger.info({ ruleSetId, revision: updated.revision, actor }, 'rule set draft updated');
    return this.view(updated);
  }

  /**
   * Publishes a draft at once, where the program does not require review: validated again (the
   * fact catalog may have changed since it was saved), its test cases passing. From effectiveFrom
   * on it decides; it is never changed again.
   */
  async publish(ruleSetId: string, request: PublishRequest, expectedRevision: number | undefined, actor: string): Promise<RuleSetView> {
    const now = this.deps.now();
    const effectiveFrom = request.effectiveFrom ? new Date(request.effectiveFrom) : now;
    assertEffectiveFromNotPast(effectiveFrom, now);
    const published = await this.publishInTransaction(ruleSetId, actor, async (before) => {
      assertMayPublishDirectly(this.deps.review);
      assertDraft(before);
      if (expectedRevision !== undefined) assertRevision(before, expectedRevision);
      return { effectiveFrom };
    });
    this.deps.logger.info({ ruleSetId, version: published.version, effectiveFrom: effectiveFrom.toISOString(), actor }, 'rule set published');
    return this.view(published);
  }

  /**
   * The author asks for review: the draft is frozen as read (`expectedRevision`), with a comment
   * and the date it should take effect (at its approval when left out). It must already be fit to
   * publish (valid against today's catalog, every test case passing), so a reviewer reads what
   * would reach people.
   */
  async submit(ruleSetId: string, request: SubmissionRequest, expectedRevision: number | undefined, actor: string): Promise<RuleSetView> {
    const now = this.deps.now();
    const requestedEffectiveFrom = request.effectiveFrom ? new Date(request.effectiveFrom) : null;
    if (requestedEffectiveFrom) assertEffectiveFromNotPast(requestedEffectiveFrom, now);
    const submitted = await this.deps.prisma.$transaction(async (tx) => {
      const before = await this.findRuleSet(tx, ruleSetId);
      assertDraft(before);
      if (expectedRevision !== undefined) assertRevision(before, expectedRevision);
      await assertFitToPublish(before);
      const { count } = await tx.ruleSet.updateMany({
        where: { id: ruleSetId, status: 'DRAFT', revision: before.revision },
        data: {
          status: 'IN_REVIEW',
          submittedBy: actor,
          submittedAt: now,
          submissionComment: request.comment,
          requestedEffectiveFrom,
          approvedBy: null,
          approvedAt: null,
          approvalComment: null,
          revision: { increment: 1 },
        },
      });
      if (count === 0) throw revisionConflict(before.revision);
      await audit(tx, ruleSetId, 'SUBMITTED', actor, { revision: before.revision, comment: request.comment, effectiveFrom: requestedEffectiveFrom?.toISOString() ?? null });
      return tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
    });
    this.deps.logger.info({ ruleSetId, version: submitted.version, actor }, 'rule set submitted for review');
    return this.view(submitted);
  }

  /**
   * A second program manager approves what the author submitted, which publishes it at the date
   * the author asked for. Nobody approves a version they wrote or submitted (403 SELF_APPROVAL).
   */
  async approve(ruleSetId: string, request: ApprovalRequest, actor: string): Promise<RuleSetView> {
    const now = this.deps.now();
    const published = await this.publishInTransaction(ruleSetId, actor, async (before, tx) => {
      const writers = await tx.ruleSetAuditEntry.findMany({ where: { ruleSetId, action: { in: [...AUTHORING_ACTIONS] } }, select: { action: true, actor: true } });
      assertMayApprove(before, writers, actor, this.deps.review);
      const effectiveFrom = effectiveFromAtApproval(before.requestedEffectiveFrom, now);
      await audit(tx, ruleSetId, 'APPROVED', actor, { revision: before.revision, comment: request.comment ?? null, submittedBy: before.submittedBy, effectiveFrom: effectiveFrom.toISOString() });
      return { effectiveFrom, columns: { approvedBy: actor, approvedAt: now, approvalComment: request.comment ?? null } };
    });
    this.deps.logger.info({ ruleSetId, version: published.version, effectiveFrom: published.effectiveFrom?.toISOString(), actor }, 'rule set approved and published');
    return this.view(published);
  }

  /** The reviewer (or the author, withdrawing it) returns the version to DRAFT with a comment saying why. */
  async sendBack(ruleSetId: string, request: ReviewComment, actor: string): Promise<RuleSetView> {
    const returned = await this.deps.prisma.$transaction(async (tx) => {
      const before = await this.findRuleSet(tx, ruleSetId);
      assertInReview(before.status);
      const { count } = await tx.ruleSet.updateMany({
        where: { id: ruleSetId, status: 'IN_REVIEW', revision: before.revision },
        data: { status: 'DRAFT', submittedBy: null, submittedAt: null, submissionComment: null, requestedEffectiveFrom: null, revision: { increment: 1 } },
      });
      if (count === 0) throw revisionConflict(before.revision);
      await audit(tx, ruleSetId, 'SENT_BACK', actor, { revision: before.revision, comment: request.comment, submittedBy: before.submittedBy });
      return tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
    });
    this.deps.logger.info({ ruleSetId, version: returned.version, actor }, 'rule set sent back to draft');
    return this.view(returned);
  }

  /**
   * DRAFT or IN_REVIEW → PUBLISHED in one transaction, after `check`, which says when it takes
   * effect (and may add columns): the version fit to publish, its audit entry written.
   */
  private async publishInTransaction(
    ruleSetId: string,
    actor: string,
    check: (before: RuleSet, tx: Transaction) => Promise<{ effectiveFrom: Date; columns?: Prisma.RuleSetUpdateManyMutationInput }>,
  ): Promise<RuleSet> {
    let effectiveFrom: Date | undefined;
    try {
      return await this.deps.prisma.$transaction(async (tx) => {
        const before = await this.findRuleSet(tx, ruleSetId);
        const checked = await check(before, tx);
        effectiveFrom = checked.effectiveFrom;
        await assertFitToPublish(before);
        const { count } = await tx.ruleSet.updateMany({
          where: { id: ruleSetId, status: before.status, revision: before.revision },
          data: { ...checked.columns, status: 'PUBLISHED', effectiveFrom, publishedAt: this.deps.now(), revision: { increment: 1 } },
        });
        if (count === 0) throw revisionConflict(before.revision);
        const after = await tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
        await audit(tx, ruleSetId, 'PUBLISHED', actor, diffRuleSets(snapshot(before), snapshot(after)));
        return after;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError('EFFECTIVE_FROM_TAKEN', `Another published version of this rule set takes effect at ${effectiveFrom?.toISOString()}`);
    }
  }

  /** From now on the version no longer decides; the one before it (by effectiveFrom) does again. */
  async retire(ruleSetId: string, actor: string): Promise<RuleSetView> {
    const now = this.deps.now();
    const retired = await this.deps.prisma.$transaction(async (tx) => {
      const before = await this.findRuleSet(tx, ruleSetId);
      if (before.status !== 'PUBLISHED') throw new ConflictError('RULE_SET_NOT_PUBLISHED', `Only a published version can be retired; this one is ${before.status}`);
      const { count } = await tx.ruleSet.updateMany({ where: { id: ruleSetId, status: 'PUBLISHED' }, data: { status: 'RETIRED', retiredAt: now, revision: { increment: 1 } } });
      if (count === 0) throw new ConflictError('RULE_SET_NOT_PUBLISHED', 'The rule set changed meanwhile; read it again');
      // Every journey that reaches its decision needs a version in force: never retire the last one.
      if (!(await findRuleSetInForce(tx, now))) {
        throw new ConflictError('LAST_RULE_SET_IN_FORCE', 'Retiring this version would leave no rule set in force; publish its successor first');
      }
      const after = await tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
      await audit(tx, ruleSetId, 'RETIRED', actor, diffRuleSets(snapshot(before), snapshot(after)));
      return after;
    });
    this.deps.logger.info({ ruleSetId, version: retired.version, actor }, 'rule set retired');
    return this.view(retired);
  }

  /** What `ruleSetId` changes relative to `againstId`, by default the version in force now. */
  async diff(ruleSetId: string, againstId: string | undefined) {
    const target = await this.findRuleSet(this.deps.prisma, ruleSetId);
    const against = againstId !== undefined ? await this.findRuleSet(this.deps.prisma, againstId) : await findRuleSetInForce(this.deps.prisma, this.deps.now());
    if (!against) throw new ConflictError('NO_RULE_SET_IN_FORCE', 'No rule set is in force to compare with; name one with ?against=');
    return { from: reference(against), to: reference(target), ...diffRuleSets(snapshot(against), snapshot(target)) };
  }

  /** A dry run, with json-rules-engine's semantics and the explanation; drafts included. */
  async evaluate(ruleSetId: string, input: EligibilityInput) {
    const stored = await this.findRuleSet(this.deps.prisma, ruleSetId);
    const decision = await evaluateRuleSet(validatedStored(stored), input);
    return { ruleSetId: stored.id, ruleSetVersion: stored.version, ...decision };
  }

  async simulate(ruleSetId: string, request: SimulationRequest): Promise<unknown> {
    const { simulator } = this.deps;
    if (!simulator) throw new ServiceUnavailableError('SIMULATION_UNAVAILABLE', 'Simulation is not available in this deployment', 60);
    const stored = await this.findRuleSet(this.deps.prisma, ruleSetId);
    const evaluationDate = request.evaluationDate ?? programDateAt(this.deps.now());
    return simulator.simulate({ candidate: Object.assign(validatedStored(stored), { id: stored.id, version: stored.version }), evaluationDate, exampleLimit: request.exampleLimit });
  }

  async auditTrail(ruleSetId: string) {
    await this.findRuleSet(this.deps.prisma, ruleSetId);
    const entries = await this.deps.prisma.ruleSetAuditEntry.findMany({ where: { ruleSetId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return {
      entries: entries.map((entry) => ({
        id: entry.id,
        action: entry.action as AuditAction,
        actor: entry.actor,
        at: entry.at.toISOString(),
        diff: isRecord(entry.diff) ? entry.diff : null,
      })),
    };
  }

  async findRuleSet(prisma: PrismaClient | Transaction, ruleSetId: string): Promise<RuleSet> {
    const ruleSet = isUuid(ruleSetId) ? await prisma.ruleSet.findUnique({ where: { id: ruleSetId } }) : null;
    if (!ruleSet) throw new NotFoundError('RULE_SET_NOT_FOUND', 'No such rule set');
    return ruleSet;
  }

  private async view(ruleSet: RuleSet): Promise<RuleSetView> {
    const [inForce, testResults] = await Promise.all([findRuleSetInForce(this.deps.prisma, this.deps.now()), testResultsOf(ruleSet)]);
    return { ...toView(ruleSet, inForce?.id), testResults };
  }
}

/** The rule set of a request, validated against the fact catalog; every problem at once. */
function validated(document: unknown): ValidatedRuleSet {
  const validation = validateRuleSet(document);
  const problems: RuleSetError[] = validation.ok ? [] : [...validation.errors];
  const name = isRecord(document) ? document.name : undefined;
  if (typeof name === 'string' && name !== '' && !RULE_SET_NAME_PATTERN.test(name)) {
    problems.push({ path: 'name', code: 'SCHEMA_VIOLATION', message: 'name: must be letters, digits, ".", "_" or "-", starting with a letter or digit, at most 100 characters' });
  }
  if (!validation.ok || problems.length > 0) throw new InvalidRuleSetError(problems);
  return validation.ruleSet;
}

/** Which test cases a write added, removed or changed, by name: the audit shows what the checks were. */
function testCaseChanges(before: Prisma.JsonValue, after: Prisma.JsonValue) {
  const byName = (cases: Prisma.JsonValue) => new Map(storedTestCasesSchema.parse(cases).map((testCase) => [testCase.name, JSON.stringify(testCase)]));
  const [from, to] = [byName(before), byName(after)];
  return {
    added: [...to.keys()].filter((name) => !from.has(name)),
    removed: [...from.keys()].filter((name) => !to.has(name)),
    changed: [...to].filter(([name, testCase]) => from.has(name) && from.get(name) !== testCase).map(([name]) => name),
  };
}

/** The request's rule set, with `testCases` filled in from the stored ones when the request leaves them out. */
function withTestCases(document: unknown, storedTestCases: Prisma.JsonValue | undefined): unknown {
  if (!isRecord(document) || 'testCases' in document || storedTestCases === undefined) return document;
  return { ...document, testCases: storedTestCases };
}

/**
 * What a version must be to be submitted or published: valid as a draft against today's catalog (a
 * fact retired since it was saved is refused before it can decide), every rule with its legal
 * basis and its words for the person decided, and every one of its own test cases passing.
 */
async function assertFitToPublish(ruleSet: RuleSet): Promise<void> {
  await assertTestCasesPass(validatedStored(ruleSet, { allowRetiredFacts: false, forPublication: true }));
}

/** Publishing decides people's access to money: not while any of the version's own cases fails. */
async function assertTestCasesPass(ruleSet: ValidatedRuleSet): Promise<void> {
  const results = await runTestCases(ruleSet);
  const failing = results.flatMap((result, index) => (result.passed ? [] : [{ index, result }]));
  if (failing.length === 0) return;
  const fields = Object.fromEntries(
    failing.map(({ index, result }) => [
      `testCases[${index}]`,
      `"${result.name}": ${result.differences.map((difference) => `${difference.field} expected ${JSON.stringify(difference.expected)}, got ${JSON.stringify(difference.actual)}`).join('; ')}`,
    ]),
  );
  throw new HttpError(409, 'TEST_CASES_FAILING', `${failing.length} of ${results.length} test cases fail; fix the rules or the cases, then publish`, { fields });
}

/** Every case run against the version; null when the stored version no longer validates (its view says so elsewhere). */
async function testResultsOf(ruleSet: RuleSet): Promise<TestResultsView | null> {
  let validatedRuleSet: ValidatedRuleSet;
  try {
    validatedRuleSet = validatedStored(ruleSet);
  } catch (error) {
    if (error instanceof InvalidRuleSetError) return null;
    throw error;
  }
  const cases = await runTestCases(validatedRuleSet);
  const passed = cases.filter((result) => result.passed).length;
  return { passed, failed: cases.length - passed, cases };
}

/**
 * Stored rule sets were validated when written; one that no longer passes (the catalog changed) is
 * refused. A fact retired since is accepted unless the options say otherwise: a version published
 * before keeps deciding (and can be read, compared and tried) as it did.
 */
function validatedStored(ruleSet: RuleSet, options: RuleSetValidationOptions = { allowRetiredFacts: true }): ValidatedRuleSet {
  const validation = validateRuleSet({ name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules, testCases: ruleSet.testCases }, options);
  if (!validation.ok) throw new InvalidRuleSetError(validation.errors);
  return validation.ruleSet;
}

/** Decisions already made name the version that was in force; an effectiveFrom before them would contradict them. */
function assertEffectiveFromNotPast(effectiveFrom: Date, now: Date): void {
  if (effectiveFrom.getTime() < now.getTime() - EFFECTIVE_FROM_TOLERANCE_MS) {
    throw new ValidationError('The request body is invalid', { effectiveFrom: 'must not be more than a minute in the past' });
  }
}

function assertDraft(ruleSet: RuleSet): void {
  if (ruleSet.status !== 'DRAFT') {
    throw new ConflictError('RULE_SET_NOT_DRAFT', `Version ${ruleSet.version} is ${ruleSet.status} and can no longer change; create a new draft`);
  }
}

function assertRevision(ruleSet: RuleSet, expectedRevision: number): void {
  if (ruleSet.revision !== expectedRevision) throw revisionConflict(expectedRevision, ruleSet.revision);
}

function revisionConflict(expected: number, current?: number): ConflictError {
  const now = current === undefined ? 'someone else changed it meanwhile' : `it is at revision ${current} now`;
  return new ConflictError('REVISION_CONFLICT', `The rule set was read at revision ${expected} but ${now}; read it again and reapply the change`);
}

async function audit(tx: Transaction, ruleSetId: string, action: AuditAction, actor: string, diff: Prisma.InputJsonObject): Promise<void> {
  await tx.ruleSetAuditEntry.create({ data: { ruleSetId, action, actor, diff } });
}

function reference(ruleSet: RuleSet) {
  return { id: ruleSet.id, name: ruleSet.name, version: ruleSet.version };
}

function snapshot(ruleSet: RuleSet): RuleSetSnapshot {
  return {
    name: ruleSet.name,
    description: ruleSet.description,
    rules: validatedStored(ruleSet).rules,
    status: ruleSet.status,
    effectiveFrom: ruleSet.effectiveFrom?.toISOString() ?? null,
    retiredAt: ruleSet.retiredAt?.toISOString() ?? null,
  };
}

function emptySnapshot(name: string): RuleSetSnapshot {
  return { name, description: '', rules: [], status: 'DRAFT', effectiveFrom: null, retiredAt: null };
}

function toView(ruleSet: RuleSet, inForceId: string | undefined): RuleSetView {
  return {
    id: ruleSet.id,
    name: ruleSet.name,
    version: ruleSet.version,
    status: ruleSet.status,
    effectiveFrom: ruleSet.effectiveFrom?.toISOString() ?? null,
    retiredAt: ruleSet.retiredAt?.toISOString() ?? null,
    inForce: ruleSet.id === inForceId,
    description: ruleSet.description,
    // Shown as stored, even if a later change of the fact catalog made them invalid.
    rules: storedRulesSchema.parse(ruleSet.rules),
    testCases: storedTestCasesSchema.parse(ruleSet.testCases),
    testResults: null,
    revision: ruleSet.revision,
    createdBy: ruleSet.createdBy,
    createdAt: ruleSet.createdAt.toISOString(),
    updatedAt: ruleSet.updatedAt.toISOString(),
    publishedAt: ruleSet.publishedAt?.toISOString() ?? null,
    review: {
      submittedBy: ruleSet.submittedBy,
      submittedAt: ruleSet.submittedAt?.toISOString() ?? null,
      comment: ruleSet.submissionComment,
      requestedEffectiveFrom: ruleSet.requestedEffectiveFrom?.toISOString() ?? null,
      approvedBy: ruleSet.approvedBy,
      approvedAt: ruleSet.approvedAt?.toISOString() ?? null,
      approvalComment: ruleSet.approvalComment,
    },
  };
}
