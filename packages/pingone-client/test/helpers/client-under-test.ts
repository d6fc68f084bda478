import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@typeorm-pingone/simulator';
import { createPingOneClient, type PingOneClient, type PingOneClientOptions } from '../../src';

export interface CapturedLog {
  readonly lines: string[];
}

export interface Harness {
  readonly sim: RunningSimulator;
  readonly client: PingOneClient;
  readonly log: CapturedLog;
  /** Options used for the client (simulator URLs and credentials), to build variants. */
  readonly options: PingOneClientOptions;
  close(): Promise<void>;
}

/** A simulator and a client pointed at it, with every log line captured. */
export async function startHarness(sim: SimulatorOptions = {}, client: Partial<PingOneClientOptions> = {}): Promise<Harness> {
  const running = await startSimulator(sim);
  const log: CapturedLog = { lines: [] };
  const capture = (level: string) => (message: string, fields?: object) => {
    log.lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  };
  const options: PingOneClientOptions = {
    environmentId: running.environmentId,
    apiUrl: running.apiUrl,
    authUrl: running.authUrl,
    clientId: running.credentials.clientId,
    clientSecret: running.credentials.clientSecret,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    rateLimit: false,
    logger: { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') },
    ...client,
  };
  let created: PingOneClient;
  try {
    created = createPingOneClient(options);
  } catch (error) {
    await running.close(); // options a test means to be refused must not leave the simulator listening
    throw error;
  }
  return { sim: running, client: created, log, options, close: () => running.close() };
}

export const tokenCalls = (sim: RunningSimulator) => sim.requests.all().filter((r) => r.kind === 'token');
