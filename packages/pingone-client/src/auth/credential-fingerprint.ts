import { createHmac } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve-config';
import type { TokenProvider } from './token-provider';

/**
 * Who a client is to PingOne, for a cache shared beyond it: an HMAC-SHA256 under the caller's key of the API base,
 * the environment and the credential. A worker app is its token URL, client id and secret (stable across token
 * refreshes and processes, so instances of one app share); any other credential (a pre-issued token, a token
 * provider, a person signed in) is the access token in use, since only PingOne knows whose it is. The secret never
 * leaves this function: only the HMAC does.
 *
 * It resolves only once the client holds a token (fetching one when it has none): a credential PingOne refuses
 * rejects here with the token fetch's error, so nothing cached is ever served to it.
 */
export async function credentialFingerprint(
  config: ResolvedConfig,
  tokens: TokenProvider,
  key: Uint8Array,
  signal?: AbortSignal,
): Promise<string> {
  const token = await tokens.getToken(signal ? { signal } : {});
  const worker =
    config.clientId !== undefined &&
    config.clientSecret !== undefined &&
    config.interactive === undefined &&
    config.tokenProvider === undefined;
  const credential = worker ? ['client_credentials', config.tokenUrl, config.clientId, config.clientSecret] : ['access_token', token];
  return createHmac('sha256', key)
    .update(JSON.stringify([config.apiUrl, config.environmentId, ...credential]))
    .digest('base64url');
}
