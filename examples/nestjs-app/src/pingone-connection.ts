import { hasPingOneEnv, pingOneOptionsFromEnv, type PingOneClientOptions } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';

/**
 * Where PingOne is: the real one when PINGONE_* variables are set (PINGONE_ENVIRONMENT_ID, PINGONE_REGION_CODE,
 * PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET), otherwise an embedded simulator with demo data, so the app runs anywhere.
 */
export interface PingOneConnection {
  readonly options: PingOneClientOptions;
  readonly simulator: RunningSimulator | undefined;
}

export async function connectPingOne(env: NodeJS.ProcessEnv = process.env): Promise<PingOneConnection> {
  if (hasPingOneEnv(env)) return { options: pingOneOptionsFromEnv(env), simulator: undefined };
  const simulator = await startSimulator({ seed: 'demo', users: Number(env.DEMO_USERS ?? 200) });
  return {
    simulator,
    options: {
      environmentId: simulator.environmentId,
      apiUrl: simulator.apiUrl,
      authUrl: simulator.authUrl,
      clientId: simulator.credentials.clientId,
      clientSecret: simulator.credentials.clientSecret,
    },
  };
}
