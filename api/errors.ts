// The API's errors and the one handler that turns every error into
// `{ error: { code, message, fields?, requestId } }` with the right status. Client mistakes are
// 4xx with a code; only what nobody expected is a 500, and that one says nothing about internals.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, ServiceError } from '@temporalio/client';
import { z } from 'zod';
import { DatabaseUnavailableError, isConnectionFailure, Prisma } from '../lib/database';
import type { Logger } from '../lib/logger';
import { updateRefusalOf } from '../lib/temporal/update-refusal';
import type { RuleSetError } from '../rules';
import { JOURNEY_ERROR_TYPES } from '../workflows/participant-journey.definitions';

/**
 * Problems by field: `{ "nik": "must be 16 digits", "calendar.surveyWindow": "..." }`. Body
 * fields are named by their path in the body; other request parts are prefixed (`params.n`).
 */
export type FieldProblems = Record<string, string>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { fields?: FieldProblems; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, fields?: FieldProblems) {
    super(400, 'VALIDATION_FAILED', message, { fields });
  }
}

/**
 * A rule set the validator refused: every problem by its path in the rule set
 * (`rules[2].conditions.all[1].operator`; `body` for the document as a whole), naming the rule.
 */
export class InvalidRuleSetError extends HttpError {
  constructor(errors: readonly RuleSetError[]) {
    const fields: FieldProblems = {};
    for (const error of errors) {
      const field = error.path || 'body';
      const problem = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      const described = `${error.code}${error.rule ? ` (rule "${error.rule}")` : ''}: ${problem}`;
      fields[field] = fields[field] ? `${fields[field]}; ${described}` : described;
    }
    super(400, 'INVALID_RULE_SET', `The rule set is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'})`, { fields });
  }
}

/** An operator action without its reason: refused before anything is asked of the journey. */
export class ReasonRequiredError extends HttpError {
  constructor(problem: string) {
    super(400, 'REASON_REQUIRED', 'An operator action needs a reason', { fields: { reason: problem } });
  }
}

/** A batch action's filter that matches no participant: nothing is created, nothing starts. */
export class BatchFilterMatchesNothingError extends HttpError {
  constructor() {
    super(422, 'BATCH_FILTER_MATCHES_NOTHING', 'The filter matches no participant; no batch action was created');
  }
}

/** A large batch is confirmed by a second operator: the one who requested it may not. */
export class SecondOperatorRequiredError extends HttpError {
  constructor() {
    super(403, 'SECOND_OPERATOR_REQUIRED', 'A batch action is confirmed by an operator other than the one who requested it');
  }
}

/**
 * A journey reset to a step its run never reached (no such point in its history): nothing is reset.
 * The step is named by the caller; the event it maps to is found in the history, never given.
 */
export class ResetTargetNotFoundError extends HttpError {
  constructor(step: string) {
    super(422, 'RESET_TARGET_NOT_FOUND', `The journey's current run has not reached the ${step} step; nothing was reset`);
  }
}

/** Temporal itself refused the reset (e.g. the run's state does not allow it): nothing is reset. */
export class ResetRefusedError extends HttpError {
  constructor(detail: string) {
    super(409, 'RESET_REFUSED', `Temporal refused the reset: ${detail}`);
  }
}

/** Nobody decides an appeal against a decision they took part in (its requester, the deciding rules' author, submitter or approver). */
export class OwnDecisionError extends HttpError {
  constructor() {
    super(403, 'OWN_DECISION', 'You took part in the decision this appeal is against; another reviewer must decide it');
  }
}

/** An appeal's document over its limit (decoded); nothing is stored. */
export class DocumentTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'DOCUMENT_TOO_LARGE', `The document may be at most ${maxBytes / (1024 * 1024)} MiB`);
  }
}

