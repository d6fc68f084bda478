import type { IncomingMessage } from 'node:http';
import { SimulatorHttpError } from './errors';

/**
 * Size limits on what precedes the body. PingOne documents a 6 KB limit on request headers; for the request line
 * (method, URL with its query, version) it documents none, so the simulator uses 8,192 bytes: the maximum URL length
 * of Amazon CloudFront (PingOne answers from AWS: `x-amzn-requestid`) and the common server default (Apache's
 * LimitRequestLine 8190, nginx's 8 KB header buffers). Long `filter=` values are what reach these limits.
 */
export interface RequestLimits {
  /** Bytes of `METHOD /path?query HTTP/1.1`. Default 8192: over it, 414 URI Too Long. */
  readonly maxRequestLineBytes: number;
  /** Bytes of all header lines (`name: value\r\n`). Default 6144 (PingOne's 6 KB): over it, 431. */
  readonly maxHeaderBytes: number;
}

export const PINGONE_REQUEST_LIMITS: RequestLimits = Object.freeze({ maxRequestLineBytes: 8192, maxHeaderBytes: 6144 });

/**
 * What Node buffers before giving up on a request head (its own default is 16 KiB, answered with a bare 431). It is
 * far above the limits so that oversized requests still reach `checkRequestLimits` and get an error body.
 */
export const NODE_MAX_HEADER_SIZE = 4 * 1024 * 1024;

function tooLarge(status: 414 | 431, target: string, size: string, limit: number, fix: string): SimulatorHttpError {
  const what = status === 414 ? 'request line (method, URL and query)' : 'request headers';
  return new SimulatorHttpError(status, 'INVALID_REQUEST', status === 414 ? 'URI Too Long' : 'Request Header Fields Too Large', [
    {
      code: 'SIZE_LIMIT_EXCEEDED',
      target,
      message: `The ${what} of ${size} bytes exceed the limit of ${limit} bytes. ${fix}`,
      innerError: { maximumValue: limit },
    },
  ]);
}

/** Throws 414 or 431 when the request line or the headers are over the limits. */
export function checkRequestLimits(req: IncomingMessage, limits: RequestLimits | false): void {
  if (!limits) return;
  const line = Buffer.byteLength(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`);
  if (line > limits.maxRequestLineBytes) {
    throw tooLarge(
      414,
      'url',
      String(line),
      limits.maxRequestLineBytes,
      'Send a shorter filter, e.g. split a long OR or IN list over several requests.',
    );
  }
  let headers = 0;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers += Buffer.byteLength(req.rawHeaders[i]) + Buffer.byteLength(req.rawHeaders[i + 1]) + 4;
  if (headers > limits.maxHeaderBytes) {
    throw tooLarge(431, 'headers', String(headers), limits.maxHeaderBytes, 'Send fewer or shorter headers.');
  }
}

/** The raw response for a request head even Node would not buffer (over NODE_MAX_HEADER_SIZE). */
export function oversizedHeadResponse(limits: RequestLimits): string {
  const error = tooLarge(
    431,
    'headers',
    `more than ${NODE_MAX_HEADER_SIZE}`,
    limits.maxHeaderBytes,
    'Send a much shorter request: split long filters over several requests.',
  );
  const body = JSON.stringify(error.body());
  return `HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
