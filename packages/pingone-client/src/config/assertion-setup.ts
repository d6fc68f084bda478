/*
 * How an app's RFC 7523 client assertions are signed, for the worker and for the interactive sign-in alike: apart from
 * resolve-config.ts so check-interactive.ts can use it without a cycle.
 */
import { PingOneConfigError } from '../errors';
import type { PingOneClientOptions } from './client-options';
import { readSigningKey, secretAlgorithm, type SigningAlgorithm, type SigningKey } from '../auth/signing-key';

/** How an RFC 7523 client assertion is signed: the private key, or (client_secret_jwt) the secret with this algorithm. */
export type AssertionSetup =
  | { readonly method: 'private_key_jwt'; readonly key: SigningKey }
  | { readonly method: 'client_secret_jwt'; readonly algorithm: SigningAlgorithm };

export const KEY_OPTIONS = ['privateKey', 'privateKeyFile', 'keyId', 'signingAlgorithm'] as const;

/** How an app authenticates at the token endpoint: the options a worker and an interactive app both take. */
export const CLIENT_AUTH_OPTIONS = ['clientId', 'clientSecret', 'tokenEndpointAuthMethod', ...KEY_OPTIONS] as const;

type KeyOptions = Pick<PingOneClientOptions, (typeof KEY_OPTIONS)[number]>;

/**
 * The assertion signing of an app whose method is `method`; key options given with another method are refused (a
 * private key beside a secret-based method would be ignored, which hides a misconfiguration).
 */
export function assertionSetup(method: string, options: KeyOptions, prefix: string): AssertionSetup | undefined {
  const given = KEY_OPTIONS.filter((k) => options[k] !== undefined);
  if (method === 'private_key_jwt') return { method, key: readSigningKey(options, prefix) };
  const allowed = method === 'client_secret_jwt' ? given.filter((k) => k !== 'signingAlgorithm') : given;
  if (allowed.length > 0) {
    throw new PingOneConfigError(
      `'${prefix}${allowed[0]}' is for private_key_jwt${allowed[0] === 'signingAlgorithm' ? ' and client_secret_jwt' : ''}, but '${prefix}tokenEndpointAuthMethod' is ${method}. Set it to the application's method in PingOne, or remove '${prefix}${allowed[0]}'.`,
    );
  }
  return method === 'client_secret_jwt'
    ? { method, algorithm: secretAlgorithm(options.signingAlgorithm, `${prefix}signingAlgorithm`) }
    : undefined;
}