export class MalformedJsonError extends HttpError {
  constructor() {
    super(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
}

export class UnauthorizedError extends HttpError {
  constructor(
    code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'INVALID_SIGNATURE' | 'WEBHOOK_REPLAYED' = 'UNAUTHENTICATED',
    message = 'A valid API key or token is required (Authorization: Bearer <key or token>)',
  ) {
    super(401, code, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'This API key is not allowed to call this endpoint') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

/** A WIB day with no reconciliation run: its totals and cases are unknown, not zero. */
export class DayNotReconciledError extends NotFoundError {
  constructor(day: string) {
    super('RECONCILIATION_NOT_FOUND', `${day} has not been reconciled`);
  }
}

export class ConflictError extends HttpError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** The resource existed and is gone for good, e.g. personal data erased after its retention period. */
export class GoneError extends HttpError {
  constructor(code: string, message: string) {
    super(410, code, message);
  }
}

/** A write that must name the version it read (`If-Match`) did not. */
export class PreconditionRequiredError extends HttpError {
  constructor(message: string) {
    super(428, 'PRECONDITION_REQUIRED', message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message = 'The request body is too large') {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}

export class UnprocessableError extends HttpError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(retryAfterSeconds: number, message = 'Too many requests; retry later', code: 'TOO_MANY_REQUESTS' | 'RATE_LIMITED' = 'TOO_MANY_REQUESTS') {
    super(429, code, message, { retryAfterSeconds });
  }
}

/** A client went past its rate limit (per IP or per credential): distinct from load shedding. */
export class RateLimitedError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number, scope: 'ip' | 'credential') {
    super(retryAfterSeconds, `Rate limit exceeded for this ${scope === 'ip' ? 'client address' : 'credential'}; retry after ${retryAfterSeconds} s`, 'RATE_LIMITED');
  }
}

/** The origin of a browser request is not on the allow-list. */
export class OriginNotAllowedError extends HttpError {
  constructor() {
    super(403, 'ORIGIN_NOT_ALLOWED', 'This origin may not call the API');
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(code: string, message: string, retryAfterSeconds = 5) {
    super(503, code, message, { retryAfterSeconds });
  }
}

/** How each business refusal of the journey workflow reaches the client. */
const JOURNEY_REFUSAL_STATUS: Record<string, 409 | 422> = {
  [JOURNEY_ERROR_TYPES.wrongStage]: 409,
  [JOURNEY_ERROR_TYPES.alreadyApplied]: 409,
  [JOURNEY_ERROR_TYPES.invalidToken]: 422,
  [JOURNEY_ERROR_TYPES.waveNotOpen]: 422,
  [JOURNEY_ERROR_TYPES.trainingPlatformMismatch]: 422,
  [JOURNEY_ERROR_TYPES.insufficientBalance]: 422,
  [JOURNEY_ERROR_TYPES.surveyNotOpen]: 422,
  [JOURNEY_ERROR_TYPES.invalidInput]: 422,
  [JOURNEY_ERROR_TYPES.payoutNotBlocked]: 409,
  [JOURNEY_ERROR_TYPES.deadlineNotOpen]: 409,
  [JOURNEY_ERROR_TYPES.deadlineNotExtendable]: 409,
  [JOURNEY_ERROR_TYPES.deadlineExtensionOverLimit]: 422,
  [JOURNEY_ERROR_TYPES.appealWindowClosed]: 409,
  [JOURNEY_ERROR_TYPES.appealAlreadyFiled]: 409,
  [JOURNEY_ERROR_TYPES.appealNotOpen]: 409,
  [JOURNEY_ERROR_TYPES.noticeNotSent]: 422,
  [JOURNEY_ERROR_TYPES.noticeRefused]: 422,
};

/**
 * The workflow's refusal of an update (an ApplicationFailure with one of JOURNEY_ERROR_TYPES,
 * thrown by a validator or handler), as an HttpError; undefined for any other failure.
 */
export function journeyRefusal(error: unknown): HttpError | undefined {
  const refusal = updateRefusalOf(error, (type) => JOURNEY_REFUSAL_STATUS[type] !== undefined);
  const status = refusal && JOURNEY_REFUSAL_STATUS[refusal.type];
  return refusal && status ? new HttpError(status, refusal.type, refusal.message) : undefined;
}

/** Every issue of a ZodError by field; several issues on one field are joined. */
export function fieldProblems(error: z.ZodError, part: 'body' | 'params' | 'query'): FieldProblems {
  const problems: FieldProblems = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const field = part === 'body' ? path || 'body' : [part, path].filter(Boolean).join('.');
    problems[field] = problems[field] ? `${problems[field]}; ${issue.message}` : issue.message;
  }
  return problems;
}

/** body-parser's errors carry `type` and `status`. */
function bodyParserErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' ? type : undefined;
}

function isTemporalUnavailable(error: unknown): boolean {
  return error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError;
}

function isDatabaseUnavailable(error: unknown): boolean {
  return (
    error instanceof DatabaseUnavailableError ||
    isConnectionFailure(error) ||
    error instanceof Prisma.PrismaClientInitializationError ||
    (error instanceof Prisma.PrismaClientKnownRequestError && ['P1001', 'P1002', 'P1008', 'P1017', 'P2024'].includes(error.code))
  );
}

/** Maps anything thrown to the HttpError the client sees; undefined means "unexpected: 500". */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof z.ZodError) return new ValidationError('The request is invalid', fieldProblems(error, 'body'));
  switch (bodyParserErrorType(error)) {
    case undefined:
      break;
    case 'entity.parse.failed':
      return new MalformedJsonError();
    case 'entity.too.large':
      return new PayloadTooLargeError();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('The request body uses an unsupported encoding or charset');
    default:
      return new HttpError(400, 'BAD_REQUEST', 'The request body could not be read');
  }
  const refusal = journeyRefusal(error);
  if (refusal) return refusal;
  // Every workflow the API addresses is a participant's journey.
  if (error instanceof WorkflowNotFoundError) return new NotFoundError('PARTICIPANT_NOT_FOUND', 'No such participant');
  if (isTemporalUnavailable(error)) {
    // An update that timed out may still be applied later, hence the advice to read first.
    return new ServiceUnavailableError('TEMPORAL_UNAVAILABLE', 'The workflow service is unavailable or did not answer in time; read the participant\'s state before retrying a step');
  }
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError('DATABASE_UNAVAILABLE', 'The database is unavailable; retry later');
  return undefined;
}

export function sendError(res: Response, error: HttpError): void {
  if (error.options.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.options.retryAfterSeconds));
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.options.fields ? { fields: error.options.fields } : {}),
      requestId: res.locals.requestId,
    },
  });
}

export const answerUnknownRoute: RequestHandler = (req, res) => {
  sendError(res, new NotFoundError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const httpError = toHttpError(error);
    if (httpError) {
      // A dependency's own error says what went wrong; ours (JOURNEY_STARTING) says nothing more.
      if (httpError.status >= 500) logger.warn({ requestId: res.locals.requestId, code: httpError.code, err: error === httpError ? undefined : error }, 'answered unavailable');
      sendError(res, httpError);
      return;
    }
    // The error object may carry a workflow failure's message; it goes to the log, not the client.
    logger.error({ requestId: res.locals.requestId, method: req.method, route: req.route?.path, err: error }, 'unexpected error');
    sendError(res, new HttpError(500, 'INTERNAL', 'An unexpected error occurred; quote the request id when reporting it'));
  };
}
