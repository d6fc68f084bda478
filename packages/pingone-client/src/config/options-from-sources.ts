import { PingOneConfigError } from '../errors';
import { hideSecrets, redactUrl } from '../redact';
import { editDistance } from './edit-distance';
import { shownValue } from './option-shape';
import { CLIENT_AUTH_OPTIONS } from './assertion-setup';
import type { InteractiveOAuthOptions, PingOneClientOptions } from './client-options';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/**
 * Options from environment variables, with the names of Ping's Terraform provider where it has one
 * (PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID, PINGONE_REGION_CODE, PINGONE_API_ACCESS_TOKEN,
 * PINGONE_API_SERVICE_HOSTNAME, PINGONE_AUTH_SERVICE_HOSTNAME). PINGONE_ENVIRONMENT_ID names the worker app's
 * environment, as in Terraform; PINGONE_TARGET_ENVIRONMENT_ID the managed one when they differ. PINGONE_API_URL and
 * PINGONE_AUTH_URL take full base URLs (the simulator prints them). JWT client authentication:
 * PINGONE_TOKEN_ENDPOINT_AUTH_METHOD=private_key_jwt with PINGONE_PRIVATE_KEY (PEM or JWK text) or
 * PINGONE_PRIVATE_KEY_FILE, optionally PINGONE_KEY_ID and PINGONE_SIGNING_ALGORITHM; client_secret_jwt with the secret.
 */
export function pingOneOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PingOneClientOptions {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const options: Mutable<PingOneClientOptions> = {};
  const worker = get('PINGONE_ENVIRONMENT_ID');
  const target = get('PINGONE_TARGET_ENVIRONMENT_ID');
  if (target ?? worker) options.environmentId = target ?? worker;
  if (target && worker && target !== worker) options.workerEnvironmentId = worker;
  const set = <K extends keyof PingOneClientOptions>(key: K, value: PingOneClientOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('region', get('PINGONE_REGION_CODE'));
  set('clientId', get('PINGONE_CLIENT_ID'));
  set('clientSecret', get('PINGONE_CLIENT_SECRET'));
  set('accessToken', get('PINGONE_API_ACCESS_TOKEN'));
  const method = get('PINGONE_TOKEN_ENDPOINT_AUTH_METHOD');
  if (method !== undefined) set('tokenEndpointAuthMethod', method.toLowerCase() as PingOneClientOptions['tokenEndpointAuthMethod']);
  // A PEM in one environment variable often arrives with its line breaks written as \n: restore them.
  set('privateKey', get('PINGONE_PRIVATE_KEY')?.replace(/\\n/g, '\n'));
  set('privateKeyFile', get('PINGONE_PRIVATE_KEY_FILE'));
  set('keyId', get('PINGONE_KEY_ID'));
  set('signingAlgorithm', get('PINGONE_SIGNING_ALGORITHM')?.toUpperCase());
  set('customDomain', get('PINGONE_CUSTOM_DOMAIN'));
  const apiHost = get('PINGONE_API_SERVICE_HOSTNAME');
  const authHost = get('PINGONE_AUTH_SERVICE_HOSTNAME');
  set('apiUrl', get('PINGONE_API_URL') ?? (apiHost ? `https://${apiHost}/v1` : undefined));
  set('authUrl', get('PINGONE_AUTH_URL') ?? (authHost ? `https://${authHost}` : undefined));
  if ((get('PINGONE_AUTH_SCHEME') ?? '').toLowerCase() === 'oauth') {
    if (options.clientId === undefined)
      throw new PingOneConfigError(
        'PINGONE_AUTH_SCHEME=OAuth needs PINGONE_CLIENT_ID: an application that allows the authorization code grant.',
      );
    const initiate = get('PINGONE_INITIATE_OAUTH')?.toUpperCase() as 'GETANDREFRESH' | 'REFRESH' | 'OFF' | undefined;
    const location = get('PINGONE_OAUTH_SETTINGS_LOCATION');
    const callback = get('PINGONE_CALLBACK_URL');
    options.interactive = {
      clientId: options.clientId,
      ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
      ...signInMethod(options),
      ...keyOptions(options),
      ...(initiate ? { initiate } : {}),
      ...(location ? { settingsLocation: location } : {}),
      ...(callback ? { callbackUrl: callback } : {}),
    };
    moveToInteractive(options);
  }
  if (options.environmentId === undefined) {
    throw new PingOneConfigError(
      'PINGONE_ENVIRONMENT_ID is not set. Export the id of your PingOne environment (and PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_REGION_CODE).',
    );
  }
  return hideOptionSecrets(options as PingOneClientOptions);
}

/** True when the environment names a PingOne tenant (used by apps that fall back to the simulator otherwise). */
export function hasPingOneEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return Object.keys(env).some((k) => k.startsWith('PINGONE_') && (env[k] ?? '').trim() !== '');
}

