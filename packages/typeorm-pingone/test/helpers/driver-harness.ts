import 'reflect-metadata';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@typeorm-pingone/simulator';
import { PingOneDataSource, Group, Population, User } from '../../src';
import type { PingOneDataSourceOptions } from '../../src';
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
export async function openDataSource(running: RunningSimulator, options: Partial<PingOneDataSourceOptions> = {}, pingone: Partial<PingOneClientOptions> = {}): Promise<PingOneDataSource> {
  return new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: running.environmentId, apiUrl: running.apiUrl, authUrl: running.authUrl,
      clientId: running.credentials.clientId, clientSecret: running.credentials.clientSecret, rateLimit: false,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      ...pingone,
    },
    ...options,
  }).initialize();
}

export async function startDriver(sim: SimulatorOptions = { seed: 'demo', users: 60 }, options: Partial<PingOneDataSourceOptions> = {}): Promise<DriverHarness> {
  const running = await startSimulator(sim);
  let ds: PingOneDataSource;
  try {
    ds = await openDataSource(running, options);
  } catch (error) {
    await running.close(); // a test whose DataSource fails to start must not leave the simulator listening
    throw error;
  }
  running.requests.clear();
  return {
    sim: running,
    ds,
    requests: () => running.requests.api().map((r) => {
      const query = Object.entries(r.query).filter(([k]) => k !== 'cursor').map(([k, v]) => `${k}=${v}`).join('&');
      return `${r.method} ${r.path.replace(`/v1/environments/${running.environmentId}`, '')}${query ? `?${query}` : ''}${r.query.cursor ? ' (next page)' : ''}`;
    }),
    reset: () => running.requests.clear(),
    close: async () => {
      try {
        if (ds.isInitialized) await ds.destroy();
      } finally {
        await running.close();
      }
    },
  };
}
