import 'reflect-metadata';
import fc from 'fast-check';
import { PingOneConfigError, valueText } from '@typeorm-pingone/client';
import { oddValue, withValues } from '../../pingone-client/test/helpers/odd-values';
import { PingOneDataSource, PingOneDriverError, User, type PingOneDataSourceOptions } from '../src';

/*
 * PingOneDataSource's options (and the client options inside `pingone`, and the cache's), given any value JavaScript
 * has: the DataSource is constructed, or refused with a typed error naming the option: PingOneDriverError
 * UNSUPPORTED_OPTION for its own options, the client's PingOneConfigError for `pingone`'s. Never a TypeError.
 */
const PATHS = [
  'entities',
  'pingone',
  'pingone.environmentId',
  'pingone.region',
  'pingone.clientSecret',
  'pingone.timeoutMs',
  'pingone.retry',
  'pingone.rateLimit',
  'pingone.rateLimit.store',
  'pingone.logger',
  'pingone.maxResponseBytes',
  'customUserAttributes',
  'lazyConnect',
  'allowUnfilteredWrites',
  'logging',
  'logger',
  'logger.log',
  'name',
  'subscribers',
  'maxQueryExecutionTime',
  'synchronize',
  'cache',
  'cache.ttlMs',
  'cache.maxEntries',
  'cache.store',
  'cache.store.redis',
  'cache.store.encryptionKey',
  'cache.store.keyPrefix',
  'cache.store.commandTimeoutMs',
];
const SECRET = 'fuzz-driver-secret-0123456789';
const BASE = {
  entities: [User],
  pingone: {
    environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f',
    apiUrl: 'http://127.0.0.1:1/v1',
    authUrl: 'http://127.0.0.1:1',
    clientId: 'fuzz',
    clientSecret: SECRET,
    rateLimit: false,
  },
  lazyConnect: true,
};

test('property: any value for any DataSource option is accepted or a typed error naming the option (2,000 option sets)', () => {
  const untyped: string[] = [];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), oddValue), { minLength: 1, maxLength: 3 }), (entries) => {
      // structuredClone can't copy classes: the entities go in afterwards, unless the case replaces them
      const options = withValues({ ...BASE, entities: undefined }, entries);
      if (!entries.some(([path]) => path === 'entities')) options.entities = [User];
      let error: unknown;
      try {
        const ds = new PingOneDataSource(options as unknown as PingOneDataSourceOptions);
        ds.pingone.close();
        ds.pingoneDriver.responseCache?.close();
      } catch (caught) {
        error = caught;
      }
      if (error === undefined) return;
      const typed = error instanceof PingOneConfigError || (error instanceof PingOneDriverError && error.code === 'UNSUPPORTED_OPTION');
      if (!typed) {
        untyped.push(`${entries.map(([p]) => p).join(', ')} → ${valueText(error)}`);
        return;
      }
      const message = (error as Error).message;
      // the option itself, or (when a whole object was replaced) the option inside it that is missing or wrong
      const named =
        entries.some(([path]) => path.split('.').some((part) => message.includes(part))) ||
        /'\w+(\.\w+)*'|environmentId|clientId/.test(message);
      expect({ named, message }).toEqual({ named: true, message });
      expect(message).not.toContain(SECRET);
    }),
    { numRuns: 2000, seed: 26 },
  );
  expect(untyped).toEqual([]);
});

test('BigInt and Symbol values name their option', () => {
  const refused = (entries: [string, unknown][]) => {
    try {
      new PingOneDataSource({
        ...withValues({ ...BASE, entities: undefined }, entries),
        entities: [User],
      } as unknown as PingOneDataSourceOptions).pingone.close();
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    }
  };
  expect(refused([['maxQueryExecutionTime', 5n]])).toMatch(/'maxQueryExecutionTime' is the BigInt 5n/);
  expect(refused([['name', Symbol('n')]])).toMatch(/'name' is a Symbol/);
  expect(refused([['cache', { ttlMs: 10n }]])).toMatch(/'cache\.ttlMs' must be a whole number between 1 and 86400000; got the BigInt 10n/);
  expect(refused([['cache', 1n]])).toMatch(/option 'cache': it must be true, false or \{ ttlMs, store, maxEntries \}; got the BigInt 1n/);
  expect(refused([['pingone.timeoutMs', 9n]])).toMatch(/'timeoutMs' must be a number; got the BigInt 9n/);
});
