import fc from 'fast-check';
import { createPingOneClient, PingOneConfigError, valueText, type PingOneClientOptions } from '../src';
import { oddValue, withValues } from './helpers/odd-values';

/*
 * Every option, at any depth, given any value JavaScript has (BigInt, Symbol, functions, Maps, boxed primitives,
 * objects without a prototype, typed arrays, sparse arrays, NaN): the client is created, or refuses with a
 * PingOneConfigError naming the option. No TypeError (or any other error) escapes, and no secret is echoed.
 */

/** Every option path the client reads, nested ones included. */
const CLIENT_OPTION_PATHS = [
  'environmentId',
  'workerEnvironmentId',
  'region',
  'clientId',
  'clientSecret',
  'tokenEndpointAuthMethod',
  'customDomain',
  'apiUrl',
  'authUrl',
  'accessToken',
  'tokenProvider',
  'tokenProvider.getToken',
  'tokenProvider.invalidate',
  'interactive',
  'interactive.clientId',
  'interactive.clientSecret',
  'interactive.tokenEndpointAuthMethod',
  'interactive.initiate',
  'interactive.settingsLocation',
  'interactive.callbackUrl',
  'interactive.scopes',
  'interactive.openBrowser',
  'interactive.signInTimeoutMs',
  'timeoutMs',
  'maxUrlLength',
  'maxResponseBytes',
  'maxPages',
  'retry',
  'retry.maxAttempts',
  'retry.baseDelayMs',
  'retry.maxDelayMs',
  'retry.maxRetryAfterMs',
  'retry.maxElapsedMs',
  'rateLimit',
  'rateLimit.requestsPerSecond',
  'rateLimit.maxConcurrent',
  'rateLimit.store',
  'rateLimit.store.redis',
  'rateLimit.store.keyPrefix',
  'rateLimit.store.shareWorkerToken',
  'rateLimit.store.shareWorkerToken.encryptionKey',
  'rateLimit.store.commandTimeoutMs',
  'rateLimit.store.connectTimeoutMs',
  'userAgentSuffix',
  'logger',
  'logger.warn',
  'logger.debug',
];

const SECRET = 'fuzz-client-secret-0123456789';
const BASE = {
  environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f',
  apiUrl: 'http://127.0.0.1:1/v1',
  authUrl: 'http://127.0.0.1:1',
  clientId: 'fuzz-client',
  clientSecret: SECRET,
};

test('property: any value for any client option is accepted or a PingOneConfigError naming the option (3,000 option sets)', () => {
  const untyped: string[] = [];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...CLIENT_OPTION_PATHS), oddValue), { minLength: 1, maxLength: 3 }), (entries) => {
      const options = withValues(BASE, entries);
      let error: unknown;
      try {
        createPingOneClient(options as unknown as PingOneClientOptions).close();
      } catch (caught) {
        error = caught;
      }
      if (error === undefined) return;
      if (!(error instanceof PingOneConfigError)) {
        untyped.push(`${entries.map(([p]) => p).join(', ')} → ${valueText(error)}`);
        return;
      }
      const named = entries.some(([path]) => error.message.includes(path.split('.')[0]));
      expect({ named, message: error.message }).toEqual({ named: true, message: error.message });
      expect(error.message).not.toContain(SECRET);
    }),
    { numRuns: 3000, seed: 26 },
  );
  expect(untyped).toEqual([]);
});

test('BigInt and Symbol values name their option', () => {
  const refused = (entries: [string, unknown][]) => {
    try {
      createPingOneClient(withValues(BASE, entries) as never).close();
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    }
  };
  expect(refused([['timeoutMs', 10n]])).toMatch(/'timeoutMs' must be a number; got the BigInt 10n/);
  expect(refused([['region', Symbol('eu')]])).toMatch(/'region' must be a string; got a Symbol/);
  expect(refused([['retry.maxAttempts', 3n]])).toMatch(/'retry\.maxAttempts' must be a number; got the BigInt 3n/);
  expect(refused([['rateLimit.store', { redis: 'redis://127.0.0.1:1', commandTimeoutMs: 5n }]])).toMatch(
    /'rateLimit\.store\.commandTimeoutMs' must be a number; got the BigInt 5n/,
  );
  expect(refused([['clientSecret', 12345678n]])).toMatch(/'clientSecret' must be a string; got a BigInt\./);
  expect(refused([['userAgentSuffix', 'app\r\nX-Injected: 1']])).toMatch(/'userAgentSuffix' must be printable ASCII \(no line breaks\)/);
});
