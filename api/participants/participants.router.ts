import express, { Router } from 'express';
import { MAX_PAYMENT_COUNT } from '../../lib/program-terms';
import type { Authorize } from '../authorization';
import { NotFoundError, ReasonRequiredError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { callerOf } from '../request-context';
import { parseBody, parseQuery, routeParam } from '../request-validation';
import {
  accessTokenRequestSchema,
  deadlineExtensionRequestSchema,
  emailVerificationRequestSchema,
  identityCorrectionRequestSchema,
  journeyResetRequestSchema,
  noticeResendRequestSchema,
  operatorActionRequestSchema,
  payoutAccountRequestSchema,
  statusQuerySchema,
  surveySequenceSchema,
  surveySubmissionRequestSchema,
  waveApplicationRequestSchema,
  withdrawalRequestSchema,
} from './participant.schema';
import type { ParticipantService } from './participant.service';
import { detectPhotoFormat, MAX_PHOTO_BYTES, type PhotoFormat } from './photo-storage';

export function createParticipantsRouter({ participants, authorize }: { participants: ParticipantService; authorize: Authorize }): Router {
  const router = Router();

  router.get('/:id', authorize('GET /v1/participants/:id'), async (req, res) => {
    res.json(await participants.getParticipant(routeParam(req, 'id')));
  });

  // The participant's own view (their token, or the backend on their behalf): no personal data.
  router.get('/:id/status', authorize('GET /v1/participants/:id/status'), async (req, res) => {
    const { lang } = parseQuery(statusQuerySchema, req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await participants.getStatus(routeParam(req, 'id'), lang));
  });

  router.post('/:id/access-tokens', authorize('POST /v1/participants/:id/access-tokens'), async (req, res) => {
    const { ttlSeconds } = parseBody(accessTokenRequestSchema, req);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await participants.issueAccessToken(routeParam(req, 'id'), ttlSeconds));
  });

  router.post('/:id/email-verification', authorize('POST /v1/participants/:id/email-verification'), async (req, res) => {
    res.json(await participants.verifyEmail(routeParam(req, 'id'), parseBody(emailVerificationRequestSchema, req)));
  });

  router.post('/:id/email-verification/resend', authorize('POST /v1/participants/:id/email-verification/resend'), async (req, res) => {
    res.json(await participants.resendVerificationEmail(routeParam(req, 'id')));
  });

  router.put('/:id/identity', authorize('PUT /v1/participants/:id/identity'), async (req, res) => {
    res.json(await participants.correctIdentity(routeParam(req, 'id'), parseBody(identityCorrectionRequestSchema, req)));
  });

  router.post('/:id/wave-applications', authorize('POST /v1/participants/:id/wave-applications'), async (req, res) => {
    res.json(await participants.applyToWave(routeParam(req, 'id'), parseBody(waveApplicationRequestSchema, req)));
  });

  router.put('/:id/payout-account', authorize('PUT /v1/participants/:id/payout-account'), async (req, res) => {
    res.json(await participants.setPayoutAccount(routeParam(req, 'id'), parseBody(payoutAccountRequestSchema, req)));
  });

  router.post('/:id/surveys/:n', authorize('POST /v1/participants/:id/surveys/:n'), async (req, res) => {
    const sequence = surveySequenceSchema.safeParse(routeParam(req, 'n'));
    if (!sequence.success) throw new NotFoundError('SURVEY_NOT_FOUND', `Surveys are numbered 1 to at most ${MAX_PAYMENT_COUNT}`);
    const { answers } = parseBody(surveySubmissionRequestSchema, req);
    res.json(await participants.submitSurvey(routeParam(req, 'id'), sequence.data, answers));
  });

  router.post('/:id/withdrawal', authorize('POST /v1/participants/:id/withdrawal'), async (req, res) => {
    res.json(await participants.withdraw(routeParam(req, 'id'), parseBody(withdrawalRequestSchema, req)));
  });

  router.post('/:id/cancellation', authorize('POST /v1/participants/:id/cancellation'), async (req, res) => {
    res.json(await participants.cancel(routeParam(req, 'id'), reasonOf(req), callerOf(res)));
  });

  router.post('/:id/verification-email-resends', authorize('POST /v1/participants/:id/verification-email-resends'), async (req, res) => {
    res.json(await participants.resendVerificationEmailForOperator(routeParam(req, 'id'), reasonOf(req), callerOf(res)));
  });

  router.post('/:id/notice-resends', authorize('POST /v1/participants/:id/notice-resends'), async (req, res) => {
    const reason = reasonOf(req);
    const { milestone } = parseBody(noticeResendRequestSchema, req);
    res.json(await participants.resendNotice(routeParam(req, 'id'), milestone, reason, callerOf(res)));
  });

  router.post('/:id/payout-retries', authorize('POST /v1/participants/:id/payout-retries'), async (req, res) => {
    res.json(await participants.retryPayout(routeParam(req, 'id'), reasonOf(req), callerOf(res)));
  });

  // The reason first, as for every operator action (REASON_REQUIRED), then the rest of the body.
  router.post('/:id/deadline-extensions', authorize('POST /v1/participants/:id/deadline-extensions'), async (req, res) => {
    const reason = reasonOf(req);
    const { deadline, extension } = parseBody(deadlineExtensionRequestSchema, req);
    res.json(await participants.extendDeadline(routeParam(req, 'id'), { deadline, extension }, reason, callerOf(res)));
  });

  router.post('/:id/resets', authorize('POST /v1/participants/:id/resets'), async (req, res) => {
    const reason = reasonOf(req);
    const { step } = parseBody(journeyResetRequestSchema, req);
    res.json(await participants.resetJourney(routeParam(req, 'id'), step, reason, callerOf(res)));
  });

  router.get('/:id/notices', authorize('GET /v1/participants/:id/notices'), async (req, res) => {
    res.json(await participants.notices(routeParam(req, 'id')));
  });

  router.get('/:id/audit-trail', authorize('GET /v1/participants/:id/audit-trail'), async (req, res) => {
    res.json(await participants.auditTrail(routeParam(req, 'id')));
  });

  // Any Content-Type: the photo's own first bytes say what it is.
  const readPhoto = express.raw({ type: () => true, limit: MAX_PHOTO_BYTES });
  router.put('/:id/photo', authorize('PUT /v1/participants/:id/photo'), readPhoto, async (req, res) => {
    const { bytes, format } = photoOf(req.body);
    res.json(await participants.storePhoto(routeParam(req, 'id'), bytes, format));
  });

  return router;
}

/** An operator action's reason; without one, nothing is asked of the journey and nothing recorded. */
function reasonOf(req: express.Request): string {
  const parsed = operatorActionRequestSchema.safeParse(req.body ?? {});
  if (!parsed.success) throw new ReasonRequiredError(parsed.error.issues[0]?.message ?? 'is required');
  return parsed.data.reason;
}

/** Without a body express.raw leaves req.body undefined; sent as JSON, the JSON parser has read it already. */
function photoOf(body: unknown): { bytes: Buffer; format: PhotoFormat } {
  if (body === undefined || (Buffer.isBuffer(body) && body.length === 0)) {
    throw new ValidationError('The photo is missing', { body: 'must be the bytes of a JPEG or PNG image' });
  }
  const format = Buffer.isBuffer(body) ? detectPhotoFormat(body) : undefined;
  if (!Buffer.isBuffer(body) || !format) throw new UnsupportedMediaTypeError('The photo must be a JPEG or PNG image');
  return { bytes: body, format };
}
