// Rule sets through their life: drafts that program managers edit (optimistic concurrency on the
// revision), published versions that never change again, retirement; dry runs, diffs and the audit
// trail. Every write appends its audit entry in the same transaction.
import type { Prisma, RuleSet } from '../../generated/prisma/client';
import { isUniqueViolation, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { programDateAt } from '../../lib/program-day';
import { findRuleSetInForce } from '../../lib/rule-set-in-force';
import { evaluateRuleSet, isRecord, validateRuleSet, type EligibilityInput, type RuleSetError, type RuleSetValidationOptions, type ValidatedRuleSet } from '../../rules';
import { ConflictError, InvalidRuleSetError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import { isUuid } from '../resource-ids';
import { diffRuleSets, type RuleSetSnapshot } from './rule-set-diff';
import {
  RULE_SET_NAME_PATTERN,
  storedRulesSchema,
  type AuditAction,
  type PublishRequest,
  type RuleSetListQuery,
  type RuleSetView,
  type SimulationRequest,
} from './rule-set.schema';

/** How far in the past effectiveFrom may lie: clock skew, never enough to re-decide anything. */
const EFFECTIVE_FROM_TOLERANCE_MS = 60_000;
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
    const ruleSet = validated(document);
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await this.deps.prisma.$transaction(async (tx) => {
          const previous = await tx.ruleSet.findFirst({ where: { name: ruleSet.name }, orderBy: { version: 'desc' } });
          const draft = await tx.ruleSet.create({
            data: { name: ruleSet.name, version: (previous?.version ?? 0) + 1, status: 'DRAFT', description: ruleSet.description, rules: ruleSet.rules, createdBy: actor },
          });
          await audit(tx, draft.id, 'CREATED', actor, { against: previous ? reference(previous) : null, ...diffRuleSets(previous ? snapshot(previous) : emptySnapshot(ruleSet.name), snapshot(draft)) });
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
    const ruleSet = validated(document);
    if (ruleSet.name !== before.name) throw new ValidationError('The request body is invalid', { name: `must stay "${before.name}": a new name is a new rule set (POST /v1/rule-sets)` });
    const updated = await this.deps.prisma.$transaction(async (tx) => {
      const current = await this.findRuleSet(tx, ruleSetId);
      assertDraft(current);
      assertRevision(current, expectedRevision);
      // The revision in the filter makes the check and the write one step: a concurrent writer's
      // update waits for this row and then finds the revision moved on.
      const { count } = await tx.ruleSet.updateMany({
        where: { id: ruleSetId, status: 'DRAFT', revision: expectedRevision },
        data: { description: ruleSet.description, rules: ruleSet.rules, revision: { increment: 1 } },
      });
      if (count === 0) throw revisionConflict(expectedRevision);
      const after = await tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
      await audit(tx, ruleSetId, 'UPDATED', actor, { revision: { from: current.revision, to: after.revision }, ...diffRuleSets(snapshot(current), snapshot(after)) });
      return after;
    });
    this.deps.logger.info({ ruleSetId, revision: updated.revision, actor }, 'rule set draft updated');
    return this.view(updated);
  }

  /**
   * Publishes a draft, validated again (the fact catalog may have changed since it was saved). From
   * effectiveFrom on it decides; it is never changed again.
   */
  async publish(ruleSetId: string, request: PublishRequest, expectedRevision: number | undefined, actor: string): Promise<RuleSetView> {
    const now = this.deps.now();
    const effectiveFrom = request.effectiveFrom ? new Date(request.effectiveFrom) : now;
    // Decisions already made name the version that was in force; an effectiveFrom before them would contradict them.
    if (effectiveFrom.getTime() < now.getTime() - EFFECTIVE_FROM_TOLERANCE_MS) {
      throw new ValidationError('The request body is invalid', { effectiveFrom: 'must not be more than a minute in the past' });
    }
    try {
      const published = await this.deps.prisma.$transaction(async (tx) => {
        const before = await this.findRuleSet(tx, ruleSetId);
        assertDraft(before);
        if (expectedRevision !== undefined) assertRevision(before, expectedRevision);
        // Checked as a draft: a fact retired since it was saved is refused before it can decide.
        validatedStored(before, { allowRetiredFacts: false });
        const { count } = await tx.ruleSet.updateMany({
          where: { id: ruleSetId, status: 'DRAFT', revision: before.revision },
          data: { status: 'PUBLISHED', effectiveFrom, publishedAt: now, revision: { increment: 1 } },
        });
        if (count === 0) throw revisionConflict(before.revision);
        const after = await tx.ruleSet.findUniqueOrThrow({ where: { id: ruleSetId } });
        await audit(tx, ruleSetId, 'PUBLISHED', actor, diffRuleSets(snapshot(before), snapshot(after)));
        return after;
      });
      this.deps.logger.info({ ruleSetId, version: published.version, effectiveFrom: effectiveFrom.toISOString(), actor }, 'rule set published');
      return this.view(published);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError('EFFECTIVE_FROM_TAKEN', `Another published version of this rule set takes effect at ${effectiveFrom.toISOString()}`);
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
    const inForce = await findRuleSetInForce(this.deps.prisma, this.deps.now());
    return toView(ruleSet, inForce?.id);
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

/**
 * Stored rule sets were validated when written; one that no longer passes (the catalog changed) is
 * refused. A fact retired since is accepted unless the options say otherwise: a version published
 * before keeps deciding (and can be read, compared and tried) as it did.
 */
function validatedStored(ruleSet: RuleSet, options: RuleSetValidationOptions = { allowRetiredFacts: true }): ValidatedRuleSet {
  const validation = validateRuleSet({ name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules }, options);
  if (!validation.ok) throw new InvalidRuleSetError(validation.errors);
  return validation.ruleSet;
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
    revision: ruleSet.revision,
    createdBy: ruleSet.createdBy,
    createdAt: ruleSet.createdAt.toISOString(),
    updatedAt: ruleSet.updatedAt.toISOString(),
    publishedAt: ruleSet.publishedAt?.toISOString() ?? null,
  };
}
