export interface LoggedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/environments/<env>/users`. */
  readonly path: string;
  /** Decoded query parameters, e.g. `{ filter: 'username eq "a"', limit: '100' }`. */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON or form body; secrets (client_secret, password values) are redacted. */
  readonly body: unknown;
  /** Lower-case header names; `authorization` is redacted. */
  readonly headers: Readonly<Record<string, string>>;
  readonly status: number;
  readonly kind: 'api' | 'token' | 'control';
}

export interface RequestLog {
  all(): readonly LoggedRequest[];
  /** Management API calls only (no token or control requests): what a test usually asserts on. */
  api(): readonly LoggedRequest[];
  clear(): void;
}

const SECRET_KEYS = new Set(['client_secret', 'password', 'value', 'access_token', 'refresh_token', 'code_verifier']);

/** Replaces secrets anywhere in a body, so the log can be printed or asserted on without leaking them. */
export function redactBody(body: unknown, parentKey = ''): unknown {
  if (Array.isArray(body)) return body.map((item) => redactBody(item, parentKey));
  if (typeof body !== 'object' || body === null) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      const secret = SECRET_KEYS.has(key) && (key !== 'value' || parentKey === 'password');
      return [key, secret && value !== undefined ? '[REDACTED]' : redactBody(value, key)];
    }),
  );
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name.toLowerCase()] = name.toLowerCase() === 'authorization' ? `${text.split(' ')[0] ?? ''} [REDACTED]` : text;
  }
  return out;
}

/** A bounded in-memory log (the newest 50,000 requests), so a long demo run doesn't grow without limit. */
export class MemoryRequestLog implements RequestLog {
  #entries: LoggedRequest[] = [];
  readonly #max: number;

  constructor(max = 50_000) {
    this.#max = max;
  }

  record(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  all(): readonly LoggedRequest[] {
    return [...this.#entries];
  }

  api(): readonly LoggedRequest[] {
    return this.#entries.filter((e) => e.kind === 'api');
  }

  clear(): void {
    this.#entries = [];
  }
}
