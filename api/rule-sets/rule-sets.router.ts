import express, { Router, type Request, type Response } from 'express';
import { validateRuleSet } from '../../rules';
import type { Authorize } from '../authorization';
import { InvalidRuleSetError, MalformedJsonError, PreconditionRequiredError, ValidationError } from '../errors';
import { callerOf } from '../request-context';
import { parseQuery, parseRequestPart, routeParam } from '../request-validation';
import type { ReevaluationService } from './reevaluation.service';
import {
  diffQuerySchema,
  evaluationRequestSchema,
  listQuerySchema,
  approvalRequestSchema,
  publishRequestSchema,
  reevaluationRequestSchema,
  sendBackRequestSchema,
  submissionRequestSchema,
  ruleSetUpdateExtrasSchema,
  simulationRequestSchema,
  type RuleSetView,
} from './rule-set.schema';
import type { RuleSetService } from './rule-set.service';

// Rule sets are edited by hand: larger than other bodies, and a syntax error should say where it is.
const MAX_RULE_SET_BODY = '512kb';

export function createRuleSetsRouter({ ruleSets, reevaluations, authorize }: { ruleSets: RuleSetService; reevaluations: ReevaluationService; authorize: Authorize }): Router {
  const router = Router();
  // Read as text and parsed here, so a malformed rule set is answered with its line and column.
  router.use(express.text({ type: ['application/json', 'application/*+json'], limit: MAX_RULE_SET_BODY }));

  router.get('/', authorize('GET /v1/rule-sets'), async (req, res) => {
    res.json({ ruleSets: await ruleSets.listRuleSets(parseQuery(listQuerySchema, req)) });
  });

  router.post('/', authorize('POST /v1/rule-sets'), async (req, res) => {
    sendRuleSet(res.status(201), await ruleSets.createDraft(ruleSetDocument(req), callerOf(res).name));
  });

  router.get('/:id', authorize('GET /v1/rule-sets/:id'), async (req, res) => {
    sendRuleSet(res, await ruleSets.getRuleSet(routeParam(req, 'id')));
  });

  router.put('/:id', authorize('PUT /v1/rule-sets/:id'), async (req, res) => {
    const { revision: bodyRevision, ruleSet } = splitRevision(ruleSetDocument(req));
    const revision = expectedRevision(revisionFromIfMatch(req), bodyRevision);
    sendRuleSet(res, await ruleSets.updateDraft(routeParam(req, 'id'), ruleSet, revision, callerOf(res).name));
  });

  router.post('/:id/publish', authorize('POST /v1/rule-sets/:id/publish'), async (req, res) => {
    const request = parseRequestPart(publishRequestSchema, jsonBody(req), 'body');
    sendRuleSet(res, await ruleSets.publish(routeParam(req, 'id'), request, revisionFromIfMatch(req), callerOf(res).name));
  });

  router.post('/:id/submit', authorize('POST /v1/rule-sets/:id/submit'), async (req, res) => {
    const request = parseRequestPart(submissionRequestSchema, jsonBody(req), 'body');
    sendRuleSet(res, await ruleSets.submit(routeParam(req, 'id'), request, revisionFromIfMatch(req), callerOf(res).name));
  });

  router.post('/:id/approve', authorize('POST /v1/rule-sets/:id/approve'), async (req, res) => {
    const request = parseRequestPart(approvalRequestSchema, jsonBody(req), 'body');
    sendRuleSet(res, await ruleSets.approve(routeParam(req, 'id'), request, callerOf(res).name));
  });

  router.post('/:id/send-back', authorize('POST /v1/rule-sets/:id/send-back'), async (req, res) => {
    const request = parseRequestPart(sendBackRequestSchema, jsonBody(req), 'body');
    sendRuleSet(res, await ruleSets.sendBack(routeParam(req, 'id'), request, callerOf(res).name));
  });

  router.post('/:id/retire', authorize('POST /v1/rule-sets/:id/retire'), async (req, res) => {
    sendRuleSet(res, await ruleSets.retire(routeParam(req, 'id'), callerOf(res).name));
  });

  router.get('/:id/diff', authorize('GET /v1/rule-sets/:id/diff'), async (req, res) => {
    res.json(await ruleSets.diff(routeParam(req, 'id'), parseQuery(diffQuerySchema, req).against));
  });

  router.post('/:id/evaluate', authorize('POST /v1/rule-sets/:id/evaluate'), async (req, res) => {
    const input = parseRequestPart(evaluationRequestSchema, jsonBody(req), 'body');
    res.json(await ruleSets.evaluate(routeParam(req, 'id'), input));
  });

  router.post('/:id/simulate', authorize('POST /v1/rule-sets/:id/simulate'), async (req, res) => {
    const request = parseRequestPart(simulationRequestSchema, jsonBody(req), 'body');
    res.json(await ruleSets.simulate(routeParam(req, 'id'), request));
  });

  router.get('/:id/audit', authorize('GET /v1/rule-sets/:id/audit'), async (req, res) => {
    res.json(await ruleSets.auditTrail(routeParam(req, 'id')));
  });

  router.post('/:id/reevaluations', authorize('POST /v1/rule-sets/:id/reevaluations'), async (req, res) => {
    const { reason } = parseRequestPart(reevaluationRequestSchema, jsonBody(req), 'body');
    const reevaluation = await reevaluations.requestReevaluation(routeParam(req, 'id'), reason, callerOf(res).name);
    res.status(202).location(`${req.baseUrl}/${reevaluation.ruleSetId}/reevaluations/${reevaluation.reevaluationId}`).json(reevaluation);
  });

  router.get('/:id/reevaluations/:reevaluationId', authorize('GET /v1/rule-sets/:id/reevaluations/:reevaluationId'), async (req, res) => {
    res.json(await reevaluations.getReevaluation(routeParam(req, 'id'), routeParam(req, 'reevaluationId')));
  });

  return router;
}

