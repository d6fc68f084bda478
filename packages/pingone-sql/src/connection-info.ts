import { REGIONS, type PingOneClient } from '@typeorm-pingone/client';

/** What the shell is connected to, for the banner and `\conninfo`: never a secret (no credential, no query string). */
export interface ConnectionTarget {
  /** an embedded simulator this process started (demo data, nothing leaves the machine) */
  readonly simulator: boolean;
  readonly environmentId: string;
  /** undefined when the environment could not be read (`nameError` says why) */
  readonly environmentName: string | undefined;
  readonly nameError?: string;
  /** the environment's region as PingOne reports it, else the configured one */
  readonly region: string;
  readonly environmentType: string | undefined;
  /** the API base, scheme, host and path only */
  readonly apiUrl: string;
  readonly apiHost: string;
  /** the API host is a PingOne region's (api.pingone.<tld>), not a simulator or a proxy */
  readonly pingoneHost: boolean;
  /** the worker app's own environment, when it differs from the one the shell reads */
  readonly workerEnvironmentId: string | undefined;
}

const PINGONE_HOSTS = new Set(Object.values(REGIONS).map((r) => `api.pingone.${r.tld}`));

const safeUrl = (raw: string) => {
  const url = new URL(raw);
  return { url: `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`, host: url.host };
};

/** What the client's configuration says, without a request (the environment's name unknown). */
export function configuredTarget(client: PingOneClient, simulator: boolean): ConnectionTarget {
  const config = client.config;
  const { url, host } = safeUrl(config.apiUrl);
  return Object.freeze({
    simulator,
    environmentId: client.environmentId,
    environmentName: undefined,
    region: config.region,
    environmentType: undefined,
    apiUrl: url,
    apiHost: host,
    pingoneHost: PINGONE_HOSTS.has(host),
    workerEnvironmentId: config.workerEnvironmentId !== client.environmentId ? config.workerEnvironmentId : undefined,
  });
}

/** Reads the environment's name, type and region (`GET /environments/{id}`, which initialize() already proved works). */
export async function readTarget(client: PingOneClient, simulator: boolean): Promise<ConnectionTarget> {
  const base = configuredTarget(client, simulator);
  let environment: { name?: unknown; region?: unknown; type?: unknown };
  try {
    environment = await client.getEnvironment();
  } catch (error) {
    return Object.freeze({ ...base, nameError: error instanceof Error ? error.message : String(error) });
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return Object.freeze({
    ...base,
    environmentName: text(environment.name),
    region: text(environment.region) ?? base.region,
    environmentType: text(environment.type),
  });
}

const quoted = (name: string) => JSON.stringify(name);

function environmentText(t: ConnectionTarget): string {
  return t.environmentName !== undefined
    ? `environment ${quoted(t.environmentName)} (${t.environmentId})`
    : `environment ${t.environmentId}`;
}

function hostText(t: ConnectionTarget): string {
  if (t.simulator) return `API host ${t.apiHost}`;
  return t.pingoneHost ? `API host ${t.apiHost}` : `API host ${t.apiHost} (not a PingOne region's host: a simulator or a proxy)`;
}

/** The first line of an interactive session: what the statements will read and change. */
export function bannerText(t: ConnectionTarget): string {
  if (t.simulator)
    return `Connected to an embedded PingOne simulator with demo data (nothing leaves this machine): ${environmentText(t)}, region ${t.region}, ${hostText(t)}.`;
  return `Connected to PingOne ${environmentText(t)}, region ${t.region}, ${hostText(t)}.`;
}

/** `\conninfo`, as psql says where it is connected. */
export function conninfoText(t: ConnectionTarget): string {
  const what = t.simulator ? 'an embedded PingOne simulator (started by this shell, demo data)' : 'PingOne';
  const lines = [
    `You are connected to ${what}, ${environmentText(t)}${t.environmentType ? `, a ${t.environmentType} environment` : ''}, in region ${t.region}${t.region in REGIONS ? `: ${REGIONS[t.region as keyof typeof REGIONS].description}` : ''}.`,
    `API: ${t.apiUrl} (${hostText(t)}).`,
  ];
  if (t.workerEnvironmentId) lines.push(`The worker app's credentials belong to environment ${t.workerEnvironmentId}.`);
  if (t.nameError !== undefined) lines.push(`The environment's name could not be read: ${t.nameError}`);
  return lines.join('\n');
}
