import { QueryFailedError } from 'typeorm';
import { PingOneApiError, PingOneAuthError, PingOneError } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

/** What an HTTP client is told about a failed PingOne call: nothing here may hold a secret or a request URL. */
export interface PingOneHttpError {
  readonly statusCode: number;
  readonly body: {
    readonly statusCode: number;
    readonly error: string;
    /** PingOne's message (or the driver's, for errors raised before any request). */
    readonly message: string;
    /** PingOne's top-level code (INVALID_DATA, NOT_FOUND, REQUEST_LIMITED…) or the driver's/client's code. */
    readonly code: string;
    /** PingOne's `details[]`: code, target attribute and message of each validation failure. */
    readonly details?: readonly { readonly code: string; readonly target?: string; readonly message: string }[];
    /** PingOne's correlation id: quote it to Ping support to find the request in their logs. */
    readonly correlationId?: string;
  };
  /** Seconds, from PingOne's Retry-After, for 429 and 503 answers. */
  readonly retryAfterSeconds?: number;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The PingOne error inside `error`, however TypeORM and the driver wrapped it: QueryFailedError → driverError
 * (PingOneDriverError) → cause (the client's PingOneError). Undefined for errors that did not come from PingOne.
 */
export function unwrapPingOneError(error: unknown): PingOneError | PingOneDriverError | undefined {
  let current: unknown = error instanceof QueryFailedError ? (error as QueryFailedError & { driverError?: unknown }).driverError : error;
  if (current instanceof PingOneDriverError && current.cause instanceof PingOneError) current = current.cause;
  return current instanceof PingOneError || current instanceof PingOneDriverError ? current : undefined;
}

function apiStatus(error: PingOneApiError): number {
  if (error.detailCodes.includes('UNIQUENESS_VIOLATION') || error.status === 409) return 409;
  if (error.status === 400 || error.status === 404 || error.status === 429) return error.status;
  if (error.status === 503) return 503;
  // 401/403 mean the app's own credentials or roles are wrong, 5xx that PingOne failed: the caller did nothing wrong.
  return 502;
}

function fromApiError(error: PingOneApiError): PingOneHttpError {
  const statusCode = apiStatus(error);
  const details = error.details.map((d) => ({ code: d.code, ...(d.target ? { target: d.target } : {}), message: d.message }));
  const detailText = details.map((d) => `${d.target ? `${d.target}: ` : ''}${d.message}`).join('; ');
  const upstream = statusCode >= 500 ? 'PingOne answered ' + String(error.status) + ': ' : '';
  const message = `${upstream}${error.apiMessage ?? REASONS[statusCode] ?? 'PingOne request failed'}${detailText ? ` (${detailText})` : ''}`;
  return {
    statusCode,
    body: {
      statusCode,
      error: REASONS[statusCode] ?? 'Error',
      message,
      code: error.apiCode ?? error.code,
      ...(details.length > 0 ? { details } : {}),
      ...(error.correlationId ? { correlationId: error.correlationId } : {}),
    },
    ...((statusCode === 429 || statusCode === 503) && error.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: error.retryAfterSeconds }
      : {}),
  };
}

function plain(statusCode: number, code: string, message: string): PingOneHttpError {
  return { statusCode, body: { statusCode, error: REASONS[statusCode] ?? 'Error', message, code } };
}

/**
 * The HTTP answer for an error from this driver or the PingOne client, or undefined when `error` is not one.
 * 400/404 invalid data and unknown ids, 400 for a read-only attribute or a missing required one (checked before any
 * request), 409 uniqueness, 429 rate limited, 502/503/504 when PingOne (or the app's access to it) failed, 500 for
 * the app's own mistakes (an unsupported query or mapping), whose text stays in the log.
 */
export function pingOneHttpError(error: unknown): PingOneHttpError | undefined {
  const found = unwrapPingOneError(error);
  if (found === undefined) return undefined;
  if (found instanceof PingOneApiError) return fromApiError(found);
  // A driver error with no PingOne answer inside (unsupported query, mapping, read-only attribute) is the app's
  // own mistake, not the caller's: its text names entities and SQL, so it goes to the log, not to the caller.
  if (found instanceof PingOneDriverError) {
    switch (found.code) {
      // a required attribute or a non-nullable column left empty: the caller's data, checked before any request
      case 'VALIDATION_ERROR':
        return plain(400, found.code, found.message);
      // a value for an attribute PingOne sets or keeps fixed (createdAt, a group's population): the caller sent it,
      // and nothing was sent to PingOne; the message names the attribute and says what to do instead
      case 'READ_ONLY_ATTRIBUTE':
        return plain(400, found.code, found.message);
      case 'OUTCOME_UNKNOWN':
        return plain(
          502,
          found.code,
          'PingOne received the request but its answer was lost: it may or may not have been applied. Read the resource back before repeating the request.',
        );
      case 'PARTIALLY_APPLIED':
        return plain(
          502,
          found.code,
          'PingOne applied only part of the change, and it could not be undone. Read the resources back before repeating the request.',
        );
      default:
        return plain(500, found.code, 'Internal server error');
    }
  }
  switch (found.code) {
    case 'TIMEOUT':
      return plain(504, found.code, 'PingOne did not answer in time. Try again later.');
    case 'NETWORK_ERROR':
      return plain(502, found.code, 'PingOne could not be reached. Try again later.');
    case 'OUTCOME_UNKNOWN':
      return plain(
        502,
        found.code,
        'PingOne received the request but its answer was lost: it may or may not have been applied. Read the resource back before repeating the request.',
      );
    case 'AUTH_ERROR':
      return plain(
        502,
        found.code,
        `This service could not sign in to PingOne${found instanceof PingOneAuthError && found.status ? ` (token endpoint answered ${found.status})` : ''}.`,
      );
    default:
      return plain(500, found.code, 'Internal server error');
  }
}
