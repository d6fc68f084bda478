import { randomBytes } from 'node:crypto';

interface IssuedToken {
  readonly environmentId: string;
  readonly clientId: string;
  readonly expiresAt: number;
  /** The refresh-token chain of an interactive sign-in this token came from. */
  readonly chain: string | undefined;
  revoked: boolean;
}

/** Access tokens the simulator issued. Tokens are opaque random strings; only the simulator can check them. */
export class TokenRegistry {
  readonly #tokens = new Map<string, IssuedToken>();

  issue(environmentId: string, clientId: string, lifetimeSeconds: number, chain?: string): string {
    // Shaped like a JWT (three base64url segments) so clients that peek at the format are not surprised.
    const token = ['eyJhbGciOiJSUzI1NiJ9', randomBytes(24).toString('base64url'), randomBytes(32).toString('base64url')].join('.');
    this.#tokens.set(token, { environmentId, clientId, expiresAt: Date.now() + lifetimeSeconds * 1000, chain, revoked: false });
    if (this.#tokens.size > 10_000) this.#sweep();
    return token;
  }

  /** The environment a valid token belongs to, or undefined when missing, unknown, expired or revoked. */
  check(token: string): string | undefined {
    const issued = this.#tokens.get(token);
    if (!issued || issued.revoked || issued.expiresAt <= Date.now()) return undefined;
    return issued.environmentId;
  }

  revoke(token: string): void {
    const issued = this.#tokens.get(token);
    if (issued) issued.revoked = true;
  }

  /** Revokes every access token of one sign-in (a replayed refresh token, or a revoked refresh token). */
  revokeChain(chain: string): void {
    for (const issued of this.#tokens.values()) if (issued.chain === chain) issued.revoked = true;
  }

  /** The client an unrevoked token was issued to. */
  clientOf(token: string): string | undefined {
    return this.#tokens.get(token)?.clientId;
  }

  expireAll(): void {
    for (const issued of this.#tokens.values()) issued.revoked = true;
  }

  /** Every token issued and not yet swept: lets tests prove no token leaked into logs or errors. */
  issued(): string[] {
    return [...this.#tokens.keys()];
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, issued] of this.#tokens) if (issued.revoked || issued.expiresAt <= now) this.#tokens.delete(token);
  }
}
