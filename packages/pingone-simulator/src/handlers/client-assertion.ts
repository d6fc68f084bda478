import { constants, createHmac, createPublicKey, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { WorkerClient } from '../store/environment';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Algorithms PingOne documents per method ("Create a client secret JWT", "Create a private key JWT"): HS256/384/512
 * for CLIENT_SECRET_JWT; RS256/384/512 for PRIVATE_KEY_JWT. PingOne's workflow pages add ES256/384/512 for
 * PRIVATE_KEY_JWT, its reference page doesn't: contested, so refused in strict mode.
 */
// Maps: `alg` comes from the request, and a name like `constructor` must find nothing.
const HMAC = new Map([
  ['HS256', 'sha256'],
  ['HS384', 'sha384'],
  ['HS512', 'sha512'],
]);
const RSA = new Map([
  ['RS256', 'sha256'],
  ['RS384', 'sha384'],
  ['RS512', 'sha512'],
]);
const EC = new Map<string, readonly [string, 'P-256' | 'P-384' | 'P-521']>([
  ['ES256', ['sha256', 'P-256']],
  ['ES384', ['sha384', 'P-384']],
  ['ES512', ['sha512', 'P-521']],
]);
/** "Tokens that expire more than one hour from now are rejected." */
const MAX_LIFETIME_SECONDS = 3600;

interface Decoded {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signed: Buffer;
  readonly signature: Buffer;
}

function decode(assertion: string): Decoded | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return {
      header: header as Record<string, unknown>,
      claims: claims as Record<string, unknown>,
      signed: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function publicKeys(client: WorkerClient, kid: unknown): KeyObject[] {
  const keys = (client.jwks?.keys ?? []).filter((k) => kid === undefined || k.kid === kid);
  const out: KeyObject[] = [];
  for (const jwk of keys) {
    try {
      out.push(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
    } catch {
      // a key the simulator can't read verifies nothing
    }
  }
  return out;
}

function signatureValid(decoded: Decoded, client: WorkerClient, strict: boolean): string | undefined {
  const alg = String(decoded.header.alg);
  if (client.tokenEndpointAuthMethod === 'CLIENT_SECRET_JWT') {
    const digest = HMAC.get(alg);
    if (!digest) return `alg ${alg} is not allowed for CLIENT_SECRET_JWT (use HS256, HS384 or HS512).`;
    const expected = createHmac(digest, client.clientSecret).update(decoded.signed).digest();
    return expected.length === decoded.signature.length && timingSafeEqual(expected, decoded.signature)
      ? undefined
      : 'the signature does not match the client secret.';
  }
  const rsa = RSA.get(alg);
  const ec = strict ? undefined : EC.get(alg);
  if (!rsa && !ec)
    return `alg ${alg} is not allowed for PRIVATE_KEY_JWT (use RS256, RS384 or RS512${strict ? '' : ', ES256, ES384 or ES512'}).`;
  const keys = publicKeys(client, decoded.header.kid);
  if (keys.length === 0)
    return decoded.header.kid === undefined
      ? 'the application has no public key.'
      : `no public key of the application has kid ${JSON.stringify(decoded.header.kid)}.`;
  const ok = keys.some((key) => {
    try {
      if (rsa)
        return (
          key.asymmetricKeyType === 'rsa' && verify(rsa, decoded.signed, { key, padding: constants.RSA_PKCS1_PADDING }, decoded.signature)
        );
      const [digest, curve] = ec!;
      return (
        key.asymmetricKeyType === 'ec' &&
        key.asymmetricKeyDetails?.namedCurve === curveName(curve) &&
        verify(digest, decoded.signed, { key, dsaEncoding: 'ieee-p1363' }, decoded.signature)
      );
    } catch {
      return false;
    }
  });
  return ok ? undefined : "the signature does not verify with the application's public keys.";
}

function curveName(curve: 'P-256' | 'P-384' | 'P-521'): string {
  return { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[curve];
}

/**
 * Checks an RFC 7523 client assertion as PingOne documents it: signed as the application's method says, `iss` and
 * `sub` the client id, `aud` the token endpoint or the issuer (full URLs), `exp` in the future but no more than an
 * hour away, `nbf` (if any) not in the future. `iat` and `jti` are not validated ("not validated", PingOne's page),
 * so neither are replays. Returns why it is refused, or undefined when it is good.
 */
export function checkClientAssertion(
  assertion: string,
  client: WorkerClient,
  audiences: readonly string[],
  strict: boolean,
  now = Date.now() / 1000,
): string | undefined {
  const decoded = decode(assertion);
  if (!decoded) return 'the client assertion is not a signed JWT (three base64url parts with JSON header and claims).';
  const { claims } = decoded;
  const bad = signatureValid(decoded, client, strict);
  if (bad) return `client assertion refused: ${bad}`;
  if (claims.iss !== client.clientId || claims.sub !== client.clientId)
    return 'client assertion refused: iss and sub must both be the client id.';
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.includes(a)))
    return `client assertion refused: aud must be the token endpoint or the issuer (${audiences.join(' or ')}).`;
  if (typeof claims.exp !== 'number') return 'client assertion refused: exp is required.';
  if (claims.exp <= now) return 'client assertion refused: it has expired (exp).';
  if (claims.exp > now + MAX_LIFETIME_SECONDS) return 'client assertion refused: exp is more than one hour from now.';
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now))
    return 'client assertion refused: nbf is in the future.';
  return undefined;
}

/** The client id an assertion names (`iss`), to find the application before verifying it. */
export function assertionIssuer(assertion: string): string | undefined {
  const iss = decode(assertion)?.claims.iss;
  return typeof iss === 'string' ? iss : undefined;
}
