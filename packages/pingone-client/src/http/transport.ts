import got, { RequestError, TimeoutError } from 'got';
import { describeNetworkFailure, type NetworkFailureKind } from './network-failure';
import { asError } from '../as-error';

/** One HTTP exchange, as the rest of the client sees it: no got types leak out of this module. */
export interface RawRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The largest body read (after decompression); a longer one is cut off. Default DEFAULT_MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
}

/**
 * 64 MiB. PingOne's largest page is 1000 users of at most 16 KB each (its profile limit, pingone-api.md §3.4), about
 * 16 MB; a typical page of 200 users is ~400 KB. A body beyond this is not PingOne's: it is never buffered whole.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * How an exchange failed before a complete response arrived. `sent` is false only when the request certainly
 * never reached the server (connection refused, DNS), which makes even a POST safe to repeat.
 */
export type TransportFailure =
  | { readonly kind: 'timeout'; readonly sent: boolean; readonly cause: unknown }
  | {
      readonly kind: 'network';
      readonly sent: boolean;
      readonly reason: string;
      readonly network: NetworkFailureKind;
      readonly cause: unknown;
    }
  | { readonly kind: 'aborted'; readonly cause: unknown }
  /** the body (or its content-length) passed maxResponseBytes: reading stopped there, the connection was closed */
  | { readonly kind: 'too-large'; readonly limit: number; readonly received: number; readonly declared: number | undefined };

export class TransportError extends Error {
  readonly failure: TransportFailure;
  constructor(failure: TransportFailure) {
    super(failure.kind);
    this.failure = failure;
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The only module that imports got. Retries, auth and limits live in the layers above, so got runs with its own
 * retry off and never throws for HTTP status codes.
 */
export async function send(request: RawRequest): Promise<RawResponse> {
  try {
    return await exchange(request);
  } catch (caught) {
    if (caught instanceof BodyTooLarge)
      throw new TransportError({ kind: 'too-large', limit: caught.limit, received: caught.received, declared: caught.declared });
    const error = detached(caught);
    if (request.signal?.aborted) throw new TransportError({ kind: 'aborted', cause: error });
    if (caught instanceof TimeoutError)
      throw new TransportError({ kind: 'timeout', sent: caught.event !== 'lookup' && caught.event !== 'connect', cause: error });
    const code = caught instanceof RequestError ? caught.code : undefined;
    const { kind, reason } = describeNetworkFailure(code, error.message, request.url);
    throw new TransportError({ kind: 'network', sent: !(code && NOT_SENT.has(code)), reason, network: kind, cause: error });
  }
}

/** Raised inside exchange() when a body passes its limit. */
class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    readonly received: number,
    readonly declared: number | undefined,
  ) {
    super('the response body is over maxResponseBytes');
  }
}

/**
 * got's stream API, with the abort wired here rather than through got's `signal` option. got's promise API stores the
 * body on its response object, and with the promise API or with `signal` given to got, each page's body (a page of 200
 * users is ~400 KB) was still reachable at the next scavenge, so it was promoted and freed only by a full mark-compact:
 * iterating 100k users promoted ~9 MB per scavenge (~0.4 MB this way), and peak RSS grew by ~115 MB instead of ~20 MB
 * (bench/memory.ts, issue 17). Here got's request never holds the body, and nothing of it outlives the exchange.
 */
function exchange(request: RawRequest): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const stream = got.stream(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      timeout: { request: request.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
    });
    const signal = request.signal;
    const onAbort = () => stream.destroy(new Error('the request was aborted'));
    const settle = () => signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    let head: { status: number; headers: RawResponse['headers'] } | undefined;
    const chunks: Buffer[] = [];
    const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let received = 0;
    let overflow: BodyTooLarge | undefined;
    // Past the limit the chunks are dropped and the connection closed at once: a 700 MB body (or an endless one)
    // costs at most `limit` bytes of memory, never a string over V8's maximum length (which throws outside any promise).
    const tooLarge = (declared: number | undefined) => {
      chunks.length = 0;
      overflow ??= new BodyTooLarge(limit, received, declared);
      stream.destroy(overflow); // got wraps it in a RequestError: `overflow` is what the promise rejects with
    };
    stream.once('response', (response: { statusCode: number; headers: RawResponse['headers'] }) => {
      head = { status: response.statusCode, headers: response.headers };
      const length = Number(response.headers['content-length']);
      if (Number.isFinite(length) && length > limit) tooLarge(length);
    });
    stream.on('data', (chunk: Buffer) => {
      if (overflow) return;
      received += chunk.length;
      if (received > limit) tooLarge(undefined);
      else chunks.push(chunk);
    });
    // `on`, not `once`: a stream may emit a second error while it is torn down, and an unhandled one would crash.
    stream.on('error', (error: unknown) => {
      settle();
      reject(overflow ?? asError(error));
    });
    stream.once('close', () => {
      settle();
      reject(overflow ?? new Error('the connection closed before the response ended'));
    });
    stream.once('end', () => {
      settle();
      if (overflow) return reject(overflow);
      if (head === undefined) return reject(new Error('the response ended before its status line arrived'));
      let body: string;
      try {
        body = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      } catch (error) {
        // An event handler's throw is uncaught (it would end the process): it becomes this exchange's failure.
        stream.destroy();
        return reject(asError(error));
      } finally {
        chunks.length = 0;
      }
      // As got's promise API does: a finished stream is destroyed, or its timers and listeners outlive it.
      stream.destroy();
      resolve({ ...head, body });
    });
    // got ends GET/HEAD requests and requests with a body itself; the others (a DELETE) wait for the end of the upload.
    if (request.body === undefined && request.method !== 'GET') stream.end();
  });
}

/**
 * got's errors carry the request options, Authorization header included, and they become the `cause` of the
 * client's errors: only name, message, code and stack are kept, so logging a cause can't print a credential.
 */
function detached(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message);
  copy.name = error.name;
  copy.stack = error.stack ?? `${error.name}: ${error.message}`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  return copy;
}
