/*
 * How a PingOne response is read once it has arrived: the JSON body (or an error naming what answered instead), the
 * PingOneApiError of a failed call, and the headers a result carries. Apart from api-requester.ts, which decides when
 * to send, retry and refresh; these only interpret one response.
 */
import { PingOneApiError, PingOneError, type PingOneErrorDetail } from '../errors';
import { redactUrl, type SecretRedactor } from '../redact';
import type { RawResponse } from './transport';

const RESULT_HEADERS = ['content-type', 'cache-control', 'correlation-id'] as const;

export function resultHeaders(response: RawResponse): Record<string, string> {
  return Object.fromEntries(
    RESULT_HEADERS.flatMap((name) => {
      const v = header(response, name);
      return v === undefined ? [] : [[name, v]];
    }),
  );
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'The access token was refused even after a refresh: check that the worker app is enabled and its secret is current',
  403: 'The worker app lacks a role for this (e.g. Identity Data Admin on the environment); role changes can take a minute to apply',
  404: 'No such resource: it may have been deleted, or the id belongs to another environment',
  429: 'PingOne rate limit reached even after retries: lower rateLimit.requestsPerSecond or spread the load',
};

/**
 * PingOne's management API answers JSON (application/json or application/hal+json), with an empty body only on
 * 204. Anything else (a proxy's redirect to a sign-in page, an empty 200, an HTML page) is not PingOne speaking:
 * reading it as "no data" would turn an outage into an empty list, so it is an error naming what arrived.
 */
export function parseApiBody(response: RawResponse, method: string, url: string, redactor: SecretRedactor): unknown {
  if (response.status === 204) return undefined;
  const type = header(response, 'content-type') ?? '';
  const shownType = type === '' ? 'no content-type' : `content-type ${redactor.redact(type.split(';')[0].trim())}`;
  const fix =
    'PingOne answers JSON; a proxy, captive portal or a wrong apiUrl is answering instead. Check apiUrl (it must be the management API, e.g. https://api.pingone.eu/v1) and any HTTP proxy between this process and PingOne';
  if (response.status >= 300) {
    const location = header(response, 'location');
    const where = location ? ` to ${redactUrl(URL.canParse(location, url) ? new URL(location, url).toString() : location)}` : '';
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${method} ${url} answered ${response.status} (a redirect${where}, ${shownType}); the client never follows redirects with your token. ${fix}.`,
    );
  }
  if (response.body.trim() === '') {
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${method} ${url} answered ${response.status} with an empty body (${shownType}), where PingOne always sends JSON. ${fix}.`,
    );
  }
  if (!/^application\/(?:[\w.-]+\+)?json\b/i.test(type.trim())) {
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${method} ${url} answered ${response.status} with ${shownType} instead of JSON (${response.body.length} characters, not read). ${fix}.`,
    );
  }
  try {
    return JSON.parse(response.body) as unknown;
  } catch (cause) {
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${method} ${url} answered ${response.status} with ${shownType} but a body that is not JSON. ${fix}.`,
      { cause },
    );
  }
}

/** A failed call's error: PingOne's code, message and details (every string redacted), with a hint for common statuses. */
export function apiError(
  response: RawResponse,
  method: string,
  url: string,
  retryAfterMs: number | undefined,
  redactor: SecretRedactor,
): PingOneApiError {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(response.body);
    if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
  } catch {
    // Not PingOne's JSON error body (e.g. a proxy page): keep the status only.
  }
  const details = Array.isArray(parsed.details) ? (parsed.details as PingOneErrorDetail[]) : [];
  const text = (v: unknown) => (typeof v === 'string' ? redactor.redact(v) : undefined);
  const correlationId = header(response, 'correlation-id');
  const hint = HINTS[response.status];
  return new PingOneApiError({
    status: response.status,
    method,
    url,
    ...(text(parsed.code) ? { apiCode: text(parsed.code)! } : {}),
    ...(text(parsed.id) ? { errorId: text(parsed.id)! } : {}),
    ...(text(parsed.message) ? { apiMessage: text(parsed.message)! } : {}),
    // Every string of the body PingOne sent (target, innerError values, nested) may echo a credential.
    details: details.map((d) => ({ ...redactor.redactDeep(d), message: text(d.message) ?? '' })),
    ...(correlationId ? { correlationId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
    ...(hint ? { hint } : {}),
    headers: resultHeaders(response),
  });
}

export function header(response: RawResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isInvalidToken(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; details?: { code?: unknown }[] };
    return parsed.code === 'ACCESS_FAILED' || (parsed.details ?? []).some((d) => d.code === 'INVALID_TOKEN');
  } catch {
    return true; // a bare 401 without PingOne's body: treat it as a token problem and refresh once
  }
}
