import 'reflect-metadata';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@typeorm-pingone/simulator';
import { PingOneDataSource, Group, Population, User } from '../../src';
import type { PingOneDataSourceOptions } from '../../src';
import { inSimulatorMode } from './simulator-mode';
import { unknownFilterShapes } from './filter-census';
import type { PingOneClientOptions } from '@typeorm-pingone/client';

export interface DriverHarness {
  readonly sim: RunningSimulator;
  readonly ds: PingOneDataSource;
  /** API requests since the last `reset()`, as `METHOD path?query` lines (token calls excluded). */
  requests(): string[];
  reset(): void;
  close(): Promise<void>;
}

/** A DataSource of the ready entities on a running simulator (no rate limit, quick retries unless `pingone` says otherwise). */
export async function openDataSource(
  running: RunningSimulator,
  options: Partial<PingOneDataSourceOptions> = {},
  pingone: Partial<PingOneClientOptions> = {},
): Promise<PingOneDataSource> {
  return new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: running.environmentId,
      apiUrl: running.apiUrl,
      authUrl: running.authUrl,
      clientId: running.credentials.clientId,
      clientSecret: running.credentials.clientSecret,
      rateLimit: false,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      ...pingone,
    },
    ...options,
  }).initialize();
}

export async function startDriver(
  sim: SimulatorOptions = { seed: 'demo', users: 60 },
  options: Partial<PingOneDataSourceOptions> = {},
): Promise<DriverHarness> {
  const running = await startSimulator(inSimulatorMode(sim));
  let ds: PingOneDataSource;
  try {
    ds = await openDataSource(running, options);
  } catch (error) {
    await running.close(); // a test whose DataSource fails to start must not leave the simulator listening
    throw error;
  }
  running.requests.clear();
  // Filters sent, kept across reset(): checked against the planner's shapes when the harness closes.
  const unknown = new Set<string>();
  const census = () => {
    for (const u of unknownFilterShapes(running.requests.all())) unknown.add(u);
  };
  return {
    sim: running,
    ds,
    requests: () =>
      running.requests.api().map((r) => {
        const query = Object.entries(r.query)
          .filter(([k]) => k !== 'cursor')
          .map(([k, v]) => `${k}=${v}`)
          .join('&');
        return `${r.method} ${r.path.replace(`/v1/environments/${running.environmentId}`, '')}${query ? `?${query}` : ''}${r.query.cursor ? ' (next page)' : ''}`;
      }),
    reset: () => {
      census();
      running.requests.clear();
    },
    close: async () => {
      census();
      try {
        if (ds.isInitialized) await ds.destroy();
      } finally {
        await running.close();
      }
      if (unknown.size > 0) {
        throw new Error(
          `The driver sent filters that are none of the planner's shapes (PLANNER_FILTER_SHAPES in planner/filter-shapes.ts): add the new shape there so pingone-conformance checks it against tenants, then run pnpm generate:docs.\n${[...unknown].join('\n')}`,
        );
      }
    },
  };
}
