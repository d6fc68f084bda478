import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient, PingOneConfigError, pingOneOptionsFromUrl } from '../src';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

test('ApiUrl and AuthUrl in a pingone:// URL reach the simulator over loopback http', async () => {
  sim = await startSimulator({ seed: 'demo', users: 4 });
  const q = (v: string) => encodeURIComponent(v);
  const client = createPingOneClient(
    `pingone://?EnvironmentId=${sim.environmentId}&OAuthClientId=${q(sim.credentials.clientId)}&OAuthClientSecret=${q(sim.credentials.clientSecret)}&ApiUrl=${q(sim.apiUrl)}&AuthUrl=${q(sim.authUrl)}`,
  );
  expect(await client.users.list().toArray()).toHaveLength(4);
  expect(client.config.tokenUrl).toBe(`${sim.authUrl}/${sim.environmentId}/as/token`);
});

test('AuthorizationServerURL with plain http is refused with the keys to use instead, not rewritten to https', () => {
  const url = 'pingone://?EnvironmentId=abc&OAuthClientId=a&OAuthClientSecret=b&AuthorizationServerURL=http%3A%2F%2F127.0.0.1%3A4010%2Fas';
  expect(() => pingOneOptionsFromUrl(url)).toThrow(PingOneConfigError);
  expect(() => pingOneOptionsFromUrl(url)).toThrow(/plain http:\/\/.*use AuthUrl=.*ApiUrl=/);
  expect(pingOneOptionsFromUrl('pingone://?EnvironmentId=abc&AuthorizationServerURL=https%3A%2F%2Fsso.example.com%2Fas').customDomain).toBe(
    'sso.example.com',
  );
});
