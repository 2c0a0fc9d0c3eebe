import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, boundedMessage } from '../domain/errors';
import { isDbUnavailable } from '../data/pool';
import type { Logger } from '../logger';

export const notFoundHandler: RequestHandler = (_req, _res, next) =>
  next(new AppError(404, 'not_found', 'no such endpoint'));

/** Every error becomes `{"error":{"code","message"}}` with the right status; never a stack trace. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: AppError;
    if (err instanceof AppError) {
      e = err;
    } else if (err?.type === 'entity.too.large') {
      e = new AppError(413, 'payload_too_large', 'the body is over 100 kB');
    } else if (err?.type === 'entity.parse.failed') {
      e = new AppError(400, 'malformed_json', 'the body is not valid JSON');
    } else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      e = new AppError(415, 'unsupported_media_type', 'unsupported body encoding');
    } else if (isDbUnavailable(err)) {
      e = new AppError(
        503,
        'service_unavailable',
        'the store is temporarily unavailable; try again shortly',
        undefined,
        {
          'Retry-After': '5',
        },
      );
      log.warn({ reqId: req.id, err: err.message }, 'database unavailable');
    } else {
      e = new AppError(500, 'internal', 'something went wrong; it has been logged');
      log.error(
        { reqId: req.id, err: { message: err?.message, stack: err?.stack } },
        'unhandled error',
      );
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(e.headers ?? {})) res.setHeader(k, v);
    res.status(e.status).json({
      error: {
        code: e.code,
        message: boundedMessage(e.message),
        ...(e.details ? { details: e.details } : {}),
      },
    });
  };
}
