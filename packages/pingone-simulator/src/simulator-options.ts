import { inspect } from 'node:util';
import {
  MAX_LIMIT,
  PINGONE_DEFAULT_PAGE_SIZES,
  PINGONE_PAGE_SIZES,
  type PagedCollection,
  type PagingPolicy,
  type ShortPages,
} from './paging';
import type { RequestLimits } from './request-limits';
import type { SeedData } from './seed/seed-data';

export interface SimulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`: the simulator is for local use only. */
  readonly host?: string;
  /** Default 0: the OS picks a free port. */
  readonly port?: number;
  /** `empty` (default): one environment with a default population and a worker client; `demo`: generated data. */
  readonly seed?: 'empty' | 'demo' | SeedData;
  /** With `seed: 'demo'`: number of users. Default 100. */
  readonly users?: number;
  /** Lifetime of issued access tokens. Default 3600 (PingOne's worker token lifetime). */
  readonly tokenLifetimeSeconds?: number;
  /**
   * Most items one page holds, whatever `limit` asks for. Defaults: users 200 ("page size limit of 200"), groups
   * 1000 (the spec's `limit` maximum); populations and a user's memberships 1000 (undocumented; a guess).
   */
  readonly maxPageSize?: Partial<Record<PagedCollection, number>>;
  /**
   * Page size when a request has no `limit`, for every collection. Default per collection: its `maxPageSize`, except
   * populations 250 (PingOne's documented default) and memberships 100 (a guess).
   */
  readonly defaultPageSize?: number;
  /**
   * `'insensitive'` (default): every string comparison in a filter ignores case. `'sensitive'`: only username and
   * email do (PingOne documents those); every other attribute compares exactly, which PingOne may well do.
   */
  readonly caseMode?: 'insensitive' | 'sensitive';
  /** Refuse every weakly sourced filter cell (WEAK_FILTER_CELLS) with 400 INVALID_FILTER. Default false. */
  readonly strict?: boolean;
  /**
   * Serve pages shorter than the page size while more items exist, as PingOne may. `true`/`'half'`: half of it;
   * `'random'`: 1..page size, a hash of `pageSeed` and the request (the same request always gets the same page).
   * Default false.
   */
  readonly shortPages?: boolean | 'half' | 'random';
  /** Seed of `shortPages: 'random'`. Default `'pingone'`. */
  readonly pageSeed?: string | number;
  /**
   * `count` is optional in PingOne ("absent usually means many"): a filtered list whose matches exceed this leaves
   * it out. Default: the collection's `maxPageSize`, i.e. count is absent exactly when a filtered result can't fit on
   * one page. `false`: always send it. Unfiltered lists always carry it, as every recording does.
   */
  readonly omitCountAbove?: number | false;
  /** Rotate refresh tokens on every use, with replay detection (PingOne's default). Default true. */
  readonly refreshTokenRotation?: boolean;
  /**
   * Token endpoint auth method of the default worker app. Default CLIENT_SECRET_BASIC, as PingOne creates them.
   * CLIENT_SECRET_JWT: an RFC 7523 assertion signed (HS256/384/512) with the app's secret; PRIVATE_KEY_JWT: one signed
   * with a private key whose public half is in `workerJwks`.
   */
  readonly workerAuthMethod?: 'CLIENT_SECRET_BASIC' | 'CLIENT_SECRET_POST' | 'CLIENT_SECRET_JWT' | 'PRIVATE_KEY_JWT';
  /** With PRIVATE_KEY_JWT: the worker app's public keys, as PingOne's application `jwks` holds them. */
  readonly workerJwks?: { readonly keys: readonly Record<string, unknown>[] };
  /** Request line and header size limits (414 / 431); `false` turns them off. Defaults in request-limits.ts. */
  readonly requestLimits?: Partial<RequestLimits> | false;
  /** Latency added to every API and token response, in ms. Default 0. */
  readonly latencyMs?: number;
}

const WORKER_METHODS: readonly string[] = ['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'CLIENT_SECRET_JWT', 'PRIVATE_KEY_JWT'];

const OPTION_KEYS = new Set([
  'host',
  'port',
  'seed',
  'users',
  'tokenLifetimeSeconds',
  'maxPageSize',
  'defaultPageSize',
  'shortPages',
  'pageSeed',
  'omitCountAbove',
  'refreshTokenRotation',
  'workerAuthMethod',
  'workerJwks',
  'requestLimits',
  'latencyMs',
  'caseMode',
  'strict',
]);

function integerIn(name: string, value: unknown, min: number, max: number): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`startSimulator: ${name} must be an integer between ${min} and ${max}; got ${inspect(value)}.`);
  }
}

/** Checks every option once, with a message naming the option and what it accepts. */
export function validateOptions(options: SimulatorOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key))
      throw new TypeError(`startSimulator: unknown option '${key}'. Known options: ${[...OPTION_KEYS].join(', ')}.`);
  }
  integerIn('port', options.port, 0, 65535);
  integerIn('users', options.users, 0, 5_000_000);
  integerIn('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 0, 31_536_000);
  integerIn('latencyMs', options.latencyMs, 0, 600_000);
  integerIn('defaultPageSize', options.defaultPageSize, 1, MAX_LIMIT);
  for (const [name, value] of Object.entries(options.maxPageSize ?? {})) {
    if (!(name in PINGONE_PAGE_SIZES))
      throw new TypeError(`startSimulator: maxPageSize.${name} is not a paged collection. Use users, groups, populations or memberships.`);
    integerIn(`maxPageSize.${name}`, value, 1, MAX_LIMIT);
  }
  if (options.shortPages !== undefined && ![true, false, 'half', 'random'].includes(options.shortPages)) {
    throw new TypeError(`startSimulator: shortPages must be true, false, 'half' or 'random'; got ${String(options.shortPages)}.`);
  }
  if (options.omitCountAbove !== undefined && options.omitCountAbove !== false)
    integerIn('omitCountAbove', options.omitCountAbove, 0, Number.MAX_SAFE_INTEGER);
  if (options.workerAuthMethod !== undefined && !WORKER_METHODS.includes(options.workerAuthMethod)) {
    throw new TypeError(`startSimulator: workerAuthMethod must be ${WORKER_METHODS.join(', ')}; got ${String(options.workerAuthMethod)}.`);
  }
  if ((options.workerAuthMethod === 'PRIVATE_KEY_JWT') !== (options.workerJwks !== undefined)) {
    throw new TypeError(
      "startSimulator: workerAuthMethod 'PRIVATE_KEY_JWT' and workerJwks go together: the worker app's public keys ({ keys: [<JWK>] }) verify its client assertions.",
    );
  }
  if (options.caseMode !== undefined && options.caseMode !== 'insensitive' && options.caseMode !== 'sensitive') {
    throw new TypeError(`startSimulator: caseMode must be 'insensitive' or 'sensitive'; got ${String(options.caseMode)}.`);
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean')
    throw new TypeError('startSimulator: strict must be true or false.');
  if (options.requestLimits) {
    integerIn('requestLimits.maxRequestLineBytes', options.requestLimits.maxRequestLineBytes, 64, 1_048_576);
    integerIn('requestLimits.maxHeaderBytes', options.requestLimits.maxHeaderBytes, 64, 1_048_576);
  }
}

export function pagingPolicy(options: SimulatorOptions): PagingPolicy {
  const shortPages: ShortPages =
    options.shortPages === true || options.shortPages === 'half' ? 'half' : options.shortPages === 'random' ? 'random' : 'off';
  return Object.freeze({
    pageSizes: Object.freeze({ ...PINGONE_PAGE_SIZES, ...options.maxPageSize }),
    defaultPageSizes: Object.freeze(
      Object.fromEntries(
        (Object.keys(PINGONE_PAGE_SIZES) as PagedCollection[]).map((c) => [c, options.defaultPageSize ?? PINGONE_DEFAULT_PAGE_SIZES[c]]),
      ) as Record<PagedCollection, number>,
    ),
    shortPages,
    pageSeed: String(options.pageSeed ?? 'pingone'),
    omitCountAbove: options.omitCountAbove,
  });
}
