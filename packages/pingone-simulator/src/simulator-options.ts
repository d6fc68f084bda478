import { MAX_LIMIT, PINGONE_PAGE_SIZES, type PagedCollection, type PagingPolicy, type ShortPages } from './paging';
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
   * Most items one page holds, whatever `limit` asks for. Defaults as PingOne documents them: users 200 ("page
   * size limit of 200"), groups 1000 (the spec's `limit` maximum), populations 250 (pingone-api.md §5).
   */
  readonly maxPageSize?: Partial<Record<PagedCollection, number>>;
  /** Page size when a list request has no `limit`. Default: the collection's `maxPageSize`. */
  readonly defaultPageSize?: number;
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
  /** Token endpoint auth method of the default worker app. Default CLIENT_SECRET_BASIC, as PingOne creates them. */
  readonly workerAuthMethod?: 'CLIENT_SECRET_BASIC' | 'CLIENT_SECRET_POST';
  /** Request line and header size limits (414 / 431); `false` turns them off. Defaults in request-limits.ts. */
  readonly requestLimits?: Partial<RequestLimits> | false;
  /** Latency added to every API and token response, in ms. Default 0. */
  readonly latencyMs?: number;
}

const OPTION_KEYS = new Set([
  'host', 'port', 'seed', 'users', 'tokenLifetimeSeconds', 'maxPageSize', 'defaultPageSize', 'shortPages', 'pageSeed',
  'omitCountAbove', 'refreshTokenRotation', 'workerAuthMethod', 'requestLimits', 'latencyMs',
]);

function integerIn(name: string, value: unknown, min: number, max: number): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`startSimulator: ${name} must be an integer between ${min} and ${max}; got ${String(value)}.`);
  }
}

/** Checks every option once, with a message naming the option and what it accepts. */
export function validateOptions(options: SimulatorOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`startSimulator: unknown option '${key}'. Known options: ${[...OPTION_KEYS].join(', ')}.`);
  }
  integerIn('port', options.port, 0, 65535);
  integerIn('users', options.users, 0, 5_000_000);
  integerIn('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 0, 31_536_000);
  integerIn('latencyMs', options.latencyMs, 0, 600_000);
  integerIn('defaultPageSize', options.defaultPageSize, 1, MAX_LIMIT);
  for (const [name, value] of Object.entries(options.maxPageSize ?? {})) {
    if (!(name in PINGONE_PAGE_SIZES)) throw new TypeError(`startSimulator: maxPageSize.${name} is not a paged collection. Use users, groups or populations.`);
    integerIn(`maxPageSize.${name}`, value, 1, MAX_LIMIT);
  }
  if (options.shortPages !== undefined && ![true, false, 'half', 'random'].includes(options.shortPages)) {
    throw new TypeError(`startSimulator: shortPages must be true, false, 'half' or 'random'; got ${String(options.shortPages)}.`);
  }
  if (options.omitCountAbove !== undefined && options.omitCountAbove !== false) integerIn('omitCountAbove', options.omitCountAbove, 0, Number.MAX_SAFE_INTEGER);
  if (options.workerAuthMethod !== undefined && !['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST'].includes(options.workerAuthMethod)) {
    throw new TypeError(`startSimulator: workerAuthMethod must be CLIENT_SECRET_BASIC or CLIENT_SECRET_POST; got ${String(options.workerAuthMethod)}.`);
  }
  if (options.requestLimits) {
    integerIn('requestLimits.maxRequestLineBytes', options.requestLimits.maxRequestLineBytes, 64, 1_048_576);
    integerIn('requestLimits.maxHeaderBytes', options.requestLimits.maxHeaderBytes, 64, 1_048_576);
  }
}

export function pagingPolicy(options: SimulatorOptions): PagingPolicy {
  const shortPages: ShortPages = options.shortPages === true || options.shortPages === 'half' ? 'half' : options.shortPages === 'random' ? 'random' : 'off';
  return Object.freeze({
    pageSizes: Object.freeze({ ...PINGONE_PAGE_SIZES, ...options.maxPageSize }),
    defaultPageSize: options.defaultPageSize ?? MAX_LIMIT,
    shortPages,
    pageSeed: String(options.pageSeed ?? 'pingone'),
    omitCountAbove: options.omitCountAbove,
  });
}