/** Connection-URL property names (the seed connector's, case-insensitive) → our options. */
const URL_PROPERTIES: Readonly<Record<string, keyof PingOneClientOptions | 'AuthScheme'>> = {
  authscheme: 'AuthScheme',
  workerappenvironmentid: 'workerEnvironmentId',
  environmentid: 'environmentId',
  region: 'region',
  oauthclientid: 'clientId',
  oauthclientsecret: 'clientSecret',
  authorizationserverurl: 'authUrl',
  oauthaccesstoken: 'accessToken',
  apiurl: 'apiUrl',
  authurl: 'authUrl',
  customdomain: 'customDomain',
  tokenendpointauthmethod: 'tokenEndpointAuthMethod',
  privatekeyfile: 'privateKeyFile',
  keyid: 'keyId',
  signingalgorithm: 'signingAlgorithm',
  timeout: 'timeoutMs',
  initiateoauth: 'interactive',
  oauthsettingslocation: 'interactive',
  callbackurl: 'interactive',
};

const KNOWN_PROPERTIES = [
  'AuthScheme',
  'WorkerAppEnvironmentId',
  'EnvironmentId',
  'Region',
  'OAuthClientId',
  'OAuthClientSecret',
  'AuthorizationServerURL',
  'OAuthAccessToken',
  'ApiUrl',
  'AuthUrl',
  'CustomDomain',
  'TokenEndpointAuthMethod',
  'PrivateKeyFile',
  'KeyId',
  'SigningAlgorithm',
  'Timeout',
  'InitiateOAuth',
  'OAuthSettingsLocation',
  'CallbackURL',
];

/** An unknown property name, shown only when it is a near miss of a known one (a typo, not a pasted secret). */
function shownKey(key: string): string {
  const near = KNOWN_PROPERTIES.find((known) => editDistance(key.toLowerCase(), known.toLowerCase()) <= 2);
  return near ? `'${key}' (did you mean ${near}?)` : `(${key.length} characters, not shown)`;
}

/**
 * `AuthorizationServerURL` names a custom domain, which PingOne serves over https only. A plain http:// value (say,
 * the simulator's) is refused rather than silently sent to https://, which would fail far from its cause.
 */
