import { randomUUID } from 'node:crypto';

/** One entry of PingOne's `details[]` (P1Error in the OpenAPI spec). */
export interface ErrorDetail {
  readonly code: string;
  readonly target?: string;
  readonly message: string;
  readonly innerError?: Readonly<Record<string, unknown>>;
}

export interface ErrorBody {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
}

/**
 * An error a handler throws to answer with PingOne's error body. The top-level codes and messages follow
 * pingone-api.md §6 (PingOne's error-codes page and the Go client's enums).
 */
export class SimulatorHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, details: readonly ErrorDetail[] = [], headers: Record<string, string> = {}) {
    super(message);
    this.name = 'SimulatorHttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  body(): ErrorBody {
    return this.details.length > 0
      ? { id: randomUUID(), code: this.code, message: this.message, details: this.details }
      : { id: randomUUID(), code: this.code, message: this.message };
  }
}

const INVALID_DATA_MESSAGE = 'The request could not be completed. One or more validation errors were in the request.';

export const httpErrors = {
  invalidData: (...details: ErrorDetail[]) => new SimulatorHttpError(400, 'INVALID_DATA', INVALID_DATA_MESSAGE, details),
  invalidRequest: (message: string) => new SimulatorHttpError(400, 'INVALID_REQUEST', message),
  accessFailed: () =>
    new SimulatorHttpError(401, 'ACCESS_FAILED', 'You do not have access to this resource.', [
      {
        code: 'INVALID_TOKEN',
        target: 'Authentication Credentials',
        message: 'The authorization token is either missing or invalid, or it has expired.',
      },
    ]),
  forbidden: () =>
    new SimulatorHttpError(403, 'ACCESS_FAILED', 'The actor attempting to perform the request is not authorized.', [
      { code: 'INSUFFICIENT_PERMISSIONS', message: 'The actor attempting to perform the request is not authorized.' },
    ]),
  notFound: () => new SimulatorHttpError(404, 'NOT_FOUND', 'The requested resource was not found.'),
  methodNotAllowed: (allowed: readonly string[]) =>
    new SimulatorHttpError(405, 'METHOD_NOT_ALLOWED', 'The request method is not supported for this resource.', [], {
      allow: allowed.join(','),
    }),
  unsupportedMediaType: (contentType: string, supported: readonly string[]) =>
    new SimulatorHttpError(415, 'INVALID_REQUEST', 'Unsupported Media Type', [
      {
        code: 'INVALID_VALUE',
        target: 'Content-Type',
        message: `Content type '${contentType}' is not supported. Supported: ${supported.join(', ')}.`,
      },
    ]),
  requestLimited: (retryAfterSeconds: number) =>
    new SimulatorHttpError(
      429,
      'REQUEST_LIMITED',
      'The request could not be completed. You have exceeded your request limit.',
      [{ code: 'LIMIT_EXCEEDED', message: 'Request limit exceeded.', innerError: { retryAfter: retryAfterSeconds } }],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  unexpected: () => new SimulatorHttpError(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.'),
};

/** A fault-injected error for an arbitrary status, shaped like PingOne's body for that status class. */
export function errorForStatus(status: number, retryAfterSeconds?: number): SimulatorHttpError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  switch (status) {
    case 400:
      return httpErrors.invalidData({ code: 'INVALID_VALUE', message: 'Injected fault.' });
    case 401:
      return httpErrors.accessFailed();
    case 403:
      return httpErrors.forbidden();
    case 404:
      return httpErrors.notFound();
    case 429:
      return httpErrors.requestLimited(retryAfterSeconds ?? 1);
    default: {
      const code = status >= 500 ? 'UNEXPECTED_ERROR' : 'REQUEST_FAILED';
      const message = status === 503 ? 'The service is temporarily unavailable.' : 'An unexpected error occurred.';
      return new SimulatorHttpError(status, code, message, [], headers);
    }
  }
}
