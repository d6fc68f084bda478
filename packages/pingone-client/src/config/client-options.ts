import type { PingOneRegion } from '../regions';
import type { TokenProvider } from '../auth/token-provider';

/** Receives one line per request attempt and per token fetch. Secrets are already redacted. */
export interface PingOneLogger {
  debug?(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info?(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn?(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error?(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface RetryOptions {
  /** Attempts per request, the first included. Default 5. */
  readonly maxAttempts?: number;
  /** First backoff delay; doubles each attempt, with jitter. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** Cap on one backoff delay. Default 30 000 ms. */
  readonly maxDelayMs?: number;
  /** Cap on a server's Retry-After. Default 30 000 ms (as Ping's own SDKs). */
  readonly maxRetryAfterMs?: number;
  /** No new attempt starts later than this after the first. Default 120 000 ms. */
  readonly maxElapsedMs?: number;
}

export interface RateLimitOptions {
  /**
   * Requests per second this client sends at most. Default 50: PingOne limits per licence and lets one IP use
   * 35% of it by default (pingone-api.md §7), so staying well under 100/s avoids 429s on most licences.
   */
  readonly requestsPerSecond?: number;
  /** Requests in flight at once, per process. Default 10. */
  readonly maxConcurrent?: number;
  /**
   * Where the limit is counted. `'memory'` (default): in this process, so N processes send up to N × the rate.
   * A Redis store: every process (pod) on the same Redis and worker app shares `requestsPerSecond`, and a 429 from
   * PingOne holds all of them back until its Retry-After (docs/several-instances.md).
   */
  readonly store?: 'memory' | RedisStoreOptions;
}

/** The Redis every instance of the app reaches, for a shared rate limit (and, optionally, a shared worker token). */
export interface RedisStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…` (TLS). */
  readonly redis: string;
  /** Prefix of every key this client writes. Default `typeorm-pingone:`. Instances share a limit when they share it. */
  readonly keyPrefix?: string;
  /**
   * Share the worker app's access token between instances (one token fetch instead of one per process). The token
   * is stored AES-256-GCM-encrypted under this key: 32 bytes, as a Buffer/Uint8Array or a base64 or hex string,
   * e.g. `crypto.randomBytes(32).toString('base64')`, kept in your secret store. Every instance needs the same key.
   */
  readonly shareWorkerToken?: { readonly encryptionKey: string | Uint8Array };
  /**
   * Only for the driver's read cache (`cache.store`), and required there: the 32-byte key that encrypts and
   * authenticates every cached response (AES-256-GCM) and keys entries by credential (HMAC). Same forms as above.
   */
  readonly encryptionKey?: string | Uint8Array;
  /** How long one Redis command may take before this process goes on without Redis. Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** How long the first connection may take. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
}

/** A person signs in through PingOne (authorization code + PKCE) instead of a worker app's client credentials. */
export interface InteractiveOAuthOptions {
  /** A native (public) or web application of the worker environment. */
  readonly clientId: string;
  /** Only for a confidential (web) application; a native app has none. */
  readonly clientSecret?: string;
  /**
   * The application's Token Endpoint Authentication Method in PingOne, used for the code exchange, refresh and
   * revocation. Default: `none` without a `clientSecret` (a native app, PingOne's default for that type), else
   * `client_secret_basic` (PingOne's default for web apps). `client_secret_jwt` signs an RFC 7523 assertion with the
   * secret; `private_key_jwt` with `privateKey`/`privateKeyFile`. PingOne answers 401 invalid_client to any other method.
   */
  readonly tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
  /** With private_key_jwt: the private key (PEM text, or a private JWK as text or object). */
  readonly privateKey?: string | Readonly<Record<string, unknown>>;
  /** With private_key_jwt: a file holding the private key (PEM or JWK), instead of `privateKey`. */
  readonly privateKeyFile?: string;
  /** The `kid` of the key in the application's JWKS (default: the JWK's own `kid`). */
  readonly keyId?: string;
  /** RS256/384/512 or ES256/384/512 (private_key_jwt; default RS256, or the EC key's curve), HS256/384/512 (client_secret_jwt; default HS256). */
  readonly signingAlgorithm?: string;
  /** GETANDREFRESH (default): sign in when needed, then refresh; REFRESH: only refresh stored tokens; OFF: use stored tokens only. */
  readonly initiate?: 'GETANDREFRESH' | 'REFRESH' | 'OFF';
  /** Where tokens are kept between runs: a file path (written 0600), or `memory://` (default). */
  readonly settingsLocation?: string;
  /** The loopback redirect, e.g. `http://127.0.0.1:33333/callback` (default: a free port). */
  readonly callbackUrl?: string;
  /** Default `['openid']`. */
  readonly scopes?: readonly string[];
  /** Shows the sign-in page (default: the system browser, or the URL printed where none can be opened). */
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** Default 300 000 ms. */
  readonly signInTimeoutMs?: number;
}

export interface PingOneClientOptions {
  /** The environment whose users, groups and populations you manage. */
  readonly environmentId: string;
  /** The environment that hosts the worker app (token endpoint path). Default: `environmentId`. */
  readonly workerEnvironmentId?: string;
  /**
   * Default `NA`. Also the other spellings parseRegion accepts (`US`, `europe`…), hence any string; the
   * `Record<never, never>` keeps `string` from absorbing the region names, so editors still offer them.
   */
  readonly region?: PingOneRegion | (string & Record<never, never>);
  readonly clientId?: string;
  /** The worker app's secret (not with private_key_jwt). */
  readonly clientSecret?: string;
  /**
   * How the worker app authenticates at the token endpoint: its Token Endpoint Authentication Method in PingOne.
   * Default `client_secret_basic`. `client_secret_jwt`: an RFC 7523 assertion signed with the secret (HS256/384/512);
   * `private_key_jwt` (PingOne's recommendation for the highest security): one signed with `privateKey` or
   * `privateKeyFile`, no secret at all.
   */
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
  /** With private_key_jwt: the worker app's private key (PEM text, or a private JWK as text or object). Env: PINGONE_PRIVATE_KEY. */
  readonly privateKey?: string | Readonly<Record<string, unknown>>;
  /** With private_key_jwt: a file holding the private key (PEM or JWK), instead of `privateKey`. Env: PINGONE_PRIVATE_KEY_FILE. */
  readonly privateKeyFile?: string;
  /** The `kid` of the key in the application's JWKS (default: the JWK's own `kid`). Env: PINGONE_KEY_ID. */
  readonly keyId?: string;
  /**
   * private_key_jwt: RS256 (default for RSA keys), RS384, RS512, or ES256/384/512 (default: the EC key's curve;
   * PingOne's reference page lists only RS*). client_secret_jwt: HS256 (default), HS384, HS512. Env: PINGONE_SIGNING_ALGORITHM.
   */
  readonly signingAlgorithm?: string;
  /** A custom auth domain: the token endpoint becomes `https://<customDomain>/as/token`. */
  readonly customDomain?: string;
  /** Overrides the management API base (default `https://api.pingone.<tld>/v1`); for proxies and the simulator. */
  readonly apiUrl?: string;
  /** Overrides the auth server base (default `https://auth.pingone.<tld>`); the token endpoint is `<authUrl>/<workerEnvironmentId>/as/token`. */
  readonly authUrl?: string;
  /** A pre-issued access token (no client credentials needed; it is not refreshed). */
  readonly accessToken?: string;
  /** Supplies tokens instead of the built-in client-credentials flow. */
  readonly tokenProvider?: TokenProvider;
  /** Interactive sign-in (authorization code with PKCE) instead of client credentials. */
  readonly interactive?: InteractiveOAuthOptions;
  /**
   * Request-size budget: the longest request URL the client sends, in characters. Default 4096, comfortably under
   * PingOne's 6 KB request-header limit (the bearer token shares it). A list filter that would exceed it is split
   * into several requests whose results are combined; any other request over it fails before it is sent.
   */
  readonly maxUrlLength?: number;
  /**
   * The largest response body read, in bytes (checked while it streams in; a longer one fails with
   * RESPONSE_TOO_LARGE and the connection is closed). Default 64 MiB, four times PingOne's largest possible page
   * (1000 users of at most 16 KB each); 1024 to 256 MiB.
   */
  readonly maxResponseBytes?: number;
  /**
   * The most pages one list request may take (INVALID_RESPONSE beyond it, so a server that mints a fresh cursor on
   * every page can't page forever). Default 100 000; a list whose first page has `count` is capped near what that
   * count needs, and pages that bring no new ids end it earlier.
   */
  readonly maxPages?: number;
  /** Per-attempt timeout. Default 30 000 ms. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Client-side rate and concurrency limits; `false` turns them off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Appended to the User-Agent header, e.g. `my-app/1.2`. */
  readonly userAgentSuffix?: string;
  readonly logger?: PingOneLogger;
}
