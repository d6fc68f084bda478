import { inspect, type InspectOptions } from 'node:util';
import { ClientCredentialsProvider } from './auth/client-credentials-provider';
import { StaticTokenProvider, type TokenProvider } from './auth/token-provider';
import { AuthorizationCodeProvider } from './auth/authorization-code-provider';
import { FileTokenStore, MemoryTokenStore } from './auth/token-store';
import type { PingOneClientOptions } from './config/client-options';
import { pingOneOptionsFromUrl } from './config/options-from-sources';
import { protectConfig, resolveConfig, type ResolvedConfig } from './config/resolve-config';
import type { AssertionSetup } from './config/assertion-setup';
import type { AssertionCredentials } from './auth/client-assertion';
import { ApiRequester, type ApiCall, type ApiResult, type RequestOptions } from './http/api-requester';
import { RateLimiter, type RequestLimiter } from './http/rate-limiter';
import { SharedRateLimiter } from './http/shared-rate-limiter';
import { openRedisConnection, type RedisConnection } from './store/redis-connection';
import { SharedTokenStore } from './auth/token-store-shared';
import { CancelScope } from './http/cancel-scope';
import { ServerClock } from './http/server-clock';
import { SecretRedactor } from './redact';
import { GroupsResource } from './resources/groups-resource';
import { PopulationsResource } from './resources/populations-resource';
import { SchemasResource } from './resources/schemas-resource';
import { DirectoryResources } from './resources/directory-resources';
import { UsersResource } from './resources/users-resource';
import { PagedList } from './paging/paged-list';
import { credentialFingerprint } from './auth/credential-fingerprint';

/** What clients of several environments share: one token, one rate limiter, one redactor. */
interface SharedSession {
  readonly tokens: TokenProvider;
  readonly limiter: RequestLimiter | undefined;
  readonly redactor: SecretRedactor;
  readonly cancelScope: CancelScope;
  readonly redis: RedisConnection | undefined;
  readonly clock: ServerClock;
}

function newSession(config: ResolvedConfig): SharedSession {
  const redactor = new SecretRedactor();
  if (config.clientId !== undefined && config.clientSecret !== undefined) redactor.addBasic(config.clientId, config.clientSecret);
  redactor.add(config.accessToken);
  const store = config.rateLimit?.store;
  const redis =
    store !== undefined && store !== 'memory'
      ? openRedisConnection(store.url, {
          commandTimeoutMs: store.commandTimeoutMs,
          connectTimeoutMs: store.connectTimeoutMs,
          logger: config.logger,
        })
      : undefined;
  if (store !== undefined && store !== 'memory') redactor.add(decodeURIComponent(new URL(store.url).password));
  const shared =
    redis && store !== undefined && store !== 'memory' && store.tokenKey
      ? new SharedTokenStore(
          redis,
          SharedTokenStore.keyFor(store.keyPrefix, config.tokenUrl, config.clientId ?? '', config.clientSecret ?? '', store.tokenKey),
          store.tokenKey,
        )
      : undefined;
  const tokens: TokenProvider =
    config.tokenProvider ??
    (config.interactive ? interactiveProvider(config, redactor) : undefined) ??
    (config.accessToken !== undefined
      ? new StaticTokenProvider(config.accessToken)
      : new ClientCredentialsProvider({
          tokenUrl: config.tokenUrl,
          clientId: config.clientId!,
          clientSecret: config.clientSecret,
          method: config.tokenEndpointAuthMethod,
          timeoutMs: config.timeoutMs,
          userAgent: config.userAgent,
          redactor,
          logger: config.logger,
          ...assertionCredentials(config.assertion, config.clientId!, config.clientSecret),
          ...(shared ? { shared } : {}),
        }));
  const rate = config.rateLimit;
  const limiter = !rate
    ? undefined
    : redis && store !== undefined && store !== 'memory'
      ? new SharedRateLimiter(redis, `${store.keyPrefix}rate:${config.workerEnvironmentId}`, rate.requestsPerSecond, rate.maxConcurrent)
      : new RateLimiter(rate.requestsPerSecond, rate.maxConcurrent);
  return { tokens, limiter, redactor, redis, cancelScope: new CancelScope(), clock: new ServerClock() };
}

