import { inspect } from 'node:util';

const MARK = '[REDACTED]';

/**
 * Credential shapes redacted even when no secret was registered: a JWT-shaped bearer token (three base64url
 * segments, the first a JSON header), any `Basic`/`Bearer` credential after a scheme word, and secret form fields.
 */
export function redactPatterns(text: string): string {
  return (
    text
      .replace(/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g, MARK)
      // Scheme word then a credential; a plain lower-case word after "basic"/"bearer" is English, not a credential.
      .replace(/\b(basic|bearer)(\s+|%20|\+)([A-Za-z0-9+/=._~%-]{6,})/gi, (all, scheme: string, gap: string, credential: string) =>
        /[^a-z]/.test(credential) ? `${scheme}${gap}${MARK}` : all,
      )
      .replace(
        /(\b(?:client_secret|client_assertion|access_token|refresh_token|id_token|code_verifier|password)=)(?!\[REDACTED\])[^&\s"',}]+/gi,
        `$1${MARK}`,
      )
      .replace(
        /("(?:client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|password)"\s*:\s*")(?!\[REDACTED\])(?:[^"\\]|\\.)*"/g,
        `$1${MARK}"`,
      )
  );
}

/**
 * Secret redaction. Every secret the client holds (client secret, access tokens) is registered here so that any
 * text leaving the client (error messages, log lines, `util.inspect` output) can be scrubbed of it, even when
 * the secret arrived somewhere unexpected (an echoed request body, a proxy's error page).
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; real secrets and tokens are long.
    if (!secret || secret.length < 6) return;
    this.#secrets.add(secret);
    // The same secret as it travels in a form body or URL.
    this.#secrets.add(encodeURIComponent(secret));
    this.#secrets.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }

  /** A client id and secret, in every form they are sent: raw, and the base64 of `id:secret` (encoded or not). */
  addBasic(clientId: string, clientSecret: string): void {
    this.add(clientSecret);
    for (const pair of [`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`, `${clientId}:${clientSecret}`]) {
      const base64 = Buffer.from(pair).toString('base64');
      this.add(base64);
      this.add(base64.replace(/=+$/, ''));
      this.add(Buffer.from(pair).toString('base64url'));
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another one is removed whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length))
      if (out.includes(secret)) out = out.split(secret).join(MARK);
    return redactPatterns(out);
  }

  /** Every string inside a JSON-like value (an error body's details, innerError, …) redacted; other values kept. */
  redactDeep<T>(value: T, depth = 0): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (depth > 8 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactDeep(item, depth + 1)) as T;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.redact(k), this.redactDeep(v, depth + 1)])) as T;
  }

  toJSON(): string {
    return 'SecretRedactor';
  }

  [inspect.custom](): string {
    return 'SecretRedactor {}';
  }
}

/**
 * Gives an object holding credentials a `toJSON` and a `util.inspect` form that show its safe fields only, so no
 * serializer (JSON.stringify, console.log, a logger that inspects) reaches the secrets. Both are non-enumerable.
 */
export function hideSecrets<T extends object>(target: T, name: string, view: () => Record<string, unknown>): T {
  Object.defineProperty(target, 'toJSON', { value: () => view(), enumerable: false });
  Object.defineProperty(target, inspect.custom, {
    value: (depth: number, options: object) => `${name} ${inspect(view(), { ...options, depth: Math.max(0, depth) })}`,
    enumerable: false,
  });
  return target;
}

/** A URL without credentials or secret query parameters, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of ['access_token', 'client_secret', 'code', 'refresh_token']) {
      if (parsed.searchParams.has(key)) parsed.searchParams.set(key, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return '[unparseable URL]';
  }
}
