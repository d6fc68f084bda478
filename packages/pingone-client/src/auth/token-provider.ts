import { inspect } from 'node:util';

/** Supplies access tokens. The client calls `invalidate()` when PingOne rejects a token (401 INVALID_TOKEN). */
export interface TokenProvider {
  getToken(options?: { signal?: AbortSignal }): Promise<string>;
  invalidate(token: string): void;
}

/** A fixed, pre-issued token. When PingOne rejects it there is nothing to refresh. */
export class StaticTokenProvider implements TokenProvider {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  async getToken(): Promise<string> {
    return this.#token;
  }
  toJSON(): Record<string, unknown> {
    return { token: '[REDACTED]' };
  }
  [inspect.custom](): string {
    return "StaticTokenProvider { token: '[REDACTED]' }";
  }
  invalidate(): void {
    // Nothing to refresh: the request fails with PingOne's 401, telling the caller to supply a new token.
  }
}
