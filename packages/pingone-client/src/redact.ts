/**
 * Secret redaction. Every secret the client holds (client secret, access tokens) is registered here so that any
 * text leaving the client (error messages, log lines, `util.inspect` output) can be scrubbed of it, even when
 * the secret arrived somewhere unexpected (an echoed request body, a proxy's error page).
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; real secrets and tokens are long.
    if (secret && secret.length >= 6) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    return out
      .replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"',}]+/gi, '$1[REDACTED]')
      .replace(/((?:client_secret|access_token|refresh_token|password)=)[^&\s"']+/gi, '$1[REDACTED]');
  }
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
