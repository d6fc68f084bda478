import { PingOneAbortError, PingOneNetworkError, PingOneResponseTooLargeError, PingOneTimeoutError, type PingOneError } from '../errors';
import type { TransportError } from './transport';

/**
 * A failed exchange as the client's error for it, for callers that may repeat the request (token requests): a
 * timeout is a PingOneTimeoutError and a network failure a PingOneNetworkError that names its kind (DNS, refused,
 * TLS, …), never an auth error: a credential can only be refused by an answer. The API requester adds its own rule
 * for requests that may have been applied (OUTCOME_UNKNOWN).
 */
export function transportFailureError(error: TransportError, method: string, url: string, timeoutMs: number): PingOneError {
  const f = error.failure;
  if (f.kind === 'aborted') return new PingOneAbortError(method, url);
  if (f.kind === 'timeout') return new PingOneTimeoutError(method, url, timeoutMs, f.cause);
  if (f.kind === 'too-large') return new PingOneResponseTooLargeError(method, url, f.limit, f.received, f.declared);
  return new PingOneNetworkError(method, url, f.reason, f.cause, f.network);
}