/** What a JWT-authenticated app signs with, from its resolved setup (nothing for the other methods). */
function assertionCredentials(
  setup: AssertionSetup | undefined,
  clientId: string,
  secret: string | undefined,
): { assertion?: AssertionCredentials } {
  if (setup === undefined) return {};
  return {
    assertion:
      setup.method === 'private_key_jwt'
        ? { method: setup.method, clientId, key: setup.key }
        : { method: setup.method, clientId, secret: secret ?? '', algorithm: setup.algorithm },
  };
}

function interactiveProvider(config: ResolvedConfig, redactor: SecretRedactor): AuthorizationCodeProvider {
  const i = config.interactive!;
  const location = i.settingsLocation;
  return new AuthorizationCodeProvider({
    authorizationServer: config.tokenUrl.replace(/\/token$/, ''),
    clientId: i.clientId,
    clientSecret: i.clientSecret,
    tokenEndpointAuthMethod: i.tokenEndpointAuthMethod,
    ...assertionCredentials(i.assertion, i.clientId, i.clientSecret),
    scopes: i.scopes ?? ['openid'],
    initiate: i.initiate ?? 'GETANDREFRESH',
    store:
      location === undefined || location.startsWith('memory://')
        ? new MemoryTokenStore()
        : new FileTokenStore(location.replace(/^file:\/\//, '')),
    callbackUrl: i.callbackUrl,
    openBrowser: i.openBrowser,
    signInTimeoutMs: i.signInTimeoutMs ?? 300_000,
    timeoutMs: config.timeoutMs,
    userAgent: config.userAgent,
    redactor,
    logger: config.logger,
  });
}

export interface EnvironmentSummary {
  readonly id: string;
  readonly name: string;
  readonly [attribute: string]: unknown;
}

/** A PingOne management API client for one environment. Create it with `createPingOneClient`. */
export class PingOneClient {
  readonly environmentId: string;
  readonly users: UsersResource;
  readonly groups: GroupsResource;
  readonly populations: PopulationsResource;
  readonly schemas: SchemasResource;
  /** The directory's other resources (roles, role assignments, applications, sessions, audit activities, …). */
  readonly directory: DirectoryResources;
  readonly #config: ResolvedConfig;
  readonly #session: SharedSession;
  readonly #requester: ApiRequester;

  constructor(config: ResolvedConfig, session: SharedSession = newSession(config)) {
    this.#config = config;
    this.#session = session;
    this.environmentId = config.environmentId;
    this.#requester = new ApiRequester(config, session.tokens, session.limiter, session.redactor, session.cancelScope, session.clock);
    const ctx = { requester: this.#requester };
    this.users = new UsersResource(ctx);
    this.groups = new GroupsResource(ctx, this.users);
    this.populations = new PopulationsResource(ctx);
    this.schemas = new SchemasResource(ctx);
    this.directory = new DirectoryResources(ctx);
  }

  /** The resolved, frozen configuration, without secrets. */
  get config(): Readonly<{
    environmentId: string;
    workerEnvironmentId: string;
    region: string;
    apiUrl: string;
    tokenUrl: string;
    /** the request-size budget in URL characters (option maxUrlLength) */
    maxUrlLength: number;
    /** the client's rate limit (option rateLimit.requestsPerSecond); undefined when the limiter is off */
    requestsPerSecond: number | undefined;
  }> {
    const c = this.#config;
    return Object.freeze({
      environmentId: c.environmentId,
      workerEnvironmentId: c.workerEnvironmentId,
      region: c.region,
      apiUrl: c.apiUrl,
      tokenUrl: c.tokenUrl,
      maxUrlLength: c.maxUrlLength,
      requestsPerSecond: c.rateLimit?.requestsPerSecond,
    });
  }

  /**
   * A client for another environment the same worker app can reach, sharing this client's token, rate limiter and
   * configuration (environments as schemas).
   */
  withEnvironment(environmentId: string): PingOneClient {
    if (environmentId === this.environmentId) return this;
    return new PingOneClient(protectConfig({ ...this.#config, environmentId }), this.#session);
  }

  /** `GET /v1/environments`: every environment the worker app can see. */
  async listEnvironments(options?: RequestOptions): Promise<EnvironmentSummary[]> {
    const url = `${this.#config.apiUrl}/environments`;
    const list = new PagedList<EnvironmentSummary>(
      'environments',
      (href) => this.#requester.request({ method: 'GET', url: href ?? url }, options),
      { request: `GET ${this.#requester.shownUrl({ url })}`, maxPages: this.#config.maxPages },
    );
    return list.toArray();
  }

  /** What JSON.stringify shows: the safe configuration only (never the secret, tokens or the token provider). */
  toJSON(): Record<string, unknown> {
    return { ...this.config };
  }

  [inspect.custom](depth: number, options: InspectOptions): string {
    return `PingOneClient ${inspect(this.config, { ...options, depth: Math.max(0, depth) })}`;
  }

  /** `GET /v1/environments/{id}`: this client's environment (also proves the credentials and the id work). */
  async getEnvironment(options?: RequestOptions): Promise<EnvironmentSummary> {
    return (
      await this.#requester.request(
        { method: 'GET', url: `${this.#config.apiUrl}/environments/${encodeURIComponent(this.environmentId)}` },
        options,
      )
    ).body as EnvironmentSummary;
  }

  /**
   * An HMAC-SHA256 under `key` of who this client is to PingOne (API base, environment, credential; never the
   * secret), for caches that must serve an answer only to the identity that fetched it. Resolves once this client
   * holds a token (fetching one if needed): a credential PingOne refuses rejects with its PingOneAuthError.
   */
  credentialFingerprint(key: Uint8Array, options: RequestOptions = {}): Promise<string> {
    return credentialFingerprint(this.#config, this.#session.tokens, key, options.signal);
  }

  /**
   * PingOne's clock as this client's answers tell it (their `Date` headers): how the driver says, in PingOne's time,
   * when a request left this process. Shared with the `withEnvironment` siblings.
   */
  get serverClock(): ServerClock {
    return this.#session.clock;
  }

  /**
   * The Redis connection of `rateLimit.store`, for the driver's read cache (one connection, one outage warning).
   * Undefined with the in-process limiter.
   */
  get sharedStore(): RedisConnection | undefined {
    return this.#session.redis;
  }

  /** The key prefix of `rateLimit.store` (what this client's instances share keys under); undefined without one. */
  get sharedStoreKeyPrefix(): string | undefined {
    const store = this.#config.rateLimit?.store;
    return store === undefined || store === 'memory' ? undefined : store.keyPrefix;
  }

  /**
   * Stops the limiter's timers and closes the Redis connection (when this was its last user). Clients made by
   * withEnvironment() share both: close the one you created.
   */
  close(): void {
    this.#session.limiter?.close();
    this.#session.redis?.close();
  }

  /** Ends an interactive sign-in: revokes the refresh token at PingOne and forgets the stored tokens. */
  async signOut(): Promise<void> {
    if (this.#session.tokens instanceof AuthorizationCodeProvider) await this.#session.tokens.signOut();
  }

  /**
   * Aborts every request this client and its `withEnvironment` siblings have in flight (they fail with
   * PingOneAbortError, code ABORTED); later requests run normally. For callers that can't pass an AbortSignal down,
   * such as a shell cancelling a TypeORM statement on Ctrl-C. Writes already applied by PingOne stay applied.
   */
  cancelInFlight(): void {
    this.#session.cancelScope.cancelAll();
  }

  /** Any other management API call, with the same auth, limits, retries and errors (path below the environment, or an absolute href). */
  request(call: ApiCall, options?: RequestOptions): Promise<ApiResult> {
    return this.#requester.request(call, options);
  }
}

/**
 * Creates a client from options or a `pingone://?…` connection URL. Configuration is validated here, once:
 * mistakes throw PingOneConfigError with a fix.
 *
 * @example
 * const client = createPingOneClient({ environmentId, region: 'EU', clientId, clientSecret });
 * for await (const user of client.users.list({ filter: scim.eq('type', 'Contractor') })) console.log(user.username);
 */
export function createPingOneClient(options: PingOneClientOptions | string): PingOneClient {
  return new PingOneClient(resolveConfig(typeof options === 'string' ? pingOneOptionsFromUrl(options) : options));
}
