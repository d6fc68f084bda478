import { PingOneApiError } from '../errors';
import type { ApiCall } from '../http/api-requester';
import type { PingOneClient } from '../pingone-client';
import { HarRecorder } from './har-recorder';

export interface ConformanceCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** true when the tenant offers nothing to check this on (e.g. no custom attribute): neither passed nor failed */
  readonly skipped?: boolean;
}

export type Body = Record<string, unknown>;

export interface Exchange {
  readonly status: number;
  readonly body: Body;
  /** the client's error, when PingOne answered with an error status */
  readonly error?: PingOneApiError;
}

/**
 * What every conformance step shares: the client, the checks found so far, and the HAR every exchange goes into
 * (directory data pseudonymized). `send` never throws for an error status: PingOne's answer is the observation.
 */
export class ConformanceContext {
  readonly checks: ConformanceCheck[] = [];
  readonly har = new HarRecorder();
  readonly base: string;

  constructor(readonly client: PingOneClient) {
    this.base = `${client.config.apiUrl}/environments/${client.environmentId}`;
  }

  check(name: string, ok: boolean, detail: string, skipped = false): void {
    this.checks.push(skipped ? { name, ok, detail, skipped } : { name, ok, detail });
  }

  get(path: string, query: Record<string, string | number>, comment: string, personal = true): Promise<Exchange> {
    return this.send({ method: 'GET', url: path, query }, comment, personal);
  }

  /**
   * One exchange, recorded. `recordedQuery` replaces the query in the recording: a filter built from directory data
   * (a case-rule probe) is recorded with the data's pseudonym, never the value itself.
   */
  async send(call: ApiCall, comment: string, personal = true, recordedQuery?: Record<string, string | number>): Promise<Exchange> {
    const query = Object.entries(recordedQuery ?? call.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
    const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    const url = call.url.startsWith('http') ? call.url : `${this.base}${call.url}${search ? `?${search}` : ''}`;
    const request = call.body !== undefined ? { contentType: call.contentType ?? 'application/json', body: call.body } : undefined;
    try {
      const { status, body, headers } = await this.client.request(call);
      this.har.record(call.method, url, status, body ?? {}, comment, headers, personal, request);
      return { status, body: (body ?? {}) as Body };
    } catch (error) {
      if (!(error instanceof PingOneApiError)) throw error;
      // PingOne's error body, as the client kept it (already redacted of anything credential-shaped).
      const body = {
        ...(error.errorId ? { id: error.errorId } : {}),
        ...(error.apiCode ? { code: error.apiCode } : {}),
        ...(error.apiMessage !== undefined ? { message: error.apiMessage } : {}),
        ...(error.details.length > 0 ? { details: error.details } : {}),
      };
      this.har.record(call.method, url, error.status, body, comment, error.headers, personal, request);
      return { status: error.status, body, error };
    }
  }
}

/** Items of a HAL collection body. */
export function embedded(body: Body, plural: string): Body[] {
  const items = (body._embedded as Record<string, unknown> | undefined)?.[plural];
  return Array.isArray(items) ? (items as Body[]) : [];
}