function customDomainOf(value: string): string {
  if (/^http:\/\//i.test(value)) {
    throw new PingOneConfigError(
      `AuthorizationServerURL=${redactUrl(value)} uses plain http://, but it names a custom domain, which is always reached over https. ` +
        'For the simulator or another local server, use AuthUrl=<auth base, e.g. http://127.0.0.1:4010> (token at <AuthUrl>/<environment id>/as/token) and ApiUrl=<API base, e.g. http://127.0.0.1:4010/v1>; ' +
        'for a custom domain, use https://.',
    );
  }
  return value
    .replace(/^https:\/\//i, '')
    .replace(/\/as\/?$/, '')
    .replace(/\/+$/, '');
}

/**
 * Options from `pingone://?AuthScheme=OAuthClient&WorkerAppEnvironmentId=…&Region=EU&OAuthClientId=…&OAuthClientSecret=…`
 * (property names as in the CData PingOne connectors; `;`-separated `Key=Value` after `pingone://` works too).
 * Values are URL-decoded. `AuthorizationServerURL` is the auth server of a custom domain (token at `<url>/as/token`,
 * https only); `ApiUrl` and `AuthUrl` replace the API and auth bases (plain http for loopback hosts: the simulator).
 */
export function pingOneOptionsFromUrl(url: string): PingOneClientOptions {
  // No part of a value that is not a well-formed connection URL is ever echoed: it may be a secret pasted in the
  // wrong place (a shell's --url, an environment variable), and errors end up in terminals and logs.
  if (typeof url !== 'string')
    throw new PingOneConfigError(`a connection URL must be a string starting with pingone://; got ${shownValue(url, true)}.`);
  if (!/^pingone:\/\//i.test(url)) {
    throw new PingOneConfigError(
      `a connection URL must start with pingone:// (e.g. pingone://?EnvironmentId=…&Region=EU&OAuthClientId=…&OAuthClientSecret=…); the value given (${url.length} characters) is not shown, since it may be a secret.`,
    );
  }
  const rest = url.replace(/^pingone:\/\/[^?]*\??/i, '');
  const pairs = rest.split(/[&;]/).filter((p) => p.trim() !== '');
  const options: Record<string, unknown> = {};
  const interactive: Record<string, unknown> = {};
  let scheme = 'OAuthClient';
  for (const [index, pair] of pairs.entries()) {
    const eq = pair.indexOf('=');
    if (eq < 1)
      throw new PingOneConfigError(
        `connection URL part ${index + 1} (${pair.length} characters, not shown) is not Key=Value; separate parts with & or ;.`,
      );
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(pair.slice(0, eq)).trim();
      value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' ')).trim();
    } catch {
      throw new PingOneConfigError(`connection URL part ${index + 1} (not shown) is not valid URL encoding: encode % as %25.`);
    }
    const target = URL_PROPERTIES[key.toLowerCase()];
    if (!target) throw new PingOneConfigError(`unknown connection URL property ${shownKey(key)}. Known: ${KNOWN_PROPERTIES.join(', ')}.`);
    if (target === 'AuthScheme') scheme = value;
    else if (target === 'interactive') {
      const name = key.toLowerCase();
      if (name === 'initiateoauth') interactive.initiate = value.toUpperCase();
      else if (name === 'oauthsettingslocation') interactive.settingsLocation = value;
      else interactive.callbackUrl = value;
    } else if (key.toLowerCase() === 'authorizationserverurl') options.customDomain = customDomainOf(value);
    else if (target === 'timeoutMs') options.timeoutMs = Number(value) * 1000;
    else if (target === 'tokenEndpointAuthMethod') options.tokenEndpointAuthMethod = value.toLowerCase();
    else if (target === 'signingAlgorithm') options.signingAlgorithm = value.toUpperCase();
    else options[target] = value;
  }
  if (scheme.toLowerCase() === 'oauth') {
    // A person signs in (authorization code + PKCE): the OAuth client id/secret belong to that flow.
    if (options.clientId === undefined)
      throw new PingOneConfigError(
        'AuthScheme=OAuth needs OAuthClientId: the id of an application that allows the authorization code grant.',
      );
    options.interactive = {
      ...interactive,
      clientId: options.clientId,
      ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
      ...signInMethod(options),
      ...keyOptions(options),
    };
    moveToInteractive(options);
  } else if (scheme.toLowerCase() !== 'oauthclient') {
    throw new PingOneConfigError(
      `AuthScheme=${/^[A-Za-z]{1,20}$/.test(scheme) ? scheme : '(not shown)'} is not supported: use OAuthClient (a worker app) or OAuth (a person signs in).`,
    );
  } else if (Object.keys(interactive).length > 0) {
    throw new PingOneConfigError('InitiateOAuth, OAuthSettingsLocation and CallbackURL apply to AuthScheme=OAuth only.');
  }
  if (options.environmentId === undefined && options.workerEnvironmentId !== undefined) {
    options.environmentId = options.workerEnvironmentId;
    delete options.workerEnvironmentId;
  }
  return hideOptionSecrets(options as unknown as PingOneClientOptions);
}

/** Options read from the environment or a URL carry the secret: logging them (JSON or inspect) must not show it. */
function hideOptionSecrets(options: PingOneClientOptions): PingOneClientOptions {
  const mark = (v: unknown) => (v === undefined ? undefined : '[REDACTED]');
  return hideSecrets(options, 'PingOneClientOptions', () => ({
    ...options,
    ...(options.clientSecret !== undefined ? { clientSecret: mark(options.clientSecret) } : {}),
    ...(options.privateKey !== undefined ? { privateKey: mark(options.privateKey) } : {}),
    ...(options.accessToken !== undefined ? { accessToken: mark(options.accessToken) } : {}),
    ...(options.interactive !== undefined
      ? {
          interactive: {
            ...options.interactive,
            clientSecret: mark(options.interactive.clientSecret),
            privateKey: mark(options.interactive.privateKey),
          },
        }
      : {}),
  }));
}

/** With a person signing in, the key options belong to the sign-in application. */
function keyOptions(options: Mutable<PingOneClientOptions>): Partial<InteractiveOAuthOptions> {
  const { privateKey, privateKeyFile, keyId, signingAlgorithm } = options;
  return Object.fromEntries(Object.entries({ privateKey, privateKeyFile, keyId, signingAlgorithm }).filter(([, v]) => v !== undefined));
}

/** The worker-app options that moved into `interactive` leave the top level. */
function moveToInteractive(options: Mutable<PingOneClientOptions>): void {
  for (const key of CLIENT_AUTH_OPTIONS) delete options[key];
}

/** With a person signing in, TokenEndpointAuthMethod names the sign-in application's method (none allowed). */
function signInMethod(options: { tokenEndpointAuthMethod?: string }): Pick<InteractiveOAuthOptions, 'tokenEndpointAuthMethod'> {
  const method = options.tokenEndpointAuthMethod;
  return method === undefined
    ? {}
    : { tokenEndpointAuthMethod: method.toLowerCase() as InteractiveOAuthOptions['tokenEndpointAuthMethod'] };
}
