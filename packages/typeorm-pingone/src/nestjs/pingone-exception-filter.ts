import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { PingOneError } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { pingOneHttpError, unwrapPingOneError, type PingOneHttpError } from './http-error';

interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}
interface FastifyLikeReply {
  code(code: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: unknown): unknown;
}

function isExpress(res: unknown): res is ExpressLikeResponse {
  return (
    typeof (res as Partial<ExpressLikeResponse>).status === 'function' && typeof (res as Partial<ExpressLikeResponse>).json === 'function'
  );
}
function isFastify(res: unknown): res is FastifyLikeReply {
  return typeof (res as Partial<FastifyLikeReply>).code === 'function' && typeof (res as Partial<FastifyLikeReply>).send === 'function';
}

const INTERNAL: PingOneHttpError = {
  statusCode: 500,
  body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', code: 'INTERNAL' },
};

/**
 * Answers HTTP requests that failed on PingOne with the status PingOne's answer means (400, 404, 409 for
 * uniqueness, 429, 502/503/504 upstream) and PingOne's message, details and correlation id instead of Nest's 500.
 * It catches only this driver's and the PingOne client's errors (and TypeORM's QueryFailedError wrapping them), so
 * Nest's own exceptions keep their handling. Register it with `app.useGlobalFilters(new PingOneExceptionFilter())`
 * or as an APP_FILTER provider. HTTP only (Express or Fastify).
 */
@Catch(QueryFailedError, PingOneDriverError, PingOneError)
export class PingOneExceptionFilter implements ExceptionFilter {
  readonly #logger = new Logger('PingOneExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const answer = pingOneHttpError(exception) ?? INTERNAL;
    // Only the app's own mistakes are logged: 4xx are the caller's, 502-504 PingOne's, and both reach the caller
    // with PingOne's message and correlation id.
    if (answer.statusCode === 500) {
      // The unwrapped error only: QueryFailedError's own message carries the SQL parameters (a password on insert).
      const inner = unwrapPingOneError(exception);
      this.#logger.error(inner ? `${inner.name} [${inner.code}]: ${inner.message}` : 'Query failed (not a PingOne error)');
    }
    const res: unknown = host.switchToHttp().getResponse();
    const retryAfter = answer.retryAfterSeconds === undefined ? undefined : String(answer.retryAfterSeconds);
    if (isExpress(res)) {
      if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
      res.status(answer.statusCode).json(answer.body);
    } else if (isFastify(res)) {
      const reply = retryAfter !== undefined ? res.header('Retry-After', retryAfter) : res;
      reply.code(answer.statusCode).send(answer.body);
    } else {
      throw exception;
    }
  }
}
