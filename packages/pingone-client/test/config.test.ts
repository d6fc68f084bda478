import { createPingOneClient, pingOneOptionsFromEnv, pingOneOptionsFromUrl, PingOneConfigError } from '../src';

const ENV = '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f';
const base = { environmentId: ENV, clientId: 'client', clientSecret: 'top-secret-value' };

function configError(fn: () => unknown): PingOneConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PingOneConfigError);
    return error as PingOneConfigError;
  }
  throw new Error('expected a PingOneConfigError');
}

test.each([
  ['NA', 'https://api.pingone.com/v1', `https://auth.pingone.com/${ENV}/as/token`],
  ['EU', 'https://api.pingone.eu/v1', `https://auth.pingone.eu/${ENV}/as/token`],
  ['CA', 'https://api.pingone.ca/v1', `https://auth.pingone.ca/${ENV}/as/token`],
  ['AP', 'https://api.pingone.asia/v1', `https://auth.pingone.asia/${ENV}/as/token`],
  ['AU', 'https://api.pingone.com.au/v1', `https://auth.pingone.com.au/${ENV}/as/token`],
  ['SG', 'https://api.pingone.sg/v1', `https://auth.pingone.sg/${ENV}/as/token`],
  ['eu', 'https://api.pingone.eu/v1', `https://auth.pingone.eu/${ENV}/as/token`],
])('region %s → API and token hosts', (region, apiUrl, tokenUrl) => {
  expect(createPingOneClient({ ...base, region }).config).toMatchObject({ apiUrl, tokenUrl });
});

test('a custom domain moves the token endpoint to https://<domain>/as/token; the worker env can differ', () => {
  expect(createPingOneClient({ ...base, customDomain: 'login.example.com' }).config.tokenUrl).toBe('https://login.example.com/as/token');
  const worker = '11111111-2222-4333-8444-555555555555';
  expect(createPingOneClient({ ...base, workerEnvironmentId: worker }).config.tokenUrl).toBe(`https://auth.pingone.com/${worker}/as/token`);
});

test('mistakes give config errors that say how to fix them', () => {
  expect(configError(() => createPingOneClient({ ...base, regoin: 'EU' } as never)).message).toMatch(
    /unknown option 'regoin'.*Did you mean 'region'/,
  );
  expect(configError(() => createPingOneClient({ ...base, region: 'MARS' })).message).toMatch(/unknown region "MARS".*EU \(Europe\)/);
  expect(configError(() => createPingOneClient({ clientId: 'a', clientSecret: 'b' } as never)).message).toMatch(
    /'environmentId' is required/,
  );
  expect(configError(() => createPingOneClient({ ...base, environmentId: 'not an id!' })).message).toMatch(/must be a PingOne id/);
  expect(configError(() => createPingOneClient({ environmentId: ENV })).message).toMatch(/no credentials/);
  expect(configError(() => createPingOneClient({ environmentId: ENV, clientId: 'x' })).message).toMatch(/go together/);
  expect(configError(() => createPingOneClient({ ...base, accessToken: 'abc' })).message).toMatch(/only one of/);
  expect(configError(() => createPingOneClient({ ...base, apiUrl: 'http://proxy.example.com/v1' })).message).toMatch(
    /plain http:\/\/.*Use https/,
  );
  expect(configError(() => createPingOneClient({ ...base, timeoutMs: -1 })).message).toMatch(/timeoutMs/);
  expect(configError(() => createPingOneClient({ ...base, retry: { attempts: 3 } } as never)).message).toMatch(/retry\.attempts/);
  expect(configError(() => createPingOneClient({ ...base, tokenEndpointAuthMethod: 'jwt' } as never)).message).toMatch(
    /client_secret_basic/,
  );
});

test('plain http is accepted for loopback hosts only', () => {
  expect(createPingOneClient({ ...base, apiUrl: 'http://127.0.0.1:4010/v1', authUrl: 'http://localhost:4010' }).config.apiUrl).toBe(
    'http://127.0.0.1:4010/v1',
  );
});

test('config errors never echo the client secret', () => {
  const error = configError(() => createPingOneClient({ ...base, region: 'nowhere' }));
  expect(error.message).not.toContain('top-secret-value');
});

test('options from PINGONE_* environment variables (Terraform provider names)', () => {
  const options = pingOneOptionsFromEnv({
    PINGONE_ENVIRONMENT_ID: ENV,
    PINGONE_REGION_CODE: 'EU',
    PINGONE_CLIENT_ID: 'id',
    PINGONE_CLIENT_SECRET: 'secret-value',
    PINGONE_API_SERVICE_HOSTNAME: 'api.example.com',
  });
  expect(options).toMatchObject({
    environmentId: ENV,
    region: 'EU',
    clientId: 'id',
    clientSecret: 'secret-value',
    apiUrl: 'https://api.example.com/v1',
  });
  expect(() => pingOneOptionsFromEnv({})).toThrow(/PINGONE_ENVIRONMENT_ID is not set/);
});

