import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { SimulatorSettings } from './api-request';
import { FaultState, type FaultControls } from './fault-controls';
import { MemoryRequestLog, type RequestLog } from './request-log';
import { demoSeed } from './seed/demo-seed';
import { DEFAULT_ENVIRONMENT_ID, INTERACTIVE_CLIENT_ID, loadSeedData, newWorkerClient, type SeedData } from './seed/seed-data';
import { createSimulatorServer } from './server';
import { SimulatorStore } from './store/simulator-store';

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
   * Page size when a list request has no `limit`. Default 1000: PingOne serves "the lesser of the service's maximum
   * page size and the collection size" (pingone-api.md §5); populations use their documented 250 at most.
   */
  readonly defaultPageSize?: number;
  /** Serve pages shorter than `limit` while more items exist, as PingOne may. Default false. */
  readonly shortPages?: boolean;
  /** Latency added to every API and token response, in ms. Default 0. */
  readonly latencyMs?: number;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `${url}/v1`: the management API base; HAL links are absolute and start with it. */
  readonly apiUrl: string;
  /** `${url}`: the token endpoint is `${authUrl}/${environmentId}/as/token` (custom-domain form: `${url}/as/token`). */
  readonly authUrl: string;
  readonly environmentId: string;
  /** A worker application of the default environment. */
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  /** A native (public, PKCE) application of the default environment, for the authorization code flow. */
  readonly interactiveClientId: string;
  /** Sign-in controls: `autoApprove('ada')` makes /as/authorize sign `ada` in without the form (undefined: show it). */
  readonly oauth: { autoApprove(username: string | undefined): void };
  readonly store: SimulatorStore;
  readonly faults: FaultControls;
  readonly requests: RequestLog;
  close(): Promise<void>;
}

const OPTION_KEYS = new Set(['host', 'port', 'seed', 'users', 'tokenLifetimeSeconds', 'defaultPageSize', 'shortPages', 'latencyMs']);

function validate(options: SimulatorOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`startSimulator: unknown option '${key}'. Known options: ${[...OPTION_KEYS].join(', ')}.`);
  }
  const positive = (name: keyof SimulatorOptions, value: unknown, max: number) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max)) {
      throw new RangeError(`startSimulator: ${name} must be an integer between 0 and ${max}; got ${String(value)}.`);
    }
  };
  positive('port', options.port, 65535);
  positive('users', options.users, 5_000_000);
  positive('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 31_536_000);
  positive('latencyMs', options.latencyMs, 600_000);
  if (options.defaultPageSize !== undefined && !(Number.isInteger(options.defaultPageSize) && options.defaultPageSize >= 1 && options.defaultPageSize <= 1000)) {
    throw new RangeError(`startSimulator: defaultPageSize must be an integer between 1 and 1000; got ${String(options.defaultPageSize)}.`);
  }
}

/** Starts an in-memory PingOne on 127.0.0.1 (port 0 by default) and resolves once it is listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  validate(options);
  const store = new SimulatorStore();
  const seed: SeedData =
    options.seed === 'demo' ? { environments: [demoSeed({ users: options.users ?? 100 })] }
      : options.seed === undefined || options.seed === 'empty' ? { environments: [{ id: DEFAULT_ENVIRONMENT_ID, name: 'Simulated environment' }] }
        : options.seed;
  const [defaultEnvironment] = loadSeedData(store, seed);
  if (defaultEnvironment!.clients.length === 0) defaultEnvironment!.clients.push(newWorkerClient());
  const client = defaultEnvironment!.clients[0]!;
  const interactive = { clientId: INTERACTIVE_CLIENT_ID, clientSecret: '', tokenEndpointAuthMethod: 'NONE' as const, grantTypes: ['authorization_code', 'refresh_token'] as const };
  if (!defaultEnvironment!.clients.some((c) => c.clientId === interactive.clientId)) defaultEnvironment!.clients.push(interactive);

  const state = new FaultState();
  state.latencyMs = options.latencyMs ?? 0;
  const log = new MemoryRequestLog();
  const settings: SimulatorSettings = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    defaultPageSize: options.defaultPageSize ?? 1000,
    shortPages: options.shortPages ?? false,
  };
  const faults: FaultControls = {
    failNext: (count, fault) => state.addFailure(count, fault),
    cutNext: (count, matcher) => state.addCut(count, matcher),
    setLatency: (ms) => { state.latencyMs = ms; },
    setRateLimit: (limit) => state.setRateLimit(limit),
    failTokenEndpoint: (count, status = 500, body) => state.addTokenFailure(count, status, body),
    expireAllTokens: () => store.tokens.expireAll(),
    revokeToken: (token) => store.tokens.revoke(token),
    reset: () => state.reset(),
  };
  let url = '';
  const info = () => ({ url, apiUrl: `${url}/v1`, authUrl: url, environmentId: defaultEnvironment!.id, clientId: client.clientId });
  const server = createSimulatorServer({ store, faults: state, log, settings, control: { faults, info }, baseUrl: () => url });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  const handle: RunningSimulator = {
    url,
    apiUrl: `${url}/v1`,
    authUrl: url,
    environmentId: defaultEnvironment!.id,
    credentials: withoutSecrets({ clientId: client.clientId, clientSecret: client.clientSecret }, 'Credentials', () => ({ clientId: client.clientId, clientSecret: '[REDACTED]' })),
    interactiveClientId: interactive.clientId,
    oauth: { autoApprove: (username) => { store.grants.autoApproveUsername = username; } },
    store,
    faults,
    requests: log,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
  // A test that logs the handle must not print the worker's secret, nor the store's clients and tokens.
  return withoutSecrets(handle, 'RunningSimulator', () => ({ url, environmentId: handle.environmentId, clientId: client.clientId }));
}

/** `toJSON` and `util.inspect` show `view()` instead of the object (both non-enumerable). */
function withoutSecrets<T extends object>(target: T, name: string, view: () => Record<string, unknown>): T {
  Object.defineProperty(target, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(target, inspect.custom, { value: () => `${name} ${inspect(view())}`, enumerable: false });
  return target;
}
