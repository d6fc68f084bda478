import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

/**
 * Reads the request body. At most 1 MiB is kept, so a hostile client can't exhaust memory; the rest is drained
 * (not left unread) so the error response still reaches the client on an intact connection.
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body larger than 1 MiB');
  return Buffer.concat(chunks).toString('utf8');
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Headers PingOne sends on every management API response (real-recordings/*.har). */
function standardHeaders(contentType: string): Record<string, string> {
  const id = randomUUID();
  return {
    'content-type': contentType,
    'correlation-id': id,
    'x-amzn-requestid': id,
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    pragma: 'no-cache',
    expires: '0',
  };
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Writes a JSON reply. With `cut`, the headers and half of the body go out and then the socket is destroyed,
 * as when a connection drops mid-response.
 */
export function sendJson(res: ServerResponse, reply: Reply, contentType: string, cut = false): void {
  // A reply that names its own content type (the sign-in page) carries its body as text.
  const raw = reply.headers?.['content-type'] !== undefined && typeof reply.body === 'string';
  const text = reply.body === undefined || reply.status === 204 ? '' : raw ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...standardHeaders(contentType), ...reply.headers };
  if (text) headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  if (cut) {
    res.flushHeaders();
    res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    setImmediate(() => res.socket?.destroy());
    return;
  }
  res.end(text);
}

export const HAL_JSON = 'application/hal+json;charset=UTF-8';
export const PLAIN_JSON = 'application/json;charset=UTF-8';

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
