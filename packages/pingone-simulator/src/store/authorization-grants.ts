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
  revoked: boolean;
}

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
    if (!verifier || pkceChallenge(verifier) !== pending.codeChallenge) return 'PKCE verification failed: code_verifier does not match the code_challenge.';
    return pending;
  }

  issueRefresh(grant: Omit<RefreshGrant, 'revoked'>): string {
    const token = randomBytes(32).toString('base64url');
    this.#refresh.set(token, { ...grant, revoked: false });
    return token;
  }

  refresh(token: string, clientId: string): RefreshGrant | undefined {
    const grant = this.#refresh.get(token);
    return grant && !grant.revoked && grant.clientId === clientId ? grant : undefined;
  }

  revokeRefresh(token: string): boolean {
    const grant = this.#refresh.get(token);
    if (grant) grant.revoked = true;
    return grant !== undefined;
  }
}
