import { PingOneConfigError } from '../errors';
import { editDistance } from './edit-distance';
import { hideSecrets } from '../redact';
import { DEFAULT_MAX_URL_LENGTH } from '../http/url-budget';
import { parseRegion, regionApiUrl, regionAuthUrl, REGIONS, type PingOneRegion } from '../regions';
import type { TokenProvider } from '../auth/token-provider';
import type { InteractiveOAuthOptions, PingOneClientOptions, PingOneLogger } from './client-options';
import { resolveLimitStore, type ResolvedLimitStore } from './resolve-store';
import { checkOptionTypes, shownValue, type OptionShape } from './option-shape';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../http/transport';
import { DEFAULT_MAX_PAGES } from '../paging/page-guard';
import { readSigningKey, secretAlgorithm, type SigningAlgorithm, type SigningKey } from '../auth/signing-key';

export type InteractiveAuthMethod = NonNullable<InteractiveOAuthOptions['tokenEndpointAuthMethod']>;
export type WorkerAuthMethod = NonNullable<PingOneClientOptions['tokenEndpointAuthMethod']>;

/** How an RFC 7523 client assertion is signed: the private key, or (client_secret_jwt) the secret with this algorithm. */
export type AssertionSetup =
  | { readonly method: 'private_key_jwt'; readonly key: SigningKey }
  | { readonly method: 'client_secret_jwt'; readonly algorithm: SigningAlgorithm };

export type ResolvedInteractive = Omit<
  Readonly<InteractiveOAuthOptions>,
  'privateKey' | 'privateKeyFile' | 'keyId' | 'signingAlgorithm'
> & {
  readonly tokenEndpointAuthMethod: InteractiveAuthMethod;
  readonly assertion: AssertionSetup | undefined;
};

/** Configuration after validation: complete, frozen, never mutated. */
export interface ResolvedConfig {
  readonly environmentId: string;
  readonly workerEnvironmentId: string;
  readonly region: PingOneRegion;
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly tokenEndpointAuthMethod: WorkerAuthMethod;
  /** with client_secret_jwt or private_key_jwt: how the worker's client assertions are signed */
  readonly assertion: AssertionSetup | undefined;
  readonly accessToken: string | undefined;
  readonly tokenProvider: TokenProvider | undefined;
  readonly interactive: ResolvedInteractive | undefined;
  readonly timeoutMs: number;
  readonly maxUrlLength: number;
  readonly maxResponseBytes: number;
  readonly maxPages: number;
  readonly retry: Readonly<Required<NonNullable<PingOneClientOptions['retry']>>>;
  readonly rateLimit:
    { readonly requestsPerSecond: number; readonly maxConcurrent: number; readonly store: ResolvedLimitStore } | undefined;
  readonly userAgent: string;
  readonly logger: PingOneLogger | undefined;
}

const KEYS: readonly (keyof PingOneClientOptions)[] = [
  'environmentId',
  'workerEnvironmentId',
  'region',
  'clientId',
  'clientSecret',
  'tokenEndpointAuthMethod',
  'privateKey',
  'privateKeyFile',
  'keyId',
  'signingAlgorithm',
  'customDomain',
  'apiUrl',
  'authUrl',
  'accessToken',
  'tokenProvider',
  'interactive',
  'timeoutMs',
  'maxUrlLength',
  'maxResponseBytes',
  'maxPages',
  'retry',
  'rateLimit',
  'userAgentSuffix',
  'logger',
];
const INTERACTIVE_KEYS = [
  'clientId',
  'clientSecret',
  'tokenEndpointAuthMethod',
  'privateKey',
  'privateKeyFile',
  'keyId',
  'signingAlgorithm',
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
const WORKER_METHODS: readonly WorkerAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];
const KEY_OPTIONS = ['privateKey', 'privateKeyFile', 'keyId', 'signingAlgorithm'] as const;

type KeyOptions = Pick<PingOneClientOptions, (typeof KEY_OPTIONS)[number]>;

/**
 * The assertion signing of an app whose method is `method`; key options given with another method are refused (a
 * private key beside a secret-based method would be ignored, which hides a misconfiguration).
 */
