import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SecretRedactor } from '../redact';
import type { SigningAlgorithm, SigningKey } from './signing-key';

/** RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Short-lived on purpose: PingOne refuses assertions that live more than an hour, and one is made per request. */
const LIFETIME_SECONDS = 60;

/** How a JWT-authenticated app signs: with its private key (PRIVATE_KEY_JWT) or its client secret (CLIENT_SECRET_JWT). */
export type AssertionCredentials =
  | { readonly method: 'private_key_jwt'; readonly clientId: string; readonly key: SigningKey }
  | { readonly method: 'client_secret_jwt'; readonly clientId: string; readonly secret: string; readonly algorithm: SigningAlgorithm };

/**
 * The form fields that authenticate a client with an RFC 7523 assertion, as PingOne documents it ("Create a private key
 * JWT"): `iss` and `sub` the client id, `aud` the full URL of the endpoint called (the token or revocation endpoint),
 * `exp` a minute away, a fresh `jti` and `iat` every time. The only module that imports jose. The assertion is a
 * credential until it expires: it is registered with the redactor before it leaves.
 */
export async function assertionFields(
  credentials: AssertionCredentials,
  audience: string,
  redactor: SecretRedactor,
): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const algorithm = credentials.method === 'private_key_jwt' ? credentials.key.algorithm : credentials.algorithm;
  const keyId = credentials.method === 'private_key_jwt' ? credentials.key.keyId : undefined;
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: algorithm, typ: 'JWT', ...(keyId !== undefined ? { kid: keyId } : {}) })
    .setIssuer(credentials.clientId)
    .setSubject(credentials.clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_SECONDS)
    .setJti(randomUUID());
  const assertion = await jwt.sign(
    credentials.method === 'private_key_jwt' ? credentials.key.key : new TextEncoder().encode(credentials.secret),
  );
  redactor.add(assertion);
  return { client_id: credentials.clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion };
}
