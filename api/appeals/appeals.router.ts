// The appeal routes: the participant's filing (at /v1/participants, with its own body limit) and
// the reviewers' queue, reading and decision (at /v1/appeals).
import express, { Router, type RequestHandler, type Response } from 'express';
import type { Authorize } from '../authorization';
import { DocumentTooLargeError, toHttpError } from '../errors';
import { callerOf } from '../request-context';
import { parseBody, parseQuery, routeParam } from '../request-validation';
import { appealDocumentOf, MAX_APPEAL_DOCUMENT_BYTES } from './appeal-documents';
import { appealDecisionRequestSchema, appealFilingRequestSchema, appealQueueQuerySchema } from './appeal.schema';
import type { AppealService, ReadContext } from './appeal.service';

/**
 * A filing carries its document as base64 (2 MiB is about 2.8 MB of text) beside a statement of at
 * most 4000 characters: this route reads up to 3 MB, everything else the API's 100 kB.
 */
const MAX_FILING_BODY = '3mb';

/**
 * The participant's filing, mounted at /v1/participants before the API's own JSON parser: it reads
 * its larger body itself, and only once the caller is known (a participant's token for another id
 * is answered 404 before anything is read).
 */
export function createAppealFilingRouter({ appeals, authorize }: { appeals: AppealService; authorize: Authorize }): Router {
  const router = Router();
  const parseFiling = express.json({ limit: MAX_FILING_BODY });
  // Only the document makes a filing this large: a body over the limit is said as the document's.
  const readFiling: RequestHandler = (req, res, next) =>
    parseFiling(req, res, (error?: unknown) => next(error !== undefined && toHttpError(error)?.code === 'PAYLOAD_TOO_LARGE' ? new DocumentTooLargeError(MAX_APPEAL_DOCUMENT_BYTES) : error));

  router.post('/:id/appeals', authorize('POST /v1/participants/:id/appeals'), readFiling, async (req, res) => {
    const filing = parseBody(appealFilingRequestSchema, req);
    // Size and type first: nothing of the appeal is written for a document that will not do.
    const document = filing.document ? appealDocumentOf(filing.document) : undefined;
    res.status(201).json(await appeals.file(routeParam(req, 'id'), filing, document));
  });

  return router;
}

/** The reviewers' side, mounted at /v1/appeals. */
export function createAppealsRouter({ appeals, authorize }: { appeals: AppealService; authorize: Authorize }): Router {
  const router = Router();

  router.get('/', authorize('GET /v1/appeals'), async (req, res) => {
    res.json(await appeals.queue(parseQuery(appealQueueQuerySchema, req)));
  });

  router.get('/:id', authorize('GET /v1/appeals/:id'), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await appeals.read(routeParam(req, 'id'), readContextOf(res)));
  });

  router.get('/:id/document', authorize('GET /v1/appeals/:id/document'), async (req, res) => {
    const appealId = routeParam(req, 'id');
    const document = await appeals.document(appealId, readContextOf(res));
    // attachment() sets a type from the name's extension: ours, from the bytes, is set after it.
    res.attachment(document.fileName ?? `appeal-${appealId}`);
    res.setHeader('Content-Type', document.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(document.bytes);
  });

  router.post('/:id/decision', authorize('POST /v1/appeals/:id/decision'), async (req, res) => {
    const decision = parseBody(appealDecisionRequestSchema, req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await appeals.decide(routeParam(req, 'id'), decision, readContextOf(res)));
  });

  return router;
}

function readContextOf(res: Response): ReadContext {
  return { caller: callerOf(res), requestId: res.locals.requestId };
}
