import { createHash, randomBytes } from 'node:crypto';

interface PendingCode {
  readonly environmentId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly userId: string;
  readonly scope: string;
  readonly expiresAt: number;
}

interface RefreshGrant {
  readonly environmentId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly scope: string;
  /** The sign-in this token descends from: every token rotated from one code exchange shares it. */
  readonly chain: string;
  /** Set once the token was exchanged for a newer one (rotation): using it again is a replay. */
  rotated: boolean;
  revoked: boolean;
}

export type RefreshOutcome =
  { readonly ok: true; readonly grant: RefreshGrant; readonly refreshToken: string } | { readonly ok: false; readonly replay: boolean };

/** S256 PKCE (RFC 7636 §4.2): BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Authorization codes (single use, one minute) and refresh tokens of the authorization_code grant, plus the
 * automatic-approval switch tests use to sign in without a form.
 */
export class AuthorizationGrants {
  readonly #codes = new Map<string, PendingCode>();
  readonly #refresh = new Map<string, RefreshGrant>();
  autoApproveUsername: string | undefined;

  issueCode(grant: Omit<PendingCode, 'expiresAt'>): string {
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, { ...grant, expiresAt: Date.now() + 60_000 });
    return code;
  }

  /** Takes a code (it can't be used twice) when client, redirect URI and PKCE verifier all match. */
  redeem(code: string, clientId: string, redirectUri: string, verifier: string): PendingCode | string {
    const pending = this.#codes.get(code);
    this.#codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) return 'The authorization code is invalid, expired or already used. Sign in again.';
    if (pending.clientId !== clientId) return 'The authorization code was issued to another client.';
    if (pending.redirectUri !== redirectUri) return 'redirect_uri does not match the one of the authorization request.';
    if (!verifier || pkceChallenge(verifier) !== pending.codeChallenge)
      return 'PKCE verification failed: code_verifier does not match the code_challenge.';
    return pending;
  }

  /** A refresh token starting a new chain (after a code exchange). */
  issueRefresh(grant: Omit<RefreshGrant, 'rotated' | 'revoked' | 'chain'>): string {
    return this.#mint({ ...grant, chain: randomBytes(12).toString('base64url') });
  }

  /**
   * Redeems a refresh token. With `rotate` (PingOne's default) the token is spent and a new one of the same chain is
   * returned; presenting a spent token again is a replay, and PingOne's replay protection
   * (`additionalRefreshTokenReplayProtectionEnabled`, default true in the OpenAPI spec) then revokes "the reused
   * refresh token, as well as all descendant tokens": here the whole chain, since a chain has one line of descent.
   */
  refresh(token: string, clientId: string, rotate: boolean): RefreshOutcome {
    const grant = this.#refresh.get(token);
    if (!grant || grant.revoked || grant.clientId !== clientId) return { ok: false, replay: false };
    if (grant.rotated) {
      this.revokeChain(grant.chain);
      return { ok: false, replay: true };
    }
    if (!rotate) return { ok: true, grant, refreshToken: token };
    grant.rotated = true;
    const { rotated: _r, revoked: _v, ...rest } = grant;
    return { ok: true, grant, refreshToken: this.#mint(rest) };
  }

  /** The chain a refresh token belongs to (revoked or not), for revoking the access tokens it produced. */
  chainOf(token: string): string | undefined {
    return this.#refresh.get(token)?.chain;
  }

  /** Revokes a refresh token (RFC 7009) and the rest of its chain; false when the token is unknown. */
  revokeRefresh(token: string, clientId?: string): boolean {
    const grant = this.#refresh.get(token);
    if (!grant || (clientId !== undefined && grant.clientId !== clientId)) return false;
    this.revokeChain(grant.chain);
    return true;
  }

  revokeChain(chain: string): void {
    for (const grant of this.#refresh.values()) if (grant.chain === chain) grant.revoked = true;
  }

  #mint(grant: Omit<RefreshGrant, 'rotated' | 'revoked'>): string {
    const token = randomBytes(32).toString('base64url');
    this.#refresh.set(token, { ...grant, rotated: false, revoked: false });
    return token;
  }
}
