import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { PingOneConfigError } from '../errors';

/** How an app authenticates at PingOne's token endpoint with an RFC 7523 client assertion. */
export type JwtAuthMethod = 'private_key_jwt' | 'client_secret_jwt';

/**
 * Algorithms PingOne documents: HS256/384/512 for CLIENT_SECRET_JWT ("Create a client secret JWT"); RS256/384/512
 * for PRIVATE_KEY_JWT ("Create a private key JWT"); its workflow pages add ES256/384/512, its reference page doesn't.
 */
export const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export type SigningAlgorithm = (typeof SECRET_ALGORITHMS)[number] | (typeof KEY_ALGORITHMS)[number];

const CURVE_ALGORITHM: Readonly<Record<string, SigningAlgorithm>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/**
 * The private key of a PRIVATE_KEY_JWT app, read once when the client is configured: a KeyObject (its material
 * never shows in JSON, `util.inspect` or messages), the algorithm it signs with and its key id.
 */
export class SigningKey {
  readonly algorithm: SigningAlgorithm;
  readonly keyId: string | undefined;
  readonly #key: KeyObject;

  constructor(key: KeyObject, algorithm: SigningAlgorithm, keyId: string | undefined) {
    this.#key = key;
    this.algorithm = algorithm;
    this.keyId = keyId;
    Object.freeze(this);
  }

  get key(): KeyObject {
    return this.#key;
  }

  toJSON(): Record<string, unknown> {
    return { algorithm: this.algorithm, keyId: this.keyId, key: '[REDACTED]' };
  }

  [inspect.custom](): string {
    return `SigningKey ${inspect(this.toJSON())}`;
  }
}

function fail(where: string, message: string): never {
  throw new PingOneConfigError(`'${where}' ${message}`);
}

/** A PEM (PKCS#8 or PKCS#1 / SEC1), a JWK as JSON text, or a JWK object → a private KeyObject and the JWK's kid. */
function parseKey(source: string | Readonly<Record<string, unknown>>, where: string): { key: KeyObject; kid: string | undefined } {
  const hint =
    'must be a private key: PEM text (-----BEGIN PRIVATE KEY-----, or RSA/EC PRIVATE KEY) or a private JWK (with its "d" member), as text or an object';
  let jwk: Record<string, unknown> | undefined;
  if (typeof source === 'object' && source !== null) jwk = { ...source };
  else if (typeof source === 'string' && source.trim().startsWith('{')) {
    try {
      jwk = JSON.parse(source) as Record<string, unknown>;
    } catch {
      fail(where, `${hint}; it starts like JSON but is not valid JSON.`);
    }
  } else if (typeof source !== 'string' || !source.includes('-----BEGIN')) {
    fail(where, `${hint}; got ${typeof source === 'string' ? 'text without a PEM header' : typeof source}.`);
  }
  if (jwk !== undefined && (typeof jwk.d !== 'string' || (jwk.kty !== 'RSA' && jwk.kty !== 'EC'))) {
    fail(
      where,
      `${hint}; this JWK has ${typeof jwk.d === 'string' ? `kty ${String(jwk.kty)} (use RSA or EC)` : 'no "d" member: it is a public key, which belongs in the PingOne application (jwks), not here'}.`,
    );
  }
  try {
    const key = jwk !== undefined ? createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) : createPrivateKey(source as string);
    return { key, kid: typeof jwk?.kid === 'string' ? jwk.kid : undefined };
  } catch (error) {
    // The parser's message names the format problem, never the key material.
    return fail(
      where,
      `${hint}; it could not be read (${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 120) : 'unreadable'}).`,
    );
  }
}

/**
 * Reads and checks a PRIVATE_KEY_JWT key from options: the key itself (`privateKey`) or a file (`privateKeyFile`), an
 * optional algorithm (default RS256 for RSA, the curve's ES algorithm for EC) and key id (default the JWK's `kid`).
 */
export function readSigningKey(
  options: { privateKey?: string | Readonly<Record<string, unknown>>; privateKeyFile?: string; keyId?: string; signingAlgorithm?: string },
  prefix: string,
): SigningKey {
  const { privateKey, privateKeyFile } = options;
  if ((privateKey === undefined) === (privateKeyFile === undefined)) {
    fail(
      `${prefix}privateKey`,
      `or '${prefix}privateKeyFile' is required with private_key_jwt (give one): the private key whose public half is registered on the PingOne application (its JWKS).`,
    );
  }
  let source = privateKey;
  if (privateKeyFile !== undefined) {
    try {
      source = readFileSync(privateKeyFile, 'utf8');
    } catch (error) {
      fail(
        `${prefix}privateKeyFile`,
        `names ${JSON.stringify(privateKeyFile)}, which can't be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of a PEM or JWK file.`,
      );
    }
  }
  const { key, kid } = parseKey(source!, privateKeyFile !== undefined ? `${prefix}privateKeyFile` : `${prefix}privateKey`);
  const type = key.asymmetricKeyType;
  const natural = type === 'rsa' ? 'RS256' : type === 'ec' ? CURVE_ALGORITHM[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!natural)
    fail(
      `${prefix}privateKey`,
      `is a ${type ?? 'unknown'} key${type === 'ec' ? ` on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}` : ''}; PingOne verifies RSA keys (RS256/384/512) and EC keys on P-256, P-384 or P-521.`,
    );
  const algorithm = (options.signingAlgorithm ?? natural) as SigningAlgorithm;
  const fits = type === 'rsa' ? /^RS(256|384|512)$/.test(algorithm) : algorithm === natural;
  if (!fits)
    fail(
      `${prefix}signingAlgorithm`,
      `is ${JSON.stringify(options.signingAlgorithm)}, which a ${type} key${type === 'ec' ? ` on ${key.asymmetricKeyDetails?.namedCurve}` : ''} can't sign; use ${type === 'rsa' ? 'RS256, RS384 or RS512' : natural}.`,
    );
  if (options.keyId !== undefined && (typeof options.keyId !== 'string' || options.keyId === ''))
    fail(`${prefix}keyId`, "must be a non-empty string: the kid of the key in the application's JWKS.");
  return new SigningKey(key, algorithm, options.keyId ?? kid);
}

/** A CLIENT_SECRET_JWT algorithm from options (default HS256). */
export function secretAlgorithm(value: string | undefined, where: string): SigningAlgorithm {
  if (value === undefined) return 'HS256';
  if (!(SECRET_ALGORITHMS as readonly string[]).includes(value))
    fail(
      where,
      `must be HS256, HS384 or HS512 with client_secret_jwt (PingOne signs nothing else with a secret); got ${JSON.stringify(value)}.`,
    );
  return value as SigningAlgorithm;
}
