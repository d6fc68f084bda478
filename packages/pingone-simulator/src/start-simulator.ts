import { inspect } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SimulatorSettings } from './api-request';
import { FaultState, type FaultControls } from './fault-controls';
import { MemoryRequestLog, type RequestLog } from './request-log';
import { demoSeed } from './seed/demo-seed';
import { PINGONE_REQUEST_LIMITS } from './request-limits';
import {
  DEFAULT_ENVIRONMENT_ID,
  INTERACTIVE_CLIENT_ID,
  loadSeedData,
  newWorkerClient,
  WEB_CLIENT_ID,
  type SeedData,
} from './seed/seed-data';
import { createSimulatorServer } from './server';
import { pagingPolicy, validateOptions, type SimulatorOptions } from './simulator-options';
import type { WorkerClient } from './store/environment';
import { SimulatorStore } from './store/simulator-store';

export type { SimulatorOptions } from './simulator-options';

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
  /** A native application (token endpoint auth method NONE, PKCE) of the default environment, for the authorization code flow. */
  readonly interactiveClientId: string;
  /** A confidential web application (CLIENT_SECRET_BASIC, PingOne's default for web apps) allowing the authorization code flow. */
  readonly webApplication: { readonly clientId: string; readonly clientSecret: string };
  readonly oauth: {
    /** `autoApprove('ada')` makes /as/authorize sign `ada` in without the form (undefined: show it). */
    autoApprove(username: string | undefined): void;
    /**
     * Adds an application (default: authorization_code + refresh_token) to the default environment. PRIVATE_KEY_JWT
     * needs `jwks`, the public keys its client assertions are verified with.
     */
    addApplication(app: {
      tokenEndpointAuthMethod: NonNullable<WorkerClient['tokenEndpointAuthMethod']>;
      grantTypes?: WorkerClient['grantTypes'];
      jwks?: WorkerClient['jwks'];
    }): { clientId: string; clientSecret: string };
  };
  readonly store: SimulatorStore;
  readonly faults: FaultControls;
  readonly requests: RequestLog;
  close(): Promise<void>;
}

/** Starts an in-memory PingOne on 127.0.0.1 (port 0 by default) and resolves once it is listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  validateOptions(options);
  const store = new SimulatorStore();
  const seed: SeedData =
    options.seed === 'demo'
      ? { environments: [demoSeed({ users: options.users ?? 100 })] }
      : options.seed === undefined || options.seed === 'empty'
        ? { environments: [{ id: DEFAULT_ENVIRONMENT_ID, name: 'Simulated environment' }] }
        : options.seed;
  const [defaultEnvironment] = loadSeedData(store, seed);
  const clients = defaultEnvironment.clients;
  if (clients.length === 0) clients.push(newWorkerClient(undefined, options.workerAuthMethod ?? 'CLIENT_SECRET_BASIC', options.workerJwks));
  const client = clients[0];
  const signIn = ['authorization_code', 'refresh_token'] as const;
  const interactive: WorkerClient = {
    clientId: INTERACTIVE_CLIENT_ID,
    clientSecret: '',
    tokenEndpointAuthMethod: 'NONE',
    grantTypes: signIn,
  };
  const web: WorkerClient = {
    clientId: WEB_CLIENT_ID,
    clientSecret: randomBytes(24).toString('base64url'),
    tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    grantTypes: signIn,
  };
  for (const app of [interactive, web]) if (!clients.some((c) => c.clientId === app.clientId)) clients.push(app);
  const webApp = clients.find((c) => c.clientId === WEB_CLIENT_ID)!;

  const state = new FaultState();
  state.latencyMs = options.latencyMs ?? 0;
  const log = new MemoryRequestLog();
  const settings: SimulatorSettings = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    paging: pagingPolicy(options),
    refreshTokenRotation: options.refreshTokenRotation ?? true,
    requestLimits: options.requestLimits === false ? false : Object.freeze({ ...PINGONE_REQUEST_LIMITS, ...options.requestLimits }),
    filters: Object.freeze({ strict: options.strict ?? false, caseSensitive: options.caseMode === 'sensitive' }),
  };
  const faults: FaultControls = {
    failNext: (count, fault) => state.addFailure(count, fault),
    cutNext: (count, matcher) => state.addCut(count, matcher),
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    setRateLimit: (limit) => state.setRateLimit(limit),
    failTokenEndpoint: (count, status = 500, body) => state.addTokenFailure(count, status, body),
    expireAllTokens: () => store.tokens.expireAll(),
    revokeToken: (token) => store.tokens.revoke(token),
    refuseFilterCell: (resource, cell) => {
      state.refusedCells.add(`${resource} ${cell}`);
    },
    allowFilterCell: (resource, cell) => {
      state.refusedCells.delete(`${resource} ${cell}`);
    },
    reset: () => state.reset(),
  };
  let url = '';
  const info = () => ({ url, apiUrl: `${url}/v1`, authUrl: url, environmentId: defaultEnvironment.id, clientId: client.clientId });
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
    environmentId: defaultEnvironment.id,
    credentials: withoutSecrets({ clientId: client.clientId, clientSecret: client.clientSecret }, 'Credentials', () => ({
      clientId: client.clientId,
      clientSecret: '[REDACTED]',
    })),
    interactiveClientId: interactive.clientId,
    webApplication: { clientId: webApp.clientId, clientSecret: webApp.clientSecret },
    oauth: {
      autoApprove: (username) => {
        store.grants.autoApproveUsername = username;
      },
      addApplication: (app) => {
        if ((app.tokenEndpointAuthMethod === 'PRIVATE_KEY_JWT') !== (app.jwks !== undefined)) {
          throw new TypeError(
            'addApplication: PRIVATE_KEY_JWT and jwks go together: the public keys ({ keys: [<JWK>] }) that verify its client assertions.',
          );
        }
        const keyOnly = app.tokenEndpointAuthMethod === 'NONE' || app.tokenEndpointAuthMethod === 'PRIVATE_KEY_JWT';
        const added: WorkerClient = {
          clientId: randomUUID(),
          clientSecret: keyOnly ? '' : randomBytes(24).toString('base64url'),
          tokenEndpointAuthMethod: app.tokenEndpointAuthMethod,
          grantTypes: app.grantTypes ?? signIn,
          ...(app.jwks ? { jwks: app.jwks } : {}),
        };
        clients.push(added);
        return { clientId: added.clientId, clientSecret: added.clientSecret };
      },
    },
    store,
    faults,
    requests: log,
    close: () =>
      new Promise<void>((resolve, reject) => {
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