function assertionSetup(method: string, options: KeyOptions, prefix: string): AssertionSetup | undefined {
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

function checkInteractive(options: InteractiveOAuthOptions): ResolvedInteractive {
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
const RETRY_KEYS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'maxElapsedMs'];
const INTERACTIVE_SHAPE: OptionShape = {
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
/** The type of every option (and nested option), checked before any of them is read. */
const CLIENT_SHAPE: OptionShape = {
  environmentId: 'string',
  workerEnvironmentId: 'string',
  region: 'string',
  clientId: 'string',
  clientSecret: 'secret',
  tokenEndpointAuthMethod: 'string',
  customDomain: 'string',
  apiUrl: 'string',
  authUrl: 'string',
  accessToken: 'secret',
  tokenProvider: { object: { getToken: 'function', invalidate: 'function' } },
  interactive: { object: INTERACTIVE_SHAPE },
  timeoutMs: 'number',
  maxUrlLength: 'number',
  maxResponseBytes: 'number',
  maxPages: 'number',
  userAgentSuffix: 'string',
  retry: { object: Object.fromEntries(RETRY_KEYS.map((k) => [k, 'number'])) },
  // rateLimit.store: resolveRedisStore checks it (STORE_SHAPE), with what to write instead
  rateLimit: [{ literal: false }, { object: { requestsPerSecond: 'number', maxConcurrent: 'number' } }],
  logger: { object: { debug: 'function', info: 'function', warn: 'function', error: 'function' } },
};
const RATE_KEYS = ['requestsPerSecond', 'maxConcurrent', 'store'];
const UUID_LIKE = /^[0-9a-fA-F-]{8,64}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** "Did you mean …?" for a misspelt option (edit distance ≤ 2, case-insensitive), else the list of options. */
function closest(key: string, known: readonly string[]): string {
  const scored = known.map((k) => [k, editDistance(key.toLowerCase(), k.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  const best = scored[0];
  return best && best[1] <= 2 ? ` Did you mean '${best[0]}'?` : ` Known options: ${known.join(', ')}.`;
}

function rejectUnknown(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw new PingOneConfigError(`unknown option '${where}${key}'.${closest(key, known)}`);
  }
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new PingOneConfigError(`'${name}' must be a number between ${min} and ${max}; got ${shownValue(value)}.`);
  }
  return value;
}

/** An http(s) base URL without a trailing slash; plain http only for loopback hosts (the simulator). */
export function checkBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PingOneConfigError(`'${name}' is not a valid URL: ${shownValue(value)}. Example: https://api.pingone.eu/v1`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new PingOneConfigError(
      `'${name}' uses plain http:// for ${url.hostname}; tokens and secrets would travel unencrypted. Use https:// (plain http is allowed only for localhost/127.0.0.1, e.g. the simulator).`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PingOneConfigError(`'${name}' must be an https:// URL; got ${url.protocol}`);
  if (url.username || url.password)
    throw new PingOneConfigError(`'${name}' must not contain credentials; pass clientId/clientSecret instead.`);
  return url.toString().replace(/\/+$/, '');
}

function requiredId(value: unknown, name: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PingOneConfigError(`'${name}' is required. ${hint}`);
  if (!UUID_LIKE.test(value))
    throw new PingOneConfigError(
      `'${name}' must be a PingOne id (a UUID such as 5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f); got ${shownValue(value)}.`,
    );
  return value;
}

/**
 * Frozen, and serialized (JSON, util.inspect) without its credentials: the client secret, a pre-issued token,
 * the interactive app's secret, and the token provider and logger (user objects that may hold secrets).
 */
export function protectConfig(config: ResolvedConfig): ResolvedConfig {
  const { clientSecret, accessToken, tokenProvider, interactive, logger, rateLimit, assertion, ...safe } = config;
  const mark = (v: unknown) => (v === undefined ? undefined : '[REDACTED]');
  const signing = (a: AssertionSetup | undefined) =>
    a === undefined ? undefined : a.method === 'private_key_jwt' ? { method: a.method, key: a.key.toJSON() } : a;
  return Object.freeze(
    hideSecrets({ ...config }, 'PingOneConfig', () => ({
      ...safe,
      clientSecret: mark(clientSecret),
      assertion: signing(assertion),
      accessToken: mark(accessToken),
      tokenProvider: tokenProvider === undefined ? undefined : '[custom TokenProvider]',
      interactive:
        interactive === undefined
          ? undefined
          : {
              ...interactive,
              clientSecret: mark(interactive.clientSecret),
              openBrowser: undefined,
              assertion: signing(interactive.assertion),
            },
      logger: logger === undefined ? undefined : '[logger]',
      rateLimit:
        rateLimit === undefined ? undefined : { ...rateLimit, store: rateLimit.store === 'memory' ? 'memory' : rateLimit.store.toJSON() },
    })),
  );
}

function credentialKind(options: PingOneClientOptions): 'client-credentials' | 'other' {
  return options.clientId !== undefined ? 'client-credentials' : 'other';
}

export function resolveConfig(options: PingOneClientOptions): ResolvedConfig {
  if (typeof options !== 'object' || options === null)
    throw new PingOneConfigError('options must be an object, or a pingone:// connection URL string.');
  rejectUnknown(options, KEYS, '');
  checkOptionTypes(options as unknown as Record<string, unknown>, CLIENT_SHAPE);
  if (options.userAgentSuffix !== undefined && !/^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(options.userAgentSuffix)) {
    throw new PingOneConfigError("'userAgentSuffix' must be printable ASCII (no line breaks), at most 200 characters, e.g. 'my-app/1.2'.");
  }
  const environmentId = requiredId(
    options.environmentId,
    'environmentId',
    'Set it to the id of the PingOne environment to manage (PINGONE_ENVIRONMENT_ID).',
  );
  const workerEnvironmentId =
    options.workerEnvironmentId === undefined
      ? environmentId
      : requiredId(options.workerEnvironmentId, 'workerEnvironmentId', 'Set it to the environment that hosts your worker app.');
  const region = options.region === undefined ? 'NA' : parseRegion(String(options.region));
  if (!region)
    throw new PingOneConfigError(
      `unknown region ${shownValue(options.region)}. Use one of ${Object.entries(REGIONS)
        .map(([k, v]) => `${k} (${v.description})`)
        .join(', ')}.`,
    );
  const credentialSources = [
    options.clientId !== undefined || options.clientSecret !== undefined,
    options.accessToken !== undefined,
    options.tokenProvider !== undefined,
    options.interactive !== undefined,
  ].filter(Boolean).length;
  if (credentialSources === 0)
    throw new PingOneConfigError(
      'no credentials. Give clientId and clientSecret of a worker app (PINGONE_CLIENT_ID / PINGONE_CLIENT_SECRET), an accessToken, a tokenProvider, or interactive sign-in options.',
    );
  if (credentialSources > 1)
    throw new PingOneConfigError('give only one of: clientId + clientSecret, accessToken, tokenProvider, interactive.');
  const interactive = options.interactive === undefined ? undefined : checkInteractive(options.interactive);
  const method = options.tokenEndpointAuthMethod ?? 'client_secret_basic';
  if (!WORKER_METHODS.includes(method)) {
    throw new PingOneConfigError(
      `tokenEndpointAuthMethod must be ${WORKER_METHODS.map((m) => `'${m}'`).join(', ')} (the worker app's Token Endpoint Authentication Method); got ${shownValue(method)}.`,
    );
  }
  if (method === 'private_key_jwt') {
    if (options.clientId === undefined || options.clientId === '')
      throw new PingOneConfigError(
        "tokenEndpointAuthMethod private_key_jwt needs clientId: the worker app's client id (PINGONE_CLIENT_ID).",
      );
    if (options.clientSecret !== undefined)
      throw new PingOneConfigError(
        'tokenEndpointAuthMethod private_key_jwt authenticates with a private key, not a secret: remove clientSecret (PINGONE_CLIENT_SECRET), or set the method the app uses.',
      );
  } else if (
    (options.clientId === undefined) !== (options.clientSecret === undefined) ||
    options.clientId === '' ||
    options.clientSecret === ''
  ) {
    throw new PingOneConfigError(
      'clientId and clientSecret go together: both are required for the client-credentials flow (or, with a key instead of a secret, tokenEndpointAuthMethod private_key_jwt and privateKey).',
    );
  }
  const assertion =
    options.clientId === undefined && KEY_OPTIONS.every((k) => options[k] === undefined) ? undefined : assertionSetup(method, options, '');
  if (options.customDomain !== undefined && options.authUrl !== undefined)
    throw new PingOneConfigError('give customDomain or authUrl, not both.');
  const apiUrl = options.apiUrl !== undefined ? checkBaseUrl(options.apiUrl, 'apiUrl') : regionApiUrl(region);
  const tokenUrl =
    options.customDomain !== undefined
      ? `${checkBaseUrl(`https://${options.customDomain.replace(/^https?:\/\//, '').replace(/\/+$/, '')}`, 'customDomain')}/as/token`
      : `${options.authUrl !== undefined ? checkBaseUrl(options.authUrl, 'authUrl') : regionAuthUrl(region)}/${workerEnvironmentId}/as/token`;
  const retry = options.retry ?? {};
  rejectUnknown(retry, RETRY_KEYS, 'retry.');
  const rate = options.rateLimit === false ? undefined : (options.rateLimit ?? {});
  if (rate) rejectUnknown(rate, RATE_KEYS, 'rateLimit.');
  if (
    options.tokenProvider !== undefined &&
    (typeof options.tokenProvider.getToken !== 'function' || typeof options.tokenProvider.invalidate !== 'function')
  ) {
    throw new PingOneConfigError('tokenProvider must have getToken() and invalidate() methods.');
  }
  return protectConfig({
    environmentId,
    workerEnvironmentId,
    region,
    apiUrl,
    tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    tokenEndpointAuthMethod: method,
    assertion,
    accessToken: options.accessToken,
    tokenProvider: options.tokenProvider,
    interactive,
    timeoutMs: integer(options.timeoutMs, 'timeoutMs', 1, 600_000, 30_000),
    maxUrlLength: integer(options.maxUrlLength, 'maxUrlLength', 512, 65_536, DEFAULT_MAX_URL_LENGTH),
    // at most 256 MiB: a body is decoded into one string, and V8 refuses strings over ~512 M characters
    maxResponseBytes: integer(options.maxResponseBytes, 'maxResponseBytes', 1024, 256 * 1024 * 1024, DEFAULT_MAX_RESPONSE_BYTES),
    maxPages: integer(options.maxPages, 'maxPages', 1, 10_000_000, DEFAULT_MAX_PAGES),
    retry: Object.freeze({
      maxAttempts: integer(retry.maxAttempts, 'retry.maxAttempts', 1, 20, 5),
      baseDelayMs: integer(retry.baseDelayMs, 'retry.baseDelayMs', 0, 60_000, 500),
      maxDelayMs: integer(retry.maxDelayMs, 'retry.maxDelayMs', 0, 300_000, 30_000),
      maxRetryAfterMs: integer(retry.maxRetryAfterMs, 'retry.maxRetryAfterMs', 0, 300_000, 30_000),
      maxElapsedMs: integer(retry.maxElapsedMs, 'retry.maxElapsedMs', 0, 3_600_000, 120_000),
    }),
    rateLimit: rate
      ? Object.freeze({
          requestsPerSecond: integer(rate.requestsPerSecond, 'rateLimit.requestsPerSecond', 0.1, 10_000, 50),
          maxConcurrent: integer(rate.maxConcurrent, 'rateLimit.maxConcurrent', 1, 1000, 10),
          store: resolveLimitStore(
            rate.store,
            integer(rate.requestsPerSecond, 'rateLimit.requestsPerSecond', 0.1, 10_000, 50),
            credentialKind(options),
          ),
        })
      : undefined,
    userAgent: `typeorm-pingone-client/0.1.0 node/${process.versions.node}${options.userAgentSuffix ? ` ${options.userAgentSuffix}` : ''}`,
    logger: options.logger,
  });
}
