/*
 * The options of interactive (authorization code) sign-in: their own keys, auth methods and callback rules, apart from
 * the worker's options in resolve-config.ts, which only calls checkInteractive.
 */
import { PingOneConfigError } from '../errors';
import type { InteractiveOAuthOptions } from './client-options';
import { shownValue, type OptionShape } from './option-shape';
import { LOOPBACK, rejectUnknown } from './option-checks';
import { assertionSetup, CLIENT_AUTH_OPTIONS, type AssertionSetup } from './assertion-setup';

export type InteractiveAuthMethod = NonNullable<InteractiveOAuthOptions['tokenEndpointAuthMethod']>;

export type ResolvedInteractive = Omit<
  Readonly<InteractiveOAuthOptions>,
  'privateKey' | 'privateKeyFile' | 'keyId' | 'signingAlgorithm'
> & {
  readonly tokenEndpointAuthMethod: InteractiveAuthMethod;
  readonly assertion: AssertionSetup | undefined;
};

const INTERACTIVE_KEYS = [
  ...CLIENT_AUTH_OPTIONS,
  'initiate',
  'settingsLocation',
  'callbackUrl',
  'scopes',
  'openBrowser',
  'signInTimeoutMs',
];
const INTERACTIVE_METHODS: readonly InteractiveAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];
export const INTERACTIVE_SHAPE: OptionShape = {
  clientId: 'string',
  clientSecret: 'secret',
  tokenEndpointAuthMethod: 'string',
  initiate: 'string',
  settingsLocation: 'string',
  callbackUrl: 'string',
  scopes: 'strings',
  openBrowser: 'function',
  signInTimeoutMs: 'number',
};

/** The app's token endpoint auth method: as given, else PingOne's default for the app type the secret implies. */
function interactiveMethod(options: InteractiveOAuthOptions): InteractiveAuthMethod {
  const secret = options.clientSecret !== undefined && options.clientSecret !== '';
  const method = options.tokenEndpointAuthMethod ?? (secret ? 'client_secret_basic' : 'none');
  if (!INTERACTIVE_METHODS.includes(method)) {
    throw new PingOneConfigError(
      `'interactive.tokenEndpointAuthMethod' must be none, client_secret_basic or client_secret_post (the application's Token Endpoint Authentication Method in PingOne); got ${shownValue(method)}.`,
    );
  }
  if ((method === 'none' || method === 'private_key_jwt') && secret) {
    throw new PingOneConfigError(
      `'interactive.tokenEndpointAuthMethod' is ${method}${method === 'none' ? ' (a native app)' : ''} but a clientSecret is given: PingOne takes no secret from an app set to ${method.toUpperCase()}. Drop the secret, or set the method the app uses (client_secret_basic, client_secret_post or client_secret_jwt).`,
    );
  }
  if (method !== 'none' && method !== 'private_key_jwt' && !secret) {
    throw new PingOneConfigError(
      `'interactive.tokenEndpointAuthMethod' is ${method}, which needs 'interactive.clientSecret' (the web app's secret). For a native app without a secret, use none; for a key, private_key_jwt with privateKey.`,
    );
  }
  return method;
}

export function checkInteractive(options: InteractiveOAuthOptions): ResolvedInteractive {
  if (typeof options !== 'object' || options === null)
    throw new PingOneConfigError("'interactive' must be an object: { clientId, initiate?, settingsLocation?, callbackUrl? }.");
  rejectUnknown(options, INTERACTIVE_KEYS, 'interactive.');
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new PingOneConfigError(
      "'interactive.clientId' is required: the client id of a native or web application that allows the authorization code grant.",
    );
  if (options.initiate !== undefined && !['GETANDREFRESH', 'REFRESH', 'OFF'].includes(options.initiate)) {
    throw new PingOneConfigError(`'interactive.initiate' must be GETANDREFRESH, REFRESH or OFF; got ${shownValue(options.initiate)}.`);
  }
  if (options.callbackUrl !== undefined) {
    const ok = (() => {
      try {
        const u = new URL(options.callbackUrl);
        return u.protocol === 'http:' && LOOPBACK.test(u.hostname);
      } catch {
        return false;
      }
    })();
    if (!ok)
      throw new PingOneConfigError(
        `'interactive.callbackUrl' must be a loopback URL such as http://127.0.0.1:33333/callback; got ${shownValue(options.callbackUrl)}.`,
      );
  }
  if (options.openBrowser !== undefined && typeof options.openBrowser !== 'function')
    throw new PingOneConfigError("'interactive.openBrowser' must be a function (url) => void.");
  const method = interactiveMethod(options);
  const { privateKey: _key, privateKeyFile: _file, keyId: _kid, signingAlgorithm: _alg, ...rest } = options;
  return Object.freeze({ ...rest, tokenEndpointAuthMethod: method, assertion: assertionSetup(method, options, 'interactive.') });
}
