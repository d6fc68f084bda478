export interface LoggedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/environments/<env>/users`. */
  readonly path: string;
  /** Decoded query parameters, e.g. `{ filter: 'username eq "a"', limit: '100' }`. */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON or form body; secrets (client_secret, client_assertion, tokens, passwords, `PUT …/password` bodies) are redacted. */
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

const SECRET_KEYS = new Set([
  'client_secret',
  'clientSecret',
  'password',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'token',
  'assertion',
  'client_assertion',
]);
const PASSWORD_PATH = /\/users\/[^/]+\/password$/;

/**
 * Replaces secrets anywhere in a body, so the log can be printed or asserted on without leaking them: secret form
 * and JSON keys at any depth, `password.value` of the import content type, and the whole body of
 * `PUT /users/{id}/password` (its `value` and `currentPassword` are the password).
 */
export function redactBody(body: unknown, parentKey = '', path = ''): unknown {
  if (PASSWORD_PATH.test(path) && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, key === 'forceChange' ? value : '[REDACTED]']));
  }
  if (Array.isArray(body)) return body.map((item) => redactBody(item, parentKey));
  if (typeof body !== 'object' || body === null) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      // The import type's `password: { value, forceChange }` keeps its shape, with the value redacted.
      const nested = key === 'password' && typeof value === 'object' && value !== null;
      const secret = !nested && (SECRET_KEYS.has(key) || (key === 'value' && parentKey === 'password'));
      return [key, secret && value !== undefined ? '[REDACTED]' : redactBody(value, key)];
    }),
  );
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    const lower = name.toLowerCase();
    out[lower] =
      lower === 'authorization' || lower === 'proxy-authorization'
        ? `${text.split(' ')[0] ?? ''} [REDACTED]`
        : lower === 'cookie'
          ? '[REDACTED]'
          : text;
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