test('a pingone:// URL with the seed connector property names, URL-decoded and case-insensitive', () => {
  const url = `pingone://?AuthScheme=OAuthClient&WorkerAppEnvironmentId=${ENV}&Region=EU&OAuthClientId=my%20client&OAuthClientSecret=p%40ss%26word%3D`;
  expect(pingOneOptionsFromUrl(url)).toEqual({ environmentId: ENV, region: 'EU', clientId: 'my client', clientSecret: 'p@ss&word=' });
  const client = createPingOneClient(
    `pingone://?workerappenvironmentid=${ENV}&oauthclientid=a&oauthclientsecret=bbbbbb&AuthorizationServerURL=https%3A%2F%2Fsso.example.com%2Fas`,
  );
  expect(client.config.tokenUrl).toBe('https://sso.example.com/as/token');
  // a name that is no near miss of a property may be a pasted secret: it is not echoed
  expect(() => pingOneOptionsFromUrl('pingone://?Colour=blue')).toThrow(/unknown connection URL property \(6 characters, not shown\)/);
  expect(() => pingOneOptionsFromUrl('pingone://?EnviromentId=x')).toThrow(
    /unknown connection URL property 'EnviromentId' \(did you mean EnvironmentId\?\)/,
  );
  expect(() => pingOneOptionsFromUrl('https://x')).toThrow(/must start with pingone:\/\//);
  expect(() => pingOneOptionsFromUrl(`pingone://?AuthScheme=OAuth&WorkerAppEnvironmentId=${ENV}`)).toThrow(
    /AuthScheme=OAuth needs OAuthClientId/,
  );
  expect(
    pingOneOptionsFromUrl(
      `pingone://?AuthScheme=OAuth&WorkerAppEnvironmentId=${ENV}&OAuthClientId=app&InitiateOAuth=refresh&OAuthSettingsLocation=%2Ftmp%2Ft.json&CallbackURL=http%3A%2F%2F127.0.0.1%3A33333%2Fcb`,
    ),
  ).toEqual({
    environmentId: ENV,
    interactive: { clientId: 'app', initiate: 'REFRESH', settingsLocation: '/tmp/t.json', callbackUrl: 'http://127.0.0.1:33333/cb' },
  });
  expect(() => pingOneOptionsFromUrl(`pingone://?AuthScheme=Kerberos&WorkerAppEnvironmentId=${ENV}`)).toThrow(
    /AuthScheme=Kerberos is not supported/,
  );
  expect(() => pingOneOptionsFromUrl('pingone://?Region=%E0%A4')).toThrow(PingOneConfigError);
});

test('the resolved configuration is frozen', () => {
  const client = createPingOneClient(base);
  expect(Object.isFrozen(client.config)).toBe(true);
});

test('interactive sign-in from PINGONE_* variables, and its options are validated', () => {
  expect(
    pingOneOptionsFromEnv({
      PINGONE_ENVIRONMENT_ID: ENV,
      PINGONE_AUTH_SCHEME: 'OAuth',
      PINGONE_CLIENT_ID: 'native-app',
      PINGONE_INITIATE_OAUTH: 'refresh',
      PINGONE_OAUTH_SETTINGS_LOCATION: '/tmp/oauth.json',
      PINGONE_CALLBACK_URL: 'http://127.0.0.1:33333/callback',
    }),
  ).toEqual({
    environmentId: ENV,
    interactive: {
      clientId: 'native-app',
      initiate: 'REFRESH',
      settingsLocation: '/tmp/oauth.json',
      callbackUrl: 'http://127.0.0.1:33333/callback',
    },
  });
  expect(
    configError(() => createPingOneClient({ environmentId: ENV, interactive: { clientId: 'a', callbackUrl: 'https://example.com/cb' } }))
      .message,
  ).toMatch(/loopback URL/);
  expect(
    configError(() => createPingOneClient({ environmentId: ENV, interactive: { clientId: 'a', initiate: 'ALWAYS' as never } })).message,
  ).toMatch(/GETANDREFRESH, REFRESH or OFF/);
  expect(configError(() => createPingOneClient({ environmentId: ENV, interactive: { clientId: '' } })).message).toMatch(
    /interactive\.clientId' is required/,
  );
  expect(createPingOneClient({ environmentId: ENV, region: 'EU', interactive: { clientId: 'a' } }).config.tokenUrl).toBe(
    `https://auth.pingone.eu/${ENV}/as/token`,
  );
});