/** The ETag is the revision, so a client can send back what it read as If-Match. */
function sendRuleSet(res: Response, ruleSet: RuleSetView): void {
  res.setHeader('ETag', `"${ruleSet.revision}"`);
  res.json(ruleSet);
}

function jsonBody(req: Request): unknown {
  const text = typeof req.body === 'string' ? req.body : '';
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedJsonError();
  }
}

/** Like jsonBody, but a syntax error is a rule-set error that says where (line, column). */
function ruleSetDocument(req: Request): unknown {
  try {
    return jsonBody(req);
  } catch (error) {
    if (!(error instanceof MalformedJsonError)) throw error;
    const validation = validateRuleSet(String(req.body));
    throw validation.ok ? error : new InvalidRuleSetError(validation.errors);
  }
}

/** A PUT body is the rule set plus, optionally, the revision it was read at. */
function splitRevision(body: unknown): { revision: number | undefined; ruleSet: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('revision' in body)) return { revision: undefined, ruleSet: body };
  const { revision, ...ruleSet } = body;
  return { revision: parseRequestPart(ruleSetUpdateExtrasSchema, { revision }, 'body').revision, ruleSet };
}

const IF_MATCH = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/;

function revisionFromIfMatch(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const match = IF_MATCH.exec(header);
  if (!match) throw new ValidationError('The If-Match header is invalid', { 'headers.if-match': 'must be the ETag read from the rule set, e.g. "3"' });
  return Number(match[1]);
}

/** Never a blind overwrite: the writer names the revision it read, once. */
function expectedRevision(fromHeader: number | undefined, fromBody: number | undefined): number {
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw new ValidationError('The request names two revisions', { revision: `differs from If-Match (${fromHeader})` });
  }
  const revision = fromHeader ?? fromBody;
  if (revision === undefined) throw new PreconditionRequiredError('Name the revision you read: If-Match: "<revision>" (the ETag of GET) or "revision" in the body');
  return revision;
}
