import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src';

/** A started simulator plus a tiny fetch wrapper that authenticates like a worker app would. */
export interface TestApi {
  readonly sim: RunningSimulator;
  readonly env: string;
  token(): Promise<string>;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApi(options: SimulatorOptions = {}): Promise<TestApi> {
  const sim = await startSimulator(options);
  let cached: string | undefined;
  const token = async () => {
    const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
    const res = await fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const envPath = `/environments/${sim.environmentId}`;
  return {
    sim,
    env: sim.environmentId,
    token,
    async call(method, path, body, contentType = 'application/json') {
      cached ??= await token();
      const url = path.startsWith('http') ? path : `${sim.apiUrl}${path.startsWith('/environments') ? '' : envPath}${path}`;
      const headers: Record<string, string> = { authorization: `Bearer ${cached}` };
      if (body !== undefined) headers['content-type'] = contentType;
      const res = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    close: () => sim.close(),
  };
}
