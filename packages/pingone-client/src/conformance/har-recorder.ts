import { writeFileSync } from 'node:fs';

export interface HarEntry {
  readonly startedDateTime: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly queryString: readonly { name: string; value: string }[];
    readonly headers: readonly { name: string; value: string }[];
    /** a write's body (pseudonymized like responses) */
    readonly postData?: { readonly mimeType: string; readonly text: string };
  };
  readonly response: {
    readonly status: number;
    readonly headers: readonly { name: string; value: string }[];
    readonly content: { readonly mimeType: string; readonly text: string };
  };
  readonly comment: string;
}

// Directory data is personal data: every string in a recorded resource is replaced, except what identifies
// structure (ids, types, hrefs, enums); secrets never reach the recorder (no request headers are recorded).
const KEPT = new Set(['id', 'type', 'href', 'code', 'target', 'status', 'environment', 'population', 'size', 'count']);
const UUID = /^[0-9a-f-]{36}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
/** Kept as recorded: the format of a timestamp, without the moment (which could tell when a person signed on). */
const REDACTED_TIME = '1970-01-01T00:00:00.000Z';

/**
 * Replaces personal strings by pseudonyms: one value gets one pseudonym within a recording (`redacted-1`,
 * `redacted-2`, …), so values that were unique (usernames) stay unique and a simulator seeded from the HAR answers
 * the same filters; nothing of the value itself is kept (not even a hash, which a dictionary could reverse).
 */
export class Pseudonyms {
  readonly #names = new Map<string, string>();

  redact(value: unknown, key = ''): unknown {
    if (Array.isArray(value)) return value.map((v) => this.redact(v, key));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, KEPT.has(k) && typeof v !== 'object' ? v : this.redact(v, k)]));
    }
    if (typeof value !== 'string' || KEPT.has(key) || UUID.test(value) || /^https?:\/\//.test(value)) return value;
    if (TIMESTAMP.test(value)) return REDACTED_TIME;
    return this.pseudonym(value);
  }

  /**
   * The pseudonym of one value. An email keeps an email's shape (`redacted-3@pseudonym.invalid`) so a replayed write is still
   * valid; letter case is not kept (it could identify the value), so recordings say nothing about case rules.
   */
  pseudonym(value: string): string {
    let name = this.#names.get(value);
    if (name === undefined) {
      const n = this.#names.size + 1;
      name = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? `redacted-${n}@pseudonym.invalid` : `redacted-${n}`;
      this.#names.set(value, name);
    }
    return name;
  }
}

/** Stand-alone redaction of one body (each call its own pseudonyms). */
export function redactBody(value: unknown, key = ''): unknown {
  return new Pseudonyms().redact(value, key);
}

/** Headers kept in the HAR: those the replay tests compare. Never cookies or anything carrying a credential. */
const RECORDED_HEADERS = new Set(['content-type', 'cache-control', 'correlation-id']);

/** A HAR 1.2 log in the shape of the real recordings the simulator's replay tests read (log.entries[].request/response). */
export class HarRecorder {
  readonly entries: HarEntry[] = [];
  readonly #pseudonyms = new Pseudonyms();

  /** The recorder's pseudonyms: a filter value taken from directory data goes through them before it is recorded. */
  get pseudonyms(): Pseudonyms {
    return this.#pseudonyms;
  }

  /**
   * `personal: false` for metadata that holds no directory data (the user schema), recorded as it came. `requestBody`:
   * a write's body, pseudonymized like responses.
   */
  record(
    method: string,
    url: string,
    status: number,
    body: unknown,
    comment: string,
    headers: Readonly<Record<string, string>> = {},
    personal = true,
    requestBody?: { contentType: string; body: unknown },
  ): void {
    const parsed = new URL(url);
    this.entries.push({
      startedDateTime: new Date().toISOString(),
      request: {
        method,
        url: parsed.toString(),
        queryString: [...parsed.searchParams].map(([name, value]) => ({ name, value })),
        headers: [],
        ...(requestBody
          ? {
              postData: {
                mimeType: requestBody.contentType,
                text: JSON.stringify(personal ? this.#pseudonyms.redact(requestBody.body) : requestBody.body),
              },
            }
          : {}),
      },
      response: {
        status,
        headers: Object.entries(headers)
          .filter(([name]) => RECORDED_HEADERS.has(name.toLowerCase()))
          .map(([name, value]) => ({ name, value })),
        content: {
          mimeType: headers['content-type']?.split(';')[0] ?? 'application/json',
          text: JSON.stringify(personal ? this.#pseudonyms.redact(body) : body),
        },
      },
      comment,
    });
  }

  toJSON(): unknown {
    return { log: { version: '1.2', creator: { name: 'pingone-conformance', version: '0.1.0' }, entries: this.entries } };
  }

  write(path: string): void {
    writeFileSync(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`, { mode: 0o600 });
  }
}
