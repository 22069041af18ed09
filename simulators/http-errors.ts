/** The simulators' one error shape: `{ error: { code, message, fields?, requestId } }`. */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

export interface FieldIssue {
  path: string;
  message: string;
}

export class SimulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
    this.name = 'SimulatorHttpError';
  }
}

export function sendError(res: Response, status: number, code: string, message: string, fields?: FieldIssue[]): void {
  const requestId: unknown = res.locals.requestId;
  res.status(status).json({
    error: {
      code,
      message,
      ...(fields === undefined ? {} : { fields }),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    },
  });
}

export const answerUnknownRoute: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** Body-parser errors carry `type` and `status`; everything else unexpected is a real 500. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

export function createErrorHandler(logError: (err: unknown) => void): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters, so `next` stays even when unused.
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      // Too late for a JSON error: let Express end the connection.
      next(err);
      return;
    }
    if (err instanceof SimulatorHttpError) {
      sendError(res, err.status, err.code, err.message, err.fields);
      return;
    }
    if (isBodyParserError(err)) {
      if (err.type === 'entity.parse.failed') {
        sendError(res, 400, 'INVALID_JSON', 'The request body is not valid JSON');
        return;
      }
      if (err.type === 'entity.too.large') {
        sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
        return;
      }
      if (err.status >= 400 && err.status < 500) {
        sendError(res, err.status, 'BAD_REQUEST', 'The request body could not be read');
        return;
      }
    }
    logError(err);
    sendError(res, 500, 'INTERNAL', 'The simulator failed unexpectedly');
  };
}
