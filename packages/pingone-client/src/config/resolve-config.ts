import { PingOneConfigError } from '../errors';
import { hideSecrets } from '../redact';
import { DEFAULT_MAX_URL_LENGTH } from '../http/url-budget';
import { parseRegion, regionApiUrl, regionAuthUrl, REGIONS, type PingOneRegion } from '../regions';
import type { TokenProvider } from '../auth/token-provider';
import type { PingOneClientOptions, PingOneLogger } from './client-options';
import { resolveLimitStore, type ResolvedLimitStore } from './resolve-store';
import { checkOptionTypes, shownValue, type OptionShape } from './option-shape';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../http/transport';
import { DEFAULT_MAX_PAGES } from '../paging/page-guard';
import { assertionSetup, CLIENT_AUTH_OPTIONS, KEY_OPTIONS, type AssertionSetup } from './assertion-setup';
import { checkInteractive, INTERACTIVE_SHAPE, type ResolvedInteractive } from './check-interactive';
import { checkBaseUrl, integer, rejectUnknown, requiredId } from './option-checks';

export type WorkerAuthMethod = NonNullable<PingOneClientOptions['tokenEndpointAuthMethod']>;

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
  ...CLIENT_AUTH_OPTIONS,
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
const WORKER_METHODS: readonly WorkerAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];
const RETRY_KEYS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'maxElapsedMs'];
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
